package domain

import "strings"

// NormalizePhone turns an Indonesian phone number as people and providers write it
// (+62 812-3456-7890, 0812 3456 7890, 6281234567890) into digits with the country code
// (6281234567890), so one number is one key. It returns "" for anything that is not a
// plausible phone number.
func NormalizePhone(s string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return ""
		}
	}
	d := b.String()
	if strings.HasPrefix(d, "0") {
		d = "62" + d[1:]
	}
	if len(d) < 8 || len(d) > 15 {
		return ""
	}
	return d
}

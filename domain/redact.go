package domain

import (
	"fmt"
	"regexp"
	"strings"
)

// Redaction says what kind of personal data was taken out of a public text, how often.
type Redaction struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

var (
	// A NIK is 16 digits (possibly grouped by spaces, dots or dashes).
	nikPattern = regexp.MustCompile(`\b\d(?:[ .\-]?\d){15}\b`)
	// Indonesian phone numbers: +62 / 62 / 0, then 8–12 more digits, grouped freely.
	publicPhonePattern = regexp.MustCompile(`(?:\+62|\b62|\(0|\b0)[ .\-]?\(?\d{2,4}\)?(?:[ .\-]?\d{2,5}){1,4}\b`)
	emailPattern       = regexp.MustCompile(`(?i)\b[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}\b`)
)

func digitCount(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// Redact removes phone numbers, e-mail addresses and NIK-like 16-digit numbers from a
// text meant for the public, and says what it removed.
func Redact(text string) (string, []Redaction) {
	var out []Redaction
	count := func(kind, label string, n int) {
		if n > 0 {
			out = append(out, Redaction{Kind: kind, Label: label, Count: n})
		}
	}
	n := 0
	text = emailPattern.ReplaceAllStringFunc(text, func(string) string { n++; return "[e-mail disamarkan]" })
	count("email", "alamat e-mail", n)
	n = 0
	text = nikPattern.ReplaceAllStringFunc(text, func(m string) string {
		if digitCount(m) != 16 {
			return m
		}
		n++
		return "[NIK disamarkan]"
	})
	count("nik", "NIK", n)
	n = 0
	text = publicPhonePattern.ReplaceAllStringFunc(text, func(m string) string {
		if d := digitCount(m); d < 9 || d > 14 {
			return m
		}
		n++
		return "[nomor telepon disamarkan]"
	})
	count("phone", "nomor telepon", n)
	return text, out
}

// DescribeRedactions is the audit note for what Redact removed ("" when nothing).
func DescribeRedactions(rs []Redaction) string {
	if len(rs) == 0 {
		return ""
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%d %s", r.Count, r.Label)
	}
	return "Disamarkan otomatis dari teks publik: " + strings.Join(parts, ", ") + "."
}

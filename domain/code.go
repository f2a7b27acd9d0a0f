package domain

import (
	"crypto/rand"
	"regexp"
	"strings"
)

// crockford is Crockford's base32 alphabet: no I, L, O or U, so a code read aloud over
// the phone is not misheard.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

var codePattern = regexp.MustCompile(`^ADU-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)

// NewCode returns a fresh random complaint code such as ADU-7K3Q-XW2M (40 random bits).
func NewCode() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	out := make([]byte, 0, 13)
	out = append(out, "ADU-"...)
	for i, x := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, crockford[int(x)%32])
	}
	return string(out)
}

// NormalizeCode upper-cases a code typed by a person and maps the letters Crockford
// base32 treats as look-alikes (O→0, I/L→1). It returns "" when the result is not a code.
func NormalizeCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) == 13 && strings.HasPrefix(s, "ADU-") {
		s = "ADU-" + strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(s[4:])
	}
	if !codePattern.MatchString(s) {
		return ""
	}
	return s
}

// WorkflowID is the Temporal workflow ID of a complaint.
func WorkflowID(code string) string { return "complaint/" + code }

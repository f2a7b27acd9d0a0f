package complaints

import (
	"strings"
	"unicode/utf8"
)

// Every input is cleaned or refused before it reaches PostgreSQL or Temporal: a NUL byte
// or invalid UTF-8 in a text parameter makes PostgreSQL fail the whole statement, which
// would answer 503 to a request that is simply malformed. Free text is cleaned
// (domain.CleanText); identifiers and keys, which must match exactly, are refused with
// 400 naming the field.

// MaxKey is the longest Idempotency-Key taken.
const MaxKey = 200

// MaxPage is the last page a list serves: beyond it (20 000 000 rows deep) a request is
// refused rather than turned into an offset PostgreSQL cannot take.
const MaxPage = 1_000_000

// msgBadValue is an identifier that cannot be one.
const msgBadValue = "nilai tidak valid"

// cleanKey checks an idempotency key: printable ASCII, at most MaxKey characters ("" is
// no key).
func cleanKey(key string) (string, error) {
	key = strings.TrimSpace(key)
	if len(key) > MaxKey {
		return "", invalid(map[string]string{"Idempotency-Key": "terlalu panjang (maksimal 200 karakter)"})
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return "", invalid(map[string]string{"Idempotency-Key": "hanya huruf, angka, dan tanda baca ASCII"})
		}
	}
	return key, nil
}

// checkID trims an identifier (a pokja, a kecamatan, a category) and names it in fields
// when it holds what no identifier does: invalid UTF-8, control characters, or more than
// 100 characters.
func checkID(fields map[string]string, name, v string) string {
	v = strings.TrimSpace(v)
	if !plainText(v) || utf8.RuneCountInString(v) > 100 {
		fields[name] = msgBadValue
	}
	return v
}

// plainText reports valid UTF-8 without control characters.
func plainText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return false
		}
	}
	return true
}

// checkPage names a page beyond MaxPage in fields and returns the page (1 at least).
func checkPage(fields map[string]string, page int) int {
	if page > MaxPage {
		fields["page"] = "terlalu besar"
	}
	return max(page, 1)
}

// maxProviderID bounds a provider's message or media id (WhatsApp's wamid is about 60
// characters; a gateway's a few dozen).
const maxProviderID = 256

// providerID checks a provider's id: printable ASCII, at most maxProviderID bytes. A
// signed delivery with anything else is malformed (400), never a 503 from PostgreSQL.
func providerID(field, id string) (string, error) {
	id = strings.TrimSpace(id)
	if id == "" || len(id) > maxProviderID {
		return "", invalid(map[string]string{field: msgBadValue})
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return "", invalid(map[string]string{field: msgBadValue})
		}
	}
	return id, nil
}

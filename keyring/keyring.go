// Package keyring holds Aduan's encryption keys (ADUAN_PAYLOAD_KEYS) and seals data with
// them: AES-256-GCM, each sealed value naming the key it was sealed with, so keys can
// rotate. New data is sealed with the current key; data sealed with any key still in the
// ring opens. The Temporal payload codec (package payloadcodec) and the staff's TOTP
// secrets at rest (package store) both use it. It imports nothing of ours.
//
// The ring's text form, the value of ADUAN_PAYLOAD_KEYS, is a comma-separated list of
// id:key, each key 32 random bytes in base64, the current one marked with a leading "*":
//
//	*k2:3q2+7w...=,k1:q83vEjRW...=
//
// A ring of one key needs no mark. Ids are 1 to 32 letters, digits, "-" or "_"; they are
// written beside every sealed value, so an id is never reused for another key.
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the size of a key: AES-256.
const KeySize = 32

// Ring is a set of keys by id, one of them current. Safe for concurrent use.
type Ring struct {
	current string
	ids     []string // in the order given
	aeads   map[string]cipher.AEAD
}

// ErrUnknownKey is returned by Open for data sealed with a key that is not in the ring.
var ErrUnknownKey = errors.New("key not in ADUAN_PAYLOAD_KEYS")

// ErrOpen is returned by Open when the data does not authenticate under its key: altered,
// truncated, sealed for another purpose, or the id names a different key than sealed it.
var ErrOpen = errors.New("sealed data does not authenticate")

// Parse reads a ring from its text form. Its errors name the entry at fault (by position
// and id) but never show a key.
func Parse(spec string) (*Ring, error) {
	r := &Ring{aeads: map[string]cipher.AEAD{}}
	marked := 0
	for i, entry := range strings.Split(spec, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		n := i + 1
		current := strings.HasPrefix(entry, "*")
		entry = strings.TrimPrefix(entry, "*")
		id, b64, ok := strings.Cut(entry, ":")
		id, b64 = strings.TrimSpace(id), strings.TrimSpace(b64)
		if !ok || b64 == "" {
			return nil, fmt.Errorf("entry %d is not id:base64-key", n)
		}
		if !validID(id) {
			return nil, fmt.Errorf("entry %d: key id %q is not 1 to 32 letters, digits, - or _", n, id)
		}
		if _, dup := r.aeads[id]; dup {
			return nil, fmt.Errorf("key id %q is given twice", id)
		}
		key, err := decodeKey(b64)
		if err != nil {
			return nil, fmt.Errorf("key %q: %v", id, err)
		}
		aead, err := newAEAD(key)
		if err != nil {
			return nil, fmt.Errorf("key %q: %v", id, err)
		}
		r.aeads[id] = aead
		r.ids = append(r.ids, id)
		if current {
			marked++
			r.current = id
		}
	}
	switch {
	case len(r.ids) == 0:
		return nil, errors.New("no key (the form is *id:base64-key,id:base64-key)")
	case marked > 1:
		return nil, errors.New("more than one key is marked current with *")
	case marked == 0 && len(r.ids) > 1:
		return nil, errors.New("no key is marked current: put * before the id of the one new data is sealed with")
	case marked == 0:
		r.current = r.ids[0]
	}
	return r, nil
}

// decodeKey reads a key in base64, standard or URL-safe, padded or not.
func decodeKey(s string) ([]byte, error) {
	var key []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err = enc.DecodeString(s); err == nil {
			break
		}
	}
	if err != nil {
		return nil, errors.New("not base64")
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("%d bytes, want %d (make one with: openssl rand -base64 32)", len(key), KeySize)
	}
	return key, nil
}

func validID(id string) bool {
	if id == "" || len(id) > 32 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Current is the id of the key new data is sealed with.
func (r *Ring) Current() string { return r.current }

// IDs are the ids of every key, in the order given.
func (r *Ring) IDs() []string { return append([]string(nil), r.ids...) }

// Has says whether the ring holds a key of that id.
func (r *Ring) Has(id string) bool {
	_, ok := r.aeads[id]
	return ok
}

// Seal encrypts plaintext with the current key and a fresh random nonce. purpose is
// authenticated but not stored: Open must be given the same, so a value sealed for one
// purpose (a payload, one user's TOTP secret) cannot be passed off as another. It returns
// the key's id and nonce||ciphertext.
func (r *Ring) Seal(plaintext []byte, purpose string) (keyID string, sealed []byte, err error) {
	aead := r.aeads[r.current]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", nil, err
	}
	return r.current, aead.Seal(nonce, nonce, plaintext, []byte(purpose)), nil
}

// Open decrypts what Seal returned, with the key of keyID: ErrUnknownKey when the ring no
// longer holds it, ErrOpen when the data does not authenticate.
func (r *Ring) Open(keyID string, sealed []byte, purpose string) ([]byte, error) {
	aead, ok := r.aeads[keyID]
	if !ok {
		return nil, fmt.Errorf("key %q: %w", keyID, ErrUnknownKey)
	}
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, fmt.Errorf("key %q: %w (too short)", keyID, ErrOpen)
	}
	n := aead.NonceSize()
	plain, err := aead.Open(nil, sealed[:n], sealed[n:], []byte(purpose))
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", keyID, ErrOpen)
	}
	return plain, nil
}

// NewKey is a new random key in the ring's text form, "id:base64" (the demo's, the
// tests' and the benchmark's rings).
func NewKey(id string) string {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return id + ":" + base64.StdEncoding.EncodeToString(key)
}

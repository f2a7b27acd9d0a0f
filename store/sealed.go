package store

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"aduan/keyring"
)

// Secrets at rest. A staff user's TOTP secret (and the one a session is enrolling) is
// stored sealed with the key ring of ADUAN_PAYLOAD_KEYS, as
//
//	sealed:v1:<key id>:<base64url of nonce||ciphertext>
//
// A value without that prefix is one stored before the keys (a base32 secret never holds a
// colon): it is still read, and accounts seals it again at the user's next login, as it
// does a value sealed with a key that is no longer the current one.

const sealedPrefix = "sealed:v1:"

// ErrNoKeys is a sealed secret read by a process without ADUAN_PAYLOAD_KEYS.
var ErrNoKeys = errors.New("a sealed secret needs ADUAN_PAYLOAD_KEYS")

// UseKeys makes db seal the TOTP secrets it stores with ring, and open those it reads.
// Call it once, right after Open, before the handle is shared.
func (db *DB) UseKeys(ring *keyring.Ring) { db.keys = ring }

// seal is what is stored for secret: sealed when db has keys, else secret as it is. purpose
// binds the value to its row (keyring.Seal), so it cannot be copied to another user's.
func (db *DB) seal(secret, purpose string) (string, error) {
	if secret == "" || db.keys == nil {
		return secret, nil
	}
	id, sealed, err := db.keys.Seal([]byte(secret), purpose)
	if err != nil {
		return "", err
	}
	return sealedPrefix + id + ":" + base64.RawURLEncoding.EncodeToString(sealed), nil
}

// open reads a stored value: the secret, and whether it should be sealed again (stored
// plain, or with a key other than the current one, while db has keys).
func (db *DB) open(stored, purpose string) (secret string, stale bool, err error) {
	rest, isSealed := strings.CutPrefix(stored, sealedPrefix)
	if !isSealed {
		return stored, stored != "" && db.keys != nil, nil
	}
	if db.keys == nil {
		return "", false, ErrNoKeys
	}
	id, b64, _ := strings.Cut(rest, ":")
	raw, err := base64.RawURLEncoding.DecodeString(b64)
	if err != nil {
		return "", false, fmt.Errorf("sealed secret of key %q: not base64", id)
	}
	plain, err := db.keys.Open(id, raw, purpose)
	if err != nil {
		return "", false, err
	}
	return string(plain), id != db.keys.Current(), nil
}

// Purposes of the sealed secrets (see keyring.Seal).
func totpPurpose(username string) string      { return "aduan/totp/" + username }
func pendingTOTPPurpose(idHash string) string { return "aduan/totp-pending/" + idHash }

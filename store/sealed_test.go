package store

import (
	"errors"
	"strings"
	"testing"

	"aduan/keyring"
)

const (
	sealKey1 = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	sealKey2 = "k2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
	// secret is a TOTP secret as accounts makes them (base32).
	secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

func withKeys(t *testing.T, spec string) *DB {
	t.Helper()
	db := &DB{}
	if spec != "" {
		r, err := keyring.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		db.UseKeys(r)
	}
	return db
}

// TestSealedSecret: with keys, a secret is stored sealed under the current key and reads
// back; bound to its purpose (its user).
func TestSealedSecret(t *testing.T) {
	db := withKeys(t, sealKey1)
	stored, err := db.seal(secret, totpPurpose("admin"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "sealed:v1:k1:") || strings.Contains(stored, secret) {
		t.Fatalf("stored %q", stored)
	}
	got, stale, err := db.open(stored, totpPurpose("admin"))
	if err != nil || got != secret || stale {
		t.Errorf("open: %q stale=%v %v", got, stale, err)
	}
	if _, _, err := db.open(stored, totpPurpose("supervisor")); !errors.Is(err, keyring.ErrOpen) {
		t.Errorf("another user's row: %v, want ErrOpen", err)
	}
	if empty, _ := db.seal("", totpPurpose("admin")); empty != "" {
		t.Errorf("no secret stored as %q", empty)
	}
}

// TestStaleSecrets: a secret stored before the keys, or sealed with a key that is no longer
// current, reads and is marked stale (to be sealed again); without keys, a plain one reads
// and a sealed one is an error.
func TestStaleSecrets(t *testing.T) {
	old, _ := withKeys(t, sealKey1).seal(secret, totpPurpose("admin"))
	rotated := withKeys(t, "*"+sealKey2+","+sealKey1)
	for name, stored := range map[string]string{"plain": secret, "old key": old} {
		got, stale, err := rotated.open(stored, totpPurpose("admin"))
		if err != nil || got != secret || !stale {
			t.Errorf("%s: %q stale=%v %v", name, got, stale, err)
		}
	}
	none := withKeys(t, "")
	if got, stale, err := none.open(secret, totpPurpose("admin")); err != nil || got != secret || stale {
		t.Errorf("no keys, plain: %q stale=%v %v", got, stale, err)
	}
	if _, _, err := none.open(old, totpPurpose("admin")); !errors.Is(err, ErrNoKeys) {
		t.Errorf("no keys, sealed: %v, want ErrNoKeys", err)
	}
	if stored, _ := none.seal(secret, totpPurpose("admin")); stored != secret {
		t.Errorf("no keys: stored %q", stored)
	}
	if _, _, err := withKeys(t, sealKey2).open(old, totpPurpose("admin")); !errors.Is(err, keyring.ErrUnknownKey) {
		t.Errorf("k1 retired: %v, want ErrUnknownKey", err)
	}
}

package e2e

import (
	"context"
	"strings"
	"testing"

	"aduan/accounts"
	"aduan/domain"
	"aduan/keyring"
	"aduan/store"
)

// storedTOTP is a user's totp_secret column as PostgreSQL holds it.
func storedTOTP(t *testing.T, username string) string {
	t.Helper()
	var s string
	if err := testDB.GetContext(context.Background(), &s, `SELECT COALESCE(totp_secret, '') FROM staff WHERE username = $1`,
		username); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTOTPSecretsSealedAtRest: a TOTP secret stored before the keys (plain) still works and
// is sealed with the current key at its first use; after a rotation it is sealed again
// with the new key at the next login; a process whose ring lost that key answers
// "unavailable", never "wrong code". An enrolment keeps its pending secret sealed too.
func TestTOTPSecretsSealedAtRest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const password = "kata-sandi-rahasia-1"
	user := newStaffUser(t, "totp", domain.RoleSupervisor, password)
	secret, err := accounts.NewTOTPSecret(user)
	if err != nil {
		t.Fatal(err)
	}
	// Written as the releases before the keys did.
	if _, err := testDB.ExecContext(ctx, `UPDATE staff SET totp_secret = $2 WHERE username = $1`, user, secret); err != nil {
		t.Fatal(err)
	}
	// Each login spends a new TOTP step (a code works once): two are at hand without a wait.
	login := func(db *store.DB, code string) error {
		_, _, err := accounts.New(db, accounts.Config{}).Login(ctx, user, password, code, "192.0.2.77", "")
		return err
	}
	if err := login(testDB, otpCode(t, user, secret)); err != nil {
		t.Fatalf("login with a plain secret: %v", err)
	}
	stored := storedTOTP(t, user)
	if !strings.HasPrefix(stored, "sealed:v1:"+e2eRing.Current()+":") || strings.Contains(stored, secret) {
		t.Fatalf("after the first login the secret is stored as %q", stored)
	}

	// A new current key: the next login reads the secret sealed with the old one, and seals
	// it with the new one.
	rotated := &store.DB{DB: testDB.DB}
	rotated.UseKeys(mustRing("*rot-3:" + strings.TrimPrefix(keyring.NewKey("x"), "x:") + "," + strings.ReplaceAll(e2eKeys, "*", "")))
	if err := login(rotated, otpCode(t, user, secret)); err != nil {
		t.Fatalf("login after the rotation: %v", err)
	}
	if stored := storedTOTP(t, user); !strings.HasPrefix(stored, "sealed:v1:rot-3:") {
		t.Errorf("after the rotation the secret is stored as %q", stored)
	}
	// The old ring does not hold rot-3: the secret cannot be read (before any code is checked).
	if err := login(testDB, "000000"); accounts.KindOf(err) != accounts.KindUnavailable {
		t.Errorf("login without the key: %v, want unavailable", err)
	}

	// Enrolment: the secret being enrolled is sealed in the session's row, and opens again
	// on the session's next request.
	novice := newStaffUser(t, "totp-baru", domain.RoleSupervisor, password)
	acc := accounts.New(testDB, accounts.Config{})
	id, sess, err := acc.Login(ctx, novice, password, "", "192.0.2.78", "")
	if err != nil || !sess.EnrolOnly {
		t.Fatalf("first login of %s: enrol only %v, %v", novice, sess.EnrolOnly, err)
	}
	e, err := acc.BeginEnrol(ctx, &sess)
	if err != nil {
		t.Fatal(err)
	}
	var pending string
	if err := testDB.GetContext(ctx, &pending, `SELECT pending_totp FROM staff_sessions WHERE username = $1`, novice); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(pending, "sealed:v1:") || strings.Contains(pending, e.Secret) {
		t.Errorf("the pending secret is stored as %q", pending)
	}
	again, err := acc.Session(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if e2, err := acc.BeginEnrol(ctx, &again); err != nil || e2.Secret != e.Secret {
		t.Fatalf("the pending secret did not read back: %v", err)
	}
	if _, err := acc.FinishEnrol(ctx, &again, otpCode(t, novice, e.Secret)); err != nil {
		t.Fatalf("finish enrolment: %v", err)
	}
	if stored := storedTOTP(t, novice); !strings.HasPrefix(stored, "sealed:v1:") || strings.Contains(stored, e.Secret) {
		t.Errorf("the enrolled secret is stored as %q", stored)
	}
}

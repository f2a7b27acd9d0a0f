package accounts

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"aduan/store"
)

// fast keeps the tests quick; the format and the check are the same.
var fast = Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("rahasia-sekali-123", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "rahasia") {
		t.Fatalf("the hash holds the password: %s", h)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("parameters not stored with the hash: %s", h)
	}
	p, salt, key, err := ParseHash(h)
	if err != nil || p.Memory != 19456 || p.Time != 2 || p.Threads != 1 || len(salt) != 16 || len(key) != 32 {
		t.Errorf("parse: %+v %d %d %v", p, len(salt), len(key), err)
	}
	if !CheckPassword(h, "rahasia-sekali-123") {
		t.Error("the right password fails")
	}
	for _, wrong := range []string{"rahasia-sekali-124", "", "Rahasia-sekali-123", h} {
		if CheckPassword(h, wrong) {
			t.Errorf("wrong password %q passes", wrong)
		}
	}
	h2, _ := HashPassword("rahasia-sekali-123", DefaultParams)
	if h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	// A hash made with other parameters still checks (they are read from the hash).
	h3, _ := HashPassword("lain-lagi-456", fast)
	if !strings.Contains(h3, "m=1024,t=1,p=1") || !CheckPassword(h3, "lain-lagi-456") || CheckPassword(h3, "lain-lagi-457") {
		t.Errorf("fast hash %s", h3)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=0,t=1,p=1$AAAA$AAAA"} {
		if CheckPassword(bad, "") || CheckPassword(bad, "plain") {
			t.Errorf("unreadable hash %q matches", bad)
		}
	}
}

func TestNewPassword(t *testing.T) {
	if f := CheckNewPassword("pendek", "pendek"); f["password"] == "" {
		t.Error("a 6-character password is accepted")
	}
	if f := CheckNewPassword("cukup-panjang", "cukup-panjanG"); f["confirm"] == "" {
		t.Error("a different confirmation is accepted")
	}
	if f := CheckNewPassword("sepuluh-ok", "sepuluh-ok"); f != nil {
		t.Errorf("10 characters refused: %v", f)
	}
}

func TestTOTP(t *testing.T) {
	// RFC 6238's SHA-1 test secret ("12345678901234567890"), base32.
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	at := time.Unix(1111111109, 0) // RFC 6238 appendix B: 07081804 (8 digits), so 081804
	step, ok := VerifyTOTP(secret, "081804", at, 0)
	if !ok || step != 1111111109/30 {
		t.Fatalf("RFC vector: step %d ok %v", step, ok)
	}
	if _, ok := VerifyTOTP(secret, "081804", at, step); ok {
		t.Error("a code works twice")
	}
	if _, ok := VerifyTOTP(secret, "081805", at, 0); ok {
		t.Error("a wrong code passes")
	}
	// One step of skew either way, not two.
	if _, ok := VerifyTOTP(secret, "081804", at.Add(30*time.Second), 0); !ok {
		t.Error("the previous step's code is refused")
	}
	if _, ok := VerifyTOTP(secret, "081804", at.Add(90*time.Second), 0); ok {
		t.Error("a code three steps old passes")
	}
	if _, ok := VerifyTOTP(secret, "081 804", at, 0); !ok {
		t.Error("spaces in the code are not ignored")
	}
	code, err := TOTPCode(secret, at)
	if err != nil || code != "081804" {
		t.Errorf("TOTPCode %q %v", code, err)
	}
	e, err := enrolment("admin", secret)
	if err != nil || !strings.HasPrefix(e.QR, "data:image/png;base64,") || !strings.Contains(e.URL, "secret="+secret) {
		t.Errorf("enrolment %v %.60s %s", err, e.QR, e.URL)
	}
}

func TestLockout(t *testing.T) {
	l := Limit{Max: 10, Lock: 15 * time.Minute}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var th store.Throttle
	for i := 1; i <= 9; i++ {
		th = l.Fail(th, now.Add(time.Duration(i)*time.Second))
		if _, locked := l.Locked(th, now.Add(time.Duration(i)*time.Second)); locked {
			t.Fatalf("locked after %d failures", i)
		}
	}
	th = l.Fail(th, now.Add(10*time.Second))
	until, locked := l.Locked(th, now.Add(10*time.Second))
	if !locked || !until.Equal(now.Add(10*time.Second+15*time.Minute)) {
		t.Fatalf("not locked after 10 failures: %+v", th)
	}
	if _, locked := l.Locked(th, now.Add(14*time.Minute)); !locked {
		t.Error("unlocked before 15 minutes")
	}
	later := now.Add(10*time.Second + 15*time.Minute)
	if _, locked := l.Locked(th, later); locked {
		t.Error("still locked after 15 minutes")
	}
	// After the lock the count starts again: one failure does not lock again.
	th = l.Fail(th, later)
	if _, locked := l.Locked(th, later); locked || th.Failures != 1 {
		t.Errorf("after the lock: %+v", th)
	}

	// Per address: 30 in a 15-minute window; an older window is forgotten.
	a := Limit{Max: 30, Window: 15 * time.Minute, Lock: 15 * time.Minute}
	var at store.Throttle
	for i := 0; i < 29; i++ {
		at = a.Fail(at, now)
	}
	at = a.Fail(at, now.Add(16*time.Minute))
	if at.Failures != 1 || at.LockedUntil.Valid {
		t.Errorf("window not restarted: %+v", at)
	}
}

func TestInviteExpiry(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	inv := store.Invite{Username: "budi", CreatedAt: now, ExpiresAt: now.Add(72 * time.Hour)}
	if !InviteUsable(inv, now.Add(71*time.Hour)) {
		t.Error("a 71-hour-old invite is refused")
	}
	if InviteUsable(inv, now.Add(72*time.Hour)) || InviteUsable(inv, now.Add(100*time.Hour)) {
		t.Error("an expired invite is usable")
	}
	inv.UsedAt = sql.NullTime{Time: now.Add(time.Hour), Valid: true}
	if InviteUsable(inv, now.Add(2*time.Hour)) {
		t.Error("a used invite is usable")
	}
}

func TestSessionLive(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s := store.StaffSession{CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(7 * 24 * time.Hour)}
	if !SessionLive(s, now.Add(7*time.Hour), 8*time.Hour) || SessionLive(s, now.Add(8*time.Hour), 8*time.Hour) {
		t.Error("idle expiry")
	}
	s.LastSeenAt = now.Add(7*24*time.Hour - time.Minute)
	if SessionLive(s, now.Add(7*24*time.Hour), 8*time.Hour) {
		t.Error("absolute expiry")
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, hashes := newRecoveryCodes()
	if len(codes) != 8 || len(hashes) != 8 {
		t.Fatal(len(codes))
	}
	for i, c := range codes {
		if len(c) != 11 || c[5] != '-' || hash(normaliseRecovery(strings.ToUpper(c))) != hashes[i] || strings.Contains(hashes[i], c[:5]) {
			t.Errorf("code %q hash %q", c, hashes[i])
		}
	}
}

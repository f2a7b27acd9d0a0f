// Package accounts is how staff sign in to the pages under /staf: passwords (argon2id),
// one-time invites to set one, two-factor TOTP with recovery codes, server-side sessions,
// the throttle of failed logins, and ending a user's access (deactivation, revoking
// tokens). It knows nothing of HTTP: the door (api/staffpages) hands it what the form
// said and turns its *Error into a page. Only hashes of session ids, invite tokens,
// recovery codes and bearer tokens are stored.
package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"aduan/domain"
	"aduan/store"
)

// Config sets the lifetimes and limits; a zero field takes its default.
type Config struct {
	// Now is the clock (time.Now).
	Now func() time.Time
	// IdleTimeout ends a session unused this long (8 h); MaxAge ends any session this
	// long after login (7 days).
	IdleTimeout, MaxAge time.Duration
	// InviteTTL is how long an invite link works (72 h).
	InviteTTL time.Duration
	// UserLimit throttles failed logins per username (10 in a row, then 15 minutes
	// locked); AddrLimit per client address (30 in 15 minutes, then locked for 15).
	UserLimit, AddrLimit Limit
	// Params are argon2id's costs for new hashes (DefaultParams).
	Params Params
}

// Service is the accounts use cases over PostgreSQL.
type Service struct {
	db  *store.DB
	cfg Config
}

// New makes the service, filling cfg's defaults.
func New(db *store.DB, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 8 * time.Hour
	}
	if cfg.MaxAge == 0 {
		cfg.MaxAge = 7 * 24 * time.Hour
	}
	if cfg.InviteTTL == 0 {
		cfg.InviteTTL = 72 * time.Hour
	}
	if cfg.UserLimit.Max == 0 {
		cfg.UserLimit = Limit{Max: 10, Lock: 15 * time.Minute}
	}
	if cfg.AddrLimit.Max == 0 {
		cfg.AddrLimit = Limit{Max: 30, Window: 15 * time.Minute, Lock: 15 * time.Minute}
	}
	if cfg.Params.Memory == 0 {
		cfg.Params = DefaultParams
	}
	return &Service{db: db, cfg: cfg}
}

// User is who a session belongs to.
type User struct {
	Username string
	Name     string
	Role     domain.Role
	Pokja    string
	Partner  string
}

// Session is a signed-in browser.
type Session struct {
	User
	// CSRF is the token every form of this session carries.
	CSRF string
	// EnrolOnly: an admin or supervisor who still has to enrol 2FA; the session opens
	// the enrolment page and nothing else.
	EnrolOnly bool
	// HasTOTP says whether the user has enrolled 2FA.
	HasTOTP bool
	// CreatedAt is when the user logged in.
	CreatedAt time.Time

	idHash      string
	pendingTOTP string
}

// NeedsTOTP says whether a role must use two-factor login.
func NeedsTOTP(r domain.Role) bool { return r == domain.RoleAdmin || r == domain.RoleSupervisor }

// RandomToken is 32 random bytes, base64url: session ids, CSRF tokens, invite tokens.
func RandomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func hash(s string) string { return store.HashToken(s) }

// Login checks username, password and (when the user has 2FA) otp, a TOTP code or a
// recovery code, from the client address addr, and starts a new session; previous, the
// session id the browser had (if any), is ended, so the id is new at every login. It
// returns the new session's id for the cookie. A wrong username or password are the same
// KindBadCredentials; failures are counted per username and per address (KindLocked).
func (s *Service) Login(ctx context.Context, username, password, otp, addr, previous string) (string, Session, error) {
	username = strings.TrimSpace(username)
	now := s.cfg.Now()
	userKey, addrKey := "user:"+strings.ToLower(username), "addr:"+addr
	ut, err := s.db.ThrottleOf(ctx, userKey)
	if err != nil {
		return "", Session{}, unavailable(err)
	}
	at, err := s.db.ThrottleOf(ctx, addrKey)
	if err != nil {
		return "", Session{}, unavailable(err)
	}
	if until, locked := s.cfg.UserLimit.Locked(ut, now); locked {
		slog.Warn("staff login refused: username locked", "username", username, "addr", addr, "until", until)
		return "", Session{}, &Error{Kind: KindLocked, Message: msgLocked, RetryAfter: until.Sub(now)}
	}
	if until, locked := s.cfg.AddrLimit.Locked(at, now); locked {
		slog.Warn("staff login refused: address locked", "username", username, "addr", addr, "until", until)
		return "", Session{}, &Error{Kind: KindLocked, Message: msgLocked, RetryAfter: until.Sub(now)}
	}
	fail := func(reason string, e *Error) (string, Session, error) {
		// Counted by PostgreSQL in one statement (Limit.Fail's rule): failures at the same
		// moment, on this API process or another, are each counted.
		var err error
		u, a := s.cfg.UserLimit, s.cfg.AddrLimit
		if ut, err = s.db.FailThrottle(ctx, userKey, now, u.Max, u.Window, u.Lock); err != nil {
			return "", Session{}, unavailable(err)
		}
		if at, err = s.db.FailThrottle(ctx, addrKey, now, a.Max, a.Window, a.Lock); err != nil {
			return "", Session{}, unavailable(err)
		}
		slog.Warn("staff login failed", "username", username, "addr", addr, "reason", reason,
			"failures", ut.Failures, "addr_failures", at.Failures)
		return "", Session{}, e
	}
	bad := &Error{Kind: KindBadCredentials, Message: msgBadCredentials}

	creds, err := s.db.CredentialsOf(ctx, username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", Session{}, unavailable(err)
	}
	if err != nil || creds.PasswordHash == "" || !creds.Active || username == "" {
		CheckPassword(dummyHash, password) // as long as a real check
		return fail("unknown user, no password or deactivated", bad)
	}
	if !CheckPassword(creds.PasswordHash, password) {
		return fail("wrong password", bad)
	}
	if creds.TOTPSecret != "" {
		if strings.TrimSpace(otp) == "" {
			slog.Info("staff login: password right, 2FA code asked", "username", username)
			return "", Session{}, &Error{Kind: KindTOTPRequired, Message: msgTOTP}
		}
		ok, err := s.secondFactor(ctx, creds, otp, now)
		if err != nil {
			return "", Session{}, unavailable(err)
		}
		if !ok {
			return fail("wrong 2FA code", &Error{Kind: KindTOTPRequired, Message: "Kode 2FA salah. " + msgTOTP})
		}
		// A secret stored before the keys (or under an old key) is sealed with the
		// current key now that it has been used; a failure here does not refuse the login.
		if creds.TOTPStale {
			if err := s.db.ResealTOTP(ctx, creds); err != nil {
				slog.Warn("staff login: sealing the TOTP secret again failed", "username", creds.Username, "err", err)
			}
		}
	}
	if err := s.db.SaveThrottle(ctx, userKey, store.Throttle{}); err != nil {
		return "", Session{}, unavailable(err)
	}
	if previous != "" {
		if err := s.db.DeleteSession(ctx, hash(previous)); err != nil {
			return "", Session{}, unavailable(err)
		}
	}
	id := RandomToken()
	row := store.StaffSession{IDHash: hash(id), Username: creds.Username, CSRFToken: RandomToken(),
		EnrolOnly: creds.TOTPSecret == "" && NeedsTOTP(creds.Role), CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.cfg.MaxAge)}
	if err := s.db.CreateSession(ctx, row); err != nil {
		return "", Session{}, unavailable(err)
	}
	if err := s.db.DeleteExpiredSessions(ctx, now, s.cfg.IdleTimeout); err != nil {
		slog.Warn("staff login: removing ended sessions failed", "err", err)
	}
	slog.Info("staff login", "username", creds.Username, "addr", addr, "enrol_only", row.EnrolOnly)
	return id, sessionOf(row, creds.Staff, creds.TOTPSecret != ""), nil
}

// secondFactor checks a TOTP code (once per step) or spends a recovery code.
func (s *Service) secondFactor(ctx context.Context, creds store.Credentials, code string, now time.Time) (bool, error) {
	if step, ok := VerifyTOTP(creds.TOTPSecret, code, now, creds.TOTPLastStep); ok {
		return s.db.UseTOTPStep(ctx, creds.Username, step)
	}
	norm := normaliseRecovery(code)
	if len(norm) != recoveryLen {
		return false, nil
	}
	return s.db.UseRecoveryCode(ctx, creds.Username, hash(norm))
}

func sessionOf(row store.StaffSession, st store.Staff, hasTOTP bool) Session {
	return Session{User: User{Username: st.Username, Name: st.Name, Role: st.Role, Pokja: st.PokjaID.String,
		Partner: st.PartnerID.String}, CSRF: row.CSRFToken, EnrolOnly: row.EnrolOnly, HasTOTP: hasTOTP,
		CreatedAt: row.CreatedAt, idHash: row.IDHash, pendingTOTP: row.PendingTOTP.String}
}

// Session finds the live session of id: KindNotFound when there is none, it has been idle
// for IdleTimeout, it is older than MaxAge, or its user is deactivated.
func (s *Service) Session(ctx context.Context, id string) (Session, error) {
	if id == "" {
		return Session{}, &Error{Kind: KindNotFound, Message: "Sesi tidak ditemukan."}
	}
	row, err := s.db.SessionByHash(ctx, hash(id))
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, &Error{Kind: KindNotFound, Message: "Sesi tidak ditemukan."}
	}
	if err != nil {
		return Session{}, unavailable(err)
	}
	now := s.cfg.Now()
	if !SessionLive(row.StaffSession, now, s.cfg.IdleTimeout) {
		if err := s.db.DeleteSession(ctx, row.IDHash); err != nil {
			return Session{}, unavailable(err)
		}
		return Session{}, &Error{Kind: KindNotFound, Message: "Sesi sudah berakhir."}
	}
	if now.Sub(row.LastSeenAt) >= time.Minute {
		if err := s.db.TouchSession(ctx, row.IDHash, now); err != nil {
			return Session{}, unavailable(err)
		}
	}
	return sessionOf(row.StaffSession, row.Staff, row.HasTOTP), nil
}

// SessionLive says whether a session still works at now: used within idle, and before its
// absolute expiry.
func SessionLive(row store.StaffSession, now time.Time, idle time.Duration) bool {
	return now.Before(row.ExpiresAt) && now.Sub(row.LastSeenAt) < idle
}

// Logout ends the session of id (nothing when there is none).
func (s *Service) Logout(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	if err := s.db.DeleteSession(ctx, hash(id)); err != nil {
		return unavailable(err)
	}
	return nil
}

// BeginEnrol gives the secret a session is enrolling (made and kept with the session on
// the first call) with its QR code.
func (s *Service) BeginEnrol(ctx context.Context, sess *Session) (Enrolment, error) {
	if sess.pendingTOTP == "" {
		secret, err := NewTOTPSecret(sess.Username)
		if err != nil {
			return Enrolment{}, unavailable(err)
		}
		if err := s.db.SetSessionPendingTOTP(ctx, sess.idHash, secret); err != nil {
			return Enrolment{}, unavailable(err)
		}
		sess.pendingTOTP = secret
	}
	e, err := enrolment(sess.Username, sess.pendingTOTP)
	if err != nil {
		return Enrolment{}, unavailable(err)
	}
	return e, nil
}

// RecoveryCodes is how many one-time recovery codes an enrolment gives.
const RecoveryCodes = 8

// FinishEnrol checks a code of the secret being enrolled, then stores the secret with
// RecoveryCodes new recovery codes (returned once, stored hashed) and makes the session a
// full one.
func (s *Service) FinishEnrol(ctx context.Context, sess *Session, code string) ([]string, error) {
	if sess.pendingTOTP == "" {
		return nil, &Error{Kind: KindInvalid, Message: "Muat ulang halaman ini untuk mendapat kode QR baru.",
			Fields: map[string]string{"otp": "Kode QR sudah tidak berlaku."}}
	}
	step, ok := VerifyTOTP(sess.pendingTOTP, code, s.cfg.Now(), 0)
	if !ok {
		return nil, &Error{Kind: KindInvalid, Message: "Kode tidak cocok.",
			Fields: map[string]string{"otp": "Kode tidak cocok. Periksa jam ponsel Anda dan masukkan kode yang sedang tampil."}}
	}
	codes, hashes := newRecoveryCodes()
	if err := s.db.CompleteEnrolment(ctx, sess.idHash, sess.Username, sess.pendingTOTP, step, hashes); err != nil {
		return nil, unavailable(err)
	}
	slog.Info("staff 2FA enrolled", "username", sess.Username)
	sess.EnrolOnly, sess.HasTOTP, sess.pendingTOTP = false, true, ""
	return codes, nil
}

const recoveryLen = 10

var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

func newRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodes {
		var b [7]byte
		if _, err := rand.Read(b[:]); err != nil {
			panic(err)
		}
		c := strings.ToLower(recoveryEncoding.EncodeToString(b[:]))[:recoveryLen]
		codes = append(codes, c[:5]+"-"+c[5:])
		hashes = append(hashes, hash(c))
	}
	return codes, hashes
}

func normaliseRecovery(code string) string {
	code = strings.ToLower(code)
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, code)
}

// CheckNewPassword validates a password a user chooses.
func CheckNewPassword(password, confirm string) map[string]string {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLen:
		return map[string]string{"password": "Kata sandi paling sedikit 10 karakter."}
	case len(password) > 512:
		return map[string]string{"password": "Kata sandi terlalu panjang (paling banyak 512 karakter)."}
	case password != confirm:
		return map[string]string{"confirm": "Ulangi kata sandi yang sama persis."}
	}
	return nil
}

// SetPassword sets a user's password (the demo, an admin's command).
func (s *Service) SetPassword(ctx context.Context, username, password string) error {
	if f := CheckNewPassword(password, password); f != nil {
		return &Error{Kind: KindInvalid, Message: f["password"], Fields: f}
	}
	h, err := HashPassword(password, s.cfg.Params)
	if err != nil {
		return unavailable(err)
	}
	if err := s.db.SetPassword(ctx, username, h); errors.Is(err, store.ErrNotFound) {
		return &Error{Kind: KindNotFound, Message: "Pengguna tidak ditemukan."}
	} else if err != nil {
		return unavailable(err)
	}
	return nil
}

// SetTOTPSecret gives a user a TOTP secret without enrolment and without recovery codes
// (the demo's seeded users).
func (s *Service) SetTOTPSecret(ctx context.Context, username, secret string) error {
	if err := s.db.SetTOTP(ctx, username, secret, nil); err != nil {
		return unavailable(err)
	}
	return nil
}

// Credentials of a user (the demo checks whether the logins it wrote still work).
func (s *Service) Credentials(ctx context.Context, username string) (store.Credentials, error) {
	return s.db.CredentialsOf(ctx, username)
}

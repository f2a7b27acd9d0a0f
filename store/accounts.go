package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"aduan/domain"
)

// Credentials are what a login checks: the user, their password hash (PHC string, empty
// when they have none yet) and TOTP secret (empty when not enrolled; opened when stored
// sealed, see sealed.go).
type Credentials struct {
	Staff
	PasswordHash string `db:"password_hash"`
	TOTPSecret   string `db:"totp_secret"`
	TOTPLastStep int64  `db:"totp_last_step"`
	// TOTPStale says the secret is stored plain or sealed with an old key: ResealTOTP
	// seals it with the current one.
	TOTPStale bool `db:"-"`

	totpStored string // as stored, for ResealTOTP's check that it has not changed since
}

// CredentialsOf reads a user's credentials (ErrNotFound when there is no such user).
func (db *DB) CredentialsOf(ctx context.Context, username string) (Credentials, error) {
	var c Credentials
	err := db.GetContext(ctx, &c, `SELECT `+staffColumns+`, COALESCE(password_hash, '') AS password_hash,
			COALESCE(totp_secret, '') AS totp_secret, totp_last_step
		FROM staff WHERE username = $1`, username)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, err
	}
	c.totpStored = c.TOTPSecret
	if c.TOTPSecret, c.TOTPStale, err = db.open(c.totpStored, totpPurpose(username)); err != nil {
		return Credentials{}, fmt.Errorf("TOTP secret of %s: %w", username, err)
	}
	return c, nil
}

// ResealTOTP stores the TOTP secret of c sealed with the current key, unless it changed
// since c was read (the user enrolled again meanwhile).
func (db *DB) ResealTOTP(ctx context.Context, c Credentials) error {
	if c.totpStored == "" {
		return nil
	}
	sealed, err := db.seal(c.TOTPSecret, totpPurpose(c.Username))
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `UPDATE staff SET totp_secret = $3 WHERE username = $1 AND totp_secret = $2`,
		c.Username, c.totpStored, sealed)
	return err
}

// SetPassword stores a user's password hash.
func (db *DB) SetPassword(ctx context.Context, username, hash string) error {
	return affectOne(db.ExecContext(ctx, `UPDATE staff SET password_hash = $2 WHERE username = $1`, username, hash))
}

// SetTOTP stores a user's TOTP secret and replaces their recovery codes with
// recoveryHashes; an empty secret turns 2FA off.
func (db *DB) SetTOTP(ctx context.Context, username, secret string, recoveryHashes []string) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stored, err := db.seal(secret, totpPurpose(username))
	if err != nil {
		return err
	}
	if err := affectOne(tx.ExecContext(ctx, `UPDATE staff SET totp_secret = NULLIF($2, ''), totp_last_step = 0
		WHERE username = $1`, username, stored)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_recovery_codes WHERE username = $1`, username); err != nil {
		return err
	}
	for _, h := range recoveryHashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff_recovery_codes (username, code_hash) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, username, h); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// UseTOTPStep records that the TOTP code of step was used; false when that step (or a
// later one) was used already, so a code works once.
func (db *DB) UseTOTPStep(ctx context.Context, username string, step int64) (bool, error) {
	res, err := db.ExecContext(ctx, `UPDATE staff SET totp_last_step = $2 WHERE username = $1 AND totp_last_step < $2`,
		username, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseRecoveryCode spends one of a user's unused recovery codes; false when there is none
// with that hash.
func (db *DB) UseRecoveryCode(ctx context.Context, username, codeHash string) (bool, error) {
	res, err := db.ExecContext(ctx, `UPDATE staff_recovery_codes SET used_at = now()
		WHERE username = $1 AND code_hash = $2 AND used_at IS NULL`, username, codeHash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Throttle is the failed logins counted under one key.
type Throttle struct {
	Failures    int          `db:"failures"`
	Since       time.Time    `db:"since"`
	LockedUntil sql.NullTime `db:"locked_until"`
}

// ThrottleOf reads the failures counted under key (zero when none).
func (db *DB) ThrottleOf(ctx context.Context, key string) (Throttle, error) {
	var t Throttle
	err := db.GetContext(ctx, &t, `SELECT failures, since, locked_until FROM login_throttle WHERE key = $1`, key)
	if errors.Is(err, sql.ErrNoRows) {
		return Throttle{}, nil
	}
	return t, err
}

// SaveThrottle writes the failures counted under key; zero failures removes the row.
func (db *DB) SaveThrottle(ctx context.Context, key string, t Throttle) error {
	if t.Failures == 0 {
		_, err := db.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, key)
		return err
	}
	_, err := db.ExecContext(ctx, `INSERT INTO login_throttle (key, failures, since, locked_until) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO UPDATE SET failures = EXCLUDED.failures, since = EXCLUDED.since,
			locked_until = EXCLUDED.locked_until`, key, t.Failures, t.Since, t.LockedUntil)
	return err
}

// StaffSession is a browser's login. Only the hash of its id is stored.
type StaffSession struct {
	IDHash      string         `db:"id_hash"`
	Username    string         `db:"username"`
	CSRFToken   string         `db:"csrf_token"`
	EnrolOnly   bool           `db:"enrol_only"`
	PendingTOTP sql.NullString `db:"pending_totp"`
	CreatedAt   time.Time      `db:"created_at"`
	LastSeenAt  time.Time      `db:"last_seen_at"`
	ExpiresAt   time.Time      `db:"expires_at"`
}

// SessionWithStaff is a session and its user, with whether they have TOTP.
type SessionWithStaff struct {
	StaffSession
	Staff   Staff
	HasTOTP bool
}

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s StaffSession) error {
	pending, err := db.seal(s.PendingTOTP.String, pendingTOTPPurpose(s.IDHash))
	if err != nil {
		return err
	}
	s.PendingTOTP = nullable(pending)
	_, err = db.ExecContext(ctx, `INSERT INTO staff_sessions (id_hash, username, csrf_token, enrol_only, pending_totp,
			created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		s.IDHash, s.Username, s.CSRFToken, s.EnrolOnly, s.PendingTOTP, s.CreatedAt, s.LastSeenAt, s.ExpiresAt)
	return err
}

// SessionByHash finds a session of an active user (ErrNotFound otherwise; expiry is the
// caller's to check).
func (db *DB) SessionByHash(ctx context.Context, idHash string) (SessionWithStaff, error) {
	var row struct {
		StaffSession
		Name         string         `db:"name"`
		Role         string         `db:"role"`
		PokjaID      sql.NullString `db:"pokja_id"`
		PartnerID    sql.NullString `db:"partner_id"`
		Active       bool           `db:"active"`
		Email        sql.NullString `db:"email"`
		HeadOfOffice bool           `db:"head_of_office"`
		HasTOTP      bool           `db:"has_totp"`
	}
	err := db.GetContext(ctx, &row, `SELECT x.id_hash, x.username, x.csrf_token, x.enrol_only, x.pending_totp,
			x.created_at, x.last_seen_at, x.expires_at, s.name, s.role, s.pokja_id, s.partner_id, s.active, s.email,
			s.head_of_office, s.totp_secret IS NOT NULL AS has_totp
		FROM staff_sessions x JOIN staff s USING (username)
		WHERE x.id_hash = $1 AND s.active`, idHash)
	if errors.Is(err, sql.ErrNoRows) {
		return SessionWithStaff{}, ErrNotFound
	}
	if err != nil {
		return SessionWithStaff{}, err
	}
	// A pending secret that no longer opens (its key left the ring) is forgotten: the
	// enrolment page makes a new one.
	if pending, _, err := db.open(row.PendingTOTP.String, pendingTOTPPurpose(row.IDHash)); err == nil {
		row.PendingTOTP = nullable(pending)
	} else {
		row.PendingTOTP = sql.NullString{}
	}
	out := SessionWithStaff{StaffSession: row.StaffSession, HasTOTP: row.HasTOTP}
	out.Staff = Staff{Username: row.Username, Name: row.Name, PokjaID: row.PokjaID, PartnerID: row.PartnerID,
		Active: row.Active, Email: row.Email, HeadOfOffice: row.HeadOfOffice}
	out.Staff.Role = domain.Role(row.Role)
	return out, nil
}

// TouchSession records that a session was used at now.
func (db *DB) TouchSession(ctx context.Context, idHash string, now time.Time) error {
	_, err := db.ExecContext(ctx, `UPDATE staff_sessions SET last_seen_at = $2 WHERE id_hash = $1`, idHash, now)
	return err
}

// SetSessionPendingTOTP keeps the TOTP secret a session is enrolling.
func (db *DB) SetSessionPendingTOTP(ctx context.Context, idHash, secret string) error {
	stored, err := db.seal(secret, pendingTOTPPurpose(idHash))
	if err != nil {
		return err
	}
	return affectOne(db.ExecContext(ctx, `UPDATE staff_sessions SET pending_totp = $2 WHERE id_hash = $1`,
		idHash, nullable(stored)))
}

// CompleteEnrolment stores the TOTP secret a session enrolled and the recovery codes'
// hashes, and makes the session a full one, in one transaction.
func (db *DB) CompleteEnrolment(ctx context.Context, idHash, username, secret string, step int64, recoveryHashes []string) error {
	if err := db.SetTOTP(ctx, username, secret, recoveryHashes); err != nil {
		return err
	}
	if _, err := db.UseTOTPStep(ctx, username, step); err != nil {
		return err
	}
	return affectOne(db.ExecContext(ctx, `UPDATE staff_sessions SET enrol_only = false, pending_totp = NULL
		WHERE id_hash = $1`, idHash))
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	_, err := db.ExecContext(ctx, `DELETE FROM staff_sessions WHERE id_hash = $1`, idHash)
	return err
}

// DeleteExpiredSessions removes the sessions that ended before now (idle or absolute).
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) error {
	_, err := db.ExecContext(ctx, `DELETE FROM staff_sessions WHERE expires_at <= $1 OR last_seen_at <= $2`,
		now, now.Add(-idle))
	return err
}

// Invite is a one-time link to set a password.
type Invite struct {
	Username  string       `db:"username"`
	CreatedAt time.Time    `db:"created_at"`
	ExpiresAt time.Time    `db:"expires_at"`
	UsedAt    sql.NullTime `db:"used_at"`
}

// CreateInvite stores an invite (only its token's hash) and drops the user's unused ones.
func (db *DB) CreateInvite(ctx context.Context, tokenHash string, inv Invite) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_invites WHERE username = $1 AND used_at IS NULL`, inv.Username); err != nil {
		return err
	}
	if err := affectOne(tx.ExecContext(ctx, `INSERT INTO staff_invites (token_hash, username, created_at, expires_at)
		SELECT $1, username, $3, $4 FROM staff WHERE username = $2`, tokenHash, inv.Username, inv.CreatedAt, inv.ExpiresAt)); err != nil {
		return err
	}
	return tx.Commit()
}

// InviteByHash finds an invite of an active user (ErrNotFound otherwise).
func (db *DB) InviteByHash(ctx context.Context, tokenHash string) (Invite, error) {
	var inv Invite
	err := db.GetContext(ctx, &inv, `SELECT i.username, i.created_at, i.expires_at, i.used_at
		FROM staff_invites i JOIN staff s USING (username) WHERE i.token_hash = $1 AND s.active`, tokenHash)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, ErrNotFound
	}
	return inv, err
}

// UseInvite spends an invite that is unused and unexpired at now and sets the user's
// password, in one transaction (ErrNotFound when the invite cannot be used).
func (db *DB) UseInvite(ctx context.Context, tokenHash, passwordHash string, now time.Time) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var username string
	err = tx.GetContext(ctx, &username, `UPDATE staff_invites SET used_at = $2
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING username`, tokenHash, now)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if err := affectOne(tx.ExecContext(ctx, `UPDATE staff SET password_hash = $2 WHERE username = $1 AND active`,
		username, passwordHash)); err != nil {
		return err
	}
	return tx.Commit()
}

// SetStaffActive deactivates a user, ending every session and revoking every token of
// theirs in the same transaction, or activates them again (their old tokens stay revoked).
func (db *DB) SetStaffActive(ctx context.Context, username string, active bool) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := affectOne(tx.ExecContext(ctx, `UPDATE staff SET active = $2,
			deactivated_at = CASE WHEN $2 THEN NULL ELSE now() END WHERE username = $1`, username, active)); err != nil {
		return err
	}
	if !active {
		if _, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE username = $1`, username); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE staff_tokens SET revoked_at = now()
			WHERE username = $1 AND revoked_at IS NULL`, username); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM staff_invites WHERE username = $1 AND used_at IS NULL`, username); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// RevokeTokenByPrefix revokes the one live token whose first characters are prefix (at
// least 8), or whose whole value it is, and returns its user. ErrNotFound when none
// matches; an error when more than one does.
func (db *DB) RevokeTokenByPrefix(ctx context.Context, prefix string) (string, error) {
	if len(prefix) < 8 {
		return "", errors.New("give at least the first 8 characters of the token")
	}
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var rows []struct {
		Hash     string `db:"token_hash"`
		Username string `db:"username"`
	}
	short := prefix
	if len(short) > TokenPrefixLen {
		short = short[:TokenPrefixLen]
	}
	if err := tx.SelectContext(ctx, &rows, `SELECT token_hash, username FROM staff_tokens
		WHERE revoked_at IS NULL AND (token_hash = $1 OR (left(token_prefix, length($2)) = $2 AND length($3) <= $4))`,
		HashToken(prefix), short, prefix, TokenPrefixLen); err != nil {
		return "", err
	}
	switch {
	case len(rows) == 0:
		return "", ErrNotFound
	case len(rows) > 1:
		return "", fmt.Errorf("%d tokens start with %q; give more characters", len(rows), prefix)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE staff_tokens SET revoked_at = now() WHERE token_hash = $1`, rows[0].Hash); err != nil {
		return "", err
	}
	return rows[0].Username, tx.Commit()
}

// RevokeUserTokens revokes every live token of a user and says how many.
func (db *DB) RevokeUserTokens(ctx context.Context, username string) (int64, error) {
	if _, err := db.StaffByUsername(ctx, username); err != nil {
		return 0, err
	}
	res, err := db.ExecContext(ctx, `UPDATE staff_tokens SET revoked_at = now() WHERE username = $1 AND revoked_at IS NULL`,
		username)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// affectOne turns an UPDATE that touched no row into ErrNotFound.
func affectOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

// StaffAccount is a staff user as the admin's list shows them: with whether they have a
// password and 2FA, how many API tokens still work, and whether an invite is waiting.
type StaffAccount struct {
	Staff
	HasPassword   bool `db:"has_password"`
	HasTOTP       bool `db:"has_totp"`
	LiveTokens    int  `db:"live_tokens"`
	InvitePending bool `db:"invite_pending"`
}

// StaffAccounts lists every staff user, active ones first, by username.
func (db *DB) StaffAccounts(ctx context.Context) ([]StaffAccount, error) {
	var out []StaffAccount
	err := db.SelectContext(ctx, &out, `SELECT s.username, s.name, s.role, s.pokja_id, s.partner_id, s.active, s.email,
			s.head_of_office, coalesce(s.password_hash, '') <> '' AS has_password, s.totp_secret IS NOT NULL AS has_totp,
			(SELECT count(*) FROM staff_tokens t WHERE t.username = s.username AND t.revoked_at IS NULL
				AND (t.expires_at IS NULL OR t.expires_at > now())) AS live_tokens,
			EXISTS (SELECT 1 FROM staff_invites i WHERE i.username = s.username AND i.used_at IS NULL
				AND i.expires_at > now()) AS invite_pending
		FROM staff s ORDER BY s.active DESC, s.username`)
	return out, err
}

// ErrStaffExists is CreateStaff's refusal of a username that is taken (by a deactivated
// user too: a username is never given to someone else).
var ErrStaffExists = errors.New("username already exists")

// CreateStaff adds a new, active staff user; ErrStaffExists when the username is taken.
// Unlike UpsertStaff it never changes an existing user.
func (db *DB) CreateStaff(ctx context.Context, s Staff) error {
	res, err := db.ExecContext(ctx, `INSERT INTO staff (username, name, role, pokja_id, partner_id, active, email, head_of_office)
		VALUES ($1, $2, $3, $4, $5, true, $6, $7) ON CONFLICT (username) DO NOTHING`,
		s.Username, s.Name, s.Role, s.PokjaID, s.PartnerID, nullable(s.Email.String), s.HeadOfOffice)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrStaffExists
	}
	return nil
}

// ResetPassword makes an active user's password stop working at once: it clears the
// password, ends the user's sessions and replaces their unused invites with inv (only the
// token's hash is stored), in one transaction. Their TOTP and API tokens stay. ErrNotFound
// when there is no active user of that name.
func (db *DB) ResetPassword(ctx context.Context, tokenHash string, inv Invite) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := affectOne(tx.ExecContext(ctx, `UPDATE staff SET password_hash = NULL WHERE username = $1 AND active`,
		inv.Username)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE username = $1`, inv.Username); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_invites WHERE username = $1 AND used_at IS NULL`, inv.Username); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO staff_invites (token_hash, username, created_at, expires_at)
		VALUES ($1, $2, $3, $4)`, tokenHash, inv.Username, inv.CreatedAt, inv.ExpiresAt); err != nil {
		return err
	}
	return tx.Commit()
}

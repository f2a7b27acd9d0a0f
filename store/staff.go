package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"aduan/domain"
)

// Staff is a staff user.
type Staff struct {
	Username  string         `db:"username"`
	Name      string         `db:"name"`
	Role      domain.Role    `db:"role"`
	PokjaID   sql.NullString `db:"pokja_id"`
	PartnerID sql.NullString `db:"partner_id"`
	Active    bool           `db:"active"`
	// Email is where the user receives notifications (none: they are only logged).
	Email sql.NullString `db:"email"`
	// HeadOfOffice marks a supervisor who receives the second level of escalation.
	HeadOfOffice bool `db:"head_of_office"`
	// NotifyChannel is how they want reminders and escalations (domain.OfficerChannels;
	// NULL: not chosen), Phone their mobile number for WhatsApp and SMS (personal data:
	// never logged), DailyDigest whether their reminders come grouped (staff_channels.go).
	NotifyChannel sql.NullString `db:"notify_channel"`
	Phone         sql.NullString `db:"phone"`
	DailyDigest   bool           `db:"daily_digest"`
}

// staffColumns selects a Staff.
const staffColumns = `username, name, role, pokja_id, partner_id, active, email, head_of_office, notify_channel, phone,
	daily_digest`

// Actor is the user as the workflow sees them.
func (s Staff) Actor() domain.Actor {
	return domain.Actor{Username: s.Username, Role: s.Role, Pokja: s.PokjaID.String, Partner: s.PartnerID.String}
}

// ErrNotFound means the row asked for does not exist.
var ErrNotFound = errors.New("not found")

// HashToken is how a bearer token is stored: tokens are 256 random bits, so a plain
// SHA-256 is enough to make a leaked table useless.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func nullable(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// UpsertStaff creates a staff user or updates their name, role, group and head-of-office
// flag. An empty Email keeps the address on file. A deactivated user stays deactivated
// (SetStaffActive brings them back).
func (db *DB) UpsertStaff(ctx context.Context, s Staff) error {
	_, err := db.ExecContext(ctx, `INSERT INTO staff (username, name, role, pokja_id, partner_id, active, email, head_of_office)
		VALUES ($1, $2, $3, $4, $5, true, $6, $7)
		ON CONFLICT (username) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role,
			pokja_id = EXCLUDED.pokja_id, partner_id = EXCLUDED.partner_id,
			email = COALESCE(EXCLUDED.email, staff.email), head_of_office = EXCLUDED.head_of_office`,
		s.Username, s.Name, s.Role, s.PokjaID, s.PartnerID, nullable(s.Email.String), s.HeadOfOffice)
	return err
}

// NewStaff builds a staff record, keeping only the group that fits the role.
func NewStaff(username, name string, role domain.Role, group string) Staff {
	s := Staff{Username: username, Name: name, Role: role, Active: true}
	switch role {
	case domain.RolePokja:
		s.PokjaID = nullable(group)
	case domain.RolePartner:
		s.PartnerID = nullable(group)
	}
	return s
}

// DefaultTokenTTL is how long a bearer token works unless said otherwise.
const DefaultTokenTTL = 90 * 24 * time.Hour

// TokenPrefixLen is how many of a token's first characters are kept in the clear, so an
// admin can name the token to revoke ("adu_" and 8 more).
const TokenPrefixLen = 12

// IssueToken creates a new bearer token for a user, good for DefaultTokenTTL, and
// returns it; only its hash (and its first TokenPrefixLen characters) is kept.
func (db *DB) IssueToken(ctx context.Context, username string) (string, error) {
	return db.IssueTokenFor(ctx, username, DefaultTokenTTL)
}

// IssueTokenFor is IssueToken with the token's lifetime.
func (db *DB) IssueTokenFor(ctx context.Context, username string, ttl time.Duration) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := "adu_" + base64.RawURLEncoding.EncodeToString(b[:])
	res, err := db.ExecContext(ctx, `INSERT INTO staff_tokens (token_hash, username, expires_at, token_prefix)
		SELECT $1, username, now() + make_interval(secs => $3), $4 FROM staff WHERE username = $2 AND active`,
		HashToken(token), username, ttl.Seconds(), token[:TokenPrefixLen])
	if err != nil {
		return "", err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", ErrNotFound
	}
	return token, nil
}

// StaffByToken finds the active user a bearer token belongs to; an expired or revoked
// token finds nobody.
func (db *DB) StaffByToken(ctx context.Context, token string) (Staff, error) {
	var s Staff
	err := db.GetContext(ctx, &s, `SELECT s.username, s.name, s.role, s.pokja_id, s.partner_id, s.active,
			s.email, s.head_of_office
		FROM staff_tokens t JOIN staff s USING (username)
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND s.active
			AND (t.expires_at IS NULL OR t.expires_at > now())`, HashToken(token))
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	return s, err
}

// StaffByUsername finds a user.
func (db *DB) StaffByUsername(ctx context.Context, username string) (Staff, error) {
	var s Staff
	err := db.GetContext(ctx, &s, `SELECT `+staffColumns+` FROM staff WHERE username = $1`, username)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	return s, err
}

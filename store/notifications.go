package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"aduan/domain"
)

// ComplainantRecipient is how the complainant is named as a notification's recipient.
const ComplainantRecipient = "pelapor"

// Notification is one row of the outbox: one occasion for one recipient.
type Notification struct {
	ID int64 `db:"id"`
	// DedupeKey is the occasion's key + "/" + recipient: unique, so a retried activity
	// never writes a second row.
	DedupeKey string            `db:"dedupe_key"`
	Code      string            `db:"code"`
	Kind      domain.NotifyKind `db:"kind"`
	// Recipient is a staff username, or ComplainantRecipient.
	Recipient string `db:"recipient"`
	// Channel is log, email, whatsapp or sms.
	Channel string `db:"channel"`
	// Address is the e-mail address or phone number (none for log). It is personal data
	// for a complainant: it never leaves PostgreSQL except to the sender that needs it.
	Address   sql.NullString `db:"address"`
	Template  string         `db:"template"`
	Text      string         `db:"text"`
	DueAt     time.Time      `db:"due_at"`
	CreatedAt time.Time      `db:"created_at"`
	SentAt    *time.Time     `db:"sent_at"`
	Attempts  int            `db:"attempts"`
	LastError sql.NullString `db:"last_error"`
	// SentVia says which sender delivered the row and how ("log", "smtp",
	// "whatsapp:text", "whatsapp:template:<name>", "sms"): a WhatsApp or SMS row sent
	// via "log" reached nobody. ProviderRef is the provider's message id, if any.
	SentVia     sql.NullString `db:"sent_via"`
	ProviderRef sql.NullString `db:"provider_ref"`
	// Mode forces a WhatsApp row's form: "text" or "template" ("" lets the sender choose).
	Mode string `db:"mode"`
	// DeliveryStatus is the provider's last report (sent, delivered, read, failed; ""
	// none yet), DeliveryError why it failed.
	DeliveryStatus string         `db:"delivery_status"`
	DeliveryAt     sql.NullTime   `db:"delivery_at"`
	DeliveryError  sql.NullString `db:"delivery_error"`
	// Resend marks a row that tries again a message a provider reported failed (read
	// by SentToComplainant only).
	Resend bool `db:"resend"`
	// HoldUntil is when a row held for office hours (or for its recipient's digest) may
	// go; nil: at once. The worker's outbox sends held rows (ClaimLoose, ClaimDigests),
	// never the Notify activity.
	HoldUntil *time.Time `db:"hold_until"`
	// Digest marks a reminder that goes in its recipient's daily digest at HoldUntil.
	Digest bool `db:"digest"`
}

const notificationColumns = `id, dedupe_key, coalesce(code, '') AS code, kind, recipient, channel, address, template,
	text, due_at, created_at, sent_at, attempts, last_error, sent_via, provider_ref, coalesce(mode, '') AS mode,
	coalesce(delivery_status, '') AS delivery_status, delivery_at, delivery_error, hold_until, digest`

// EnqueueNotifications writes notifications to the outbox in one transaction. A row
// whose dedupe key already exists is left as it is (sent or not), so enqueueing the same
// occasion again changes nothing.
func (db *DB) EnqueueNotifications(ctx context.Context, ns []Notification) error {
	if len(ns) == 0 {
		return nil
	}
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, n := range ns {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications
				(dedupe_key, code, kind, recipient, channel, address, template, text, due_at, mode, hold_until, digest)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (dedupe_key) DO NOTHING`,
			n.DedupeKey, n.Code, n.Kind, n.Recipient, n.Channel, nullable(n.Address.String), n.Template, n.Text,
			n.DueAt, nullable(n.Mode), n.HoldUntil, n.Digest); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// UnsentNotifications lists the unsent notifications whose dedupe key starts with prefix,
// in the order they were written.
func (db *DB) UnsentNotifications(ctx context.Context, dedupeKeyPrefix string) ([]Notification, error) {
	rows := []Notification{}
	err := db.SelectContext(ctx, &rows, `SELECT `+notificationColumns+` FROM notifications
		WHERE sent_at IS NULL AND dedupe_key LIKE $1 || '%' ORDER BY id`, escapeLike(dedupeKeyPrefix))
	return rows, err
}

// NotificationsOf lists every notification whose dedupe key starts with prefix, sent or
// not, in the order they were written.
func (db *DB) NotificationsOf(ctx context.Context, dedupeKeyPrefix string) ([]Notification, error) {
	rows := []Notification{}
	err := db.SelectContext(ctx, &rows, `SELECT `+notificationColumns+` FROM notifications
		WHERE dedupe_key LIKE $1 || '%' ORDER BY id`, escapeLike(dedupeKeyPrefix))
	return rows, err
}

// MarkNotificationSent records that a notification was delivered (counting the attempt),
// by which sender (via) and under which provider message id (ref, "" for none). A
// notification already marked sent keeps its first record.
func (db *DB) MarkNotificationSent(ctx context.Context, id int64, at time.Time, via, ref string) error {
	_, err := db.ExecContext(ctx, `UPDATE notifications SET sent_at = $2, attempts = attempts + 1,
			sent_via = $3, provider_ref = $4
		WHERE id = $1 AND sent_at IS NULL`, id, at, nullable(via), nullable(ref))
	return err
}

// MarkNotificationFailed records a failed delivery attempt and its error.
func (db *DB) MarkNotificationFailed(ctx context.Context, id int64, errText string) error {
	_, err := db.ExecContext(ctx, `UPDATE notifications SET attempts = attempts + 1, last_error = $2
		WHERE id = $1 AND sent_at IS NULL`, id, errText)
	return err
}

// NotificationsFor lists one page of a user's notifications, newest first, with the
// total count.
func (db *DB) NotificationsFor(ctx context.Context, username string, page, perPage int) ([]Notification, int, error) {
	if perPage <= 0 {
		perPage = 20
	}
	if page <= 0 {
		page = 1
	}
	var total int
	if err := db.GetContext(ctx, &total, `SELECT count(*) FROM notifications WHERE recipient = $1`, username); err != nil {
		return nil, 0, err
	}
	rows := []Notification{}
	err := db.SelectContext(ctx, &rows, `SELECT `+notificationColumns+` FROM notifications
		WHERE recipient = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
		username, perPage, (page-1)*perPage)
	return rows, total, err
}

// StaffRecipients lists the active users of a role, ordered by username; a non-empty
// pokja or partner keeps only that group's members.
func (db *DB) StaffRecipients(ctx context.Context, role domain.Role, pokja, partner string) ([]Staff, error) {
	rows := []Staff{}
	err := db.SelectContext(ctx, &rows, `SELECT `+staffColumns+` FROM staff
		WHERE active AND role = $1 AND ($2 = '' OR pokja_id = $2) AND ($3 = '' OR partner_id = $3)
		ORDER BY username`, role, pokja, partner)
	return rows, err
}

// HeadsOfOffice lists the active users flagged as head of office, ordered by username.
func (db *DB) HeadsOfOffice(ctx context.Context) ([]Staff, error) {
	rows := []Staff{}
	err := db.SelectContext(ctx, &rows, `SELECT `+staffColumns+` FROM staff
		WHERE active AND head_of_office ORDER BY username`)
	return rows, err
}

// ComplainantContact is how a complaint's complainant can be reached: the channel the
// complaint came in on and whatever phone and e-mail they gave ("" when none).
type ComplainantContact struct {
	Channel string `db:"channel"`
	Phone   string `db:"phone"`
	Email   string `db:"email"`
	// PhoneConfirmedBy is who vouched for the number ("" nobody yet).
	PhoneConfirmedBy string `db:"phone_confirmed_by"`
}

// ComplainantContact reads the contact of a complaint's complainant.
func (db *DB) ComplainantContact(ctx context.Context, code string) (ComplainantContact, error) {
	var c ComplainantContact
	err := db.GetContext(ctx, &c, `SELECT channel, coalesce(phone, '') AS phone, coalesce(email, '') AS email,
			coalesce(phone_confirmed_by, '') AS phone_confirmed_by
		FROM complaints WHERE code = $1`, code)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

// ComplaintPriority is a complaint's priority ("" before triage): an urgent complaint's
// escalations go out at any hour (domain.AnyHour).
func (db *DB) ComplaintPriority(ctx context.Context, code string) (string, error) {
	var p string
	err := db.GetContext(ctx, &p, `SELECT coalesce(priority, '') FROM complaints WHERE code = $1`, code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return p, err
}

// GroupName is the name of a pokja (partner false) or partner organisation (partner
// true), or the ID itself when the directory does not know it.
func (db *DB) GroupName(ctx context.Context, id string, partner bool) (string, error) {
	if id == "" {
		return "", nil
	}
	table := "pokja"
	if partner {
		table = "partners"
	}
	var name string
	err := db.GetContext(ctx, &name, `SELECT name FROM `+table+` WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return id, nil
	}
	return name, err
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"aduan/domain"
)

// Message is something the complainant wrote after intake.
type Message struct {
	ID      int64     `db:"id"`
	At      time.Time `db:"at"`
	Channel string    `db:"channel"`
	Text    string    `db:"text"`
}

// AddMessage keeps a complainant's message with their complaint and returns its id.
func (db *DB) AddMessage(ctx context.Context, code, channel, text string) (int64, error) {
	var id int64
	err := db.GetContext(ctx, &id, `INSERT INTO complaint_messages (code, channel, text) VALUES ($1, $2, $3) RETURNING id`,
		code, channel, text)
	return id, err
}

// AddInboundMessage keeps a message that arrived by WhatsApp or SMS. A provider id seen
// before (on that channel) returns the first message's id with created false.
func (db *DB) AddInboundMessage(ctx context.Context, code, channel, text, providerID string) (id int64, created bool, err error) {
	providerID = channel + ":" + providerID
	err = db.GetContext(ctx, &id, `INSERT INTO complaint_messages (code, channel, text, provider_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (provider_id) WHERE provider_id IS NOT NULL DO NOTHING RETURNING id`, code, channel, text, nullable(providerID))
	if errors.Is(err, sql.ErrNoRows) {
		err = db.GetContext(ctx, &id, `SELECT id FROM complaint_messages WHERE provider_id = $1`, providerID)
		return id, false, err
	}
	return id, err == nil, err
}

// ProviderMessageSeen reports whether a provider's message id is already stored, as a
// complaint (its idempotency key) or as a message.
func (db *DB) ProviderMessageSeen(ctx context.Context, channel, providerID string) (bool, error) {
	var seen bool
	err := db.GetContext(ctx, &seen, `SELECT EXISTS (SELECT 1 FROM complaints WHERE idempotency_key = $1)
		OR EXISTS (SELECT 1 FROM complaint_messages WHERE provider_id = $1)`, channel+":"+providerID)
	return seen, err
}

// OpenComplaint is the complaint a phone number is talking about.
type OpenComplaint struct {
	Code   string        `db:"code"`
	Status domain.Status `db:"status"`
}

// OpenComplaintByPhone finds the newest complaint from this number that is still open
// (not closed or rejected).
func (db *DB) OpenComplaintByPhone(ctx context.Context, phone string) (OpenComplaint, bool, error) {
	var oc OpenComplaint
	err := db.GetContext(ctx, &oc, `SELECT code, status FROM complaints
		WHERE phone = $1 AND status NOT IN ('closed', 'rejected') ORDER BY created_at DESC LIMIT 1`, phone)
	if errors.Is(err, sql.ErrNoRows) {
		return oc, false, nil
	}
	return oc, err == nil, err
}

// Messages lists a complaint's messages in order.
func (db *DB) Messages(ctx context.Context, code string) ([]Message, error) {
	msgs := []Message{}
	err := db.SelectContext(ctx, &msgs, `SELECT id, at, channel, text FROM complaint_messages WHERE code = $1 ORDER BY id`, code)
	return msgs, err
}

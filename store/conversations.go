package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"aduan/domain"
)

// Inbound is one message a citizen sent over WhatsApp or SMS, as it is kept.
type Inbound struct {
	// Code is the complaint it belongs to; "" keeps it with FromPhone until the number
	// opens one (a greeting, a short text, a lone location).
	Code       string
	FromPhone  string
	Channel    string
	ProviderID string
	Kind       domain.MessageKind
	Text       string
	// Location, when shared.
	Latitude, Longitude *float64
	PlaceName, Address  string
	// Media, when the message carries a file: fetched later by the media fetcher.
	Media *InboundMedia
}

// InboundMedia is the file a message announced.
type InboundMedia struct {
	Ref, MimeType, SHA256, Filename string
	Voice                           bool
}

// AddInbound keeps an inbound message (and its media row) once per provider id: a
// repeated delivery returns the first one's id with created false.
func (db *DB) AddInbound(ctx context.Context, in Inbound) (id int64, created bool, err error) {
	providerID := in.Channel + ":" + in.ProviderID
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback()
	err = tx.GetContext(ctx, &id, `INSERT INTO complaint_messages (code, channel, text, provider_id, kind, from_phone,
			latitude, longitude, place_name, place_address)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (provider_id) WHERE provider_id IS NOT NULL DO NOTHING RETURNING id`,
		nullable(in.Code), in.Channel, in.Text, providerID, in.Kind, nullable(in.FromPhone),
		in.Latitude, in.Longitude, nullable(in.PlaceName), nullable(in.Address))
	if errors.Is(err, sql.ErrNoRows) {
		err = db.GetContext(ctx, &id, `SELECT id FROM complaint_messages WHERE provider_id = $1`, providerID)
		return id, false, err
	}
	if err != nil {
		return 0, false, err
	}
	if m := in.Media; m != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_media (message_id, channel, provider_ref, mime_type, sha256, filename, voice)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, in.Channel, m.Ref, m.MimeType, m.SHA256, nullable(m.Filename), m.Voice); err != nil {
			return 0, false, err
		}
	}
	return id, true, tx.Commit()
}

// AttachUnattached gives a complaint the messages its number sent since, before it was
// opened (the greeting before the complaint, a location sent first).
func (db *DB) AttachUnattached(ctx context.Context, code, phone string, since time.Time) (int64, error) {
	res, err := db.ExecContext(ctx, `UPDATE complaint_messages SET code = $1
		WHERE code IS NULL AND from_phone = $2 AND at >= $3`, code, phone, since)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ClaimGreetingReply reports whether a number may get today's friendly reply (day in
// the regency's calendar), recording that it did: at most one per number per day.
func (db *DB) ClaimGreetingReply(ctx context.Context, phone string, day time.Time) (bool, error) {
	res, err := db.ExecContext(ctx, `INSERT INTO greeting_replies (phone, day) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		phone, day.Format(time.DateOnly))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// AutoReply is an automatic answer to a message that opened nothing.
type AutoReply struct {
	// Key names the occasion: the answered message's channel and provider id.
	Key     string
	Channel string
	Phone   string
	// Template names the text (greeting, unsupported, too_large).
	Template string
	Text     string
}

// EnqueueAutoReply writes an automatic reply to the outbox (no complaint; free text
// inside the window the citizen just opened). The same key writes nothing twice.
func (db *DB) EnqueueAutoReply(ctx context.Context, r AutoReply) error {
	_, err := db.ExecContext(ctx, `INSERT INTO notifications (dedupe_key, code, kind, recipient, channel, address,
			template, text, due_at, mode)
		VALUES ('auto/' || $1 || '/' || $2, NULL, $3, $2, $4, $5, $6, $7, now(), 'text')
		ON CONFLICT (dedupe_key) DO NOTHING`,
		r.Key, ComplainantRecipient, domain.NotifyAutoReply, r.Channel, r.Phone, r.Template, r.Text)
	return err
}

// ConfirmPhoneByCode confirms that phone is the complainant's number of the open
// complaint code when the complaint was made with that very number and it was not
// confirmed yet: its owner wrote the code from it. It reports whether it did.
func (db *DB) ConfirmPhoneByCode(ctx context.Context, code, phone string) (bool, error) {
	res, err := db.ExecContext(ctx, `UPDATE complaints SET phone_confirmed_by = $3
		WHERE code = $1 AND phone = $2 AND phone_confirmed_by IS NULL AND status NOT IN ('closed', 'rejected')`,
		code, phone, domain.ConfirmedByMessage)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// EnqueueReplyAbout writes an automatic reply about one inbound message (its file was
// refused, say) to its sender, on the message's channel, once per template. The sender is
// the number the message came from, or its complaint's complainant.
func (db *DB) EnqueueReplyAbout(ctx context.Context, messageID int64, template, text string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO notifications (dedupe_key, code, kind, recipient, channel, address,
			template, text, due_at, mode)
		SELECT 'auto/' || m.provider_id || '/' || $2, m.code, $4, $5, m.channel, coalesce(m.from_phone, c.phone),
			$2, $3, now(), 'text'
		FROM complaint_messages m LEFT JOIN complaints c ON c.code = m.code
		WHERE m.id = $1 AND m.provider_id IS NOT NULL AND coalesce(m.from_phone, c.phone) IS NOT NULL
		ON CONFLICT (dedupe_key) DO NOTHING`, messageID, template, text, domain.NotifyAutoReply, ComplainantRecipient)
	return err
}

// KeptAsMessage reports whether a provider's message id is kept as a message that opened
// nothing by itself (attached to a complaint, or waiting with its number): a repeated
// delivery of it must not open a complaint later.
func (db *DB) KeptAsMessage(ctx context.Context, channel, providerID string) (bool, error) {
	var kept bool
	err := db.GetContext(ctx, &kept, `SELECT EXISTS (SELECT 1 FROM complaint_messages WHERE provider_id = $1)
		AND NOT EXISTS (SELECT 1 FROM complaints WHERE idempotency_key = $1)`, channel+":"+providerID)
	return kept, err
}

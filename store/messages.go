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
	// Kind is what the message carries (domain.MessageKind); Latitude and Longitude (and
	// the place's name and address, if sent) are a shared location.
	Kind         string          `db:"kind"`
	Latitude     sql.NullFloat64 `db:"latitude"`
	Longitude    sql.NullFloat64 `db:"longitude"`
	PlaceName    sql.NullString  `db:"place_name"`
	PlaceAddress sql.NullString  `db:"place_address"`
	// The file the message carried (message_media), filled by Messages: MediaID is NULL
	// for a message without one. MediaKind is then the message's kind (image, video,
	// document, audio, sticker), MediaState pending, stored or failed.
	MediaID       sql.NullInt64  `db:"media_id"`
	MediaKind     sql.NullString `db:"media_kind"`
	MediaState    sql.NullString `db:"media_state"`
	MediaMimeType sql.NullString `db:"media_mime_type"`
	MediaSize     sql.NullInt64  `db:"media_size"`
	MediaVoice    sql.NullBool   `db:"media_voice"`
	MediaFilename sql.NullString `db:"media_filename"`
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
	err := db.GetContext(ctx, &seen, `SELECT `+seenSQL("$1"), channel+":"+providerID)
	return seen, err
}

// OpenComplaint is the complaint a phone number is talking about.
type OpenComplaint struct {
	Code   string        `db:"code"`
	Status domain.Status `db:"status"`
}

// openByPhoneSQL is OpenComplaintByPhone's statement, the number as $1.
const openByPhoneSQL = `SELECT code, status FROM complaints
	WHERE phone = $1 AND status NOT IN ('closed', 'rejected') AND phone_confirmed_by IS NOT NULL
	ORDER BY created_at DESC LIMIT 1`

// seenSQL is ProviderMessageSeen's condition, the channel-scoped provider id as key: it
// opened a complaint (its idempotency key) or was kept as a message.
func seenSQL(key string) string {
	return `(EXISTS (SELECT 1 FROM complaints WHERE idempotency_key = ` + key + `)
		OR EXISTS (SELECT 1 FROM complaint_messages WHERE provider_id = ` + key + `))`
}

// OpenComplaintByPhone finds the newest complaint from this number that is still open
// (not closed or rejected) and whose number is confirmed as its complainant's
// (domain.RoutesReplies): a number typed into the web form routes nothing until then.
func (db *DB) OpenComplaintByPhone(ctx context.Context, phone string) (OpenComplaint, bool, error) {
	var oc OpenComplaint
	err := db.GetContext(ctx, &oc, openByPhoneSQL, phone)
	if errors.Is(err, sql.ErrNoRows) {
		return oc, false, nil
	}
	return oc, err == nil, err
}

// InboundRoute is what routing an inbound message needs to know, read in one statement:
// the number's open complaint (OpenComplaintByPhone) and whether the provider delivered
// this message before (ProviderMessageSeen).
type InboundRoute struct {
	Open  OpenComplaint
	Found bool // the number has an open complaint
	Seen  bool // the message was delivered before
}

// InboundRoute reads the route of a message with providerID from phone over channel.
func (db *DB) InboundRoute(ctx context.Context, phone, channel, providerID string) (InboundRoute, error) {
	var row struct {
		Code   sql.NullString `db:"code"`
		Status sql.NullString `db:"status"`
		Seen   bool           `db:"seen"`
	}
	err := db.GetContext(ctx, &row, `SELECT o.code, o.status, `+seenSQL("$2")+` AS seen
		FROM (SELECT 1) AS one LEFT JOIN LATERAL (`+openByPhoneSQL+`) AS o ON true`, phone, channel+":"+providerID)
	if err != nil {
		return InboundRoute{}, err
	}
	return InboundRoute{Open: OpenComplaint{Code: row.Code.String, Status: domain.Status(row.Status.String)},
		Found: row.Code.Valid, Seen: row.Seen}, nil
}

// Messages lists a complaint's messages in order.
func (db *DB) Messages(ctx context.Context, code string) ([]Message, error) {
	msgs := []Message{}
	err := db.SelectContext(ctx, &msgs, `SELECT cm.id, cm.at, cm.channel, cm.text, cm.kind, cm.latitude,
			cm.longitude, cm.place_name, cm.place_address, mm.id AS media_id, CASE WHEN mm.id IS NOT NULL THEN cm.kind END AS media_kind, mm.state AS media_state,
			mm.mime_type AS media_mime_type, mm.size_bytes AS media_size, mm.voice AS media_voice,
			mm.filename AS media_filename
		FROM complaint_messages cm LEFT JOIN message_media mm ON mm.message_id = cm.id
		WHERE cm.code = $1 ORDER BY cm.id`, code)
	return msgs, err
}

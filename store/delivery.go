package store

import (
	"context"
	"time"
)

// RecordDelivery keeps what a provider reported on a message sent with provider id ref on
// channel: sent, delivered, read or failed (errText then says why). Callbacks arrive out
// of order, so a status never goes back (read stays read when a late "delivered"
// comes); a failure is always kept. It returns how many outbox rows matched (0: a message
// Aduan did not send, or not through this channel).
func (db *DB) RecordDelivery(ctx context.Context, channel, ref, status string, at time.Time, errText string) (int64, error) {
	res, err := db.ExecContext(ctx, `UPDATE notifications SET delivery_status = $3, delivery_at = $4,
			delivery_error = CASE WHEN $3 = 'failed' THEN nullif($5, '') ELSE delivery_error END
		WHERE provider_ref = $2 AND channel = $1
			AND (delivery_status IS NULL OR $3 = 'failed'
				OR (delivery_status <> 'failed' AND array_position(ARRAY['sent', 'delivered', 'read'], $3)
					> array_position(ARRAY['sent', 'delivered', 'read'], delivery_status)))`,
		channel, ref, status, at, errText)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Undelivered is a message to a complainant that never reached them.
type Undelivered struct {
	Code    string `db:"code"`
	Kind    string `db:"kind"`
	Channel string `db:"channel"`
	// Problem is the last reason known: the provider's error, the sender's, or that
	// only the log took it (no provider configured for its channel).
	Problem string    `db:"problem"`
	At      time.Time `db:"created_at"`
}

// UndeliveredToComplainants lists the messages to complainants (the question, the
// answer, the acknowledgement…) whose every try failed: a provider reported failure and
// no other way is left, the sender gave up, or only the log took it (no provider
// configured for its channel). A complainant who left no contact (channel log) is not
// listed; a message with a try that went out, or still being tried
// or resent, is not listed. One line per message, with its last try's problem.
func (db *DB) UndeliveredToComplainants(ctx context.Context) ([]Undelivered, error) {
	rows := []Undelivered{}
	err := db.SelectContext(ctx, &rows, `WITH tries AS (
			SELECT coalesce(resend_of, id) AS first, id, code, kind, channel, created_at, sent_at, sent_via, attempts,
				last_error, delivery_status, delivery_error, resent,
				(delivery_status IN ('sent', 'delivered', 'read')
					OR (sent_at IS NOT NULL AND coalesce(sent_via, '') <> 'log' AND delivery_status IS NULL)
					OR (sent_at IS NULL AND attempts < $2)
					OR (delivery_status = 'failed' AND NOT resent)) AS alive
			FROM notifications WHERE recipient = $1 AND code IS NOT NULL)
		SELECT f.code, f.kind, f.channel, f.created_at,
			coalesce(l.delivery_error, l.last_error,
				CASE WHEN l.sent_via = 'log' THEN 'hanya dicatat di log: kanal ' || l.channel || ' belum dikonfigurasi'
					ELSE 'gagal menurut penyedia' END) AS problem
		FROM tries f
		JOIN LATERAL (SELECT * FROM tries x WHERE x.first = f.id ORDER BY x.id DESC LIMIT 1) l ON true
		WHERE f.id = f.first AND f.channel <> 'log' AND NOT EXISTS (SELECT 1 FROM tries a WHERE a.first = f.id AND a.alive)
		ORDER BY f.created_at`, ComplainantRecipient, looseAttempts)
	return rows, err
}

// SentToComplainant lists what was sent to a complaint's complainant, oldest first.
func (db *DB) SentToComplainant(ctx context.Context, code string) ([]Notification, error) {
	rows := []Notification{}
	err := db.SelectContext(ctx, &rows, `SELECT `+notificationColumns+`, resend_of IS NOT NULL AS resend
		FROM notifications WHERE code = $1 AND recipient = $2 ORDER BY id`, code, ComplainantRecipient)
	return rows, err
}

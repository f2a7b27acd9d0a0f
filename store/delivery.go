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

package store

import (
	"context"
	"time"
)

// The rows of the outbox the worker sends itself, outside any workflow: automatic
// replies (no complaint) and resends of messages a provider reported failed.

// looseAttempts is how many times the worker tries such a row before it gives up (a
// permanent failure gives up at once); older rows are left alone.
const looseAttempts = 8

// ClaimLoose takes up to limit unsent automatic replies and resends, oldest first, for
// hold: no other worker takes them until then (or until they are marked).
func (db *DB) ClaimLoose(ctx context.Context, hold time.Duration, limit int) ([]Notification, error) {
	rows := []Notification{}
	err := db.SelectContext(ctx, &rows, `UPDATE notifications SET claimed_until = now() + make_interval(secs => $1)
		WHERE id IN (SELECT id FROM notifications
			WHERE sent_at IS NULL AND (kind = 'auto_reply' OR resend_of IS NOT NULL) AND attempts < $3
				AND created_at > now() - interval '2 days' AND (claimed_until IS NULL OR claimed_until < now())
			ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
		RETURNING `+notificationColumns, hold.Seconds(), limit, looseAttempts)
	return rows, err
}

// AbandonNotification records a delivery that can never succeed: it is not tried again.
func (db *DB) AbandonNotification(ctx context.Context, id int64, errText string) error {
	_, err := db.ExecContext(ctx, `UPDATE notifications SET attempts = greatest(attempts + 1, $3), last_error = $2
		WHERE id = $1 AND sent_at IS NULL`, id, errText, looseAttempts)
	return err
}

// FailedToResend lists up to limit messages to complainants that a provider reported
// failed and that were not tried another way yet, oldest first.
func (db *DB) FailedToResend(ctx context.Context, limit int) ([]Notification, error) {
	rows := []Notification{}
	err := db.SelectContext(ctx, &rows, `SELECT `+notificationColumns+` FROM notifications
		WHERE delivery_status = 'failed' AND NOT resent AND recipient = $1 ORDER BY id LIMIT $2`,
		ComplainantRecipient, limit)
	return rows, err
}

// Resend writes the row that tries a failed message again on channel (mode for
// WhatsApp: "template"), and marks the failed one as resent, in one transaction. Every
// resend names the first try (resend_of), so a message's tries read as one chain.
// channel "" only marks it: there is no other way to try.
func (db *DB) Resend(ctx context.Context, failed Notification, channel, mode string) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if channel != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (dedupe_key, code, kind, recipient, channel, address,
				template, text, due_at, mode, resend_of)
			SELECT 'resend/' || id, code, kind, recipient, $2, address, template, text, now(), nullif($3, ''),
				coalesce(resend_of, id)
			FROM notifications WHERE id = $1
			ON CONFLICT (dedupe_key) DO NOTHING`, failed.ID, channel, mode); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE notifications SET resent = true WHERE id = $1`, failed.ID); err != nil {
		return err
	}
	return tx.Commit()
}

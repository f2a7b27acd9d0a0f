package store

import (
	"context"
	"time"
)

// The rows of the outbox the worker sends itself, outside any workflow: automatic
// replies (no complaint), resends of messages a provider reported failed, rows held for
// office hours once their time has come, and the officers' daily digests.

// looseAttempts is how many times the worker tries such a row before it gives up (a
// permanent failure gives up at once); older rows are left alone.
const looseAttempts = 8

// ClaimLoose takes up to limit unsent automatic replies, resends and held rows whose time
// has come by now, oldest first, for token until now+hold: no other worker takes them
// until then (or until they are marked). Each is claimed again right before its send
// (ClaimNotifications), which token may do however long the batch took. A row is left
// alone two days after it was written or, held, after its time came (a long weekend's
// reminders still go on Monday). Digest rows are ClaimDigests'.
func (db *DB) ClaimLoose(ctx context.Context, now time.Time, token string, hold time.Duration, limit int) ([]Notification, error) {
	rows := []Notification{}
	err := db.SelectContext(ctx, &rows, `UPDATE notifications SET claimed_until = $4 + make_interval(secs => $1), claimed_by = $5
		WHERE id IN (SELECT id FROM notifications
			WHERE sent_at IS NULL AND (kind = 'auto_reply' OR resend_of IS NOT NULL OR hold_until IS NOT NULL)
				AND NOT digest AND channel <> 'callback' AND (hold_until IS NULL OR hold_until <= $4)
				AND attempts < $3 AND coalesce(hold_until, created_at) > $4 - interval '2 days'
				AND (claimed_until IS NULL OR claimed_until < $4)
			ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
		RETURNING `+notificationColumns, hold.Seconds(), limit, looseAttempts, now, token)
	return rows, err
}

// ClaimDigests takes up to limit unsent digest rows whose time has come by now, by
// recipient and then oldest first, for token until now+hold, like ClaimLoose. One
// recipient's rows make one message; a recipient cut off by the limit has the rest of
// theirs in the next batch.
func (db *DB) ClaimDigests(ctx context.Context, now time.Time, token string, hold time.Duration, limit int) ([]Notification, error) {
	rows := []Notification{}
	err := db.SelectContext(ctx, &rows, `WITH claimed AS (UPDATE notifications SET claimed_until = $4 + make_interval(secs => $1), claimed_by = $5
		WHERE id IN (SELECT id FROM notifications
			WHERE sent_at IS NULL AND digest AND hold_until <= $4 AND attempts < $3
				AND hold_until > $4 - interval '2 days' AND (claimed_until IS NULL OR claimed_until < $4)
			ORDER BY recipient, id LIMIT $2 FOR UPDATE SKIP LOCKED)
		RETURNING `+notificationColumns+`)
		SELECT * FROM claimed ORDER BY recipient, id`, hold.Seconds(), limit, looseAttempts, now, token)
	return rows, err
}

// AbandonNotification records a delivery that can never succeed: it is not tried again.
func (db *DB) AbandonNotification(ctx context.Context, id int64, errText string) error {
	_, err := db.ExecContext(ctx, `UPDATE notifications SET attempts = greatest(attempts + 1, $3), last_error = $2
		WHERE id = $1 AND sent_at IS NULL`, id, errText, looseAttempts)
	return err
}

// FailedToResend lists up to limit messages to complainants that a provider reported
// failed and that were not tried another way yet, oldest first. It claims nothing: two
// workers may list the same row, and Resend writes its resend once (its dedupe key),
// which the outbox then sends once (ClaimLoose).
func (db *DB) FailedToResend(ctx context.Context, limit int) ([]Notification, error) {
	rows := []Notification{}
	err := db.SelectContext(ctx, &rows, `SELECT `+notificationColumns+` FROM notifications
		WHERE delivery_status = 'failed' AND NOT resent AND recipient = $1 ORDER BY id LIMIT $2`,
		ComplainantRecipient, limit)
	return rows, err
}

// Resend writes the row that tries a failed message again on channel (mode for
// WhatsApp: "template"), held until holdUntil when it is not nil (quiet hours), and marks
// the failed one as resent, in one transaction. Every resend names the first try
// (resend_of), so a message's tries read as one chain. channel "" only marks it: there
// is no other way to try.
func (db *DB) Resend(ctx context.Context, failed Notification, channel, mode string, holdUntil *time.Time) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if channel != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (dedupe_key, code, kind, recipient, channel, address,
				template, text, due_at, mode, resend_of, hold_until)
			SELECT 'resend/' || id, code, kind, recipient, $2, address, template, text, now(), nullif($3, ''),
				coalesce(resend_of, id), $4
			FROM notifications WHERE id = $1
			ON CONFLICT (dedupe_key) DO NOTHING`, failed.ID, channel, mode, holdUntil); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE notifications SET resent = true WHERE id = $1`, failed.ID); err != nil {
		return err
	}
	return tx.Commit()
}

package store

import (
	"context"
	"time"
)

// PendingAck is a new complaint whose acknowledgement has not gone out yet.
type PendingAck struct {
	Code      string    `db:"code"`
	CreatedAt time.Time `db:"created_at"`
	// ClaimedUntil is when the claim that took it ends; it names the claim (ReleaseAcks).
	ClaimedUntil time.Time `db:"ack_claimed_until"`
}

// ClaimAcks takes up to limit pending acknowledgements, oldest first, for hold: no other
// worker takes them until then (or until they are marked sent).
func (db *DB) ClaimAcks(ctx context.Context, hold time.Duration, limit int) ([]PendingAck, error) {
	var rows []PendingAck
	err := db.SelectContext(ctx, &rows, `UPDATE complaints SET ack_claimed_until = now() + make_interval(secs => $1)
		WHERE code IN (SELECT code FROM complaints
			WHERE ack_pending AND (ack_claimed_until IS NULL OR ack_claimed_until < now())
			ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
		RETURNING code, created_at, ack_claimed_until`, hold.Seconds(), limit)
	return rows, err
}

// ReleaseAcks gives back claimed acknowledgements not sent (a worker stopping): the next
// pass of any acknowledger takes them. One another worker claimed since is left to it.
func (db *DB) ReleaseAcks(ctx context.Context, acks []PendingAck) error {
	for _, a := range acks {
		if _, err := db.ExecContext(ctx, `UPDATE complaints SET ack_claimed_until = NULL
			WHERE code = $1 AND ack_pending AND ack_claimed_until = $2`, a.Code, a.ClaimedUntil); err != nil {
			return err
		}
	}
	return nil
}

// AckSent records that a complaint's acknowledgement went out (or never can).
func (db *DB) AckSent(ctx context.Context, code string) error {
	_, err := db.ExecContext(ctx, `UPDATE complaints SET ack_pending = false, ack_claimed_until = NULL WHERE code = $1`, code)
	return err
}

// IntakeBusy reports whether intake is in a burst: a complaint arrived within quiet, and
// no acknowledgement has waited longer than atLatest. The acknowledger then gives way, so
// a burst is taken at the speed of PostgreSQL and the acknowledgements follow.
func (db *DB) IntakeBusy(ctx context.Context, quiet, atLatest time.Duration) (bool, error) {
	var busy bool
	err := db.GetContext(ctx, &busy, `SELECT EXISTS (SELECT 1 FROM complaints WHERE created_at > now() - make_interval(secs => $1))
		AND NOT EXISTS (SELECT 1 FROM complaints WHERE ack_pending AND created_at < now() - make_interval(secs => $2))`,
		quiet.Seconds(), atLatest.Seconds())
	return busy, err
}

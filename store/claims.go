package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/lib/pq"

	"aduan/domain"
)

// Claims: how several workers (and several attempts of one activity) share the work
// PostgreSQL queues without doing any of it twice at once.
//
// A loop takes a batch with FOR UPDATE SKIP LOCKED inside one short statement that
// marks the rows as taken until a lease ends (claimed_until, ack_claimed_until,
// start_claimed_until, next_try_at), so two workers never take the same rows. An outbox
// row is then claimed again, on its own, right before it is sent (ClaimNotifications):
// the claim names its holder (claimed_by, a random token per batch or per activity
// attempt) and lasts longer than one send can take, HTTP timeouts included. So a batch
// whose lease ran out while its worker was still busy loses only the rows it had not
// reached (another worker took them, and this one skips them), and two attempts of one
// Notify activity never have one message in flight at once. A worker that dies leaves
// its rows to be taken again once the lease has passed: a message whose provider had
// taken it just before the crash may then go twice (at least once, never at once).

// NewClaimToken is a fresh claim holder's name: 16 random bytes, hex.
func NewClaimToken() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b[:])
}

// ClaimNotifications claims the unsent outbox rows ids for token until now+hold, all or
// none, and reports whether it did. A row is free when nobody holds it, its claim has
// passed, or token already holds it (a batch claim renewed for the send). now is the
// sender's clock, as ClaimLoose takes it.
func (db *DB) ClaimNotifications(ctx context.Context, ids []int64, token string, now time.Time, hold time.Duration) (bool, error) {
	if len(ids) == 0 {
		return true, nil
	}
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	// Lock the rows first (in id order, so two claims of overlapping sets cannot
	// deadlock), then decide: the check and the mark are one atomic step.
	var free int
	if err := tx.GetContext(ctx, &free, `SELECT count(*) FROM (SELECT id FROM notifications
			WHERE id = ANY($1) AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $3 OR claimed_by = $2)
			ORDER BY id FOR UPDATE) f`, pq.Array(ids), token, now); err != nil {
		return false, err
	}
	if free != len(ids) {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE notifications SET claimed_by = $2, claimed_until = $3::timestamptz + make_interval(secs => $4)
		WHERE id = ANY($1)`, pq.Array(ids), token, now, hold.Seconds()); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// ReleaseNotification lets go of token's claim on an outbox row (a failed send that its
// activity retries at once): anyone may take it again.
func (db *DB) ReleaseNotification(ctx context.Context, id int64, token string) error {
	_, err := db.ExecContext(ctx, `UPDATE notifications SET claimed_by = NULL, claimed_until = NULL
		WHERE id = $1 AND claimed_by = $2`, id, token)
	return err
}

// UnstartedClaim is a batch of complaints whose workflows one relay starts: Until is
// the claim's end, which also names it (ReleaseUnstarted).
type UnstartedClaim struct {
	Cases []domain.CaseState
	Until time.Time
}

// ClaimUnstarted takes up to limit complaints recorded before olderThan whose workflows
// have not been started, oldest first, for hold: no other relay takes them until then
// (or until they are marked started).
func (db *DB) ClaimUnstarted(ctx context.Context, olderThan time.Time, hold time.Duration, limit int) (UnstartedClaim, error) {
	var rows []struct {
		Complaint
		Until time.Time `db:"start_claimed_until"`
	}
	err := db.SelectContext(ctx, &rows, `UPDATE complaints SET start_claimed_until = now() + make_interval(secs => $3)
		WHERE code IN (SELECT code FROM complaints
			WHERE NOT workflow_started AND created_at < $1 AND (start_claimed_until IS NULL OR start_claimed_until < now())
			ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
		RETURNING `+complaintColumns+`, start_claimed_until`, olderThan, limit, hold.Seconds())
	if err != nil {
		return UnstartedClaim{}, err
	}
	c := UnstartedClaim{Cases: make([]domain.CaseState, 0, len(rows))}
	for _, r := range rows {
		c.Cases = append(c.Cases, r.CaseState())
		c.Until = r.Until // one statement: the same for every row
	}
	return c, nil
}

// ReleaseUnstarted gives back the complaints of claim c named in codes that are still
// unstarted (Temporal did not answer): the next pass of any relay takes them. A row
// another relay claimed since is left to it.
func (db *DB) ReleaseUnstarted(ctx context.Context, c UnstartedClaim, codes []string) error {
	if len(codes) == 0 {
		return nil
	}
	_, err := db.ExecContext(ctx, `UPDATE complaints SET start_claimed_until = NULL
		WHERE code = ANY($1) AND NOT workflow_started AND start_claimed_until = $2`, pq.Array(codes), c.Until)
	return err
}

package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"aduan/domain"
)

// PendingAnnouncement is a publication's announcement an announcer took.
type PendingAnnouncement struct {
	Code     string `db:"code"`
	Seq      int64  `db:"seq"`
	Attempts int    `db:"attempts"`
	// QueuedAt is when the publish's projection queued it.
	QueuedAt time.Time `db:"created_at"`
	// Request is what the workflow asked for (domain.AnnounceRequest as JSON).
	Request []byte `db:"request"`
	// ClaimedUntil is when the claim that took it ends; it names the claim.
	ClaimedUntil time.Time `db:"claimed_until"`
}

// AnnounceRequest decodes the announcement's request.
func (p PendingAnnouncement) AnnounceRequest() (domain.AnnounceRequest, error) {
	var req domain.AnnounceRequest
	if err := json.Unmarshal(p.Request, &req); err != nil {
		return req, fmt.Errorf("announcement %s/%d: %w", p.Code, p.Seq, err)
	}
	return req, nil
}

// ClaimAnnouncements takes up to limit due announcements, oldest first, for hold: no other
// announcer takes them until then, or until they are done or set to be tried again.
func (db *DB) ClaimAnnouncements(ctx context.Context, hold time.Duration, limit int) ([]PendingAnnouncement, error) {
	var rows []PendingAnnouncement
	err := db.SelectContext(ctx, &rows, `UPDATE announcements SET claimed_until = now() + make_interval(secs => $1),
			attempts = attempts + 1
		WHERE (code, seq) IN (SELECT code, seq FROM announcements
			WHERE done_at IS NULL AND next_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
			ORDER BY next_at LIMIT $2 FOR UPDATE SKIP LOCKED)
		RETURNING code, seq, attempts, created_at, request, claimed_until`, hold.Seconds(), limit)
	return rows, err
}

// AnnouncementDone records that an announcement is over: both halves succeeded, or
// failed for good (failure says why; "" when nothing failed).
func (db *DB) AnnouncementDone(ctx context.Context, p PendingAnnouncement, failure string) error {
	_, err := db.ExecContext(ctx, `UPDATE announcements SET done_at = now(), claimed_until = NULL, last_error = $4
		WHERE code = $1 AND seq = $2 AND claimed_until = $3`, p.Code, p.Seq, p.ClaimedUntil, nullable(failure))
	return err
}

// AnnouncementRetry records a failure that may pass: the announcement is due again after
// wait.
func (db *DB) AnnouncementRetry(ctx context.Context, p PendingAnnouncement, wait time.Duration, failure string) error {
	_, err := db.ExecContext(ctx, `UPDATE announcements SET next_at = now() + make_interval(secs => $4),
			claimed_until = NULL, last_error = $5
		WHERE code = $1 AND seq = $2 AND claimed_until = $3`, p.Code, p.Seq, p.ClaimedUntil, wait.Seconds(), failure)
	return err
}

// ReleaseAnnouncements gives back claimed announcements not tried (an announcer
// stopping): the next pass of any announcer takes them, and the attempt is not counted.
// One another announcer claimed since is left to it.
func (db *DB) ReleaseAnnouncements(ctx context.Context, ps []PendingAnnouncement) error {
	for _, p := range ps {
		if _, err := db.ExecContext(ctx, `UPDATE announcements SET claimed_until = NULL, attempts = attempts - 1
			WHERE code = $1 AND seq = $2 AND claimed_until = $3 AND done_at IS NULL`, p.Code, p.Seq, p.ClaimedUntil); err != nil {
			return err
		}
	}
	return nil
}

// AnnouncementProblem is a publication whose announcement has not reached its end:
// failed for good, or still not done longer after its publish than a retry takes.
type AnnouncementProblem struct {
	Code     string    `db:"code"`
	QueuedAt time.Time `db:"created_at"`
	Attempts int       `db:"attempts"`
	Done     bool      `db:"done"`
	Problem  string    `db:"problem"`
}

// AnnouncementProblems lists, oldest first, the announcements that failed for good and
// those not done though queued over late ago (`aduan verify` reports them: a published
// answer its complainant or the websites may never have had).
func (db *DB) AnnouncementProblems(ctx context.Context, late time.Duration) ([]AnnouncementProblem, error) {
	rows := []AnnouncementProblem{}
	err := db.SelectContext(ctx, &rows, `SELECT code, created_at, attempts, done_at IS NOT NULL AS done,
			coalesce(last_error, 'belum dicoba') AS problem
		FROM announcements
		WHERE (done_at IS NOT NULL AND last_error IS NOT NULL)
			OR (done_at IS NULL AND created_at < now() - make_interval(secs => $1))
		ORDER BY created_at`, late.Seconds())
	return rows, err
}

package store

import (
	"context"
	"time"
)

// FailThrottle counts one more failed login under key at now, in one statement, and
// returns the count after it: a lock that is over (locked_until passed), or a window that
// has passed (window > 0), starts the count again; the max-th failure locks the key for
// lock. It is accounts.Limit.Fail done by PostgreSQL: two failures at once, on one API
// process or two, are both counted (a read and a write from Go would let them count as
// one), so a lockout holds however many replicas take the guesses.
func (db *DB) FailThrottle(ctx context.Context, key string, now time.Time, max int, window, lock time.Duration) (Throttle, error) {
	var t Throttle
	// fresh: the row's count starts again (its lock is over, or its window passed).
	const fresh = `((t.locked_until IS NOT NULL AND t.locked_until <= $2::timestamptz)
		OR ($4::float8 > 0 AND t.failures > 0 AND $2::timestamptz - t.since >= make_interval(secs => $4::float8)))`
	err := db.GetContext(ctx, &t, `INSERT INTO login_throttle AS t (key, failures, since, locked_until)
		VALUES ($1, 1, $2::timestamptz, CASE WHEN 1 >= $3::int THEN $2::timestamptz + make_interval(secs => $5::float8) END)
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN `+fresh+` THEN 1 ELSE t.failures + 1 END,
			since = CASE WHEN `+fresh+` OR t.failures = 0 THEN $2::timestamptz ELSE t.since END,
			locked_until = CASE
				WHEN (CASE WHEN `+fresh+` THEN 1 ELSE t.failures + 1 END) >= $3::int THEN $2::timestamptz + make_interval(secs => $5::float8)
				WHEN `+fresh+` THEN NULL
				ELSE t.locked_until END
		RETURNING failures, since, locked_until`, key, now, max, window.Seconds(), lock.Seconds())
	return t, err
}

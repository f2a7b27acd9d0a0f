package accounts

import (
	"database/sql"
	"time"

	"aduan/store"
)

// Limit is how many failed logins a key may have before it is locked, within what window
// (0: in a row, until a success), and for how long it is locked then.
type Limit struct {
	Max    int
	Window time.Duration
	Lock   time.Duration
}

// Locked says whether t is locked at now, and until when.
func (l Limit) Locked(t store.Throttle, now time.Time) (time.Time, bool) {
	if t.LockedUntil.Valid && now.Before(t.LockedUntil.Time) {
		return t.LockedUntil.Time, true
	}
	return time.Time{}, false
}

// Fail counts one more failure at now: a lock that is over, or a window that has passed,
// starts the count again; the Max-th failure locks the key for Lock. Login counts with
// store.FailThrottle, the same rule in one PostgreSQL statement, so that failures at the
// same moment on several API replicas are each counted; this is its reference.
func (l Limit) Fail(t store.Throttle, now time.Time) store.Throttle {
	if t.LockedUntil.Valid && !now.Before(t.LockedUntil.Time) {
		t = store.Throttle{}
	}
	if l.Window > 0 && t.Failures > 0 && now.Sub(t.Since) >= l.Window {
		t = store.Throttle{}
	}
	if t.Failures == 0 {
		t.Since = now
	}
	t.Failures++
	if t.Failures >= l.Max {
		t.LockedUntil = sql.NullTime{Time: now.Add(l.Lock), Valid: true}
	}
	return t
}

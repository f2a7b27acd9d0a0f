package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"aduan/accounts"
	"aduan/media/mediatest"
	"aduan/store"
)

// TestFailThrottleMatchesLimit: FailThrottle counts as accounts.Limit.Fail does (in a
// row, then locked; a window that passes; a lock that is over), step by step.
func TestFailThrottleMatchesLimit(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, l := range []accounts.Limit{{Max: 3, Lock: 15 * time.Minute}, {Max: 4, Window: 10 * time.Minute, Lock: 5 * time.Minute}} {
		key := "user:" + store.NewClaimToken()
		var want store.Throttle
		for i, step := range []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second, 11 * time.Minute,
			12 * time.Minute, 30 * time.Minute, 31 * time.Minute, 32 * time.Minute, 33 * time.Minute} {
			at := now.Add(step)
			want = l.Fail(want, at)
			got, err := db.FailThrottle(ctx, key, at, l.Max, l.Window, l.Lock)
			if err != nil {
				t.Fatal(err)
			}
			if got.Failures != want.Failures || !got.Since.Equal(want.Since) || got.LockedUntil.Valid != want.LockedUntil.Valid ||
				(want.LockedUntil.Valid && !got.LockedUntil.Time.Equal(want.LockedUntil.Time)) {
				t.Errorf("%+v step %d: got %+v, want %+v", l, i, got, want)
			}
		}
	}
}

// TestFailThrottleConcurrent: 30 failed logins at once (on as many connections: API
// replicas) are all counted, and the key is locked.
func TestFailThrottleConcurrent(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	now := time.Now()
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			if _, err := db.FailThrottle(ctx, "user:tebak", now, 10, 0, 15*time.Minute); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := db.ThrottleOf(ctx, "user:tebak")
	if err != nil || got.Failures != 30 || !got.LockedUntil.Valid {
		t.Errorf("after 30 failures at once: %+v %v", got, err)
	}
}

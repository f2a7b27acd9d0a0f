package worker

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/temporal"

	"aduan/activities"
	"aduan/drain"
	"aduan/store"
)

// Announcements: a publish's projection queues its announcement (the answer to the
// complainant and the push to the regency's websites) in PostgreSQL, and the announcer
// carries it out, as the acknowledger does acknowledgements. Several workers may run it:
// each claims its own batch (store.ClaimAnnouncements, FOR UPDATE SKIP LOCKED). Both
// halves are idempotent (the outbox and publication_sync remember what went out), so an
// announcement taken again after a lost claim resends nothing.
const (
	// announceHold is how long an announcer holds the announcements it took; a batch
	// normally goes out well within it (each half has a minute at most).
	announceHold = 5 * time.Minute
	// announceBatch is how many announcements one claim takes.
	announceBatch = 10
	// announceTimeout bounds one announcement, as the activity's start-to-close did.
	announceTimeout = time.Minute
	// announceFirstRetry and announceMaxRetry space the retries of a failure that may
	// pass (a site down): from 2 s, doubling, to at most 10 minutes apart, as the
	// activity's retry policy did; it is retried for as long as it takes.
	announceFirstRetry = 2 * time.Second
	announceMaxRetry   = 10 * time.Minute
)

// Giving way: an announcement is background work, staff actions are someone waiting at
// a desk. While this process's projections show staff acting (one within announceQuiet),
// the announcer holds an announcement back, for at most announceGiveWay after it was
// queued, as the acknowledger gives way to a burst of intake. Measured with the bench: 8
// clients publishing at once came out at about 2.8× a bare Update with the announcements
// running beside them, and at about 2.1× (as the other actions) without.
const (
	announceQuiet   = 150 * time.Millisecond
	announceGiveWay = 2 * time.Second
)

// announceWake carries the projections' hint that an announcement was queued, so that the
// announcer of this process takes it at once instead of at its next pass; lastProjection
// is when this process last wrote one (Unix nanoseconds). Only hints: a wake lost, or the
// projections of another process's worker, change nothing but a second's wait or a
// moment's overlap.
var (
	announceWake   = make(chan struct{}, 1)
	lastProjection atomic.Int64
)

// projected is the projections' hook (activities.Activities.Projected): it never blocks.
func projected(announced bool) {
	lastProjection.Store(time.Now().UnixNano())
	if announced {
		wakeAnnouncer()
	}
}

// wakeAnnouncer wakes this process's announcer, if it is not awake already.
func wakeAnnouncer() {
	select {
	case announceWake <- struct{}{}:
	default:
	}
}

// giveWay waits while staff are acting, until p has waited announceGiveWay since it was
// queued or ctx is stopping.
func giveWay(ctx context.Context, p store.PendingAnnouncement) {
	for !drain.Stopping(ctx) && time.Since(p.QueuedAt) < announceGiveWay &&
		time.Since(time.Unix(0, lastProjection.Load())) < announceQuiet {
		select {
		case <-drain.Done(ctx):
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// RunAnnouncer carries out, every interval and whenever a projection of this process
// queued one, the publications' announcements with a, until ctx ends; each gives way to
// staff actions for at most announceGiveWay.
func RunAnnouncer(ctx context.Context, a *activities.Announcer, db *store.DB, interval time.Duration) {
	everyTick(ctx, interval, announceWake, func() {
		for announce(ctx, a, db) == announceBatch {
			// A full batch: there may be more waiting.
		}
	})
}

// announce carries out one batch and returns its size.
func announce(ctx context.Context, a *activities.Announcer, db *store.DB) int {
	pending, err := db.ClaimAnnouncements(ctx, announceHold, announceBatch)
	if err != nil {
		if ctx.Err() == nil {
			slog.Warn("announcer: reading queued announcements failed", "err", err)
		}
		return 0
	}
	for i, p := range pending {
		giveWay(ctx, p)
		if drain.Stopping(ctx) {
			releaseAnnouncements(ctx, db, pending[i:])
			return 0
		}
		announceOne(ctx, a, db, p)
	}
	return len(pending)
}

// announceOne carries out one announcement and records what became of it: done, or due
// again after a wait that doubles with each attempt. The log names the complaint's code
// only: the errors hold no personal data, but the request is not logged either.
func announceOne(ctx context.Context, a *activities.Announcer, db *store.DB, p store.PendingAnnouncement) {
	req, err := p.AnnounceRequest()
	if err == nil {
		actx, cancel := context.WithTimeout(ctx, announceTimeout)
		err = a.Announce(actx, req)
		cancel()
	}
	// What is recorded is recorded even when the worker is stopping.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var app *temporal.ApplicationError
	switch {
	case err == nil:
		err = db.AnnouncementDone(rctx, p, "")
	case errors.As(err, &app) && app.NonRetryable():
		slog.Warn("announcer: the announcement cannot be carried out", "code", p.Code, "err", err)
		err = db.AnnouncementDone(rctx, p, err.Error())
	default:
		wait := retryWait(p.Attempts)
		slog.Warn("announcer: the announcement failed; will retry", "code", p.Code, "attempt", p.Attempts, "in", wait, "err", err)
		err = db.AnnouncementRetry(rctx, p, wait, err.Error())
	}
	if err != nil {
		slog.Warn("announcer: recording the announcement's outcome failed; it is taken again after its hold", "code", p.Code, "err", err)
	}
}

// retryWait is how long an announcement waits after its attempt-th failure (the shift
// is bounded: 2 s << 9 is past the 10 minutes already).
func retryWait(attempt int) time.Duration {
	return min(announceFirstRetry<<min(max(attempt-1, 0), 9), announceMaxRetry)
}

// releaseAnnouncements gives back what a stopping announcer claimed but did not reach,
// so that another worker takes it at once rather than after announceHold.
func releaseAnnouncements(ctx context.Context, db *store.DB, rest []store.PendingAnnouncement) {
	giveBack(ctx, "announcer", "announcements", len(rest), func(rctx context.Context) error {
		return db.ReleaseAnnouncements(rctx, rest)
	})
}

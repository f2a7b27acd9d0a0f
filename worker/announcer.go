package worker

import (
	"context"
	"errors"
	"log/slog"
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

// announceWake carries the projections' hint that an announcement was queued
// (activities.Activities.Announced), so that the announcer of this process takes it at
// once instead of at its next pass. Only a hint: a wake lost or meant for another
// process's worker changes nothing but a second's wait.
var announceWake = make(chan struct{}, 1)

// wakeAnnouncer is the projections' hook: it never blocks.
func wakeAnnouncer() {
	select {
	case announceWake <- struct{}{}:
	default:
	}
}

// RunAnnouncer carries out, every interval and whenever a projection of this process
// queued one, the publications' announcements with a, until ctx ends.
func RunAnnouncer(ctx context.Context, a *activities.Announcer, db *store.DB, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-drain.Done(ctx):
			return
		case <-t.C:
		case <-announceWake:
		}
		for announce(ctx, a, db) == announceBatch {
			// A full batch: there may be more waiting.
		}
	}
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

// retryWait is how long an announcement waits after its attempt-th failure.
func retryWait(attempt int) time.Duration {
	wait := announceFirstRetry
	for i := 1; i < attempt && wait < announceMaxRetry; i++ {
		wait *= 2
	}
	return min(wait, announceMaxRetry)
}

// releaseAnnouncements gives back what a stopping announcer claimed but did not reach,
// so that another worker takes it at once rather than after announceHold.
func releaseAnnouncements(ctx context.Context, db *store.DB, rest []store.PendingAnnouncement) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := db.ReleaseAnnouncements(rctx, rest); err != nil {
		slog.Warn("announcer: giving back announcements failed; they wait for their hold", "count", len(rest), "err", err)
		return
	}
	slog.Info("announcer: stopping; gave back announcements", "count", len(rest))
}

package worker

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"aduan/activities"
	"aduan/domain"
	"aduan/drain"
	"aduan/store"
)

// RunBackground runs, until ctx ends, the worker's loops over PostgreSQL: the relay
// (relayEvery), the acknowledger, the announcer of publications (to the sites of
// WithPublisher; none without it) and the outbox of automatic replies and resends (every
// second), and with WithWhatsAppMedia or WithMediaFetcher the media fetcher (every
// second). n delivers the messages (nil: to the log only).
func RunBackground(ctx context.Context, c client.Client, db *store.DB, taskQueue string, n *activities.Notifier, relayEvery time.Duration, opts ...Option) {
	n = notifierOn(n, db)
	b := optionsOf(opts)
	p := publisherOn(b.publisher, db)
	// The loops stop taking work when ctx ends; what they hold has the stop timeout.
	ctx, cancel := drain.Context(ctx, b.stopTimeout)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(4)
	go func() { defer wg.Done(); RunRelay(ctx, c, db, taskQueue, relayEvery) }()
	go func() { defer wg.Done(); RunAcknowledger(ctx, n, time.Second) }()
	go func() {
		defer wg.Done()
		RunAnnouncer(ctx, &activities.Announcer{Notifier: n, Publisher: p}, db, time.Second)
	}()
	go func() { defer wg.Done(); RunOutbox(ctx, n, time.Second) }()
	runMedia(ctx, &wg, db, opts)
	wg.Wait()
}

// ackHold is how long a worker holds the acknowledgements it took before another may
// take them. A batch (ackBatch) normally goes out well within it; when a slow provider
// makes it last longer, another worker takes the rest, and the message of each is still
// sent once: Notify claims the outbox row itself right before its send
// (store.ClaimNotifications), and the worker that comes second finds it sent or in flight
// (activities.ErrInFlight) and leaves it.
const ackHold = 2 * time.Minute

// RunAcknowledger sends, every interval until ctx ends, the acknowledgement of each new
// complaint (its code and tracking link, on the complainant's channel) through n. It
// works from PostgreSQL alone, so a complainant hears back even while Temporal is down.
// Several workers may run it: each takes its own batch. A failed delivery is tried again
// once the hold has passed; the outbox never sends one twice.
func RunAcknowledger(ctx context.Context, n *activities.Notifier, interval time.Duration) {
	everyTick(ctx, interval, nil, func() {
		for acknowledge(ctx, n) == ackBatch {
			// A full batch: there may be more waiting.
		}
	})
}

// ackBatch is how many acknowledgements one claim takes: small enough that a batch goes
// out within ackHold even at a few seconds a message, and that two workers share a
// backlog rather than one taking it all.
const ackBatch = 10

// acknowledge sends one batch and returns its size. During a burst of intake it waits
// (at most 2 s for any complaint): the complainants get their codes from the intake
// response at once, and the burst itself goes at the speed of PostgreSQL. With nothing
// pending it costs one query.
func acknowledge(ctx context.Context, n *activities.Notifier) int {
	pending, err := n.DB.ClaimAcks(ctx, ackHold, ackBatch)
	if err != nil {
		if ctx.Err() == nil {
			slog.Warn("acknowledger: reading pending acknowledgements failed", "err", err)
		}
		return 0
	}
	for len(pending) > 0 && !drain.Stopping(ctx) {
		busy, err := n.DB.IntakeBusy(ctx, 200*time.Millisecond, 2*time.Second)
		if err != nil || !busy {
			break
		}
		select {
		case <-drain.Done(ctx):
		case <-time.After(100 * time.Millisecond):
		}
	}
	for i, p := range pending {
		if drain.Stopping(ctx) {
			releaseAcks(ctx, n.DB, pending[i:])
			return 0
		}
		sctx, cancel := context.WithTimeout(ctx, time.Minute) // as the Notify activity's start-to-close
		_, err := n.Notify(sctx, domain.NotifyRequest{Key: p.Code + "/ack", Code: p.Code, Kind: domain.NotifyAck,
			Status: domain.StatusReceived, Due: p.CreatedAt})
		cancel()
		if errors.Is(err, activities.ErrInFlight) {
			// Another worker took it once this batch's hold passed; it records it.
			continue
		}
		var app *temporal.ApplicationError
		if err != nil && !(errors.As(err, &app) && app.NonRetryable()) {
			slog.Warn("acknowledger: delivery failed; will try again", "code", p.Code, "err", err)
			continue
		}
		if err != nil {
			slog.Warn("acknowledger: cannot be delivered", "code", p.Code, "err", err)
		}
		if err := n.DB.AckSent(ctx, p.Code); err != nil {
			slog.Warn("acknowledger: recording the acknowledgement failed", "code", p.Code, "err", err)
		}
	}
	return len(pending)
}

package worker

import (
	"context"
	"time"

	sdkworker "go.temporal.io/sdk/worker"

	"aduan/store"
)

// A graceful stop. When its process is asked to stop, a worker takes no new work and
// gives the work in hand up to the stop timeout: the Temporal worker waits for the
// activities it runs (worker.Options.WorkerStopTimeout; after it their contexts are
// cancelled and Temporal retries them elsewhere), and each of RunBackground's loops
// finishes the item it holds (an acknowledgement or a message being sent, a workflow
// being started, a file being fetched) and takes no other (package drain). What a loop
// had claimed but not reached is given back at once (the acknowledgements,
// store.ReleaseAcks; the announcements, store.ReleaseAnnouncements; the relay's batch) or
// taken again by another worker when its lease
// has passed (the outbox's rows, the media).

// WithStopTimeout gives the work in hand d to finish when the worker stops: the
// activities of NewWithPublisher's worker and the items RunBackground's loops hold.
// Without it both stop at once, cancelling what runs.
func WithStopTimeout(d time.Duration) Option {
	return func(b *background) { b.stopTimeout = d }
}

// optionsOf applies opts.
func optionsOf(opts []Option) background {
	var b background
	for _, o := range opts {
		o(&b)
	}
	return b
}

// optionsWith is Options with the stop timeout and the deployment version opts give.
func optionsWith(opts []Option) sdkworker.Options {
	o := Options()
	b := optionsOf(opts)
	o.WorkerStopTimeout = b.stopTimeout
	o.DeploymentOptions = deploymentOptions(b)
	return o
}

// releaseAcks gives back the acknowledgements a stopping acknowledger claimed but did
// not reach, so that another worker sends them at once rather than after ackHold.
func releaseAcks(ctx context.Context, db *store.DB, rest []store.PendingAck) {
	giveBack(ctx, "acknowledger", "unsent acknowledgements", len(rest), func(rctx context.Context) error {
		return db.ReleaseAcks(rctx, rest)
	})
}

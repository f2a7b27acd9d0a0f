// Package worker wires the complaint workflow and its activities into a Temporal worker,
// and runs the relay that starts workflows intake could not start.
package worker

import (
	"context"
	"log/slog"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"aduan/activities"
	"aduan/domain"
	"aduan/drain"
	"aduan/store"
	"aduan/workflows"
)

// New builds a worker for the complaint task queue. n delivers notifications (nil: to
// the log only; its DB defaults to db). Its PublishExternal activity pushes to no
// external site; NewWithPublisher chooses the sites.
func New(c client.Client, db *store.DB, taskQueue string, n *activities.Notifier) sdkworker.Worker {
	return NewWithPublisher(c, db, taskQueue, n, nil)
}

// NewWithPublisher is New with the PublishExternal activity's publisher p (nil: one
// with no sites, which succeeds without pushing anything; its DB defaults to db).
func NewWithPublisher(c client.Client, db *store.DB, taskQueue string, n *activities.Notifier,
	p *activities.Publisher, opts ...Option) sdkworker.Worker {
	w := sdkworker.New(c, taskQueue, optionsWith(opts))
	Register(w, &activities.Activities{DB: db, Projected: projected}, notifierOn(n, db), publisherOn(p, db))
	return w
}

// notifierOn is n, or one that delivers to the log only when nil, with db as its DB
// unless it has one.
func notifierOn(n *activities.Notifier, db *store.DB) *activities.Notifier {
	if n == nil {
		n = &activities.Notifier{}
	}
	if n.DB == nil {
		n.DB = db
	}
	return n
}

// publisherOn is p, or one with no sites when nil, with db as its DB unless it has one.
func publisherOn(p *activities.Publisher, db *store.DB) *activities.Publisher {
	if p == nil {
		p = &activities.Publisher{}
	}
	if p.DB == nil {
		p.DB = db
	}
	return p
}

// WithPublisher has RunBackground's announcer push the publications to p's sites (its
// DB defaults to RunBackground's). The worker's AnnouncePublication activity, which
// workflows that published before the announcer existed still run, is given the same
// publisher through NewWithPublisher.
func WithPublisher(p *activities.Publisher) Option {
	return func(b *background) { b.publisher = p }
}

// Options are the worker's settings. More workflow-task pollers than the SDK's 2: the
// sticky queue takes half of them, and a new complaint's first task (and any task whose
// workflow left the cache) waits on the shared queue until a poller is free. Measured
// with make bench: with 2, a new complaint's first workflow task waited about 450 ms on a
// busy worker and the first action after intake took up to a second; with 8 it is picked
// up at once. Idle pollers cost a long-poll request each, nothing more.
func Options() sdkworker.Options {
	return sdkworker.Options{
		MaxConcurrentWorkflowTaskPollers: 8,
		MaxConcurrentActivityTaskPollers: 4,
	}
}

// Registry is the part of a worker (or a test environment) that takes registrations.
type Registry interface {
	RegisterWorkflowWithOptions(w any, options workflow.RegisterOptions)
	RegisterActivityWithOptions(a any, options activity.RegisterOptions)
}

// Register registers the workflow and activities under their stable names. Each
// activity is a method value of the signature the workflow's wrapper for that name
// expects (workflows.ProjectActivity and the others), so the compiler checks that what
// runs under a name takes and returns what the workflow sends and reads.
func Register(r Registry, a *activities.Activities, n *activities.Notifier, p *activities.Publisher) {
	var (
		project  workflows.ProjectActivity         = a.ProjectComplaint
		notify   workflows.NotifyActivity          = n.Notify
		publish  workflows.PublishExternalActivity = p.PublishExternal
		announce workflows.AnnounceActivity        = (&activities.Announcer{Notifier: n, Publisher: p}).Announce
	)
	r.RegisterWorkflowWithOptions(workflows.Complaint, workflow.RegisterOptions{Name: workflows.WorkflowName})
	r.RegisterActivityWithOptions(project, activity.RegisterOptions{Name: domain.ActivityProject})
	r.RegisterActivityWithOptions(notify, activity.RegisterOptions{Name: domain.ActivityNotify})
	r.RegisterActivityWithOptions(publish, activity.RegisterOptions{Name: domain.ActivityPublishExternal})
	r.RegisterActivityWithOptions(announce, activity.RegisterOptions{Name: domain.ActivityAnnounce})
}

// Relay claims: several workers run the relay, and each start is a request to a Temporal
// server that may just have come back from an outage. A relay claims its batch
// (store.ClaimUnstarted, FOR UPDATE SKIP LOCKED, for relayHold) so that two relays do not
// both start one complaint; were they to (a claim that passed), Temporal still runs one
// workflow: the start uses the complaint's workflow ID with USE_EXISTING, and starting
// one that ran is not an error (workflows.Start). Marking it started is idempotent.
const (
	// RelayEvery is how often the relay looks for unstarted complaints, and how long a
	// complaint is left to the API's starter first: longer than the starter gives way to
	// a burst of intake (workflows.StartGiveWay), so that the relay takes only what the
	// starter could not start, not what it is holding back.
	RelayEvery = workflows.StartGiveWay + 5*time.Second
	// relayBatch is how many complaints one claim takes.
	relayBatch = 50
	// relayStartTimeout bounds one start request.
	relayStartTimeout = 10 * time.Second
	// relayHold is how long a relay holds its batch. It stops starting once less than
	// one start's time is left of it, and gives back the rest with what Temporal refused.
	relayHold = 2 * time.Minute
)

// RunRelay starts, every interval, the workflows of complaints that intake recorded while
// Temporal was unreachable, until ctx ends. Nothing reported is lost to an outage.
func RunRelay(ctx context.Context, c client.Client, db *store.DB, taskQueue string, interval time.Duration) {
	everyTick(ctx, interval, nil, func() { relayOnce(ctx, c, db, taskQueue, interval) })
}

// relayOnce claims one batch of unstarted complaints (recorded more than grace ago: the
// API's starter is given that long) and starts their workflows.
func relayOnce(ctx context.Context, c client.Client, db *store.DB, taskQueue string, grace time.Duration) {
	claimed := time.Now()
	claim, err := db.ClaimUnstarted(ctx, claimed.Add(-grace), relayHold, relayBatch)
	if err != nil {
		if ctx.Err() == nil {
			slog.Warn("relay: listing unstarted complaints failed", "err", err)
		}
		return
	}
	if len(claim.Cases) == 0 {
		return
	}
	giveBack := func(rest []domain.CaseState) {
		codes := make([]string, len(rest))
		for i, s := range rest {
			codes[i] = s.Code
		}
		if err := db.ReleaseUnstarted(context.WithoutCancel(ctx), claim, codes); err != nil {
			slog.Warn("relay: giving back unstarted complaints failed", "err", err)
		}
	}
	policy, err := db.CurrentSLAPolicy(ctx)
	if err != nil {
		slog.Warn("relay: reading the deadline policy failed", "err", err)
		giveBack(claim.Cases)
		return
	}
	for i, s := range claim.Cases {
		if time.Since(claimed) > relayHold-relayStartTimeout || drain.Stopping(ctx) {
			giveBack(claim.Cases[i:])
			return
		}
		sctx, cancel := context.WithTimeout(ctx, relayStartTimeout)
		err := workflows.Start(sctx, c, taskQueue, workflows.NewInput(s, policy, nil))
		cancel()
		if err != nil {
			slog.Warn("relay: start failed; will retry", "code", s.Code, "err", err)
			giveBack(claim.Cases[i:])
			return
		}
		if err := db.MarkWorkflowStarted(ctx, s.Code); err != nil {
			slog.Warn("relay: marking started failed", "code", s.Code, "err", err)
		}
		slog.Info("relay: started complaint workflow", "code", s.Code)
	}
}

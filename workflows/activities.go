package workflows

import (
	"context"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"aduan/domain"
)

// The activities the workflow runs. Workflows import only domain, so they cannot call the
// implementations (package activities) as method values; instead the typed wrappers below
// are the only places that name an activity, and the signatures here are what the worker
// must register under those names (worker.Register assigns each implementation to one of
// these types, so the compiler checks both sides).
type (
	// ProjectActivity writes an event and the state after it to PostgreSQL and lays out
	// the plans it asks for (domain.ActivityProject).
	ProjectActivity func(context.Context, domain.Projection) (domain.ProjectResult, error)
	// NotifyActivity writes a notification to the outbox and delivers it, and says
	// whether it reached the complainant (domain.ActivityNotify).
	NotifyActivity func(context.Context, domain.NotifyRequest) (domain.NotifyOutcome, error)
	// AnnounceActivity tells the complainant a published answer and pushes it to the
	// regency's websites (domain.ActivityAnnounce).
	AnnounceActivity func(context.Context, domain.AnnounceRequest) error
	// PublishExternalActivity pushes a published answer to the websites
	// (domain.ActivityPublishExternal). The workflow does not call it on its own (the
	// announcement does both halves); the worker registers it for direct use.
	PublishExternalActivity func(context.Context, domain.PublishRequest) error
)

// projectionPatience is how long a projection keeps retrying: a year, that is, for as
// long as any database outage lasts.
const projectionPatience = 365 * 24 * time.Hour

// projectionRetry never gives up: a projection waits out a database outage and lands
// exactly once (ProjectComplaint is idempotent by sequence number).
var projectionRetry = &temporal.RetryPolicy{InitialInterval: 200 * time.Millisecond, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second}

// projectLocal runs the projection as a local activity: on the worker, inside the
// workflow task that handles the Update, so an action costs one workflow task instead of
// two plus an activity task, and is still one billed action (its marker). A worker killed
// mid-projection loses the task; the next attempt projects the same sequence number again
// and replaces what the lost attempt may have written, so PostgreSQL ends with what
// history keeps.
func projectLocal(ctx workflow.Context, p domain.Projection) (domain.ProjectResult, error) {
	lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 15 * time.Second,
		// Unlike an activity's, a local activity's retries end at its ScheduleToClose,
		// which defaults to StartToClose: 15 s of database outage would fail the action
		// after the workflow applied it. It retries as long as the database is away.
		ScheduleToCloseTimeout: projectionPatience,
		RetryPolicy:            projectionRetry,
	})
	var res domain.ProjectResult
	err := workflow.ExecuteLocalActivity(lctx, domain.ActivityProject, p).Get(ctx, &res)
	return res, err
}

// notifyActivity starts the notify activity with ctx's activity options.
func notifyActivity(ctx workflow.Context, req domain.NotifyRequest) workflow.Future {
	return workflow.ExecuteActivity(ctx, domain.ActivityNotify, req)
}

// announceActivity starts the announcement of a publication with ctx's activity options.
func announceActivity(ctx workflow.Context, req domain.AnnounceRequest) workflow.Future {
	return workflow.ExecuteActivity(ctx, domain.ActivityAnnounce, req)
}

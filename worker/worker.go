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
	"aduan/store"
	"aduan/workflows"
)

// New builds a worker for the complaint task queue.
func New(c client.Client, db *store.DB, taskQueue string) sdkworker.Worker {
	w := sdkworker.New(c, taskQueue, sdkworker.Options{})
	Register(w, &activities.Activities{DB: db})
	return w
}

// Registry is the part of a worker (or a test environment) that takes registrations.
type Registry interface {
	RegisterWorkflowWithOptions(w any, options workflow.RegisterOptions)
	RegisterActivityWithOptions(a any, options activity.RegisterOptions)
}

// Register registers the workflow and activities under their stable names.
func Register(r Registry, a *activities.Activities) {
	r.RegisterWorkflowWithOptions(workflows.Complaint, workflow.RegisterOptions{Name: workflows.WorkflowName})
	r.RegisterActivityWithOptions(a.ProjectComplaint, activity.RegisterOptions{Name: domain.ActivityProject})
}

// RunRelay starts, every interval, the workflows of complaints that intake recorded while
// Temporal was unreachable, until ctx ends. Nothing reported is lost to an outage.
func RunRelay(ctx context.Context, c client.Client, db *store.DB, taskQueue string, policy domain.Policy, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cases, err := db.UnstartedCases(ctx, time.Now().Add(-interval), 100)
		if err != nil {
			slog.Warn("relay: listing unstarted complaints failed", "err", err)
			continue
		}
		for _, s := range cases {
			if err := workflows.Start(ctx, c, taskQueue, s, policy); err != nil {
				slog.Warn("relay: start failed; will retry", "code", s.Code, "err", err)
				break
			}
			if err := db.MarkWorkflowStarted(ctx, s.Code); err != nil {
				slog.Warn("relay: marking started failed", "code", s.Code, "err", err)
			}
			slog.Info("relay: started complaint workflow", "code", s.Code)
		}
	}
}

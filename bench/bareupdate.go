package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"
)

// The staff actions' baseline: a Workflow Update whose handler only returns, sent the way
// the core sends an action (UpdateWorkflow waiting for the Completed stage, then Get),
// without the HTTP request, the sign-in, the validator, the projection to PostgreSQL or
// the timers a real action sets. Whatever a staff action costs beyond this is ours.

// bareUpdateWorkflowName is the baseline workflow: it takes its Updates and completes
// after the last.
const bareUpdateWorkflowName = "AduanBenchBareUpdate"

// bareUpdateName is its one Update.
const bareUpdateName = "bare"

// bareUpdateWorkflow answers want Updates whose handler only returns, then completes.
func bareUpdateWorkflow(ctx workflow.Context, want int) error {
	n := 0
	if err := workflow.SetUpdateHandler(ctx, bareUpdateName, func(workflow.Context) error {
		n++
		return nil
	}); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return n >= want && workflow.AllHandlersFinished(ctx) })
}

// BareUpdates starts m baseline workflows (not timed), then on conc clients sends each of
// them per Updates one after another, as a lifecycle's actions go to one complaint, and
// times every Update. The CPU it reports is the Updates' alone.
func BareUpdates(ctx context.Context, s *Stack, m, per, conc int) (Latency, CPUUse, error) {
	ids := make([]string, m)
	if _, err := hammer(ctx, m, conc, func(ctx context.Context, i int) error {
		ids[i] = "bench-bare/" + randomHex(8)
		_, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: ids[i], TaskQueue: s.TaskQueue},
			bareUpdateWorkflowName, per)
		return err
	}); err != nil {
		return Latency{}, CPUUse{}, fmt.Errorf("start: %w", err)
	}
	if _, err := Quiesce(ctx, s); err != nil {
		return Latency{}, CPUUse{}, err
	}
	s.settle(ctx)
	var (
		mu sync.Mutex
		d  = make([]time.Duration, 0, m*per)
	)
	start, before := time.Now(), s.cpuNow(ctx)
	walked, err := hammer(ctx, m, conc, func(ctx context.Context, i int) error {
		for range per {
			t0 := time.Now()
			if err := sendBare(ctx, s, ids[i], ""); err != nil {
				return err
			}
			el := time.Since(t0)
			mu.Lock()
			d = append(d, el)
			mu.Unlock()
		}
		return nil
	})
	use := s.cpuNow(ctx).since(before)
	if err != nil {
		return Latency{}, use, err
	}
	return summarise(d, walked.Errors*per, time.Since(start)), use, nil
}

// BareLifecycles is the lifecycle's ceiling: m workflows of the bare-Update kind walked
// on conc clients, each started, sent per Updates one after another and awaited, so a
// walk is what any lifecycle of per actions taken as Updates must do at least, with no
// HTTP, no PostgreSQL, no timers and no search attributes. One call is one walk.
func BareLifecycles(ctx context.Context, s *Stack, m, per, conc int) (Latency, error) {
	s.settle(ctx)
	return hammer(ctx, m, conc, func(ctx context.Context, i int) error {
		run, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "bench-barewalk/" + randomHex(8),
			TaskQueue: s.TaskQueue}, bareUpdateWorkflowName, per)
		if err != nil {
			return err
		}
		for range per {
			if err := sendBare(ctx, s, run.GetID(), run.GetRunID()); err != nil {
				return err
			}
		}
		return run.Get(ctx, nil)
	})
}

// sendBare sends one bare Update the way the core sends an action: UpdateWorkflow waiting
// for the Completed stage, then Get.
func sendBare(ctx context.Context, s *Stack, workflowID, runID string) error {
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: workflowID, RunID: runID,
		UpdateName: bareUpdateName, UpdateID: randomHex(8), WaitForStage: client.WorkflowUpdateStageCompleted})
	if err != nil {
		return err
	}
	return h.Get(ctx, nil)
}

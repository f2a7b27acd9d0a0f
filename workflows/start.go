package workflows

import (
	"context"
	"errors"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"aduan/domain"
)

// StartGiveWay is how long, at most, a new complaint's workflow start gives way to a
// burst of intake. Intake has committed the complaint, its deadlines are planned from
// when it was received, its acknowledgement goes out from PostgreSQL and an action that
// comes first starts the workflow itself: a start that waits costs the complainant
// nothing, while starts that compete with a burst for the same cores make every
// complaint of it slower to take (docs/PERFORMANCE.md, the intake figure). The worker's
// relay (worker.RelayEvery) waits longer than this before it starts what the starter
// has not.
const StartGiveWay = 10 * time.Second

// NewInput is a new complaint's workflow input: its first stage and its overall clock
// planned from intake with policy (or with override, which then stays with the complaint).
func NewInput(state domain.CaseState, policy domain.SLAPolicy, override *domain.SLAPolicy) Input {
	res := policy.Plans(domain.PlanRequest{Status: state.Status, Priority: state.EffectivePriority(),
		Start: state.ReceivedAt, Override: override, Overall: true, OverallStart: state.ReceivedAt})
	state.Deadline, state.OverallDeadline = res.Stage.Deadline, res.OverallDeadline()
	return Input{Case: state, SLA: override, Stage: &res.Stage, Overall: res.Overall, StageSeq: state.Seq}
}

// Start starts a complaint's workflow. Starting one that already runs, or ran, is not an
// error: intake and the relay may both try, and either is fine.
func Start(ctx context.Context, c client.Client, taskQueue string, in Input) error {
	opts := startOptions(taskQueue, in)
	// Where the starting process also runs the worker (aduan dev, one-machine
	// deployments), the server hands the first workflow task straight back to it instead
	// of queueing it. Elsewhere it is ignored.
	opts.EnableEagerStart = true
	_, err := c.ExecuteWorkflow(ctx, opts, WorkflowName, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil
	}
	return err
}

// UpdateWithStart sends an Update to a complaint's workflow, starting the workflow in
// the same request if it does not run yet: an action that reaches a complaint before its
// workflow was started is delivered in the workflow's first task, without waiting for it.
func UpdateWithStart(ctx context.Context, c client.Client, taskQueue string, in Input,
	update client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	op := c.NewWithStartWorkflowOperation(startOptions(taskQueue, in), WorkflowName, in)
	return c.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{StartWorkflowOperation: op, UpdateOptions: update})
}

// startOptions are the options every start of a complaint's workflow uses.
func startOptions(taskQueue string, in Input) client.StartWorkflowOptions {
	state := in.Case
	return client.StartWorkflowOptions{
		ID:                       domain.WorkflowID(state.Code),
		TaskQueue:                taskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes:    InitialSearchAttributes(state),
		StaticSummary:            summary(state),
	}
}

// summary is the one line the Temporal UI shows for a complaint: its code, channel and
// place. No personal data.
func summary(s domain.CaseState) string {
	text := "Aduan " + s.Code + " · kanal " + s.Channel
	if s.Kecamatan != "" {
		text += " · kec. " + s.Kecamatan
	}
	if s.Desa != "" {
		text += " · desa " + s.Desa
	}
	return text
}

package workflows

import (
	"context"
	"errors"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"aduan/domain"
)

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
	state := in.Case
	opts := client.StartWorkflowOptions{
		ID:                       domain.WorkflowID(state.Code),
		TaskQueue:                taskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes:    InitialSearchAttributes(state),
		StaticSummary:            summary(state),
	}
	_, err := c.ExecuteWorkflow(ctx, opts, WorkflowName, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil
	}
	return err
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

// Package workflows holds the complaint workflow: one durable workflow per complaint that
// carries it from intake to a published answer. Staff actions arrive as Updates whose
// validators enforce status, role and assignment; every transition is projected into
// PostgreSQL by an activity before the Update returns, so the API reads its own writes.
package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"aduan/domain"
)

// WorkflowName is the registered name of the complaint workflow.
const WorkflowName = "Complaint"

// QueryState returns the live domain.CaseState.
const QueryState = "state"

// Input starts (or continues) a complaint workflow.
type Input struct {
	// Case is the complaint as intake recorded it (status received, seq 1), or the state
	// carried over by continue-as-new.
	Case   domain.CaseState `json:"case"`
	Policy domain.Policy    `json:"policy"`
}

// complaint is the running workflow's memory.
type complaint struct {
	state  domain.CaseState
	policy domain.Policy
	// version changes with every transition, so the main loop knows to re-arm its timer.
	version int
	// searched is what the search attributes show now.
	searched searchValues
}

// Complaint is the workflow function.
func Complaint(ctx workflow.Context, in Input) (domain.CaseState, error) {
	w := &complaint{state: in.Case, policy: in.Policy.WithDefaults()}
	w.searched = searchValuesOf(w.state)
	if err := w.registerHandlers(ctx); err != nil {
		return w.state, err
	}
	w.describe(ctx)

	for {
		wake, ok := w.nextWake()
		seen := w.version
		changed := func() bool {
			return w.version != seen || workflow.GetInfo(ctx).GetContinueAsNewSuggested()
		}
		var err error
		fired := false
		if ok {
			var satisfied bool
			satisfied, err = workflow.AwaitWithTimeout(ctx, wake.Sub(workflow.Now(ctx)), changed)
			fired = !satisfied
		} else {
			err = workflow.Await(ctx, changed)
		}
		if err != nil {
			return w.state, err
		}
		if fired {
			done, err := w.onTimer(ctx)
			if err != nil {
				return w.state, err
			}
			if done {
				break
			}
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
				return w.state, err
			}
			return w.state, workflow.NewContinueAsNewError(ctx, WorkflowName, Input{Case: w.state, Policy: in.Policy})
		}
	}
	// Let an Update that arrived at the last moment finish before the run ends.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return w.state, err
	}
	return w.state, nil
}

// nextWake is when the workflow must act by itself: the stage deadline (to mark the
// complaint overdue), the end of the feedback window (to close a published complaint),
// or the end of the archive period (to finish the run).
func (w *complaint) nextWake() (time.Time, bool) {
	s := w.state
	switch {
	case s.Status.Final():
		if s.ClosedAt == nil {
			return time.Time{}, false
		}
		return s.ClosedAt.Add(w.policy.ArchiveAfter), true
	case s.Deadline == nil:
		return time.Time{}, false
	case s.Status == domain.StatusPublished:
		return *s.Deadline, true
	case s.Overdue:
		return time.Time{}, false
	}
	return *s.Deadline, true
}

// onTimer makes the timed transition that is due; done says the run may end.
func (w *complaint) onTimer(ctx workflow.Context) (done bool, err error) {
	now := workflow.Now(ctx)
	s := &w.state
	system := domain.Actor{Username: "system", Role: domain.RoleSystem}
	switch {
	case s.Status.Final():
		return true, nil
	case s.Status == domain.StatusPublished:
		w.enter(ctx, domain.StatusClosed)
		s.ClosedAt = &now
		_, err := w.record(ctx, system, domain.ActionClose, "Masa tanggapan pelapor berakhir; aduan selesai.")
		return false, err
	case s.Deadline != nil && !now.Before(*s.Deadline):
		s.Overdue = true
		_, err := w.record(ctx, system, domain.ActionOverdue, "Tenggat tahap ini terlewati.")
		return false, err
	}
	return false, nil
}

// enter moves the complaint to a new status and starts that stage's clock.
func (w *complaint) enter(ctx workflow.Context, status domain.Status) {
	s := &w.state
	s.Status = status
	w.restartClock(ctx)
}

// restartClock starts the current stage's deadline from now.
func (w *complaint) restartClock(ctx workflow.Context) {
	s := &w.state
	now := workflow.Now(ctx)
	s.StageStartedAt = now
	s.Overdue = false
	s.Deadline = nil
	var d time.Duration
	if s.Status == domain.StatusPublished {
		d = w.policy.FeedbackWindow
	} else {
		d = w.policy.StageDuration(s.Status, s.EffectivePriority())
	}
	if d > 0 && !s.Status.Final() {
		deadline := now.Add(d)
		s.Deadline = &deadline
	}
}

// record numbers a new event, refreshes the search attributes and summary, and projects
// the event and the new state into PostgreSQL. It returns when the projection is stored,
// with the state this event produced (whatever other Updates change meanwhile).
func (w *complaint) record(ctx workflow.Context, actor domain.Actor, action domain.Action, note string) (domain.CaseState, error) {
	w.state.Seq++
	w.version++
	p := domain.Projection{Seq: w.state.Seq, At: workflow.Now(ctx), Actor: actor, Action: action, Note: note, State: w.state}
	if err := w.refreshSearch(ctx); err != nil {
		return p.State, err
	}
	w.describe(ctx)
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 15 * time.Second,
		// Never give up: a projection waits out a database outage and lands exactly once.
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 200 * time.Millisecond, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second},
	})
	return p.State, workflow.ExecuteActivity(actx, domain.ActivityProject, p).Get(ctx, nil)
}

func (w *complaint) refreshSearch(ctx workflow.Context) error {
	n := searchValuesOf(w.state)
	updates := updatesBetween(&w.searched, n)
	if len(updates) == 0 {
		return nil
	}
	w.searched = n
	return workflow.UpsertTypedSearchAttributes(ctx, updates...)
}

// wita is the regency's time zone (UTC+8, no daylight saving), for the readable summary.
var wita = time.FixedZone("WITA", 8*3600)

// describe sets the workflow's current details shown in the Temporal UI: status, who has
// the ball and the deadline. No personal data.
func (w *complaint) describe(ctx workflow.Context) {
	s := w.state
	text := "**" + s.Status.Label() + "** (`" + string(s.Status) + "`)"
	if s.Pokja != "" {
		text += " · pokja `" + s.Pokja + "`"
	}
	if s.Partner != "" {
		text += " · mitra `" + s.Partner + "`"
	}
	if s.Category != "" {
		text += " · kategori `" + s.Category + "`"
	}
	if s.Deadline != nil {
		text += " · tenggat " + s.Deadline.In(wita).Format("02-01-2006 15:04") + " WITA"
	}
	if s.Overdue {
		text += " · **TERLAMBAT**"
	}
	workflow.SetCurrentDetails(ctx, text)
}

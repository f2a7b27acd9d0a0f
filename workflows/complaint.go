// Package workflows holds the complaint workflow: one durable workflow per complaint that
// carries it from intake to a published answer. Staff actions arrive as Updates whose
// validators enforce status, role and assignment; every transition is projected into
// PostgreSQL by an activity before the Update returns, so the API reads its own writes.
// The workflow's own timers keep its deadlines: reminders, overdue marks, escalations.
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

// changeWorkingTimeSLA versions the workflow's behaviour: DefaultVersion kept
// calendar-time deadlines in the workflow (see legacy.go); 1 brought working-time plans
// with reminders and escalations; 2 also writes to the complainant on their channel
// (acknowledgement, question, answer); 3 pushes published answers to the regency's
// websites and tells a merged duplicate's complainant where theirs went; 4 projects each
// event with a local activity, in the same workflow task as the Update that caused it
// (one round trip to the server instead of three), leaves the acknowledgement of intake
// to the worker's acknowledger, announces a publication with one activity and cancels
// stage timers a transition made useless (see docs/PERFORMANCE.md).
const changeWorkingTimeSLA = "working-time-sla"

// Input starts (or continues) a complaint workflow.
type Input struct {
	// Case is the complaint as intake recorded it (status received, seq 1), or the state
	// carried over by continue-as-new.
	Case domain.CaseState `json:"case"`
	// Policy drove the deadlines of runs that started before working-time plans.
	Policy domain.Policy `json:"policy"`
	// SLA, when set, replaces the regency's stored policy for this complaint (tests, demos).
	SLA *domain.SLAPolicy `json:"sla,omitempty"`
	// Stage and Overall are the plans of the running clocks: the current stage's and the
	// overall one from a complete report to its answer. Points already acted on are gone.
	Stage    *domain.Plan `json:"stage,omitempty"`
	Overall  *domain.Plan `json:"overall,omitempty"`
	StageSeq int64        `json:"stage_seq,omitempty"`
}

// complaint is the running workflow's memory.
type complaint struct {
	state domain.CaseState
	// plans says whether this run keeps working-time plans (false: a run from before).
	plans bool
	// tellsComplainant says whether this run writes to the complainant (false: from before).
	tellsComplainant bool
	// closesLoop says whether this run publishes externally and links duplicates.
	closesLoop bool
	// localProjection says whether this run projects with a local activity (false: from before).
	localProjection bool
	// policy is the calendar-time policy of runs from before working-time plans.
	policy domain.Policy
	sla    *domain.SLAPolicy
	stage  domain.Plan
	// stageSeq is the event that started the current stage's clock; only its plan counts.
	stageSeq int64
	overall  domain.Plan
	// planFor is the plan the next projection must ask for (nil: the clocks stay).
	planFor *domain.PlanRequest
	// version changes with every transition, so the main loop knows to re-arm its timer.
	version int
	// searched is what the search attributes show now.
	searched searchValues
	// notifying counts notifications still being delivered.
	notifying int
}

// Complaint is the workflow function.
func Complaint(ctx workflow.Context, in Input) (domain.CaseState, error) {
	w := &complaint{state: in.Case, policy: in.Policy.WithDefaults(), sla: in.SLA, stageSeq: in.StageSeq}
	version := workflow.GetVersion(ctx, changeWorkingTimeSLA, workflow.DefaultVersion, 4)
	w.plans, w.tellsComplainant, w.closesLoop = version >= 1, version >= 2, version >= 3
	w.localProjection = version >= 4
	if in.Stage != nil {
		w.stage = *in.Stage
	}
	if in.Overall != nil {
		w.overall = *in.Overall
	}
	w.searched = searchValuesOf(w.state)
	if err := w.registerHandlers(ctx); err != nil {
		return w.state, err
	}
	w.describe(ctx)
	// A new complaint (not a continuation) acknowledged its intake from here in versions 2
	// and 3; since version 4 the worker's acknowledger does, from PostgreSQL
	// (worker.RunAcknowledger), so that it goes out even while Temporal is down.
	isNew := w.state.Status == domain.StatusReceived && w.state.Seq == 1
	if w.tellsComplainant && !w.localProjection && isNew && workflow.GetInfo(ctx).ContinuedExecutionRunID == "" {
		// The complainant learns their code and tracking link on the channel they used.
		w.notify(ctx, w.state.Code+"/ack", domain.NotifyAck, workflow.Now(ctx))
	}

	for {
		wake, ok := w.nextWake()
		seen := w.version
		changed := func() bool {
			return w.version != seen || workflow.GetInfo(ctx).GetContinueAsNewSuggested()
		}
		var err error
		fired := false
		if ok && w.localProjection {
			fired, err = awaitOrTimer(ctx, wake.Sub(workflow.Now(ctx)), changed)
		} else if ok {
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
			if err := w.drain(ctx); err != nil {
				return w.state, err
			}
			next := Input{Case: w.state, Policy: in.Policy, SLA: w.sla, StageSeq: w.stageSeq}
			if w.plans {
				next.Stage, next.Overall = &w.stage, &w.overall
			}
			return w.state, workflow.NewContinueAsNewError(ctx, WorkflowName, next)
		}
	}
	// Let an Update that arrived at the last moment, and notifications, finish.
	return w.state, w.drain(ctx)
}

// awaitOrTimer waits until condition holds or d has passed, and reports whether the time
// ran out. Unlike workflow.AwaitWithTimeout in this SDK, a timer that is no longer needed
// is cancelled: otherwise every transition would leave its stage's timer to fire later
// and wake the workflow for nothing (version 4).
func awaitOrTimer(ctx workflow.Context, d time.Duration, condition func() bool) (bool, error) {
	if condition() {
		return false, nil
	}
	tctx, cancelTimer := workflow.WithCancel(ctx)
	timer := workflow.NewTimer(tctx, d)
	if err := workflow.Await(ctx, func() bool { return timer.IsReady() || condition() }); err != nil {
		cancelTimer()
		return false, err
	}
	if condition() {
		cancelTimer()
		return false, nil
	}
	return true, timer.Get(ctx, nil)
}

// drain waits for running Update handlers and notifications.
func (w *complaint) drain(ctx workflow.Context) error {
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && w.notifying == 0 })
}

func (w *complaint) nextWake() (time.Time, bool) {
	if w.plans {
		return w.nextPoint()
	}
	return w.nextWakeLegacy()
}

func (w *complaint) onTimer(ctx workflow.Context) (bool, error) {
	if w.plans {
		return w.onPoints(ctx)
	}
	return w.onTimerLegacy(ctx)
}

// enter moves the complaint to a new status and starts that stage's clock.
func (w *complaint) enter(ctx workflow.Context, status domain.Status) {
	w.state.Status = status
	w.restartClock(ctx, nil)
}

// restartClock starts the current stage's clock from now; until, when given, is the
// deadline a supervisor set.
func (w *complaint) restartClock(ctx workflow.Context, until *time.Time) {
	if !w.plans {
		w.restartClockLegacy(ctx, until)
		return
	}
	s := &w.state
	now := workflow.Now(ctx)
	if until == nil {
		s.StageStartedAt = now
	}
	s.Overdue = false
	s.Deadline = until
	w.stage = domain.Plan{}
	w.planFor = &domain.PlanRequest{Status: s.Status, Priority: s.EffectivePriority(), Start: s.StageStartedAt, Until: until, Override: w.sla}
	switch s.Status {
	case domain.StatusPublished, domain.StatusClosed, domain.StatusRejected:
		// The answer is given (or none is due): the overall clock stops.
		w.overall = domain.Plan{}
		s.OverallDeadline, s.OverallOverdue = nil, false
	}
}

// restartOverall starts the overall clock again: the report became complete now.
func (w *complaint) restartOverall(ctx workflow.Context) {
	if w.plans && w.planFor != nil {
		w.planFor.Overall = true
		w.planFor.OverallStart = workflow.Now(ctx)
		w.state.OverallOverdue = false
	}
}

// record numbers a new event and projects it, with the complaint's new state, into
// PostgreSQL (planning any clock that restarted), then refreshes the search attributes
// and summary. It returns when the projection is stored, with the state this event
// produced (whatever other Updates change meanwhile).
func (w *complaint) record(ctx workflow.Context, actor domain.Actor, action domain.Action, note string) (domain.CaseState, error) {
	w.state.Seq++
	if !w.plans {
		w.version++
	}
	// With plans the main loop is woken once the new plan is in place, not before: a
	// timer armed meanwhile would only be cancelled again (a billed action each).
	p := domain.Projection{Seq: w.state.Seq, At: workflow.Now(ctx), Actor: actor, Action: action, Note: note, State: w.state}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 15 * time.Second,
		RetryPolicy:         projectionRetry,
	})
	if !w.plans {
		// Runs from before working-time plans refreshed the attributes first.
		if err := w.refreshSearch(ctx); err != nil {
			return p.State, err
		}
		w.describe(ctx)
		return p.State, workflow.ExecuteActivity(actx, domain.ActivityProject, p).Get(ctx, nil)
	}
	p.Plan, w.planFor = w.planFor, nil
	if p.Plan != nil {
		w.stageSeq = p.Seq
	}
	var res domain.ProjectResult
	if err := w.project(ctx, actx, p).Get(ctx, &res); err != nil {
		return p.State, err
	}
	if p.Plan != nil {
		p.State.Deadline, p.State.OverallDeadline = res.Stage.Deadline, res.OverallDeadline()
		if w.stageSeq == p.Seq { // no later transition started another clock meanwhile
			w.stage = res.Stage
			if p.Plan.Until != nil {
				// An extension keeps the stage's start: what fell due before it is past.
				w.stage.Points = pointsAfter(w.stage.Points, p.At)
			}
			w.state.Deadline = res.Stage.Deadline
			if res.Overall != nil {
				w.overall = *res.Overall
				w.state.OverallDeadline = res.Overall.Deadline
			}
			w.version++ // re-arm the timer on the new plan
		}
	}
	if err := w.refreshSearch(ctx); err != nil {
		return p.State, err
	}
	w.describe(ctx)
	return p.State, nil
}

// projectionPatience is how long a projection (a local activity) keeps retrying: a year,
// that is, for as long as any database outage lasts.
const projectionPatience = 365 * 24 * time.Hour

// projectionRetry never gives up: a projection waits out a database outage and lands
// exactly once (ProjectComplaint is idempotent by sequence number).
var projectionRetry = &temporal.RetryPolicy{InitialInterval: 200 * time.Millisecond, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second}

// project runs the projection activity. Since version 4 it is a local activity: it runs
// on the worker inside the workflow task that handles the Update, so an action costs one
// workflow task instead of two plus an activity task, and is still one billed action (its
// marker). A worker killed mid-projection loses the task; the next attempt projects the
// same sequence number again and replaces what the lost attempt may have written, so
// PostgreSQL ends with what history keeps.
func (w *complaint) project(ctx, actx workflow.Context, p domain.Projection) workflow.Future {
	if !w.localProjection {
		return workflow.ExecuteActivity(actx, domain.ActivityProject, p)
	}
	lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 15 * time.Second,
		// Unlike an activity's, a local activity's retries end at its ScheduleToClose,
		// which defaults to StartToClose: 15 s of database outage would fail the action
		// after the workflow applied it. It retries as long as the database is away.
		ScheduleToCloseTimeout: projectionPatience,
		RetryPolicy:            projectionRetry,
	})
	return workflow.ExecuteLocalActivity(lctx, domain.ActivityProject, p)
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
	if s.OverallDeadline != nil {
		text += " · batas penyelesaian " + s.OverallDeadline.In(wita).Format("02-01-2006")
	}
	if s.OverallOverdue {
		text += " · **MELEWATI BATAS 60 HARI**"
	}
	workflow.SetCurrentDetails(ctx, text)
}

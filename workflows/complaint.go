// Package workflows holds the complaint workflow: one durable workflow per complaint that
// carries it from intake to a published answer. Staff actions arrive as Updates whose
// validators enforce status, role and assignment; every transition is projected into
// PostgreSQL by an activity before the Update returns, so the API reads its own writes.
// The workflow's own timers keep its deadlines: reminders, overdue marks, escalations.
package workflows

import (
	"time"

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
	Case domain.CaseState `json:"case"`
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
	sla   *domain.SLAPolicy
	stage domain.Plan
	// stageSeq is the event that started the current stage's clock; only its plan counts.
	stageSeq int64
	overall  domain.Plan
	// planFor is the plan the next projection must ask for (nil: the clocks stay).
	planFor *domain.PlanRequest
	// replans counts the plans put in place, so the main loop knows to re-arm its timer.
	replans int
	// searched is what the search attributes show now.
	searched searchValues
	// notifying counts notifications still being delivered.
	notifying int
	// announceNext makes the next projection queue the publication's announcement.
	announceNext bool
}

// Complaint is the workflow function. The acknowledgement of a new complaint is not its
// business: the worker's acknowledger sends it from PostgreSQL (worker.RunAcknowledger),
// so that it goes out even while Temporal is down.
func Complaint(ctx workflow.Context, in Input) (domain.CaseState, error) {
	// What the workflow does on its own (its timers' reminders and escalations) was asked
	// for by no request: it runs without the start's request id. Each Update's handler
	// has its own request's (package reqid).
	ctx = workflow.WithValue(ctx, domain.RequestIDKey{}, "")
	w := &complaint{state: in.Case, sla: in.SLA, stageSeq: in.StageSeq}
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

	for {
		seen := w.replans
		changed := func() bool {
			return w.replans != seen || workflow.GetInfo(ctx).GetContinueAsNewSuggested()
		}
		var err error
		fired := false
		if wake, ok := w.nextPoint(); ok {
			fired, err = awaitOrTimer(ctx, wake.Sub(workflow.Now(ctx)), changed)
		} else {
			err = workflow.Await(ctx, changed)
		}
		if err != nil {
			return w.state, err
		}
		if fired {
			done, err := w.onPoints(ctx)
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
			next := Input{Case: w.state, SLA: w.sla, Stage: &w.stage, Overall: &w.overall, StageSeq: w.stageSeq}
			return w.state, workflow.NewContinueAsNewError(ctx, WorkflowName, next)
		}
	}
	// Let an Update that arrived at the last moment, and notifications, finish.
	return w.state, w.drain(ctx)
}

// awaitOrTimer waits until condition holds or d has passed, and reports whether the time
// ran out. Unlike workflow.AwaitWithTimeout in this SDK, a timer that is no longer needed
// is cancelled: otherwise every transition would leave its stage's timer to fire later
// and wake the workflow for nothing.
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

// enter moves the complaint to a new status and starts that stage's clock. Publishing
// records when the answer went out; a final status, when the complaint ended.
func (w *complaint) enter(ctx workflow.Context, status domain.Status) {
	now := workflow.Now(ctx)
	w.state.Status = status
	switch {
	case status == domain.StatusPublished:
		w.state.PublishedAt = &now
	case status.Final():
		w.state.ClosedAt = &now
	}
	w.restartClock(ctx, nil)
}

// restartClock starts the current stage's clock from now; until, when given, is the
// deadline a supervisor set. The next projection lays out its plan.
func (w *complaint) restartClock(ctx workflow.Context, until *time.Time) {
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

// restartOverall starts the overall clock again: the report became complete now. It
// rides on the plan the stage's restart asked for.
func (w *complaint) restartOverall(ctx workflow.Context) {
	if w.planFor != nil {
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
	p := domain.Projection{Seq: w.state.Seq, At: workflow.Now(ctx), Actor: actor, Action: action, Note: note, State: w.state}
	p.Plan, w.planFor = w.planFor, nil
	if p.Plan != nil {
		w.stageSeq = p.Seq
	}
	if w.announceNext {
		w.announceNext = false
		p.Announce = w.announcement(p)
	}
	res, err := projectLocal(ctx, p)
	if err != nil {
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
			// The main loop is woken once the new plan is in place, not before: a timer
			// armed meanwhile would only be cancelled again (a billed action each).
			w.replans++
		}
	}
	if err := w.refreshSearch(ctx); err != nil {
		return p.State, err
	}
	w.describe(ctx)
	return p.State, nil
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

// zone is the regency's time zone as the stage's plan gives it (the policy's), for the
// readable summary; WITA when the plan does not say.
func (w *complaint) zone() *time.Location {
	offset := w.stage.UTCOffsetHours
	if offset == 0 {
		offset = domain.DefaultUTCOffsetHours
	}
	return domain.ZoneAt(offset)
}

// describe sets the workflow's current details shown in the Temporal UI.
func (w *complaint) describe(ctx workflow.Context) {
	workflow.SetCurrentDetails(ctx, w.details())
}

// details is the complaint's line in the Temporal UI: status, who has the ball and the
// deadline, in the regency's zone. No personal data.
func (w *complaint) details() string {
	s := w.state
	zone := w.zone()
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
		// "MST" prints the zone's name: WITA, WIB, WIT (see domain.ZoneAt).
		text += " · tenggat " + s.Deadline.In(zone).Format("02-01-2006 15:04 MST")
	}
	if s.Overdue {
		text += " · **TERLAMBAT**"
	}
	if s.OverallDeadline != nil {
		text += " · batas penyelesaian " + s.OverallDeadline.In(zone).Format("02-01-2006")
	}
	if s.OverallOverdue {
		text += " · **MELEWATI BATAS 60 HARI**"
	}
	return text
}

package workflows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"aduan/domain"
)

// t0 is a Monday 09:00 WITA, where every test's clock starts.
var t0 = time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)

// harness runs one complaint workflow in the time-skipping test environment with the
// projection activity replaced by a recorder.
type harness struct {
	t   *testing.T
	env *testsuite.TestWorkflowEnvironment

	mu          sync.Mutex
	projections []domain.Projection
	notices     []notice
	// pushed lists the complaints whose publication was announced (pushed to the websites).
	pushed []string
	// announced counts the announcements queued by projections (answer and push in one);
	// announceActivities the AnnouncePublication activities, which only workflows that
	// published before versionAnnounceQueued run.
	announced, announceActivities int
	outcomes                      []*outcome
	// reach is what the notify stand-in says became of a message to the complainant
	// (reached by a provider unless a test says otherwise).
	reach domain.NotifyOutcome
}

// notice is a notification the workflow asked for, with the test clock when it did.
type notice struct {
	at  time.Time
	req domain.NotifyRequest
}

// outcome is what became of one Update.
type outcome struct {
	action   domain.Action
	rejected error
	state    domain.CaseState
	err      error
	done     bool
}

func newHarness(t *testing.T) *harness {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(t0)
	env.RegisterWorkflowWithOptions(Complaint, workflow.RegisterOptions{Name: WorkflowName})
	h := &harness{t: t, env: env, reach: domain.NotifyOutcome{Reached: true, Channel: "whatsapp"}}
	// The projection is recorded; its plans are laid out by the real policy code, with
	// the regency's default policy where no override is given. Each stand-in has the
	// activity's type, so it is checked against what the workflow's wrappers send.
	var project ProjectActivity = func(_ context.Context, p domain.Projection) (domain.ProjectResult, error) {
		var res domain.ProjectResult
		if p.Plan != nil {
			res = domain.DefaultSLAPolicy().Plans(*p.Plan)
			p.State.Deadline, p.State.OverallDeadline = res.Stage.Deadline, res.OverallDeadline()
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		h.projections = append(h.projections, p)
		if p.Announce != nil {
			// The worker's announcer carries it out at once, as a queued row.
			h.notices = append(h.notices, notice{at: env.Now(), req: p.Announce.Notify})
			h.pushed = append(h.pushed, p.Announce.Publish.Code)
			h.announced++
		}
		return res, nil
	}
	var notify NotifyActivity = func(_ context.Context, req domain.NotifyRequest) (domain.NotifyOutcome, error) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.notices = append(h.notices, notice{at: env.Now(), req: req})
		return h.reach, nil
	}
	var announce AnnounceActivity = func(_ context.Context, req domain.AnnounceRequest) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.notices = append(h.notices, notice{at: env.Now(), req: req.Notify})
		h.pushed = append(h.pushed, req.Publish.Code)
		h.announceActivities++
		return nil
	}
	env.RegisterActivityWithOptions(project, activity.RegisterOptions{Name: domain.ActivityProject})
	env.RegisterActivityWithOptions(notify, activity.RegisterOptions{Name: domain.ActivityNotify})
	env.RegisterActivityWithOptions(announce, activity.RegisterOptions{Name: domain.ActivityAnnounce})
	return h
}

// plainPolicy counts plain days with the stage times of SP4N-LAPOR! and no reminders or
// escalations, so tests of the transitions read in round days.
func plainPolicy() *domain.SLAPolicy {
	d := func(n int) domain.Span { return domain.Span{Days: n} }
	return &domain.SLAPolicy{
		Stages: map[domain.Status]domain.Span{
			domain.StatusReceived: d(3), domain.StatusAwaitingInfo: d(10), domain.StatusAtPokja: d(5),
			domain.StatusAtPartner: d(5), domain.StatusPokjaReview: d(3), domain.StatusReadyToPublish: d(1),
		},
		Urgent: d(1), FeedbackWindow: d(10), ArchiveAfter: d(30),
	}
}

func (h *harness) sent() []notice {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]notice(nil), h.notices...)
}

// at schedules fn at offset from the start.
func (h *harness) at(offset time.Duration, fn func()) {
	h.env.RegisterDelayedCallback(fn, offset)
}

// send schedules an Update at offset and returns where its outcome will be.
func (h *harness) send(offset time.Duration, action domain.Action, req domain.ActionRequest) *outcome {
	o := &outcome{action: action}
	h.outcomes = append(h.outcomes, o)
	h.at(offset, func() {
		h.env.UpdateWorkflow(string(action), "", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { o.rejected, o.done = err, true },
			OnComplete: func(v any, err error) {
				o.err, o.done = err, true
				switch x := v.(type) {
				case domain.CaseState:
					o.state = x
				case converter.EncodedValue:
					_ = x.Get(&o.state)
				}
			},
		}, req)
	})
	return o
}

// query reads the live state at offset into dst.
func (h *harness) query(offset time.Duration, dst *domain.CaseState) {
	h.at(offset, func() {
		v, err := h.env.QueryWorkflow(QueryState)
		if err != nil {
			h.t.Errorf("query at %v: %v", offset, err)
			return
		}
		if err := v.Get(dst); err != nil {
			h.t.Errorf("decode query: %v", err)
		}
	})
}

// run starts the workflow with the given state and policy (nil: plainPolicy) and, unless
// it ends by itself first, cancels it at stopAt.
func (h *harness) run(start domain.CaseState, policy *domain.SLAPolicy, stopAt time.Duration) {
	if policy == nil {
		policy = plainPolicy()
	}
	if stopAt > 0 {
		h.at(stopAt, h.env.CancelWorkflow)
	}
	in := NewInput(start, domain.SLAPolicy{}, policy)
	if start.Status != domain.StatusReceived {
		in.Overall = nil // a complaint well on its way: only its stage clock is watched here
		in.Case.OverallDeadline = nil
	}
	h.env.ExecuteWorkflow(WorkflowName, in)
	for _, o := range h.outcomes {
		if !o.done {
			h.t.Errorf("update %s never finished", o.action)
		}
	}
}

func (h *harness) recorded() []domain.Projection {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]domain.Projection(nil), h.projections...)
}

// errorType is the ApplicationError type of a rejection ("" when it is something else).
func errorType(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Type()
	}
	return ""
}

// startState is a complaint standing in status s, with the assignments that status implies.
func startState(s domain.Status) domain.CaseState {
	c := domain.CaseState{Code: "ADU-TEST-0001", Channel: "web", Kecamatan: "simboro", Desa: "botteng",
		Status: s, ReceivedAt: t0, StageStartedAt: t0, Seq: 1}
	switch s {
	case domain.StatusReceived, domain.StatusAwaitingInfo:
	default:
		c.Pokja, c.Category, c.Priority, c.Title = "logistik", "bantuan_logistik", "normal", "Beras belum sampai"
	}
	switch s {
	case domain.StatusAtPartner, domain.StatusPokjaReview, domain.StatusReadyToPublish, domain.StatusPublished, domain.StatusClosed:
		c.Partner = "ypii"
	}
	if s.Final() {
		closed := t0
		c.ClosedAt = &closed
	}
	return c
}

func (o *outcome) String() string {
	return fmt.Sprintf("%s rejected=%v err=%v status=%s", o.action, o.rejected, o.err, o.state.Status)
}

package e2e

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/workflow"

	"aduan/domain"
	"aduan/reqid"
)

var (
	// e2ePropagators are the context propagators of the suite's Temporal client (and so
	// of its worker), as cmd/aduan's: the request id travels with starts, Updates and
	// activities.
	e2ePropagators = []workflow.ContextPropagator{reqid.Propagator(e2eDataConverter)}
	// devServerAddr is the suite's Temporal dev server (host:port), for child processes.
	devServerAddr string
)

// loggedRecord is one log record that carried a request id.
type loggedRecord struct {
	Msg   string
	Attrs map[string]string
}

// logRecorder is a slog handler that keeps every record carrying a request_id (at any
// level) and hands every record on to next, which decides what is printed.
type logRecorder struct {
	next  slog.Handler
	attrs []slog.Attr
	mu    *sync.Mutex
	recs  *[]loggedRecord
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (h *logRecorder) Handle(ctx context.Context, r slog.Record) error {
	attrs := map[string]string{}
	for _, a := range h.attrs {
		attrs[a.Key] = a.Value.String()
	}
	r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value.String(); return true })
	if attrs[reqid.LogKey] != "" {
		h.mu.Lock()
		*h.recs = append(*h.recs, loggedRecord{Msg: r.Message, Attrs: attrs})
		h.mu.Unlock()
	}
	if h.next.Enabled(ctx, r.Level) {
		return h.next.Handle(ctx, r)
	}
	return nil
}

func (h *logRecorder) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	c.next = h.next.WithAttrs(as)
	c.attrs = append(append([]slog.Attr{}, h.attrs...), as...)
	return &c
}

func (h *logRecorder) WithGroup(name string) slog.Handler {
	c := *h
	c.next = h.next.WithGroup(name)
	return &c
}

// recordLogs makes the process log through a recorder until the test ends.
func recordLogs(t *testing.T) *logRecorder {
	prev := slog.Default()
	rec := &logRecorder{next: prev.Handler(), mu: &sync.Mutex{}, recs: &[]loggedRecord{}}
	slog.SetDefault(slog.New(rec))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return rec
}

// find is the first record with message msg and request id id whose attributes match.
func (h *logRecorder) find(msg, id string, match func(map[string]string) bool) (loggedRecord, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range *h.recs {
		if r.Msg == msg && r.Attrs[reqid.LogKey] == id && (match == nil || match(r.Attrs)) {
			return r, true
		}
	}
	return loggedRecord{}, false
}

// TestRequestID: the X-Request-ID of a request follows what it sets off. Intake's id
// rides on the workflow's start; an action's is answered in its response, rides on the
// Update (its header in WorkflowExecutionUpdateAccepted) and on the notification activity
// the workflow schedules for it (ActivityTaskScheduled), and the projection and the
// notification log with it.
func TestRequestID(t *testing.T) {
	rec := recordLogs(t)
	intakeID, actionID := "test-"+randomHex(8), "test-"+randomHex(8)

	r := do(t, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t), "kecamatan": "simboro",
		"desa": "botteng", "phone": uniquePhone()}, map[string]string{reqid.Header: intakeID})
	if r.Status != http.StatusCreated || r.Header.Get(reqid.Header) != intakeID {
		t.Fatalf("intake: %s, %s %q; want 201 echoing %q", r, reqid.Header, r.Header.Get(reqid.Header), intakeID)
	}
	code := r.object(t)["code"].(string)
	waitStarted(t, code)

	r = actWith(t, "admin", code, "request_info", map[string]any{"question": "Di dusun mana tepatnya?"},
		map[string]string{reqid.Header: actionID})
	if r.Status != http.StatusOK || r.Header.Get(reqid.Header) != actionID {
		t.Fatalf("request_info: %s, %s %q; want 200 echoing %q", r, reqid.Header, r.Header.Get(reqid.Header), actionID)
	}

	// A request without an id (or with one that is not a sane token) gets a fresh one.
	for _, h := range []map[string]string{nil, {reqid.Header: "not a token"}} {
		r = do(t, "GET", "/api/v1/staff/complaints/"+code, "admin", nil, h)
		if got := r.Header.Get(reqid.Header); !reqid.Valid(got) || len(got) != 32 {
			t.Errorf("GET with %v: %s %q, want a fresh 32-digit id", h, reqid.Header, got)
		}
	}

	// In the workflow's history.
	var started, accepted, scheduled string
	if !eventually(15*time.Second, func() bool {
		started, accepted, scheduled = requestIDsInHistory(history(t, code))
		return accepted != "" && scheduled != ""
	}) {
		t.Errorf("history of %s: update header %q, notify activity header %q; want %q in both", code, accepted, scheduled, actionID)
	}
	if started != intakeID || accepted != actionID || scheduled != actionID {
		t.Errorf("history of %s: start header %q (want intake's %q), update %q and notify activity %q (want %q)",
			code, started, intakeID, accepted, scheduled, actionID)
	}

	// In the logs of the API, the projection and the notification.
	checks := []struct {
		msg, id string
		match   func(map[string]string) bool
	}{
		{"http", intakeID, func(a map[string]string) bool { return a["route"] == "/api/v1/complaints" }},
		{"http", actionID, func(a map[string]string) bool { return strings.HasSuffix(a["route"], "/actions/:action") }},
		{"projection written", actionID, func(a map[string]string) bool {
			return a["code"] == code && a["action"] == "request_info" && a["activity"] == domain.ActivityProject
		}},
		{"notify", actionID, func(a map[string]string) bool {
			return a["kind"] == string(domain.NotifyQuestion) && strings.HasPrefix(a["key"], code+"/") &&
				a["workflow_id"] == domain.WorkflowID(code)
		}},
	}
	for _, c := range checks {
		if !eventually(15*time.Second, func() bool { _, ok := rec.find(c.msg, c.id, c.match); return ok }) {
			t.Errorf("no %q log line with request_id %s", c.msg, c.id)
		}
	}
}

// requestIDsInHistory reads the request ids in a complaint's history: its start's, its
// request_info Update's, and the question's notify activity's.
func requestIDsInHistory(h *historypb.History) (started, accepted, scheduled string) {
	for _, e := range h.Events {
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
			started = reqid.FromHeader(e2eDataConverter, e.GetWorkflowExecutionStartedEventAttributes().GetHeader())
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			in := e.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest().GetInput()
			if in.GetName() == "request_info" {
				accepted = reqid.FromHeader(e2eDataConverter, in.GetHeader())
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			a := e.GetActivityTaskScheduledEventAttributes()
			if a.GetActivityType().GetName() == domain.ActivityNotify && scheduled == "" {
				scheduled = reqid.FromHeader(e2eDataConverter, a.GetHeader())
			}
		}
	}
	return started, accepted, scheduled
}

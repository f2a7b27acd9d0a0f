package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"aduan/domain"
	"aduan/store"
)

// shortPolicyServer is an API whose complaints start with deadlines of seconds, so the
// workflow's own timers (overdue, close after the feedback window, archive) fire during
// the test. The policy travels in the workflow's input, so the shared worker applies it.
func shortPolicyServer(t *testing.T) string {
	t.Helper()
	deps := apiDeps
	sec := func(n int) domain.Span { return domain.Span{Dur: time.Duration(n) * time.Second} }
	deps.SLAOverride = &domain.SLAPolicy{
		Stages: map[domain.Status]domain.Span{
			domain.StatusReceived:       sec(3600),
			domain.StatusAwaitingInfo:   sec(3600),
			domain.StatusAtPokja:        sec(2),
			domain.StatusAtPartner:      sec(3600),
			domain.StatusPokjaReview:    sec(3600),
			domain.StatusReadyToPublish: sec(3600),
		},
		Urgent:         sec(3600),
		FeedbackWindow: sec(2),
		ArchiveAfter:   sec(2),
	}
	srv := httptest.NewServer(newRouter(t, deps))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestOverdue: a stage that outlives its deadline is marked overdue by the workflow, lands
// in the supervisor's inbox, and an extension or the next transition clears it.
func TestOverdue(t *testing.T) {
	t.Parallel()
	base := shortPolicyServer(t)
	r := doAt(t, base, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t)}, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("intake: %s", r)
	}
	code, _ := r.object(t)["code"].(string)
	waitStarted(t, code) // by this API's starter, with its policy
	if v := view(t, "admin", code); v.Deadline == nil || v.Deadline.Sub(v.CreatedAt) != time.Hour {
		t.Errorf("intake deadline %v for created_at %v, want the short policy's hour", v.Deadline, v.CreatedAt)
	}
	v := triage(t, code, "logistik", "bantuan_logistik")
	if v.Deadline == nil || v.Deadline.Sub(v.last().At) != 2*time.Second || v.Overdue {
		t.Fatalf("after triage: deadline %v (event at %v), overdue %v", v.Deadline, v.last().At, v.Overdue)
	}
	var last staffView
	if !eventually(15*time.Second, func() bool {
		last = view(t, "admin", code)
		return last.last().Action == "overdue"
	}) {
		t.Fatalf("no overdue event 15 s after a 2 s deadline: %+v", last.Events)
	}
	checkEvents(t, last)
	if e := last.last(); e.Actor != "system" || e.Role != "system" || e.Status != "at_pokja" || !last.Overdue {
		t.Errorf("overdue event %+v, complaint overdue %v", e, last.Overdue)
	}
	if !listCodes(t, "supervisor", "/api/v1/staff/tasks")[code] {
		t.Errorf("supervisor's tasks lack overdue %s", code)
	}
	if !listCodes(t, "admin", "/api/v1/staff/complaints?overdue=true&q="+code)[code] {
		t.Errorf("search overdue=true lacks %s", code)
	}
	// The overdue mark is recorded once, not on every wake-up.
	time.Sleep(1500 * time.Millisecond)
	if again := view(t, "admin", code); len(again.Events) != len(last.Events) {
		t.Errorf("events kept coming after the overdue mark: %+v", again.Events)
	}

	until := time.Now().Add(time.Hour).Truncate(time.Second)
	v = step(t, "supervisor", code, "extend", map[string]any{"until": until.Format(time.RFC3339), "note": "Diberi waktu."},
		domain.StatusAtPokja)
	if v.Overdue || v.Deadline == nil || !v.Deadline.Equal(until) {
		t.Errorf("after extend: overdue %v deadline %v, want %v", v.Overdue, v.Deadline, until)
	}
	if listCodes(t, "supervisor", "/api/v1/staff/tasks")[code] {
		t.Errorf("supervisor's tasks still hold %s after the extension", code)
	}
	recordHistory(t, code, "overdue_extend")
}

// TestPublishedClosesAndArchives: after the feedback window a published complaint closes
// by itself; after the archive period its workflow ends and actions are refused.
func TestPublishedClosesAndArchives(t *testing.T) {
	t.Parallel()
	base := shortPolicyServer(t)
	r := doAt(t, base, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t)}, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("intake: %s", r)
	}
	code, _ := r.object(t)["code"].(string)
	waitStarted(t, code) // by this API's starter, with its policy
	triage(t, code, "logistik", "bantuan_logistik")
	step(t, "pokja-logistik", code, "answer", map[string]any{"answer": "Sudah disalurkan."}, domain.StatusReadyToPublish)
	step(t, "admin", code, "publish", map[string]any{"public_title": "Judul", "public_answer": "Sudah disalurkan."},
		domain.StatusPublished)

	var v staffView
	if !eventually(15*time.Second, func() bool {
		v = view(t, "admin", code)
		return v.Status == "closed"
	}) {
		t.Fatalf("published complaint did not close after its 2 s feedback window: %+v", v.Events)
	}
	checkEvents(t, v)
	if e := v.last(); e.Action != "close" || e.Actor != "system" || e.Role != "system" {
		t.Errorf("closing event %+v", e)
	}
	if tr := tracking(t, code); tr.Status != "closed" || tr.Answer == nil || tr.Deadline != nil {
		t.Errorf("tracking view of a closed complaint: %+v", tr)
	}
	if !listCodes(t, "", "/api/v1/publications?q="+code)[code] {
		t.Errorf("closing withdrew the publication of %s", code)
	}

	// The run ends after the archive period.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var state domain.CaseState
	if err := tc.GetWorkflow(ctx, domain.WorkflowID(code), "").Get(ctx, &state); err != nil {
		t.Fatalf("waiting for the workflow to end: %v", err)
	}
	if state.Status != domain.StatusClosed || state.Code != code {
		t.Errorf("workflow ended with %+v", state)
	}
	n := len(view(t, "admin", code).Events)
	wantError(t, act(t, "admin", code, "note", map[string]any{"note": "terlambat"}), http.StatusConflict, "invalid_transition")
	if got := view(t, "admin", code); len(got.Events) != n {
		t.Errorf("a note on an archived complaint was recorded")
	}
	recordHistory(t, code, "publish_close_archive")
}

// TestRelayStartsWorkflow: a complaint recorded without its workflow (Temporal was
// unreachable, or the process stopped before its starter ran) is still served: the relay
// starts its workflow, and an action that comes first starts it itself.
func TestRelayStartsWorkflow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	insert := func() string {
		now := time.Now().UTC().Truncate(time.Microsecond)
		deadline := now.Add(72 * time.Hour)
		res, err := testDB.InsertIntake(ctx, store.Intake{Channel: "web", Text: uniqueText(t), Kecamatan: "simboro",
			CreatedAt: now, Deadline: &deadline})
		if err != nil || !res.Created {
			t.Fatalf("insert intake: %+v %v", res, err)
		}
		return res.Code
	}

	// The action first: it starts the workflow and is applied as the complaint's event 2.
	first := insert()
	if tr := tracking(t, first); tr.Status != "received" {
		t.Errorf("tracking view before any workflow: %+v", tr)
	}
	r := act(t, "admin", first, "note", map[string]any{"note": "Belum ada alur kerja."})
	if r.Status != http.StatusOK {
		t.Fatalf("note on a complaint without a workflow: HTTP %d %s", r.Status, r.Raw)
	}
	if v := view(t, "admin", first); v.last().Seq != 2 || v.last().Action != "note" || !workflowStarted(first) {
		t.Errorf("after the first action: last event %+v, workflow started %v", v.last(), workflowStarted(first))
	}

	// Nobody acts: the relay starts it.
	second := insert()
	if !eventually(20*time.Second, func() bool { return workflowStarted(second) }) {
		t.Fatalf("the relay did not start %s's workflow within 20 s", second)
	}
	v := triage(t, second, "logistik", "bantuan_logistik")
	if v.last().Seq != 2 {
		t.Errorf("first action after the relay has seq %d, want 2", v.last().Seq)
	}
}

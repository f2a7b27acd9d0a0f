package workflows

import (
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"aduan/domain"
)

// The whole regency flow in one run: what each step leaves in the state.
func TestLifecycleState(t *testing.T) {
	h := newHarness(t)
	step := func(n int, a domain.Action, who string, edit func(*domain.ActionRequest)) *outcome {
		r := body(a, who)
		if edit != nil {
			edit(&r)
		}
		return h.send(time.Duration(n)*time.Hour, a, r)
	}
	ask := step(1, "request_info", "admin", nil)
	reply := step(2, "info", "complainant", nil)
	triage := step(3, "triage", "admin", nil)
	ret := step(4, "return", "pokja", func(r *domain.ActionRequest) { r.Note = "Bukan bidang kami" })
	triage2 := step(5, "triage", "admin", nil)
	fwd := step(6, "forward", "pokja", nil)
	decline := step(7, "decline", "partner", func(r *domain.ActionRequest) { r.Note = "Bukan wilayah kami" })
	fwd2 := step(8, "forward", "pokja", nil)
	pans := step(9, "partner_answer", "partner", func(r *domain.ActionRequest) { r.Answer = "Draf jawaban mitra" })
	back := step(10, "send_back", "pokja", func(r *domain.ActionRequest) { r.Note = "Tambahkan jadwal" })
	pans2 := step(11, "partner_answer", "partner", func(r *domain.ActionRequest) { r.Answer = "Jawaban mitra dengan jadwal" })
	approve := step(12, "approve", "pokja", func(r *domain.ActionRequest) { r.Answer = "Jawaban akhir yang disunting" })
	publish := step(13, "publish", "admin", nil)
	h.run(startState(domain.StatusReceived), nil, 14*time.Hour)

	checks := []struct {
		o    *outcome
		want domain.Status
		ok   func(domain.CaseState) bool
	}{
		{ask, "awaiting_info", func(s domain.CaseState) bool { return s.Question != "" }},
		{reply, "received", func(s domain.CaseState) bool { return s.Question == "" }},
		{triage, "at_pokja", func(s domain.CaseState) bool { return s.Pokja == "logistik" && s.Priority == "high" }},
		{ret, "received", func(s domain.CaseState) bool { return s.Pokja == "" }},
		{triage2, "at_pokja", nil},
		{fwd, "at_partner", func(s domain.CaseState) bool { return s.Partner == "ypii" }},
		{decline, "at_pokja", func(s domain.CaseState) bool { return s.Partner == "" }},
		{fwd2, "at_partner", nil},
		{pans, "pokja_review", func(s domain.CaseState) bool { return s.PartnerAnswer == "Draf jawaban mitra" }},
		{back, "at_partner", nil},
		{pans2, "pokja_review", nil},
		{approve, "ready_to_publish", func(s domain.CaseState) bool { return s.Answer == "Jawaban akhir yang disunting" }},
		{publish, "published", func(s domain.CaseState) bool {
			return s.PublishedAt != nil && s.PublicTitle != "" && s.Deadline != nil && s.Deadline.Equal(t0.Add(13*time.Hour+10*day))
		}},
	}
	for i, c := range checks {
		if c.o.err != nil || c.o.rejected != nil {
			t.Fatalf("step %d %s failed: %v", i+1, c.o.action, c.o)
		}
		if c.o.state.Status != c.want {
			t.Errorf("step %d %s: status %s, want %s", i+1, c.o.action, c.o.state.Status, c.want)
		}
		if c.ok != nil && !c.ok(c.o.state) {
			t.Errorf("step %d %s: unexpected state %+v", i+1, c.o.action, c.o.state)
		}
	}
	ps := h.recorded()
	if len(ps) != len(checks) {
		t.Fatalf("%d events recorded, want %d", len(ps), len(checks))
	}
	for i, p := range ps {
		if p.Seq != int64(i+2) {
			t.Errorf("event %d has seq %d, want %d", i, p.Seq, i+2)
		}
	}
	if ps[3].Note != "Bukan bidang kami" {
		t.Errorf("return note = %q", ps[3].Note)
	}
}

// The complainant hears, on their channel, what concerns them: the acknowledgement, the
// question, the published answer; staff-only steps send them nothing.
func TestComplainantIsTold(t *testing.T) {
	h := newHarness(t)
	h.send(1*time.Hour, "request_info", body("request_info", "admin"))
	h.send(2*time.Hour, "info", body("info", "complainant"))
	h.send(3*time.Hour, "triage", body("triage", "admin"))
	h.send(4*time.Hour, "answer", body("answer", "pokja"))
	h.send(5*time.Hour, "publish", body("publish", "admin"))
	h.run(startState(domain.StatusReceived), nil, 6*time.Hour)
	var kinds []domain.NotifyKind
	for _, n := range h.sent() {
		kinds = append(kinds, n.req.Kind)
	}
	// The acknowledgement of intake is not the workflow's: the worker's
	// acknowledger sends it from PostgreSQL (worker.RunAcknowledger, tested in e2e).
	want := []domain.NotifyKind{domain.NotifyQuestion, domain.NotifyAnswer}
	if len(kinds) != len(want) || kinds[0] != want[0] || kinds[1] != want[1] {
		t.Fatalf("complainant told %v, want %v", kinds, want)
	}
	if k := h.sent()[1].req.Key; k != "ADU-TEST-0001/answer/6" {
		t.Errorf("answer key %q", k)
	}
	// The answer and the push to the websites are queued by the publish's projection, in
	// the same transaction as its event: no activity of their own.
	if h.announced != 1 || len(h.pushed) != 1 || h.pushed[0] != "ADU-TEST-0001" || h.announceActivities != 0 {
		t.Errorf("publish announced %d times (%d by activity), pushed %v; want one, queued by the projection",
			h.announced, h.announceActivities, h.pushed)
	}
	var queued []domain.Projection
	for _, p := range h.projections {
		if p.Announce != nil {
			queued = append(queued, p)
		}
	}
	if len(queued) != 1 || queued[0].Action != domain.ActionPublish || queued[0].Announce.Notify.Key != "ADU-TEST-0001/answer/6" ||
		queued[0].Announce.Notify.Status != domain.StatusPublished || !queued[0].Announce.Notify.Due.Equal(queued[0].At) {
		t.Errorf("announcement queued by %+v, want the publish's projection only", queued)
	}

	// A complaint closed without publishing sends the answer privately.
	h2 := newHarness(t)
	start := startState(domain.StatusReadyToPublish)
	start.Confidential = true
	h2.send(time.Hour, "close", domain.ActionRequest{Actor: actorOf("admin"), Note: "Disampaikan langsung"})
	h2.run(start, nil, 2*time.Hour)
	if ns := h2.sent(); len(ns) != 1 || ns[0].req.Kind != domain.NotifyAnswerPrivate {
		t.Fatalf("private close told %+v", ns)
	}
}

// An approve without an edited answer publishes the partner's answer as it stands.
func TestApproveKeepsPartnerAnswer(t *testing.T) {
	h := newHarness(t)
	start := startState(domain.StatusPokjaReview)
	start.PartnerAnswer = "Jawaban mitra"
	o := h.send(time.Hour, "approve", body("approve", "pokja"))
	h.run(start, nil, 2*time.Hour)
	if o.state.Answer != "Jawaban mitra" {
		t.Fatalf("answer = %q, want the partner's", o.state.Answer)
	}
}

// A sensitive category makes the complaint confidential, and a confidential complaint
// is never published.
func TestSensitiveCategoryNeverPublished(t *testing.T) {
	h := newHarness(t)
	triage := body("triage", "admin")
	triage.Category = "perlindungan"
	t1 := h.send(time.Hour, "triage", triage)
	h.send(2*time.Hour, "answer", body("answer", "pokja"))
	pub := h.send(3*time.Hour, "publish", body("publish", "admin"))
	h.run(startState(domain.StatusReceived), nil, 4*time.Hour)
	if !t1.state.Confidential {
		t.Fatal("perlindungan did not make the complaint confidential")
	}
	if errorType(pub.rejected) != ErrInvalidTransition {
		t.Fatalf("publish of a confidential complaint: %v, want invalid_transition", pub.rejected)
	}
}

// The admin closes a complaint whose answer went to the complainant privately.
func TestCloseWithoutPublishing(t *testing.T) {
	h := newHarness(t)
	start := startState(domain.StatusReadyToPublish)
	start.Confidential = true
	o := h.send(time.Hour, "close", domain.ActionRequest{Actor: actorOf("admin"), Note: "Jawaban disampaikan langsung"})
	h.run(start, nil, 0)
	if o.err != nil || o.state.Status != domain.StatusClosed || o.state.ClosedAt == nil || o.state.PublishedAt != nil {
		t.Fatalf("close: %v, closed at %v", o, o.state.ClosedAt)
	}
	if !h.env.IsWorkflowCompleted() {
		t.Error("a closed complaint's run did not end after the archive period")
	}
}

// A body with missing fields is rejected as invalid, naming each field.
func TestMissingFieldsNamed(t *testing.T) {
	h := newHarness(t)
	o := h.send(time.Hour, "triage", domain.ActionRequest{Actor: actorOf("admin")})
	h.run(startState(domain.StatusReceived), nil, 2*time.Hour)
	var app *temporal.ApplicationError
	if !errors.As(o.rejected, &app) || app.Type() != ErrInvalid {
		t.Fatalf("got %v, want invalid", o.rejected)
	}
	var fields map[string]string
	if err := app.Details(&fields); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"pokja", "category", "priority", "title"} {
		if fields[f] == "" {
			t.Errorf("field %s not named in %v", f, fields)
		}
	}
	if len(h.recorded()) != 0 {
		t.Error("a rejected update recorded an event")
	}
}

// Two Updates in the same instant are both applied, in order, with distinct sequence
// numbers, and the second is validated against the state the first produced.
func TestConcurrentUpdatesSerialise(t *testing.T) {
	h := newHarness(t)
	a := h.send(time.Hour, "triage", body("triage", "admin"))
	b := h.send(time.Hour, "triage", body("triage", "admin"))
	h.run(startState(domain.StatusReceived), nil, 2*time.Hour)
	accepted, rejected := 0, 0
	for _, o := range []*outcome{a, b} {
		if o.rejected != nil {
			rejected++
			if errorType(o.rejected) != ErrInvalidTransition {
				t.Errorf("second triage rejected as %v", o.rejected)
			}
		} else {
			accepted++
		}
	}
	if accepted != 1 || rejected != 1 || len(h.recorded()) != 1 {
		t.Fatalf("accepted %d rejected %d events %d; want 1, 1, 1", accepted, rejected, len(h.recorded()))
	}
}

package workflows

import (
	"testing"
	"time"

	"aduan/domain"
)

func feedback(satisfied bool, id int64) domain.ActionRequest {
	return domain.ActionRequest{Actor: actorOf("complainant"), Satisfied: &satisfied, FeedbackID: id}
}

// published is a complaint just answered and published at t0.
func published() domain.CaseState {
	c := startState(domain.StatusPublished)
	c.PublicTitle, c.PublicAnswer = "Distribusi beras", "Dijadwalkan Jumat."
	p := t0
	c.PublishedAt = &p
	return c
}

func TestFeedbackSatisfiedCloses(t *testing.T) {
	h := newHarness(t)
	o := h.send(2*day, domain.ActionFeedback, feedback(true, 1))
	h.run(published(), nil, 3*day)
	if o.err != nil || o.state.Status != domain.StatusClosed || o.state.ClosedAt == nil {
		t.Fatalf("satisfied: %v", o)
	}
	if ps := h.recorded(); len(ps) != 1 || ps[0].Action != domain.ActionFeedback {
		t.Fatalf("events %v", actions(ps))
	}
}

// "Not solved" reopens the complaint to its pokja, twice at most; the third "no" closes it.
func TestFeedbackUnsatisfiedReopensTwiceThenCloses(t *testing.T) {
	h := newHarness(t)
	r1 := h.send(1*day, domain.ActionFeedback, feedback(false, 1))
	h.send(1*day+time.Hour, domain.ActionAnswer, body(domain.ActionAnswer, "pokja"))
	h.send(1*day+2*time.Hour, domain.ActionPublish, body(domain.ActionPublish, "admin"))
	r2 := h.send(2*day, domain.ActionFeedback, feedback(false, 2))
	h.send(2*day+time.Hour, domain.ActionAnswer, body(domain.ActionAnswer, "pokja"))
	h.send(2*day+2*time.Hour, domain.ActionPublish, body(domain.ActionPublish, "admin"))
	r3 := h.send(3*day, domain.ActionFeedback, feedback(false, 3))
	h.run(published(), nil, 4*day)

	if r1.err != nil || r1.state.Status != domain.StatusAtPokja || r1.state.ReopenCount != 1 || r1.state.Pokja != "logistik" {
		t.Fatalf("first no: %v reopen %d", r1, r1.state.ReopenCount)
	}
	if r2.state.Status != domain.StatusAtPokja || r2.state.ReopenCount != 2 {
		t.Fatalf("second no: %v reopen %d", r2, r2.state.ReopenCount)
	}
	if r3.state.Status != domain.StatusClosed || r3.state.ReopenCount != 2 {
		t.Fatalf("third no: %v reopen %d, want closed after two reopens", r3, r3.state.ReopenCount)
	}
	got := actions(h.recorded())
	want := []domain.Action{"reopen", "answer", "publish", "reopen", "answer", "publish", "feedback"}
	if len(got) != len(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("events %v, want %v", got, want)
		}
	}
	if len(h.pushed) != 2 {
		t.Errorf("external publishing ran %d times, want once per publish (2)", len(h.pushed))
	}
}

// Silence: when the feedback window passes the complaint closes by itself.
func TestFeedbackSilenceCloses(t *testing.T) {
	h := newHarness(t)
	var before, after domain.CaseState
	h.query(10*day-time.Minute, &before)
	h.query(10*day+time.Minute, &after)
	late := h.send(11*day, domain.ActionFeedback, feedback(false, 9))
	h.run(published(), nil, 12*day)
	if before.Status != domain.StatusPublished || after.Status != domain.StatusClosed {
		t.Fatalf("status before/after the window: %s/%s", before.Status, after.Status)
	}
	if errorType(late.rejected) != ErrInvalidTransition {
		t.Errorf("feedback after the window: %v, want invalid_transition", late.rejected)
	}
}

// A complaint rejected as a duplicate tells its complainant which complaint carries theirs.
func TestDuplicateTold(t *testing.T) {
	h := newHarness(t)
	req := body(domain.ActionReject, "admin")
	req.Reason, req.DuplicateOf = "duplicate", "ADU-AAAA-BBBB"
	o := h.send(time.Hour, domain.ActionReject, req)
	h.run(startState(domain.StatusReceived), nil, 2*time.Hour)
	if o.state.DuplicateOf != "ADU-AAAA-BBBB" {
		t.Fatalf("reject: %v", o)
	}
	var kinds []domain.NotifyKind
	for _, n := range h.sent() {
		kinds = append(kinds, n.req.Kind)
	}
	// The acknowledgement comes from the worker's acknowledger, not the workflow.
	if len(kinds) != 1 || kinds[0] != domain.NotifyDuplicate {
		t.Fatalf("told %v, want duplicate", kinds)
	}
}

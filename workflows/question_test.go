package workflows

import (
	"testing"
	"time"

	"aduan/domain"
)

// A question that waits for an operator's call: no deadline, no reminder and no closing
// while nobody has called; the call recorded as told starts the ten working days, and a
// silence after it closes the complaint as no_reply.
func TestQuestionClockStartsAtTheCallBack(t *testing.T) {
	h := newHarness(t)
	h.reach = domain.NotifyOutcome{CallBack: true, Channel: domain.ReachCallBack}
	start := wt("2026-12-01 09:00")
	h.send(time.Hour, domain.ActionRequestInfo, body(domain.ActionRequestInfo, "admin"))
	var held domain.CaseState
	h.query(20*day, &held)
	noAnswer := body(domain.ActionCallBack, "admin")
	noAnswer.CallOutcome = domain.CallNoAnswer
	h.send(21*day, domain.ActionCallBack, noAnswer)
	told := h.send(22*day, domain.ActionCallBack, body(domain.ActionCallBack, "admin"))
	h.runAt(start, domain.StatusReceived, 60*day, nil)
	if held.Status != domain.StatusAwaitingInfo || held.Deadline != nil {
		t.Fatalf("20 days after a question waiting for a call: %s, deadline %v", held.Status, held.Deadline)
	}
	// Ten working days from Wednesday 23 December 09:00, over the year-end holidays.
	if told.err != nil || told.state.Deadline == nil || !told.state.Deadline.Equal(wt("2027-01-11 09:00")) {
		t.Fatalf("the call recorded as told: %v, deadline %v (want 11 January 09:00)", told.err, told.state.Deadline)
	}
	var acts []domain.Action
	var closing *domain.Projection
	for _, p := range h.recorded() {
		acts = append(acts, p.Action)
		if p.Action == domain.ActionClose {
			p := p
			closing = &p
		}
	}
	want := []domain.Action{domain.ActionRequestInfo, domain.ActionQuestionHeld, domain.ActionCallBack, domain.ActionCallBack}
	for i, a := range want {
		if i >= len(acts) || acts[i] != a {
			t.Fatalf("events %v, want %v then the closing", acts, want)
		}
	}
	if closing == nil || closing.State.CloseReason != "no_reply" || !closing.At.Equal(wt("2027-01-11 09:00")) {
		t.Fatalf("closing %+v", closing)
	}
	for _, n := range noticesOf(h.sent()) {
		if n.kind == domain.NotifyReminder && n.at < "2026-12-23" {
			t.Errorf("a reminder before the call: %v", n)
		}
	}
}

// A question that reaches nobody: the admins are told at once, the complaint is never
// closed for the silence, and the admin can still send it on.
func TestQuestionReachingNobodyIsFlagged(t *testing.T) {
	h := newHarness(t)
	h.reach = domain.NotifyOutcome{}
	start := wt("2026-12-01 09:00")
	h.send(time.Hour, domain.ActionRequestInfo, body(domain.ActionRequestInfo, "admin"))
	var held domain.CaseState
	h.query(50*day, &held)
	triaged := h.send(51*day, domain.ActionTriage, body(domain.ActionTriage, "admin"))
	h.runAt(start, domain.StatusReceived, 55*day, nil)
	if held.Status != domain.StatusAwaitingInfo || held.Deadline != nil {
		t.Fatalf("50 days after an unreachable question: %s, deadline %v", held.Status, held.Deadline)
	}
	if triaged.err != nil || triaged.state.Status != domain.StatusAtPokja {
		t.Fatalf("triage from awaiting_info: %v %s", triaged.err, triaged.state.Status)
	}
	got := noticesOf(h.sent())
	if len(got) < 2 || got[0].kind != domain.NotifyQuestion || got[1].kind != domain.NotifyQuestionUnreached ||
		got[1].at != "2026-12-01 10:00" {
		t.Fatalf("notifications %v, want the question then the admins told at once", got)
	}
	for _, p := range h.recorded() {
		if p.Action == domain.ActionClose {
			t.Fatalf("closed for a silence nobody could break: %+v", p)
		}
	}
}

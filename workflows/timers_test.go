package workflows

import (
	"testing"
	"time"

	"aduan/domain"
)

const day = 24 * time.Hour

func actorOf(name string) domain.Actor {
	for _, a := range actors {
		if a.name == name {
			return a.actor
		}
	}
	panic(name)
}

func body(a domain.Action, who string) domain.ActionRequest {
	r := validBody(a)
	r.Actor = actorOf(who)
	return r
}

func actions(ps []domain.Projection) []domain.Action {
	var out []domain.Action
	for _, p := range ps {
		out = append(out, p.Action)
	}
	return out
}

// A complaint nobody triages becomes overdue exactly at its deadline, once.
func TestOverdueAtDeadline(t *testing.T) {
	h := newHarness(t)
	var before, after domain.CaseState
	h.query(3*day-time.Minute, &before)
	h.query(3*day+time.Minute, &after)
	h.run(startState(domain.StatusReceived), nil, 20*day)

	if before.Overdue || !after.Overdue {
		t.Fatalf("overdue before=%v after=%v, want false then true", before.Overdue, after.Overdue)
	}
	ps := h.recorded()
	if len(ps) != 1 || ps[0].Action != domain.ActionOverdue || ps[0].Actor.Role != domain.RoleSystem {
		t.Fatalf("recorded %v, want one overdue event by the system", actions(ps))
	}
	if !ps[0].At.Equal(t0.Add(3 * day)) {
		t.Errorf("overdue recorded at %v, want %v", ps[0].At, t0.Add(3*day))
	}
}

// Acting before the deadline starts the next stage's clock; the old deadline never fires.
func TestActingBeforeDeadlineRestartsClock(t *testing.T) {
	h := newHarness(t)
	triage := h.send(2*day, domain.ActionTriage, body(domain.ActionTriage, "admin"))
	var mid, late domain.CaseState
	h.query(3*day+time.Hour, &mid) // the received deadline has passed
	h.query(7*day+time.Hour, &late)
	h.run(startState(domain.StatusReceived), nil, 8*day)

	wantDeadline := t0.Add(2*day + 5*day) // at_pokja: 5 days (priority high counts as normal)
	if triage.state.Deadline == nil || !triage.state.Deadline.Equal(wantDeadline) {
		t.Fatalf("deadline after triage = %v, want %v", triage.state.Deadline, wantDeadline)
	}
	if mid.Overdue {
		t.Error("overdue after the old stage's deadline, though the complaint moved on")
	}
	if !late.Overdue {
		t.Error("not overdue after the new stage's deadline")
	}
}

// Urgent complaints get one day at each stage.
func TestUrgentDeadline(t *testing.T) {
	h := newHarness(t)
	req := body(domain.ActionTriage, "admin")
	req.Priority = "urgent"
	o := h.send(time.Hour, domain.ActionTriage, req)
	h.run(startState(domain.StatusReceived), nil, 2*time.Hour)
	if want := t0.Add(time.Hour + day); o.state.Deadline == nil || !o.state.Deadline.Equal(want) {
		t.Fatalf("urgent deadline = %v, want %v", o.state.Deadline, want)
	}
}

// extend moves the deadline and clears an overdue mark; the new deadline fires in turn.
func TestExtendMovesDeadline(t *testing.T) {
	h := newHarness(t)
	until := t0.Add(10 * day)
	req := domain.ActionRequest{Actor: actorOf("supervisor"), Until: &until, Note: "Menunggu data"}
	ext := h.send(6*day, domain.ActionExtend, req) // after the 5-day deadline passed
	var beforeExt, afterExt, late domain.CaseState
	h.query(6*day-time.Minute, &beforeExt)
	h.query(9*day, &afterExt)
	h.query(10*day+time.Minute, &late)
	h.run(startState(domain.StatusAtPokja), nil, 11*day)

	if !beforeExt.Overdue {
		t.Error("not overdue after the original deadline")
	}
	if ext.err != nil || ext.state.Deadline == nil || !ext.state.Deadline.Equal(until) || ext.state.Overdue {
		t.Fatalf("extend: %v deadline %v overdue %v", ext.err, ext.state.Deadline, ext.state.Overdue)
	}
	if afterExt.Overdue || !late.Overdue {
		t.Errorf("overdue after extend=%v, after new deadline=%v; want false, true", afterExt.Overdue, late.Overdue)
	}
	if got := actions(h.recorded()); len(got) != 3 || got[0] != "overdue" || got[1] != "extend" || got[2] != "overdue" {
		t.Errorf("events %v, want overdue, extend, overdue", got)
	}
}

// A deadline in the past is refused.
func TestExtendIntoThePastRejected(t *testing.T) {
	h := newHarness(t)
	past := t0.Add(-time.Hour)
	o := h.send(time.Hour, domain.ActionExtend, domain.ActionRequest{Actor: actorOf("supervisor"), Until: &past, Note: "x"})
	h.run(startState(domain.StatusAtPokja), nil, 2*time.Hour)
	if errorType(o.rejected) != ErrInvalid {
		t.Fatalf("got %v, want invalid", o.rejected)
	}
}

// reassign restarts the stage's clock and changes the assignment.
func TestReassignRestartsClock(t *testing.T) {
	h := newHarness(t)
	o := h.send(4*day, domain.ActionReassign, body(domain.ActionReassign, "supervisor"))
	h.run(startState(domain.StatusAtPokja), nil, 5*day)
	if o.err != nil || o.state.Pokja != "hunian" {
		t.Fatalf("reassign: %v pokja %q", o.err, o.state.Pokja)
	}
	if want := t0.Add(4*day + 5*day); o.state.Deadline == nil || !o.state.Deadline.Equal(want) {
		t.Errorf("deadline after reassign = %v, want %v", o.state.Deadline, want)
	}
}

// A partner cannot be reassigned before the complaint was forwarded to one.
func TestReassignPartnerBeforeForwardRejected(t *testing.T) {
	h := newHarness(t)
	o := h.send(time.Hour, domain.ActionReassign, domain.ActionRequest{Actor: actorOf("admin"), Partner: "pmi", Note: "x"})
	h.run(startState(domain.StatusAtPokja), nil, 2*time.Hour)
	if errorType(o.rejected) != ErrInvalidTransition {
		t.Fatalf("got %v, want invalid_transition", o.rejected)
	}
}

// A published complaint closes when the feedback window ends; a closed one takes notes
// until the archive period ends, then the run completes by itself.
func TestPublishedClosesThenArchives(t *testing.T) {
	h := newHarness(t)
	note := h.send(15*day, domain.ActionNote, body(domain.ActionNote, "admin"))
	h.run(startState(domain.StatusPublished), nil, 0)

	if !h.env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete after the archive period")
	}
	var final domain.CaseState
	if err := h.env.GetWorkflowResult(&final); err != nil {
		t.Fatal(err)
	}
	if final.Status != domain.StatusClosed || final.ClosedAt == nil || !final.ClosedAt.Equal(t0.Add(10*day)) {
		t.Fatalf("final status %s closed at %v, want closed at %v", final.Status, final.ClosedAt, t0.Add(10*day))
	}
	if note.err != nil || note.rejected != nil {
		t.Errorf("note on a closed complaint: %v", note)
	}
	if got := actions(h.recorded()); len(got) != 2 || got[0] != "close" || got[1] != "note" {
		t.Errorf("events %v, want close, note", got)
	}
}

// A rejected complaint takes no more actions but notes, and its run ends after the archive
// period.
func TestRejectedIsFinal(t *testing.T) {
	h := newHarness(t)
	rej := h.send(time.Hour, domain.ActionReject, body(domain.ActionReject, "admin"))
	triage := h.send(2*time.Hour, domain.ActionTriage, body(domain.ActionTriage, "admin"))
	h.run(startState(domain.StatusReceived), nil, 0)
	if rej.err != nil || rej.state.Status != domain.StatusRejected || rej.state.Deadline != nil {
		t.Fatalf("reject: %v", rej)
	}
	if errorType(triage.rejected) != ErrInvalidTransition {
		t.Fatalf("triage after reject: %v, want invalid_transition", triage.rejected)
	}
	if !h.env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
}

// A short policy given in plain durations drives the same clocks (for demos and tests).
func TestPolicyInSeconds(t *testing.T) {
	h := newHarness(t)
	p := &domain.SLAPolicy{Stages: map[domain.Status]domain.Span{domain.StatusReceived: {Dur: 30 * time.Second}}}
	var s domain.CaseState
	h.query(31*time.Second, &s)
	h.run(startState(domain.StatusReceived), p, time.Minute)
	if !s.Overdue {
		t.Fatal("not overdue 31 s into a 30 s stage")
	}
}

// TestTransitionCancelsStageTimer: a stage's timer that a transition made useless is
// cancelled, so it never fires to wake the workflow for nothing. Each
// transition arms exactly one timer for its new stage.
func TestTransitionCancelsStageTimer(t *testing.T) {
	h := newHarness(t)
	var started, cancelled, fired int
	h.env.SetOnTimerScheduledListener(func(string, time.Duration) { started++ })
	h.env.SetOnTimerCanceledListener(func(string) { cancelled++ })
	h.env.SetOnTimerFiredListener(func(string) { fired++ })
	h.send(1*time.Hour, "triage", body("triage", "admin"))
	h.send(2*time.Hour, "answer", body("answer", "pokja"))
	h.run(startState(domain.StatusReceived), nil, 3*time.Hour)
	// received, at_pokja and ready_to_publish each armed one; the transitions cancelled
	// the first two (the last goes with the run). None fired.
	if started != 3 || cancelled != 2 || fired != 0 {
		t.Errorf("timers started %d, cancelled %d, fired %d; want 3, 2, 0", started, cancelled, fired)
	}
}

package workflows

import (
	"sort"
	"testing"
	"time"

	"aduan/domain"
)

// witaZone is the regency's zone, as domain gives it (no package but domain builds one).
var witaZone = domain.ZoneAt(domain.DefaultUTCOffsetHours)

func wt(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, witaZone)
	if err != nil {
		panic(err)
	}
	return t
}

// runAt starts the workflow at the given instant, the complaint in status s since then,
// on the regency's default working-time policy.
func (h *harness) runAt(start time.Time, s domain.Status, stopAt time.Duration, edit func(*domain.CaseState)) {
	h.env.SetStartTime(start)
	c := startState(s)
	c.ReceivedAt, c.StageStartedAt = start, start
	if edit != nil {
		edit(&c)
	}
	policy := domain.DefaultSLAPolicy()
	h.at(stopAt, h.env.CancelWorkflow)
	h.env.ExecuteWorkflow(WorkflowName, NewInput(c, policy, &policy))
}

type sentNotice struct {
	at   string
	kind domain.NotifyKind
}

// noticesOf lists notifications by time, and by kind among those due at the same instant
// (their activities may run in either order).
func noticesOf(ns []notice) []sentNotice {
	var out []sentNotice
	for _, n := range ns {
		out = append(out, sentNotice{n.at.In(witaZone).Format("2006-01-02 15:04"), n.req.Kind})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].at != out[j].at {
			return out[i].at < out[j].at
		}
		return out[i].kind < out[j].kind
	})
	return out
}

// A complaint that reaches a partner on Friday 15:00 WITA before Christmas (cuti bersama on
// the 24th, Natal on the 25th) and is then ignored: reminders, the overdue mark, the
// escalations and the daily overdue reminders fall on working days and hours, and stop
// after ten, so its history stays bounded even when it is ignored for a year.
func TestPartnerIgnoredFromFridayBeforeHoliday(t *testing.T) {
	h := newHarness(t)
	var atDeadline domain.CaseState
	h.query(wt("2026-12-29 15:01").Sub(wt("2026-12-18 15:00")), &atDeadline)
	h.runAt(wt("2026-12-18 15:00"), domain.StatusAtPartner, 400*day, nil)

	want := []sentNotice{
		{"2026-12-23 11:00", domain.NotifyReminder},   // half of five working days
		{"2026-12-29 14:00", domain.NotifyReminder},   // one working hour before the deadline
		{"2026-12-29 15:00", domain.NotifyEscalation}, // supervisors and the pokja
		{"2026-12-30 15:00", domain.NotifyOverdueReminder},
		{"2026-12-31 15:00", domain.NotifyEscalationHead}, // two working days overdue: head of office
		{"2026-12-31 15:00", domain.NotifyOverdueReminder},
		{"2027-01-04 15:00", domain.NotifyOverdueReminder}, // New Year's Day and the weekend skipped
	}
	got := noticesOf(h.sent())
	if len(got) != 2+1+1+10+2 {
		t.Fatalf("%d notifications in 400 days, want 16 (2 reminders, 2 escalations, 10 overdue reminders, "+
			"2 of the overall clock): %v", len(got), got)
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("notification %d = %v, want %v", i, got[i], w)
		}
	}
	if last := got[13]; last != (sentNotice{"2027-01-13 15:00", domain.NotifyOverdueReminder}) {
		t.Errorf("14th notification %v, want the tenth and last overdue reminder on 2027-01-13", last)
	}
	// 60 calendar days after the report (here: the stage's start), ten days' warning first.
	if got[14] != (sentNotice{"2027-02-06 15:00", domain.NotifyOverallReminder}) ||
		got[15] != (sentNotice{"2027-02-16 15:00", domain.NotifyOverallEscalation}) {
		t.Errorf("overall clock notifications %v", got[14:])
	}
	if !atDeadline.Overdue || atDeadline.Deadline == nil || !atDeadline.Deadline.Equal(wt("2026-12-29 15:00")) {
		t.Errorf("at the deadline: overdue %v deadline %v", atDeadline.Overdue, atDeadline.Deadline)
	}
	events := actions(h.recorded())
	if len(events) != 3 || events[0] != domain.ActionOverdue || events[1] != domain.ActionEscalate || events[2] != domain.ActionOverdue {
		t.Errorf("audit events %v, want overdue, escalate, overdue (the 60-day limit)", events)
	}
	for _, n := range h.sent()[:14] {
		if n.req.Partner != "ypii" || n.req.Status != domain.StatusAtPartner || n.req.Code != "ADU-TEST-0001" {
			t.Errorf("notification names %+v", n.req)
		}
	}
	keys := map[string]bool{}
	for _, n := range h.sent() {
		if keys[n.req.Key] {
			t.Errorf("notification key %s used twice", n.req.Key)
		}
		keys[n.req.Key] = true
	}
}

// Acting before a reminder cancels it: the next stage's clock takes over.
func TestActingBeforeReminderCancelsIt(t *testing.T) {
	h := newHarness(t)
	start := wt("2026-12-01 09:00") // Tuesday
	// at_pokja: five working days, half-time reminder on Friday 13:00; the pokja answers on Thursday.
	h.send(wt("2026-12-03 10:00").Sub(start), domain.ActionAnswer, body(domain.ActionAnswer, "pokja"))
	h.runAt(start, domain.StatusAtPokja, wt("2026-12-03 16:30").Sub(start), nil)
	got := noticesOf(h.sent())
	// ready_to_publish has one working day: reminders at 14:00 the same day and 09:00 the next.
	want := []sentNotice{{"2026-12-03 14:00", domain.NotifyReminder}}
	if len(got) != len(want) || got[0] != want[0] {
		t.Fatalf("notifications %v, want only the new stage's %v", got, want)
	}
	if h.sent()[0].req.Status != domain.StatusReadyToPublish {
		t.Errorf("reminder for %s, want ready_to_publish", h.sent()[0].req.Status)
	}
}

// extend moves the deadline: the plan is laid out again before the new deadline, and
// nothing that fell due before the extension fires twice.
func TestExtendReplans(t *testing.T) {
	h := newHarness(t)
	start := wt("2026-12-01 09:00")
	until := wt("2026-12-14 12:00")
	ext := h.send(wt("2026-12-09 10:00").Sub(start), domain.ActionExtend,
		domain.ActionRequest{Actor: actorOf("supervisor"), Until: &until, Note: "Menunggu data desa"})
	h.runAt(start, domain.StatusAtPokja, wt("2026-12-14 12:30").Sub(start), nil)
	if ext.err != nil || !ext.state.Deadline.Equal(until) || ext.state.Overdue {
		t.Fatalf("extend: %v deadline %v overdue %v", ext.err, ext.state.Deadline, ext.state.Overdue)
	}
	got := noticesOf(h.sent())
	want := []sentNotice{
		{"2026-12-03 13:00", domain.NotifyReminder},   // half of the original five working days
		{"2026-12-08 08:00", domain.NotifyReminder},   // an hour before the original deadline (Tuesday 09:00)
		{"2026-12-08 09:00", domain.NotifyEscalation}, // original deadline
		{"2026-12-09 09:00", domain.NotifyOverdueReminder},
		{"2026-12-14 11:00", domain.NotifyReminder},   // an hour before the new deadline
		{"2026-12-14 12:00", domain.NotifyEscalation}, // the new deadline
	}
	if len(got) != len(want) {
		t.Fatalf("notifications %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("notification %d = %v, want %v", i, got[i], want[i])
		}
	}
}

// A question the complainant never answers: one reminder to them, then the complaint
// closes as no_reply at the deadline, and they are told.
func TestAwaitingInfoClosesWithoutReply(t *testing.T) {
	h := newHarness(t)
	start := wt("2026-12-01 09:00")
	h.send(time.Hour, domain.ActionRequestInfo, body(domain.ActionRequestInfo, "admin"))
	h.runAt(start, domain.StatusReceived, 60*day, nil)
	var closing *domain.Projection
	for _, p := range h.recorded() {
		if p.Action == domain.ActionClose {
			p := p
			closing = &p
		}
	}
	// Ten working days from Tuesday 10:00: Tuesday 15 December 10:00.
	if closing == nil || closing.State.Status != domain.StatusClosed || closing.State.CloseReason != "no_reply" ||
		!closing.At.Equal(wt("2026-12-15 10:00")) {
		t.Fatalf("closing event %+v", closing)
	}
	got := noticesOf(h.sent())
	want := []sentNotice{
		{"2026-12-01 10:00", domain.NotifyQuestion}, // the admin's question (the code went out from the acknowledger)
		{"2026-12-08 10:00", domain.NotifyReminder}, // one reminder to the complainant
		{"2026-12-15 10:00", domain.NotifyNoReplyClosed},
	}
	if len(got) != len(want) {
		t.Fatalf("notifications %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("notification %d = %v, want %v", i, got[i], want[i])
		}
	}
	if h.sent()[1].req.Status != domain.StatusAwaitingInfo {
		t.Errorf("the reminder went to %s's party, want the complainant (awaiting_info)", h.sent()[1].req.Status)
	}
	if !h.env.IsWorkflowCompleted() {
		// The cancel at 60 days ends it otherwise; the archive point comes after 30 working days.
		t.Log("workflow still open at 60 days (archive pending)")
	}
}

// The overall clock: 60 calendar days from a complete report, with a reminder ten days
// before; the complainant's reply restarts it, an answer stops it.
func TestOverallClock(t *testing.T) {
	h := newHarness(t)
	start := wt("2026-12-01 09:00")
	var late domain.CaseState
	h.query(61*day, &late)
	h.runAt(start, domain.StatusReceived, 62*day, nil)
	var overall []sentNotice
	for _, n := range noticesOf(h.sent()) {
		if n.kind == domain.NotifyOverallReminder || n.kind == domain.NotifyOverallEscalation {
			overall = append(overall, n)
		}
	}
	want := []sentNotice{{"2027-01-20 09:00", domain.NotifyOverallReminder}, {"2027-01-30 09:00", domain.NotifyOverallEscalation}}
	if len(overall) != 2 || overall[0] != want[0] || overall[1] != want[1] {
		t.Fatalf("overall notifications %v, want %v", overall, want)
	}
	if !late.OverallOverdue || !late.Overdue {
		t.Errorf("after 61 days: overall overdue %v, stage overdue %v", late.OverallOverdue, late.Overdue)
	}

	// Published within the limit: the overall clock stops.
	h2 := newHarness(t)
	h2.send(time.Hour, domain.ActionTriage, body(domain.ActionTriage, "admin"))
	h2.send(2*time.Hour, domain.ActionAnswer, body(domain.ActionAnswer, "pokja"))
	pub := h2.send(3*time.Hour, domain.ActionPublish, body(domain.ActionPublish, "admin"))
	h2.runAt(start, domain.StatusReceived, 70*day, nil)
	if pub.state.OverallDeadline != nil {
		t.Errorf("published complaint still has an overall deadline %v", pub.state.OverallDeadline)
	}
	for _, n := range h2.sent() {
		if n.req.Kind == domain.NotifyOverallReminder || n.req.Kind == domain.NotifyOverallEscalation {
			t.Errorf("overall notification %v after the answer was published", n.req.Kind)
		}
	}
}

// reassign starts the stage's clock again from now.
func TestReassignReplans(t *testing.T) {
	h := newHarness(t)
	start := wt("2026-12-01 09:00")
	o := h.send(wt("2026-12-04 09:00").Sub(start), domain.ActionReassign, body(domain.ActionReassign, "supervisor"))
	h.runAt(start, domain.StatusAtPokja, 4*day, nil)
	if want := wt("2026-12-11 09:00"); o.err != nil || o.state.Deadline == nil || !o.state.Deadline.Equal(want) {
		t.Fatalf("deadline after reassign on Friday 09:00 = %v (%v), want five working days later %v", o.state.Deadline, o.err, want)
	}
}

package domain

import (
	"testing"
	"time"
)

func TestNextOfficeAndOpening(t *testing.T) {
	c := *DefaultCalendar()
	cases := []struct{ t, office, opening string }{
		{"2026-12-01 10:00", "2026-12-01 10:00", "2026-12-02 08:00"}, // Tuesday, in office hours
		{"2026-12-01 06:30", "2026-12-01 08:00", "2026-12-01 08:00"}, // before opening
		{"2026-12-01 08:00", "2026-12-01 08:00", "2026-12-02 08:00"}, // at opening: in office, the next is tomorrow's
		{"2026-12-01 16:00", "2026-12-02 08:00", "2026-12-02 08:00"}, // at closing: closed
		{"2026-12-01 22:00", "2026-12-02 08:00", "2026-12-02 08:00"}, // at night
		{"2026-12-04 17:00", "2026-12-07 08:00", "2026-12-07 08:00"}, // Friday evening → Monday
		{"2026-12-23 20:00", "2026-12-28 08:00", "2026-12-28 08:00"}, // cuti bersama, Natal, weekend
	}
	for _, tc := range cases {
		if got := c.NextOffice(at(tc.t)).In(wita); !got.Equal(at(tc.office)) {
			t.Errorf("NextOffice(%s) = %s, want %s", tc.t, got.Format("2006-01-02 15:04"), tc.office)
		}
		if got := c.NextOpening(at(tc.t)).In(wita); !got.Equal(at(tc.opening)) {
			t.Errorf("NextOpening(%s) = %s, want %s", tc.t, got.Format("2006-01-02 15:04"), tc.opening)
		}
	}
	// A UTC instant is read in the regency's zone: 14:30 UTC is 22:30 WITA.
	if got := c.NextOffice(time.Date(2026, 12, 1, 14, 30, 0, 0, time.UTC)); !got.Equal(at("2026-12-02 08:00")) {
		t.Errorf("NextOffice of a UTC night: %s", got)
	}
}

func TestAnyHour(t *testing.T) {
	cases := []struct {
		kind     NotifyKind
		priority string
		want     bool
	}{
		{NotifyAck, "", true},       // answers a citizen who just wrote
		{NotifyAutoReply, "", true}, // likewise
		{NotifyEscalation, "urgent", true},
		{NotifyEscalationHead, "urgent", true},
		{NotifyOverallEscalation, "urgent", true},
		{NotifyEscalation, "high", false},
		{NotifyReminder, "urgent", false}, // only escalations of urgent complaints
		{NotifyQuestion, "urgent", false},
		{NotifyAnswer, "", false},
	}
	for _, c := range cases {
		if got := AnyHour(c.kind, c.priority); got != c.want {
			t.Errorf("AnyHour(%s, %q) = %v", c.kind, c.priority, got)
		}
	}
}

// TestScheduleOf pins the quiet-hours rule to a fixed clock: a Tuesday in December 2026,
// WITA, office hours 08:00–16:00.
func TestScheduleOf(t *testing.T) {
	p := DefaultSLAPolicy()
	deadlineSoon := at("2026-12-01 17:00") // before tomorrow's digest
	deadlineLater := at("2026-12-08 16:00")
	held := func(s string) Schedule { return Schedule{HoldUntil: at(s)} }
	digest := func(s string) Schedule { return Schedule{HoldUntil: at(s), Digest: true} }
	cases := []struct {
		name  string
		m     Outgoing
		t     string
		quiet bool
		want  Schedule
	}{
		{"reminder in office hours", Outgoing{Kind: NotifyReminder, Channel: ReachWhatsApp}, "2026-12-01 10:00", true, Schedule{}},
		{"reminder at night waits for the morning", Outgoing{Kind: NotifyReminder, Channel: ReachWhatsApp}, "2026-12-01 22:00", true, held("2026-12-02 08:00")},
		{"reminder on Saturday waits for Monday", Outgoing{Kind: NotifyOverdueReminder, Channel: ReachEmail}, "2026-12-05 10:00", true, held("2026-12-07 08:00")},
		{"question to a complainant at night", Outgoing{Kind: NotifyQuestion, Channel: ReachSMS}, "2026-12-01 19:00", true, held("2026-12-02 08:00")},
		{"answer to a complainant before opening", Outgoing{Kind: NotifyAnswer, Channel: ReachWhatsApp}, "2026-12-01 05:00", true, held("2026-12-01 08:00")},
		{"acknowledgement at night goes at once", Outgoing{Kind: NotifyAck, Channel: ReachWhatsApp}, "2026-12-01 23:00", true, Schedule{}},
		{"automatic reply at night goes at once", Outgoing{Kind: NotifyAutoReply, Channel: ReachSMS}, "2026-12-01 23:00", true, Schedule{}},
		{"urgent escalation at night goes at once", Outgoing{Kind: NotifyEscalation, Priority: "urgent", Channel: ReachWhatsApp}, "2026-12-01 23:00", true, Schedule{}},
		{"urgent escalation to the head at night", Outgoing{Kind: NotifyEscalationHead, Priority: "urgent", Channel: ReachEmail}, "2026-12-06 02:00", true, Schedule{}},
		{"high escalation at night waits", Outgoing{Kind: NotifyEscalation, Priority: "high", Channel: ReachEmail}, "2026-12-01 23:00", true, held("2026-12-02 08:00")},
		{"console row is shown at once", Outgoing{Kind: NotifyReminder, Channel: ReachNone}, "2026-12-01 23:00", true, Schedule{}},
		{"call-back task is listed at once", Outgoing{Kind: NotifyQuestion, Channel: ReachCallBack}, "2026-12-01 23:00", true, Schedule{}},
		{"quiet hours off", Outgoing{Kind: NotifyReminder, Channel: ReachWhatsApp}, "2026-12-01 23:00", false, Schedule{}},
		{"digest: a reminder in office hours joins tomorrow's", Outgoing{Kind: NotifyReminder, Channel: ReachWhatsApp, Digest: true, Deadline: &deadlineLater}, "2026-12-01 10:00", true, digest("2026-12-02 08:00")},
		{"digest: before opening joins today's", Outgoing{Kind: NotifyOverallReminder, Channel: ReachEmail, Digest: true}, "2026-12-01 07:00", true, digest("2026-12-01 08:00")},
		{"digest even with quiet hours off", Outgoing{Kind: NotifyReminder, Channel: ReachSMS, Digest: true}, "2026-12-01 10:00", false, digest("2026-12-02 08:00")},
		{"digest: a deadline before it goes on its own", Outgoing{Kind: NotifyReminder, Channel: ReachWhatsApp, Digest: true, Deadline: &deadlineSoon}, "2026-12-01 15:00", true, Schedule{}},
		{"digest: a deadline before it, at night, waits for the morning", Outgoing{Kind: NotifyReminder, Channel: ReachWhatsApp, Digest: true, Deadline: &deadlineSoon}, "2026-12-01 16:30", true, held("2026-12-02 08:00")},
		{"digest: escalations go at once", Outgoing{Kind: NotifyEscalation, Channel: ReachWhatsApp, Digest: true}, "2026-12-01 10:00", true, Schedule{}},
		{"digest: the console sends nothing", Outgoing{Kind: NotifyReminder, Channel: ReachNone, Digest: true}, "2026-12-01 10:00", true, Schedule{}},
	}
	for _, c := range cases {
		got := p.ScheduleOf(c.m, at(c.t), c.quiet)
		if !got.HoldUntil.Equal(c.want.HoldUntil) || got.Digest != c.want.Digest {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
		if got.Held() != c.want.Held() {
			t.Errorf("%s: Held %v", c.name, got.Held())
		}
	}

	// Without a calendar (tests, demos) nothing waits.
	plain := DefaultSLAPolicy()
	plain.Calendar = nil
	if s := plain.ScheduleOf(Outgoing{Kind: NotifyReminder, Channel: ReachWhatsApp, Digest: true}, at("2026-12-01 23:00"), true); s.Held() {
		t.Errorf("no calendar: %+v", s)
	}
	// Another zone's office hours: WIB 08:00 is 09:00 WITA.
	wib := DefaultSLAPolicy()
	cal := *wib.Calendar
	cal.UTCOffsetHours = 7
	wib.Calendar = &cal
	if s := wib.ScheduleOf(Outgoing{Kind: NotifyAnswer, Channel: ReachSMS}, at("2026-12-01 08:30"), true); !s.HoldUntil.Equal(at("2026-12-01 09:00")) {
		t.Errorf("WIB: %+v", s)
	}
}

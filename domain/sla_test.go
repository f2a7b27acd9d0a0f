package domain

import (
	"encoding/json"
	"testing"
	"time"
)

var wita = time.FixedZone("WITA", 8*3600)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, wita)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAddWorking(t *testing.T) {
	c := DefaultCalendar()
	cases := []struct {
		from string
		d    time.Duration
		want string
	}{
		{"2026-12-01 09:00", 2 * time.Hour, "2026-12-01 11:00"},
		{"2026-12-01 15:00", 2 * time.Hour, "2026-12-02 09:00"},     // over the night
		{"2026-12-04 15:00", 2 * time.Hour, "2026-12-07 09:00"},     // Friday → Monday
		{"2026-12-05 10:00", 1 * time.Hour, "2026-12-07 09:00"},     // Saturday counts from Monday's opening
		{"2026-12-01 06:00", 1 * time.Hour, "2026-12-01 09:00"},     // before opening
		{"2026-12-01 08:00", 8 * time.Hour, "2026-12-01 16:00"},     // exactly one office day
		{"2026-12-23 15:00", 2 * time.Hour, "2026-12-28 09:00"},     // cuti bersama 24th, Natal 25th, weekend
		{"2026-12-18 15:00", 5 * 8 * time.Hour, "2026-12-29 15:00"}, // 5 working days from Friday 15:00
		{"2026-03-17 12:00", 2 * 8 * time.Hour, "2026-03-26 12:00"}, // cuti bersama, Nyepi, Idulfitri, cuti bersama
		{"2026-12-31 17:00", 0, "2027-01-04 08:00"},                 // zero after hours: next opening
		{"2026-12-01 10:00", 0, "2026-12-01 10:00"},                 // zero in office hours: now
		{"2026-12-30 10:00", 3 * 8 * time.Hour, "2027-01-05 10:00"}, // New Year
	}
	for _, tc := range cases {
		got := c.AddWorking(at(tc.from), tc.d).In(wita)
		if !got.Equal(at(tc.want)) {
			t.Errorf("AddWorking(%s, %v) = %s, want %s", tc.from, tc.d, got.Format("2006-01-02 15:04 Mon"), tc.want)
		}
	}
}

func TestWorkingBetweenInvertsAdd(t *testing.T) {
	c := DefaultCalendar()
	from := at("2026-12-18 15:00")
	for _, d := range []time.Duration{time.Minute, time.Hour, 8 * time.Hour, 41 * time.Hour, 200 * time.Hour} {
		to := c.AddWorking(from, d)
		if got := c.WorkingBetween(from, to); got != d {
			t.Errorf("WorkingBetween(from, AddWorking(from, %v)) = %v", d, got)
		}
	}
	if got := c.SubtractWorking(at("2026-12-28 09:00"), at("2026-12-18 15:00"), 2*time.Hour); !got.Equal(at("2026-12-23 15:00")) {
		t.Errorf("SubtractWorking across the holidays = %s", got.In(wita))
	}
}

// A complaint reaching a partner on Friday 15:00 WITA before Christmas: its reminders,
// deadline and escalations fall on working days and hours.
func TestPlanStageFridayBeforeHoliday(t *testing.T) {
	p := DefaultSLAPolicy()
	plan := p.PlanStage(StatusAtPartner, "normal", at("2026-12-18 15:00"), nil)
	want := []struct {
		at   string
		kind PointKind
	}{
		{"2026-12-23 11:00", PointReminder},        // half of 40 working hours
		{"2026-12-29 14:00", PointReminder},        // one working hour before the deadline
		{"2026-12-29 15:00", PointDeadline},        // 5 working days
		{"2026-12-30 15:00", PointOverdueReminder}, // then every working day…
		{"2026-12-31 15:00", PointEscalateHead},    // …and the head of office after 2 more
		{"2026-12-31 15:00", PointOverdueReminder},
		{"2027-01-04 15:00", PointOverdueReminder}, // New Year's Day and the weekend skipped
	}
	if plan.Deadline == nil || !plan.Deadline.Equal(at("2026-12-29 15:00")) {
		t.Fatalf("deadline = %v", plan.Deadline)
	}
	if len(plan.Points) != 2+1+1+10 {
		t.Fatalf("%d points, want 14 (2 reminders, deadline, head, 10 overdue reminders)", len(plan.Points))
	}
	for i, w := range want {
		got := plan.Points[i]
		if !got.At.Equal(at(w.at)) || got.Kind != w.kind {
			t.Errorf("point %d = %s %s, want %s %s", i, got.At.In(wita).Format("2006-01-02 15:04 Mon"), got.Kind, w.at, w.kind)
		}
	}
	last := plan.Points[len(plan.Points)-1]
	if last.Kind != PointOverdueReminder || !last.At.Equal(at("2027-01-13 15:00")) {
		t.Errorf("last point %s %s, want the 10th overdue reminder on 2027-01-13 15:00", last.At.In(wita), last.Kind)
	}
}

func TestPlanStageUrgentExtendAndSpecialStages(t *testing.T) {
	p := DefaultSLAPolicy()
	urgent := p.PlanStage(StatusAtPokja, "urgent", at("2026-12-01 10:00"), nil)
	if !urgent.Deadline.Equal(at("2026-12-02 10:00")) {
		t.Errorf("urgent deadline %s", urgent.Deadline.In(wita))
	}
	until := at("2026-12-10 12:00")
	ext := p.PlanStage(StatusAtPokja, "normal", at("2026-12-01 10:00"), &until)
	if !ext.Deadline.Equal(until) || ext.Points[2].Kind != PointDeadline || !ext.Points[2].At.Equal(until) {
		t.Errorf("extended plan %+v", ext)
	}
	ask := p.PlanStage(StatusAwaitingInfo, "urgent", at("2026-12-01 10:00"), nil)
	if len(ask.Points) != 2 || ask.Points[1].Kind != PointClose || !ask.Deadline.Equal(at("2026-12-15 10:00")) {
		t.Errorf("awaiting_info plan (10 working days, not urgent's 1): %+v", ask)
	}
	pub := p.PlanStage(StatusPublished, "normal", at("2026-12-01 10:00"), nil)
	if len(pub.Points) != 1 || pub.Points[0].Kind != PointClose {
		t.Errorf("published plan %+v", pub)
	}
	if fin := p.PlanStage(StatusClosed, "normal", at("2026-12-01 10:00"), nil); fin.Deadline != nil || len(fin.Points) != 1 ||
		fin.Points[0].Kind != PointArchive || !fin.Points[0].At.Equal(at("2027-01-15 10:00")) {
		t.Errorf("closed plan %+v, want only the archive point 30 working days on", fin)
	}
	overall := p.PlanOverall(at("2026-12-01 10:00"))
	if !overall.Deadline.Equal(at("2027-01-30 10:00")) || overall.Points[0].Kind != PointOverallReminder ||
		!overall.Points[0].At.Equal(at("2027-01-20 10:00")) {
		t.Errorf("overall plan %+v", overall)
	}
}

// The same policy in plain seconds, for tests and demos.
func TestPlanInSeconds(t *testing.T) {
	var p SLAPolicy
	raw := `{"stages":{"at_partner":"10s"},"reminders":[0.5],"remind_before":"2s","escalate_head_after":"5s","overdue_every":"3s","overdue_max":2}`
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	plan := p.PlanStage(StatusAtPartner, "normal", start, nil)
	var offs []time.Duration
	for _, pt := range plan.Points {
		offs = append(offs, pt.At.Sub(start))
	}
	want := []time.Duration{5 * time.Second, 8 * time.Second, 10 * time.Second, 13 * time.Second, 15 * time.Second, 16 * time.Second}
	if len(offs) != len(want) {
		t.Fatalf("points at %v, want %v", offs, want)
	}
	for i := range want {
		if offs[i] != want[i] {
			t.Fatalf("points at %v, want %v", offs, want)
		}
	}
}

func TestPolicyFileRoundTrip(t *testing.T) {
	raw, err := json.Marshal(DefaultSLAPolicy())
	if err != nil {
		t.Fatal(err)
	}
	var back SLAPolicy
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if err := back.Validate(); err != nil {
		t.Fatal(err)
	}
	if back.Stages[StatusAtPartner] != days(5) || back.RemindBefore.Dur != time.Hour {
		t.Errorf("round trip lost values: %s", raw)
	}
	for _, bad := range []string{`{"stages":{"closed":"1d"}}`, `{"reminders":[1.5]}`, `{"calendar":{"office_open":"9","office_close":"16:00","workdays":[1]}}`} {
		var p SLAPolicy
		if json.Unmarshal([]byte(bad), &p) == nil && p.Validate() == nil {
			t.Errorf("policy %s accepted", bad)
		}
	}
	if _, err := ParseSpan("3 days"); err == nil {
		t.Error("ParseSpan accepted \"3 days\"")
	}
}

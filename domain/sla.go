package domain

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Span is a length of time as a person writes it in the policy file: "3d", "1h",
// "1d4h", "90s". On a working calendar "1d" is one office day and "1h" one office hour;
// in a policy without calendar (tests, demos) they are plain durations.
type Span struct {
	Days int
	Dur  time.Duration
}

var spanPattern = regexp.MustCompile(`^(?:(\d+)d)?((?:\d+(?:\.\d+)?(?:h|m|s|ms))*)$`)

// ParseSpan reads "3d", "1d4h", "30m", "90s", or "0".
func ParseSpan(s string) (Span, error) {
	if s == "0" {
		return Span{}, nil
	}
	m := spanPattern.FindStringSubmatch(s)
	if m == nil || s == "" {
		return Span{}, fmt.Errorf("duration %q: want e.g. 3d, 1h, 1d4h, 90s", s)
	}
	var sp Span
	if m[1] != "" {
		sp.Days, _ = strconv.Atoi(m[1])
	}
	if m[2] != "" {
		d, err := time.ParseDuration(m[2])
		if err != nil {
			return Span{}, fmt.Errorf("duration %q: %v", s, err)
		}
		sp.Dur = d
	}
	return sp, nil
}

func (s Span) String() string {
	out := ""
	if s.Days > 0 {
		out = strconv.Itoa(s.Days) + "d"
	}
	if s.Dur > 0 || out == "" {
		if s.Dur == 0 {
			return "0"
		}
		out += s.Dur.String()
	}
	return out
}

// IsZero reports an empty span.
func (s Span) IsZero() bool { return s.Days == 0 && s.Dur == 0 }

// MarshalJSON writes the span as text.
func (s Span) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads the span from text.
func (s *Span) UnmarshalJSON(b []byte) error {
	var text string
	if err := json.Unmarshal(b, &text); err != nil {
		return fmt.Errorf("duration must be text such as \"3d\": %w", err)
	}
	v, err := ParseSpan(text)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// SLAPolicy is the regency's deadline policy: the file or table row it edits, versioned.
// A change applies to stages that start after it.
type SLAPolicy struct {
	Version int `json:"version,omitempty"`
	// Calendar counts spans in working time; nil counts plain durations (tests, demos).
	Calendar *Calendar `json:"calendar,omitempty"`
	// Stages is the time allowed per status and priority ("normal" and "high" fall back
	// to "normal"; "urgent" to its own or to Urgent).
	Stages map[Status]Span `json:"stages"`
	// Urgent is the time allowed at every working stage for urgent complaints.
	Urgent Span `json:"urgent"`
	// Reminders are fractions of a stage's time at which whoever has the ball is reminded,
	// and RemindBefore one more reminder that long before the deadline.
	Reminders    []float64 `json:"reminders"`
	RemindBefore Span      `json:"remind_before"`
	// EscalateHeadAfter is how long a stage may stay overdue before the head of office
	// is told (the second escalation level).
	EscalateHeadAfter Span `json:"escalate_head_after"`
	// OverdueEvery repeats the overdue reminder, at most OverdueMax times, so a forgotten
	// complaint cannot grow its history without bound.
	OverdueEvery Span `json:"overdue_every"`
	OverdueMax   int  `json:"overdue_max"`
	// Overall is the legal limit from a complete report to its answer, counted in
	// calendar days (Perpres 76/2013: 60 days); OverallRemindBefore warns ahead of it.
	Overall             Span `json:"overall"`
	OverallRemindBefore Span `json:"overall_remind_before"`
	// FeedbackWindow is how long a published complaint waits for the complainant.
	FeedbackWindow Span `json:"feedback_window"`
	// ArchiveAfter is how long a finished complaint still takes internal notes.
	ArchiveAfter Span `json:"archive_after"`
}

// Validate reports the first problem of a policy a person wrote.
func (p SLAPolicy) Validate() error {
	if p.Calendar != nil {
		if err := p.Calendar.Validate(); err != nil {
			return fmt.Errorf("calendar: %w", err)
		}
	}
	for s := range p.Stages {
		if !s.Valid() || s.Final() || s == StatusPublished {
			return fmt.Errorf("stages: %q is not a stage with a deadline", s)
		}
	}
	for _, f := range p.Reminders {
		if f <= 0 || f >= 1 {
			return fmt.Errorf("reminders: %v is not a fraction between 0 and 1", f)
		}
	}
	if p.OverdueMax < 0 || p.OverdueMax > 60 {
		return fmt.Errorf("overdue_max: %d, want 0 to 60", p.OverdueMax)
	}
	return nil
}

// add moves t forward by s: working time on the calendar, or plain time without one.
func (p SLAPolicy) add(t time.Time, s Span) time.Time {
	if p.Calendar == nil {
		return t.Add(time.Duration(s.Days)*24*time.Hour + s.Dur)
	}
	return p.Calendar.AddWorking(t, time.Duration(s.Days)*p.Calendar.DayLength()+s.Dur)
}

func (p SLAPolicy) between(a, b time.Time) time.Duration {
	if p.Calendar == nil {
		return b.Sub(a)
	}
	return p.Calendar.WorkingBetween(a, b)
}

// stageSpan is the time allowed in status s at the given priority (zero: no deadline).
func (p SLAPolicy) stageSpan(s Status, priority string) Span {
	if s == StatusPublished {
		return p.FeedbackWindow
	}
	span, ok := p.Stages[s]
	if !ok {
		return Span{}
	}
	if priority == "urgent" && s != StatusAwaitingInfo && !p.Urgent.IsZero() {
		return p.Urgent
	}
	return span
}

// PointKind is what happens at a point of a stage's plan.
type PointKind string

const (
	PointReminder        PointKind = "reminder"
	PointDeadline        PointKind = "deadline"
	PointEscalateHead    PointKind = "escalate_head"
	PointOverdueReminder PointKind = "overdue_reminder"
	// PointClose ends the stage by itself: a published complaint's feedback window, an
	// unanswered question's wait.
	PointClose PointKind = "close"
	// PointArchive ends a finished complaint's run: no more notes after it.
	PointArchive PointKind = "archive"
	// Points of the overall clock.
	PointOverallReminder PointKind = "overall_reminder"
	PointOverallDeadline PointKind = "overall_deadline"
)

// Point is one timed step of a plan.
type Point struct {
	At   time.Time `json:"at"`
	Kind PointKind `json:"kind"`
}

// Plan is the timetable of one clock: its deadline and the points to act at, in order.
type Plan struct {
	PolicyVersion int        `json:"policy_version"`
	Deadline      *time.Time `json:"deadline,omitempty"`
	Points        []Point    `json:"points,omitempty"`
	// UTCOffsetHours is the zone of the policy that laid the plan out (see ZoneAt), so
	// whoever shows its times needs no zone of their own; 0 in plans from before it.
	UTCOffsetHours int `json:"utc_offset_hours,omitempty"`
}

// PlanStage lays out the clock of a stage that starts at start. until, when given,
// replaces the computed deadline (a supervisor's extension). Statuses without a deadline
// get an empty plan.
func (p SLAPolicy) PlanStage(status Status, priority string, start time.Time, until *time.Time) Plan {
	plan := Plan{PolicyVersion: p.Version, UTCOffsetHours: p.UTCOffsetHours()}
	if status.Final() {
		if !p.ArchiveAfter.IsZero() {
			plan.Points = []Point{{At: p.add(start, p.ArchiveAfter).UTC(), Kind: PointArchive}}
		}
		return plan
	}
	span := p.stageSpan(status, priority)
	if span.IsZero() && until == nil {
		return plan
	}
	deadline := p.add(start, span)
	if until != nil {
		deadline = until.UTC()
	}
	deadline = deadline.UTC()
	plan.Deadline = &deadline
	if status == StatusPublished {
		plan.Points = []Point{{At: deadline, Kind: PointClose}}
		return plan
	}
	total := p.between(start, deadline)
	var reminders []time.Time
	for _, f := range p.Reminders {
		reminders = append(reminders, p.add(start, Span{Dur: time.Duration(f * float64(total))}))
	}
	if !p.RemindBefore.IsZero() {
		before := p.RemindBefore
		if p.Calendar != nil {
			d := time.Duration(before.Days)*p.Calendar.DayLength() + before.Dur
			reminders = append(reminders, p.Calendar.SubtractWorking(deadline, start, d))
		} else {
			reminders = append(reminders, deadline.Add(-(time.Duration(before.Days)*24*time.Hour + before.Dur)))
		}
	}
	// Reminders in order, strictly between the start and the deadline, none twice. One
	// that falls at closing time moves to the next opening, when someone reads it.
	last := start
	for _, r := range sortTimes(reminders) {
		if p.Calendar != nil {
			r = p.Calendar.AddWorking(r, 0)
		}
		if r.After(last) && r.Before(deadline) {
			plan.Points = append(plan.Points, Point{At: r.UTC(), Kind: PointReminder})
			last = r
		}
	}
	if status == StatusAwaitingInfo {
		// Nobody on staff has the ball: the complainant gets one reminder, then an
		// unanswered question closes the complaint.
		if len(plan.Points) > 1 {
			plan.Points = plan.Points[:1]
		}
		plan.Points = append(plan.Points, Point{At: deadline, Kind: PointClose})
		return plan
	}
	plan.Points = append(plan.Points, Point{At: deadline, Kind: PointDeadline})
	after := []Point{}
	if !p.EscalateHeadAfter.IsZero() {
		after = append(after, Point{At: p.add(deadline, p.EscalateHeadAfter).UTC(), Kind: PointEscalateHead})
	}
	if !p.OverdueEvery.IsZero() {
		t := deadline
		for i := 0; i < p.OverdueMax; i++ {
			t = p.add(t, p.OverdueEvery)
			after = append(after, Point{At: t.UTC(), Kind: PointOverdueReminder})
		}
	}
	sortPoints(after)
	plan.Points = append(plan.Points, after...)
	return plan
}

// PlanOverall lays out the overall clock from a complete report at start.
func (p SLAPolicy) PlanOverall(start time.Time) Plan {
	plan := Plan{PolicyVersion: p.Version, UTCOffsetHours: p.UTCOffsetHours()}
	if p.Overall.IsZero() {
		return plan
	}
	// The legal limit counts calendar days, whatever the stage calendar.
	plain := SLAPolicy{}
	deadline := plain.add(start, p.Overall).UTC()
	plan.Deadline = &deadline
	if !p.OverallRemindBefore.IsZero() {
		r := deadline.Add(-(time.Duration(p.OverallRemindBefore.Days)*24*time.Hour + p.OverallRemindBefore.Dur))
		if r.After(start) {
			plan.Points = append(plan.Points, Point{At: r, Kind: PointOverallReminder})
		}
	}
	plan.Points = append(plan.Points, Point{At: deadline, Kind: PointOverallDeadline})
	return plan
}

func sortTimes(ts []time.Time) []time.Time {
	out := append([]time.Time(nil), ts...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Before(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func sortPoints(ps []Point) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].At.Before(ps[j-1].At); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// PlanPointsKept is how many points of a stage's plan the complaint's row keeps for the
// staff console (reminders, the deadline, the first escalations).
const PlanPointsKept = 6

// Head is the plan with only its first n points: what a person is shown of what comes
// next (the full plan stays with the workflow).
func (p Plan) Head(n int) Plan {
	if len(p.Points) > n {
		p.Points = append([]Point(nil), p.Points[:n]...)
	}
	return p
}

package domain

import "time"

// Quiet hours. Reminders to staff and messages to complainants go out within the
// regency's office hours, in its time zone, as its SLA policy's calendar gives them: a
// message due at night waits for the morning, and the outbox says until when. What
// cannot wait goes at once: the acknowledgement of a new complaint and the automatic
// replies, which answer a citizen who has just written, and the escalations of an urgent
// complaint (life, health, no food or shelter).

// PriorityUrgent is the priority whose escalations go out at any hour.
const PriorityUrgent = "urgent"

// AnyHour reports whether a message of kind, about a complaint of priority, goes out
// at any hour.
func AnyHour(kind NotifyKind, priority string) bool {
	switch {
	case kind == NotifyAck, kind == NotifyAutoReply:
		return true
	case IsEscalation(kind):
		return priority == PriorityUrgent
	}
	return false
}

// NextOffice is t when it falls within office hours, else the next opening. A calendar
// that does not parse (Validate) gives t.
func (c Calendar) NextOffice(t time.Time) time.Time { return c.AddWorking(t, 0) }

// NextOpening is the first opening of the office strictly after t: the start of the
// next working day (or of today's, before it opens). A calendar that does not parse, or
// has no working day left, gives t.
func (c Calendar) NextOpening(t time.Time) time.Time {
	k, err := c.clock()
	if err != nil {
		return t
	}
	day := k.midnight(t)
	for i := 0; i < maxDays; i, day = i+1, day.AddDate(0, 0, 1) {
		if open := day.Add(k.open); k.isWorkday(day) && open.After(t) {
			return open.In(t.Location())
		}
	}
	return t
}

// Outgoing is one message as the schedule sees it: what it is and where it goes.
type Outgoing struct {
	Kind NotifyKind
	// Priority is the complaint's ("" before triage).
	Priority string
	// Channel is its route (RouteToComplainant, RouteToOfficer).
	Channel string
	// Digest: an officer who wants their reminders grouped (OfficerPrefs.Digest).
	Digest bool
	// Deadline is the stage's deadline a reminder is about, if any.
	Deadline *time.Time
}

// Schedule says when a message goes out.
type Schedule struct {
	// HoldUntil is when it may go; zero means at once.
	HoldUntil time.Time
	// Digest: it goes in its recipient's daily digest at HoldUntil.
	Digest bool
}

// Held reports whether the message waits.
func (s Schedule) Held() bool { return !s.HoldUntil.IsZero() }

// ScheduleOf is when a message due at t goes out under the policy:
//   - at once when nothing is sent (the console, the log, an operator's call-back: the
//     row is shown at once, and the operator calls in office hours anyway), or when the
//     policy has no calendar (tests and demos count plain time);
//   - an officer's reminder, when they want a digest: in the digest at the next opening
//     after t, unless the deadline it reminds of comes before that (then it goes on its
//     own, as below);
//   - with quietHours, anything but AnyHour's kinds due outside office hours: at the next
//     opening;
//   - else at once.
func (p SLAPolicy) ScheduleOf(m Outgoing, t time.Time, quietHours bool) Schedule {
	switch m.Channel {
	case ReachWhatsApp, ReachSMS, ReachEmail:
	default:
		return Schedule{}
	}
	if p.Calendar == nil || p.Calendar.Validate() != nil {
		return Schedule{}
	}
	c := *p.Calendar
	if m.Digest && IsReminder(m.Kind) {
		at := c.NextOpening(t)
		if at.After(t) && (m.Deadline == nil || !m.Deadline.Before(at)) {
			return Schedule{HoldUntil: at, Digest: true}
		}
	}
	if !quietHours || AnyHour(m.Kind, m.Priority) {
		return Schedule{}
	}
	if at := c.NextOffice(t); at.After(t) {
		return Schedule{HoldUntil: at}
	}
	return Schedule{}
}

package domain

import "time"

// Whose turn it is, and what "overdue" means: one rule for the inbox, the reminders and
// every list that marks late work.

// Turn is who has to act on a complaint: a role and, for a pokja or partner, which one.
type Turn struct {
	Role    Role
	Pokja   string
	Partner string
}

// TurnOf says who has the ball of a complaint in status s assigned as given; ok is false
// when nobody on staff has it (the complainant does, or the complaint is finished).
func TurnOf(s Status, pokja, partner string) (t Turn, ok bool) {
	switch role := s.BallWith(); role {
	case RoleAdmin:
		return Turn{Role: RoleAdmin}, true
	case RolePokja:
		return Turn{Role: RolePokja, Pokja: pokja}, pokja != ""
	case RolePartner:
		return Turn{Role: RolePartner, Partner: partner}, partner != ""
	}
	return Turn{}, false
}

// StatusesWithBall lists the statuses in which role r has the ball, in lifecycle order.
func StatusesWithBall(r Role) []Status {
	var out []Status
	for _, s := range AllStatuses {
		if s.BallWith() == r {
			out = append(out, s)
		}
	}
	return out
}

// StaffStages are the statuses in which someone on staff has the ball: a deadline passing
// there makes a complaint overdue (waiting for the complainant does not).
func StaffStages() []Status {
	var out []Status
	for _, s := range AllStatuses {
		if s.BallWith() != "" {
			out = append(out, s)
		}
	}
	return out
}

// OpenStatuses are the statuses in which somebody still has to act.
func OpenStatuses() []Status {
	var out []Status
	for _, s := range AllStatuses {
		if !s.Final() && s != StatusPublished {
			out = append(out, s)
		}
	}
	return out
}

// IsOverdue reports whether a complaint is late at now: its workflow marked it overdue
// (a stage deadline or the overall limit passed), or a staff stage's deadline has passed
// and the workflow's timer has not fired yet, so no list ever shows late work as on time.
// The store's SQL expression of the same rule is store.overdueSQL.
func IsOverdue(c CaseState, now time.Time) bool {
	if c.Overdue || c.OverallOverdue {
		return true
	}
	return c.Deadline != nil && c.Deadline.Before(now) && c.Status.BallWith() != ""
}

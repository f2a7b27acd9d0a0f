package store

import (
	"strings"

	"aduan/domain"
)

// The rules of domain as SQL: who sees which complaints, whose turn it is, what overdue
// means. Each is written here once, from the domain's own lists.

// statusList is SQL for a list of statuses, e.g. ('received', 'at_pokja').
func statusList(ss []domain.Status) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = "'" + string(s) + "'"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// staffStages is SQL for domain.StaffStages: someone on staff has the ball.
var staffStages = statusList(domain.StaffStages())

// overdueSQL is domain.IsOverdue in SQL, on the columns of the table alias prefix ("" or
// "c."): marked overdue by the workflow, or a staff stage's deadline passed before its
// timer fired. A stage without a deadline (a policy without a span for it) is not late:
// false, not NULL.
func overdueSQL(prefix string) string {
	return "(" + prefix + "overdue OR " + prefix + "overall_overdue OR (coalesce(" + prefix + "deadline < now(), false) AND " +
		prefix + "status IN " + staffStages + "))"
}

// visibleTo limits a query to domain.ScopeOf(a): the complaints the user may see.
func visibleTo(a domain.Actor, q *query) { visibleOn(a, q, "") }

// visibleOn is visibleTo on the columns of the table alias prefix ("" or "c.").
func visibleOn(a domain.Actor, q *query, prefix string) {
	scope := domain.ScopeOf(a)
	switch {
	case scope.All:
	case scope.Pokja != "":
		q.cond(prefix + "pokja = " + q.arg(scope.Pokja))
	case scope.Partner != "":
		q.cond(prefix + "partner = " + q.arg(scope.Partner))
	default:
		q.cond("false")
	}
}

// turnOf limits a query to the complaints whose ball is with the user now (domain.TurnOf):
// their role's statuses and, for a pokja or partner, their group. A supervisor's turn is
// every overdue complaint. It reports false when the user has no work at all.
func turnOf(a domain.Actor, q *query) bool {
	switch a.Role {
	case domain.RoleSupervisor:
		q.cond(overdueSQL("") + " AND status IN " + staffStages)
		return true
	case domain.RoleAdmin:
	case domain.RolePokja:
		if a.Pokja == "" {
			return false
		}
		q.cond("pokja = " + q.arg(a.Pokja))
	case domain.RolePartner:
		if a.Partner == "" {
			return false
		}
		q.cond("partner = " + q.arg(a.Partner))
	default:
		return false
	}
	q.cond("status IN " + statusList(domain.StatusesWithBall(a.Role)))
	return true
}

package domain

import "fmt"

// Who may see and do what: the one place these rules are written. The workflow's Update
// validators, the core's views and lists, and the store's SQL all read them from here.

// RefusalKind says why an action was refused; each door maps it to its own answer (the
// JSON API to API.md's error codes).
type RefusalKind string

const (
	RefusedInvalid           RefusalKind = "invalid"
	RefusedForbidden         RefusalKind = "forbidden"
	RefusedInvalidTransition RefusalKind = "invalid_transition"
)

// Refusal is an action refused by the rules: a bad body, a caller without the right, or
// a complaint in the wrong status. Fields name each bad field (for RefusedInvalid).
type Refusal struct {
	Kind    RefusalKind
	Message string
	Fields  map[string]string
}

func (r *Refusal) Error() string { return string(r.Kind) + ": " + r.Message }

// Refuse builds a Refusal.
func Refuse(kind RefusalKind, message string, fields map[string]string) *Refusal {
	return &Refusal{Kind: kind, Message: message, Fields: fields}
}

// Scope is the set of complaints a staff user may see: all of them, those assigned to one
// pokja, or those assigned to one partner. A user with no role sees none.
type Scope struct {
	All     bool
	Pokja   string
	Partner string
}

// ScopeOf is who sees what: admins and supervisors see every complaint; a pokja member
// or partner staff sees the complaints assigned to their group now.
func ScopeOf(a Actor) Scope {
	switch a.Role {
	case RoleAdmin, RoleSupervisor:
		return Scope{All: true}
	case RolePokja:
		return Scope{Pokja: a.Pokja}
	case RolePartner:
		return Scope{Partner: a.Partner}
	}
	return Scope{}
}

// None reports a scope that holds no complaint.
func (s Scope) None() bool { return !s.All && s.Pokja == "" && s.Partner == "" }

// Includes reports whether a complaint assigned as given lies in the scope.
func (s Scope) Includes(pokja, partner string) bool {
	switch {
	case s.All:
		return true
	case s.Pokja != "":
		return s.Pokja == pokja
	case s.Partner != "":
		return s.Partner == partner
	}
	return false
}

// CanView reports whether a staff user may see a complaint.
func CanView(a Actor, s CaseState) bool { return ScopeOf(a).Includes(s.Pokja, s.Partner) }

// SeesEverything reports whether a user sees the complainant's identity and a
// confidential complaint's text, messages and desa (need to know: admins and supervisors).
func SeesEverything(a Actor) bool { return ScopeOf(a).All }

// Permit checks what an action needs of the actor and the complaint, whatever its body:
// the role, the assignment, the status (in that order, so that nobody learns a
// complaint's status through an action they may not take). Nil means allowed; otherwise
// a *Refusal.
func Permit(action Action, a Actor, s CaseState) error {
	spec, ok := ActionSpecs[action]
	if !ok {
		return Refuse(RefusedInvalid, "Aksi tidak dikenal.", map[string]string{"action": msgUnknown})
	}
	if !spec.RoleAllowed(a.Role) {
		return Refuse(RefusedForbidden, fmt.Sprintf("Peran %s tidak boleh melakukan aksi %s.", a.Role, action), nil)
	}
	if !assigned(spec.Assign, a, s) {
		return Refuse(RefusedForbidden, "Aduan ini tidak ditugaskan kepada Anda.", nil)
	}
	if !spec.AllowedIn(s.Status) {
		return Refuse(RefusedInvalidTransition,
			fmt.Sprintf("Aksi %s tidak dapat dilakukan pada status %q (%s).", action, s.Status, s.Status.Label()), nil)
	}
	if action == ActionPublish && s.Confidential {
		return Refuse(RefusedInvalidTransition, "Aduan rahasia atau sensitif tidak boleh diterbitkan.", nil)
	}
	return nil
}

// assigned reports whether the actor holds the assignment an action needs.
func assigned(need Assignment, a Actor, s CaseState) bool {
	switch need {
	case AssignPokja:
		return a.Pokja != "" && a.Pokja == s.Pokja
	case AssignPartner:
		return a.Partner != "" && a.Partner == s.Partner
	case AssignViewer:
		return CanView(a, s)
	}
	return true
}

// AllowedActions lists the staff actions a user may take on a complaint now, in the order
// of API.md (a console offers them as forms or buttons).
func AllowedActions(a Actor, s CaseState) []Action {
	out := []Action{}
	for _, action := range StaffActions {
		if Permit(action, a, s) == nil {
			out = append(out, action)
		}
	}
	return out
}

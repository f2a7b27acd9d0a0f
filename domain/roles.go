package domain

// Role is what a staff user is allowed to do; see API.md "Roles".
type Role string

const (
	RoleAdmin      Role = "admin"
	RolePokja      Role = "pokja"
	RolePartner    Role = "partner"
	RoleSupervisor Role = "supervisor"
	// RoleSystem marks transitions the workflow makes by itself (timers).
	RoleSystem Role = "system"
	// RoleComplainant marks the citizen's own replies.
	RoleComplainant Role = "complainant"
)

// Valid reports whether r is a role a staff user can have.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RolePokja, RolePartner, RoleSupervisor:
		return true
	}
	return false
}

// Actor is who performs an action. It carries staff usernames and assignments only,
// never a complainant's personal data, because it is written to workflow history.
type Actor struct {
	Username string `json:"username"`
	Role     Role   `json:"role"`
	Pokja    string `json:"pokja,omitempty"`
	Partner  string `json:"partner,omitempty"`
}

package domain

import "time"

// CaseState is the live state of one complaint: the workflow's state, the result of its
// Query and Updates, and the snapshot each projection writes to PostgreSQL. Like every
// workflow payload it holds no personal data of the complainant (no name, phone, e-mail,
// NIK, nor the complaint's own text: those stay in PostgreSQL).
type CaseState struct {
	Code           string     `json:"code"`
	Channel        string     `json:"channel"`
	Kecamatan      string     `json:"kecamatan,omitempty"`
	Desa           string     `json:"desa,omitempty"`
	Status         Status     `json:"status"`
	Pokja          string     `json:"pokja,omitempty"`
	Partner        string     `json:"partner,omitempty"`
	Category       string     `json:"category,omitempty"`
	Priority       string     `json:"priority,omitempty"`
	Title          string     `json:"title,omitempty"`
	Confidential   bool       `json:"confidential"`
	ReceivedAt     time.Time  `json:"received_at"`
	StageStartedAt time.Time  `json:"stage_started_at"`
	Deadline       *time.Time `json:"deadline,omitempty"`
	Overdue        bool       `json:"overdue"`
	Question       string     `json:"question,omitempty"`
	Answer         string     `json:"answer,omitempty"`
	PartnerAnswer  string     `json:"partner_answer,omitempty"`
	PublicTitle    string     `json:"public_title,omitempty"`
	PublicAnswer   string     `json:"public_answer,omitempty"`
	RejectReason   string     `json:"reject_reason,omitempty"`
	DuplicateOf    string     `json:"duplicate_of,omitempty"`
	PublishedAt    *time.Time `json:"published_at,omitempty"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
	// Seq is the number of the last event recorded for this complaint.
	Seq int64 `json:"seq"`
}

// EffectivePriority is the priority deadlines are counted with before triage sets one.
func (c CaseState) EffectivePriority() string {
	if c.Priority == "" {
		return "normal"
	}
	return c.Priority
}

// Projection is one recorded event and the complaint's state right after it; the
// projection activity writes both to PostgreSQL.
type Projection struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Actor  Actor     `json:"actor"`
	Action Action    `json:"action"`
	Note   string    `json:"note,omitempty"`
	State  CaseState `json:"state"`
}

// ActivityProject is the registered name of the projection activity. Workflows call it
// by name so that they need not import the activities (and with them the store).
const ActivityProject = "ProjectComplaint"

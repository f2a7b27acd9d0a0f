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
	// CloseReason says why the workflow closed the complaint by itself (no_reply).
	CloseReason string `json:"close_reason,omitempty"`
	// ReopenCount counts the complainant's "not solved" that sent it back to its pokja.
	ReopenCount int `json:"reopen_count,omitempty"`
	// OverallDeadline is the legal limit from a complete report to its answer.
	OverallDeadline *time.Time `json:"overall_deadline,omitempty"`
	OverallOverdue  bool       `json:"overall_overdue,omitempty"`
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
// projection activity writes both to PostgreSQL. When the event started a clock, Plan
// asks the activity to lay it out with the regency's current policy, so the deadline it
// writes and the plan it returns come from the same policy version.
type Projection struct {
	Seq    int64        `json:"seq"`
	At     time.Time    `json:"at"`
	Actor  Actor        `json:"actor"`
	Action Action       `json:"action"`
	Note   string       `json:"note,omitempty"`
	State  CaseState    `json:"state"`
	Plan   *PlanRequest `json:"plan,omitempty"`
	// Announce, on a publish, is the announcement the projection queues in the same
	// transaction as the event; the worker's announcer carries it out from PostgreSQL.
	Announce *AnnounceRequest `json:"announce,omitempty"`
}

// PlanRequest asks for the plan of a stage's clock (and, with Overall, of the overall one).
type PlanRequest struct {
	Status   Status     `json:"status"`
	Priority string     `json:"priority"`
	Start    time.Time  `json:"start"`
	Until    *time.Time `json:"until,omitempty"`
	// Override replaces the stored policy (tests and demos).
	Override     *SLAPolicy `json:"override,omitempty"`
	Overall      bool       `json:"overall,omitempty"`
	OverallStart time.Time  `json:"overall_start,omitempty"`
}

// ProjectResult is what the projection activity returns: the plans it laid out.
type ProjectResult struct {
	Stage   Plan  `json:"stage"`
	Overall *Plan `json:"overall,omitempty"`
}

// OverallDeadline is the overall plan's deadline, if one was laid out.
func (r ProjectResult) OverallDeadline() *time.Time {
	if r.Overall == nil {
		return nil
	}
	return r.Overall.Deadline
}

// Plans lays out what req asks for with policy p.
func (p SLAPolicy) Plans(req PlanRequest) ProjectResult {
	if req.Override != nil {
		p = *req.Override
	}
	res := ProjectResult{Stage: p.PlanStage(req.Status, req.Priority, req.Start, req.Until)}
	if req.Overall {
		o := p.PlanOverall(req.OverallStart)
		res.Overall = &o
	}
	return res
}

// ActivityProject is the registered name of the projection activity; its argument is a
// Projection, its result a ProjectResult. Workflows name it (in one typed wrapper) rather
// than import the activities, and with them the store. The names of all the workflow's
// activities are written here so that the workflow and the worker share them.
const ActivityProject = "ProjectComplaint"

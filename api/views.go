package api

import (
	"database/sql"
	"time"

	"aduan/domain"
	"aduan/store"
	"aduan/workflows"
)

// withheld replaces what a pokja or partner may not read of a confidential complaint.
const withheld = "[rahasia: hanya dapat dibaca admin Call Center dan supervisor]"

func str(n sql.NullString) string { return n.String }

// complaintSummary is a complaint in a list (inbox, search).
type complaintSummary struct {
	Code         string        `json:"code"`
	Status       domain.Status `json:"status"`
	StatusLabel  string        `json:"status_label"`
	Channel      string        `json:"channel"`
	Title        string        `json:"title,omitempty"`
	Category     string        `json:"category,omitempty"`
	Priority     string        `json:"priority,omitempty"`
	Pokja        string        `json:"pokja,omitempty"`
	Partner      string        `json:"partner,omitempty"`
	Kecamatan    string        `json:"kecamatan,omitempty"`
	Desa         string        `json:"desa,omitempty"`
	Confidential bool          `json:"confidential"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
	Deadline     *time.Time    `json:"deadline,omitempty"`
	Overdue      bool          `json:"overdue"`
}

// summaryOf is a list entry as viewer may see it.
func summaryOf(viewer domain.Actor, c store.Complaint) complaintSummary {
	v := complaintSummary{
		Code: c.Code, Status: c.Status, StatusLabel: c.Status.Label(), Channel: c.Channel, Title: str(c.Title),
		Category: str(c.Category), Priority: str(c.Priority), Pokja: str(c.Pokja), Partner: str(c.Partner),
		Kecamatan: str(c.Kecamatan), Desa: str(c.Desa), Confidential: c.Confidential, CreatedAt: c.CreatedAt,
		UpdatedAt: c.UpdatedAt, Deadline: c.Deadline, Overdue: c.Overdue,
	}
	if c.Confidential && !fullAccess(viewer) {
		v.Desa = "" // need to know: the village may identify a victim
	}
	return v
}

func summariesOf(viewer domain.Actor, rows []store.Complaint) []complaintSummary {
	out := make([]complaintSummary, 0, len(rows))
	for _, r := range rows {
		out = append(out, summaryOf(viewer, r))
	}
	return out
}

type eventView struct {
	Seq         int64         `json:"seq"`
	At          time.Time     `json:"at"`
	Actor       string        `json:"actor"`
	Role        string        `json:"role"`
	Action      string        `json:"action"`
	Status      domain.Status `json:"status"`
	StatusLabel string        `json:"status_label"`
	Note        string        `json:"note,omitempty"`
}

// staffView is the full staff view of a complaint (API.md "staff view").
type staffView struct {
	complaintSummary
	Text             string          `json:"text"`
	ReportedCategory string          `json:"reported_category,omitempty"`
	Anonymous        bool            `json:"anonymous"`
	Name             string          `json:"name,omitempty"`
	Phone            string          `json:"phone,omitempty"`
	Email            string          `json:"email,omitempty"`
	TakenBy          string          `json:"taken_by,omitempty"`
	Question         string          `json:"question,omitempty"`
	Answer           string          `json:"answer,omitempty"`
	PartnerAnswer    string          `json:"partner_answer,omitempty"`
	PublicTitle      string          `json:"public_title,omitempty"`
	PublicAnswer     string          `json:"public_answer,omitempty"`
	RejectReason     string          `json:"reject_reason,omitempty"`
	DuplicateOf      string          `json:"duplicate_of,omitempty"`
	PublishedAt      *time.Time      `json:"published_at,omitempty"`
	ClosedAt         *time.Time      `json:"closed_at,omitempty"`
	CloseReason      string          `json:"close_reason,omitempty"`
	OverallDeadline  *time.Time      `json:"overall_deadline,omitempty"`
	OverallOverdue   bool            `json:"overall_overdue"`
	AllowedActions   []domain.Action `json:"allowed_actions"`
	Events           []eventView     `json:"events"`
	// Messages are what the complainant wrote after intake (replies to questions).
	Messages []store.Message `json:"messages"`
	// ReopenCount counts the complainant's "not solved" answers that reopened it.
	ReopenCount int `json:"reopen_count"`
	// Redactions, in the response to publish, say what was taken out of the public text.
	Redactions []domain.Redaction `json:"redactions,omitempty"`
}

// fullAccess says whether a user sees the complainant's identity and confidential text.
func fullAccess(a domain.Actor) bool {
	return a.Role == domain.RoleAdmin || a.Role == domain.RoleSupervisor
}

func staffViewOf(viewer domain.Actor, c store.Complaint, events []store.Event, messages []store.Message) staffView {
	v := staffView{
		complaintSummary: summaryOf(viewer, c), Messages: messages, ReopenCount: c.ReopenCount, Text: c.Text, ReportedCategory: str(c.ReportedCategory),
		Anonymous: c.Anonymous, TakenBy: str(c.TakenBy), Question: str(c.Question), Answer: str(c.Answer),
		PartnerAnswer: str(c.PartnerAnswer), PublicTitle: str(c.PublicTitle), PublicAnswer: str(c.PublicAnswer),
		RejectReason: str(c.RejectReason), DuplicateOf: str(c.DuplicateOf), PublishedAt: c.PublishedAt,
		ClosedAt: c.ClosedAt, CloseReason: str(c.CloseReason), OverallDeadline: c.OverallDeadline,
		OverallOverdue: c.OverallOverdue, AllowedActions: allowedActions(viewer, c.CaseState()), Events: make([]eventView, 0, len(events)),
	}
	if fullAccess(viewer) {
		v.Name, v.Phone, v.Email = str(c.Name), str(c.Phone), str(c.Email)
	} else if c.Confidential {
		// Need to know: a pokja or partner works from the admin's title and notes.
		v.Text = withheld
		v.Messages = make([]store.Message, len(messages))
		for i, m := range messages {
			m.Text = withheld
			v.Messages[i] = m
		}
	}
	for _, e := range events {
		v.Events = append(v.Events, eventView{Seq: e.Seq, At: e.At, Actor: e.Actor, Role: e.Role, Action: e.Action,
			Status: e.Status, StatusLabel: e.Status.Label(), Note: str(e.Note)})
	}
	return v
}

// allowedActions lists what the viewer may do now, for a console to offer as buttons.
func allowedActions(a domain.Actor, s domain.CaseState) []domain.Action {
	out := []domain.Action{}
	for _, action := range domain.StaffActions {
		if workflows.Permit(action, a, s) == nil {
			out = append(out, action)
		}
	}
	return out
}

type timelineEntry struct {
	At          time.Time     `json:"at"`
	Status      domain.Status `json:"status"`
	StatusLabel string        `json:"status_label"`
}

// trackingView is what anyone holding the code sees: no name, phone, note or comment.
type trackingView struct {
	Code        string          `json:"code"`
	Status      domain.Status   `json:"status"`
	StatusLabel string          `json:"status_label"`
	CreatedAt   time.Time       `json:"created_at"`
	Deadline    *time.Time      `json:"deadline,omitempty"`
	Question    string          `json:"question,omitempty"`
	Timeline    []timelineEntry `json:"timeline"`
	Answer      *publicAnswer   `json:"answer,omitempty"`
}

type publicAnswer struct {
	Title       string     `json:"title"`
	Text        string     `json:"text"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
}

// timelineOf keeps the events that changed the status: the public sees where the
// complaint went, never who wrote what.
func timelineOf(events []store.Event) []timelineEntry {
	out := []timelineEntry{}
	var last domain.Status
	for _, e := range events {
		if e.Status == last {
			continue
		}
		last = e.Status
		out = append(out, timelineEntry{At: e.At, Status: e.Status, StatusLabel: e.Status.Label()})
	}
	return out
}

func trackingViewOf(c store.Complaint, events []store.Event) trackingView {
	v := trackingView{Code: c.Code, Status: c.Status, StatusLabel: c.Status.Label(), CreatedAt: c.CreatedAt,
		Timeline: timelineOf(events)}
	if !c.Status.Final() && c.Status != domain.StatusPublished {
		v.Deadline = c.Deadline
	}
	if c.Status == domain.StatusAwaitingInfo {
		v.Question = str(c.Question)
	}
	if c.PublishedAt != nil && !c.Confidential {
		v.Answer = &publicAnswer{Title: str(c.PublicTitle), Text: str(c.PublicAnswer), PublishedAt: c.PublishedAt}
	}
	return v
}

// publication is a published answer as the public reads it.
type publication struct {
	Code        string     `json:"code"`
	Title       string     `json:"title"`
	Answer      string     `json:"answer"`
	Category    string     `json:"category,omitempty"`
	Kecamatan   string     `json:"kecamatan,omitempty"`
	Desa        string     `json:"desa,omitempty"`
	Pokja       string     `json:"pokja,omitempty"`
	PublishedAt *time.Time `json:"published_at"`
}

func publicationOf(c store.Complaint) publication {
	return publication{Code: c.Code, Title: str(c.PublicTitle), Answer: str(c.PublicAnswer), Category: str(c.Category),
		Kecamatan: str(c.Kecamatan), Desa: str(c.Desa), Pokja: str(c.Pokja), PublishedAt: c.PublishedAt}
}

package complaints

import (
	"database/sql"
	"time"

	"aduan/domain"
	"aduan/store"
)

// The privacy filter: every view of a complaint that leaves the core is built here, for
// the JSON API and the pages alike. Who may see what is domain's rule (domain.CanView,
// domain.SeesEverything).

// Withheld replaces what a pokja or partner may not read of a confidential complaint.
const Withheld = "[rahasia: hanya dapat dibaca admin Call Center dan supervisor]"

func str(n sql.NullString) string { return n.String }

// Summary is a complaint in a list (inbox, search).
type Summary struct {
	Code         string
	Status       domain.Status
	Channel      string
	Title        string
	Category     string
	Priority     string
	Pokja        string
	Partner      string
	Kecamatan    string
	Desa         string
	Confidential bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Deadline     *time.Time
	Overdue      bool
}

// summaryOf is a list entry as viewer may see it.
func summaryOf(viewer domain.Actor, c store.Complaint) Summary {
	v := Summary{
		Code: c.Code, Status: c.Status, Channel: c.Channel, Title: str(c.Title),
		Category: str(c.Category), Priority: str(c.Priority), Pokja: str(c.Pokja), Partner: str(c.Partner),
		Kecamatan: str(c.Kecamatan), Desa: str(c.Desa), Confidential: c.Confidential, CreatedAt: c.CreatedAt,
		UpdatedAt: c.UpdatedAt, Deadline: c.Deadline, Overdue: c.Overdue,
	}
	if c.Confidential && !domain.SeesEverything(viewer) {
		v.Desa = "" // need to know: the village may identify a victim
	}
	return v
}

func summariesOf(viewer domain.Actor, rows []store.Complaint) []Summary {
	out := make([]Summary, 0, len(rows))
	for _, r := range rows {
		out = append(out, summaryOf(viewer, r))
	}
	return out
}

// Event is one entry of the audit trail.
type Event struct {
	Seq    int64
	At     time.Time
	Actor  string
	Role   string
	Action string
	Status domain.Status
	Note   string
}

// Message is what the complainant wrote after intake (a reply, a message on their channel).
type Message struct {
	ID      int64
	At      time.Time
	Channel string
	Text    string
}

// StaffView is everything a staff user may see of one complaint.
type StaffView struct {
	Summary
	Text             string
	ReportedCategory string
	Anonymous        bool
	// Name, Phone and Email are the complainant's: only for admins and supervisors.
	Name            string
	Phone           string
	Email           string
	TakenBy         string
	Question        string
	Answer          string
	PartnerAnswer   string
	PublicTitle     string
	PublicAnswer    string
	RejectReason    string
	DuplicateOf     string
	PublishedAt     *time.Time
	ClosedAt        *time.Time
	CloseReason     string
	OverallDeadline *time.Time
	OverallOverdue  bool
	ReopenCount     int
	// AllowedActions are what the viewer may do now (domain.AllowedActions).
	AllowedActions []domain.Action
	Events         []Event
	Messages       []Message
	// Redactions, in the answer to publish, say what was taken out of the public text.
	Redactions []domain.Redaction
}

func staffViewOf(viewer domain.Actor, c store.Complaint, events []store.Event, messages []store.Message) StaffView {
	v := StaffView{
		Summary: summaryOf(viewer, c), ReopenCount: c.ReopenCount, Text: c.Text, ReportedCategory: str(c.ReportedCategory),
		Anonymous: c.Anonymous, TakenBy: str(c.TakenBy), Question: str(c.Question), Answer: str(c.Answer),
		PartnerAnswer: str(c.PartnerAnswer), PublicTitle: str(c.PublicTitle), PublicAnswer: str(c.PublicAnswer),
		RejectReason: str(c.RejectReason), DuplicateOf: str(c.DuplicateOf), PublishedAt: c.PublishedAt,
		ClosedAt: c.ClosedAt, CloseReason: str(c.CloseReason), OverallDeadline: c.OverallDeadline,
		OverallOverdue: c.OverallOverdue, AllowedActions: domain.AllowedActions(viewer, c.CaseState()),
		Events: make([]Event, 0, len(events)), Messages: make([]Message, 0, len(messages)),
	}
	full := domain.SeesEverything(viewer)
	if full {
		v.Name, v.Phone, v.Email = str(c.Name), str(c.Phone), str(c.Email)
	} else if c.Confidential {
		// Need to know: a pokja or partner works from the admin's title and notes.
		v.Text = Withheld
	}
	for _, m := range messages {
		text := m.Text
		if c.Confidential && !full {
			text = Withheld
		}
		v.Messages = append(v.Messages, Message{ID: m.ID, At: m.At, Channel: m.Channel, Text: text})
	}
	for _, e := range events {
		v.Events = append(v.Events, Event{Seq: e.Seq, At: e.At, Actor: e.Actor, Role: e.Role, Action: e.Action,
			Status: e.Status, Note: str(e.Note)})
	}
	return v
}

// Step is one change of status on the complainant's timeline.
type Step struct {
	At     time.Time
	Status domain.Status
}

// TrackingView is what anyone holding the code sees: no name, phone, note or comment.
type TrackingView struct {
	Code      string
	Status    domain.Status
	CreatedAt time.Time
	// Deadline is shown while someone has to act.
	Deadline *time.Time
	// Question is the admin's question while it waits for the complainant.
	Question string
	Timeline []Step
	// Answer is the published answer, once there is one.
	Answer *Publication
	// RejectReason says why a rejected complaint was not followed up; a merged
	// duplicate's DuplicateOf names the complaint that carries it, and Merged is that
	// complaint as its own tracking view shows it (without its complainant's question).
	RejectReason string
	DuplicateOf  string
	Merged       *TrackingView
}

// timelineOf keeps the events that changed the status: the public sees where the
// complaint went, never who wrote what.
func timelineOf(events []store.Event) []Step {
	out := []Step{}
	var last domain.Status
	for _, e := range events {
		if e.Status == last {
			continue
		}
		last = e.Status
		out = append(out, Step{At: e.At, Status: e.Status})
	}
	return out
}

func trackingViewOf(c store.Complaint, events []store.Event) TrackingView {
	v := TrackingView{Code: c.Code, Status: c.Status, CreatedAt: c.CreatedAt, Timeline: timelineOf(events),
		RejectReason: str(c.RejectReason)}
	if !c.Status.Final() && c.Status != domain.StatusPublished {
		v.Deadline = c.Deadline
	}
	if c.Status == domain.StatusAwaitingInfo {
		v.Question = str(c.Question)
	}
	if c.PublishedAt != nil && !c.Confidential {
		p := publicationOf(c)
		v.Answer = &p
	}
	if v.RejectReason == "duplicate" {
		if dup := domain.NormalizeCode(str(c.DuplicateOf)); dup != "" && dup != c.Code {
			v.DuplicateOf = dup
		}
	}
	return v
}

// Publication is a published answer as the public reads it: what the admin wrote for the
// public, with the code, category, place, pokja and date. Never a confidential complaint.
type Publication struct {
	Code        string
	Title       string
	Answer      string
	Category    string
	Kecamatan   string
	Desa        string
	Pokja       string
	PublishedAt *time.Time
	UpdatedAt   time.Time
}

func publicationOf(c store.Complaint) Publication {
	return Publication{Code: c.Code, Title: str(c.PublicTitle), Answer: str(c.PublicAnswer), Category: str(c.Category),
		Kecamatan: str(c.Kecamatan), Desa: str(c.Desa), Pokja: str(c.Pokja), PublishedAt: c.PublishedAt,
		UpdatedAt: c.UpdatedAt}
}

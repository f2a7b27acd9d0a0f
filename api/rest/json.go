package rest

import (
	"fmt"
	"time"

	"aduan/complaints"
	"aduan/domain"
)

// The JSON bodies of API.md: the API owns its response types; the core's views say what
// a caller may see, these say how it is written.

type summaryJSON struct {
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
	NeedsReview  bool          `json:"needs_review"`
}

func summaryOf(v complaints.Summary) summaryJSON {
	return summaryJSON{Code: v.Code, Status: v.Status, StatusLabel: v.Status.Label(), Channel: v.Channel, Title: v.Title,
		Category: v.Category, Priority: v.Priority, Pokja: v.Pokja, Partner: v.Partner, Kecamatan: v.Kecamatan,
		Desa: v.Desa, Confidential: v.Confidential, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
		Deadline: v.Deadline, Overdue: v.Overdue, NeedsReview: v.NeedsReview}
}

func summariesOf(list []complaints.Summary) []summaryJSON {
	out := make([]summaryJSON, 0, len(list))
	for _, v := range list {
		out = append(out, summaryOf(v))
	}
	return out
}

type eventJSON struct {
	Seq         int64         `json:"seq"`
	At          time.Time     `json:"at"`
	Actor       string        `json:"actor"`
	Role        string        `json:"role"`
	Action      string        `json:"action"`
	Status      domain.Status `json:"status"`
	StatusLabel string        `json:"status_label"`
	Note        string        `json:"note,omitempty"`
}

type messageJSON struct {
	ID       int64              `json:"id"`
	At       time.Time          `json:"at"`
	Channel  string             `json:"channel"`
	Text     string             `json:"text"`
	Kind     domain.MessageKind `json:"kind"`
	Location *locationJSON      `json:"location,omitempty"`
	Media    *mediaJSON         `json:"media,omitempty"`
}

type locationJSON struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Name      string  `json:"name,omitempty"`
	Address   string  `json:"address,omitempty"`
	MapURL    string  `json:"map_url"`
}

// mediaJSON is a message's file; url opens it (with the same bearer token).
type mediaJSON struct {
	ID       int64  `json:"id"`
	State    string `json:"state"`
	MimeType string `json:"mime_type,omitempty"`
	Size     int64  `json:"size_bytes,omitempty"`
	Voice    bool   `json:"voice,omitempty"`
	Filename string `json:"filename,omitempty"`
	URL      string `json:"url"`
}

// sentJSON is a message sent to the complainant and what became of it.
type sentJSON struct {
	At             time.Time         `json:"at"`
	Kind           domain.NotifyKind `json:"kind"`
	Channel        string            `json:"channel"`
	SentVia        string            `json:"sent_via,omitempty"`
	DeliveryStatus string            `json:"delivery_status,omitempty"`
	DeliveryError  string            `json:"delivery_error,omitempty"`
	LastError      string            `json:"last_error,omitempty"`
	Resend         bool              `json:"resend,omitempty"`
	// HoldUntil: held for office hours until then (quiet hours).
	HoldUntil *time.Time `json:"hold_until,omitempty"`
}

// staffViewJSON is the staff view of API.md.
type staffViewJSON struct {
	summaryJSON
	Text             string             `json:"text"`
	ReportedCategory string             `json:"reported_category,omitempty"`
	Anonymous        bool               `json:"anonymous"`
	Name             string             `json:"name,omitempty"`
	Phone            string             `json:"phone,omitempty"`
	Email            string             `json:"email,omitempty"`
	TakenBy          string             `json:"taken_by,omitempty"`
	Question         string             `json:"question,omitempty"`
	Answer           string             `json:"answer,omitempty"`
	PartnerAnswer    string             `json:"partner_answer,omitempty"`
	PublicTitle      string             `json:"public_title,omitempty"`
	PublicAnswer     string             `json:"public_answer,omitempty"`
	RejectReason     string             `json:"reject_reason,omitempty"`
	DuplicateOf      string             `json:"duplicate_of,omitempty"`
	PublishedAt      *time.Time         `json:"published_at,omitempty"`
	ClosedAt         *time.Time         `json:"closed_at,omitempty"`
	CloseReason      string             `json:"close_reason,omitempty"`
	OverallDeadline  *time.Time         `json:"overall_deadline,omitempty"`
	OverallOverdue   bool               `json:"overall_overdue"`
	AllowedActions   []domain.Action    `json:"allowed_actions"`
	Events           []eventJSON        `json:"events"`
	Messages         []messageJSON      `json:"messages"`
	ReopenCount      int                `json:"reopen_count"`
	Redactions       []domain.Redaction `json:"redactions,omitempty"`
	PhoneConfirmedBy string             `json:"phone_confirmed_by,omitempty"`
	Outbox           []sentJSON         `json:"outbox"`
}

func staffViewOf(v complaints.StaffView) staffViewJSON {
	out := staffViewJSON{summaryJSON: summaryOf(v.Summary), Text: v.Text, ReportedCategory: v.ReportedCategory,
		Anonymous: v.Anonymous, Name: v.Name, Phone: v.Phone, Email: v.Email, TakenBy: v.TakenBy, Question: v.Question,
		Answer: v.Answer, PartnerAnswer: v.PartnerAnswer, PublicTitle: v.PublicTitle, PublicAnswer: v.PublicAnswer,
		RejectReason: v.RejectReason, DuplicateOf: v.DuplicateOf, PublishedAt: v.PublishedAt, ClosedAt: v.ClosedAt,
		CloseReason: v.CloseReason, OverallDeadline: v.OverallDeadline, OverallOverdue: v.OverallOverdue,
		AllowedActions: v.AllowedActions, Events: make([]eventJSON, 0, len(v.Events)),
		Messages: make([]messageJSON, 0, len(v.Messages)), ReopenCount: v.ReopenCount, Redactions: v.Redactions}
	for _, e := range v.Events {
		out.Events = append(out.Events, eventJSON{Seq: e.Seq, At: e.At, Actor: e.Actor, Role: e.Role, Action: e.Action,
			Status: e.Status, StatusLabel: e.Status.Label(), Note: e.Note})
	}
	out.PhoneConfirmedBy, out.Outbox = v.PhoneConfirmedBy, make([]sentJSON, 0, len(v.Outbox))
	for _, m := range v.Messages {
		j := messageJSON{ID: m.ID, At: m.At, Channel: m.Channel, Text: m.Text, Kind: m.Kind}
		if l := m.Location; l != nil {
			j.Location = &locationJSON{Latitude: l.Latitude, Longitude: l.Longitude, Name: l.Name, Address: l.Address, MapURL: l.MapURL()}
		}
		if f := m.Media; f != nil {
			j.Media = &mediaJSON{ID: f.ID, State: f.State, MimeType: f.MimeType, Size: f.Size, Voice: f.Voice, Filename: f.Filename,
				URL: fmt.Sprintf("/api/v1/staff/complaints/%s/media/%d", v.Code, f.ID)}
		}
		out.Messages = append(out.Messages, j)
	}
	for _, o := range v.Outbox {
		out.Outbox = append(out.Outbox, sentJSON{At: o.At, Kind: o.Kind, Channel: o.Channel, SentVia: o.SentVia,
			DeliveryStatus: o.DeliveryStatus, DeliveryError: o.DeliveryError, LastError: o.LastError, Resend: o.Resend,
			HoldUntil: o.HoldUntil})
	}
	return out
}

type timelineJSON struct {
	At          time.Time     `json:"at"`
	Status      domain.Status `json:"status"`
	StatusLabel string        `json:"status_label"`
}

type answerJSON struct {
	Title       string     `json:"title"`
	Text        string     `json:"text"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
}

// trackingJSON is what anyone holding the code sees: no name, phone, note or comment.
type trackingJSON struct {
	Code        string         `json:"code"`
	Status      domain.Status  `json:"status"`
	StatusLabel string         `json:"status_label"`
	CreatedAt   time.Time      `json:"created_at"`
	Deadline    *time.Time     `json:"deadline,omitempty"`
	Question    string         `json:"question,omitempty"`
	Timeline    []timelineJSON `json:"timeline"`
	Answer      *answerJSON    `json:"answer,omitempty"`
}

func trackingOf(v complaints.TrackingView) trackingJSON {
	out := trackingJSON{Code: v.Code, Status: v.Status, StatusLabel: v.Status.Label(), CreatedAt: v.CreatedAt,
		Deadline: v.Deadline, Question: v.Question, Timeline: make([]timelineJSON, 0, len(v.Timeline))}
	for _, s := range v.Timeline {
		out.Timeline = append(out.Timeline, timelineJSON{At: s.At, Status: s.Status, StatusLabel: s.Status.Label()})
	}
	if a := v.Answer; a != nil {
		out.Answer = &answerJSON{Title: a.Title, Text: a.Answer, PublishedAt: a.PublishedAt}
	}
	return out
}

// publicationJSON is a published answer as the public reads it.
type publicationJSON struct {
	Code        string     `json:"code"`
	Title       string     `json:"title"`
	Answer      string     `json:"answer"`
	Category    string     `json:"category,omitempty"`
	Kecamatan   string     `json:"kecamatan,omitempty"`
	Desa        string     `json:"desa,omitempty"`
	Pokja       string     `json:"pokja,omitempty"`
	PublishedAt *time.Time `json:"published_at"`
}

func publicationOf(p complaints.Publication) publicationJSON {
	return publicationJSON{Code: p.Code, Title: p.Title, Answer: p.Answer, Category: p.Category, Kecamatan: p.Kecamatan,
		Desa: p.Desa, Pokja: p.Pokja, PublishedAt: p.PublishedAt}
}

// pageJSON is one page of a list.
type pageJSON[T any] struct {
	Items   []T `json:"items"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
	Total   int `json:"total"`
	// TotalCapped: a text search matched more than total, which is where it stopped
	// counting.
	TotalCapped bool `json:"total_capped,omitempty"`
}

func pageOf[V, T any](p complaints.Page[V], conv func(V) T) pageJSON[T] {
	items := make([]T, 0, len(p.Items))
	for _, v := range p.Items {
		items = append(items, conv(v))
	}
	return pageJSON[T]{Items: items, Page: p.Page, PerPage: p.PerPage, Total: p.Total, TotalCapped: p.TotalCapped}
}

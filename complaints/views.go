package complaints

import (
	"database/sql"
	"fmt"
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
	// NeedsReview marks a new complaint opened by a voice note or a picture alone: the
	// admin must listen or look before triage can say what it is about.
	NeedsReview bool
}

// summaryOf is a list entry as viewer may see it.
func summaryOf(viewer domain.Actor, c store.Complaint) Summary {
	v := Summary{
		Code: c.Code, Status: c.Status, Channel: c.Channel, Title: str(c.Title),
		Category: str(c.Category), Priority: str(c.Priority), Pokja: str(c.Pokja), Partner: str(c.Partner),
		Kecamatan: str(c.Kecamatan), Desa: str(c.Desa), Confidential: c.Confidential, CreatedAt: c.CreatedAt,
		UpdatedAt: c.UpdatedAt, Deadline: c.Deadline, Overdue: c.Overdue,
		NeedsReview: c.NeedsReview && c.Status == domain.StatusReceived,
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

// Message is what the complainant wrote after intake (a reply, a message on their
// channel): its text (a caption, a button's title), and a shared location or a file.
type Message struct {
	ID       int64
	At       time.Time
	Channel  string
	Text     string
	Kind     domain.MessageKind
	Location *Location
	Media    *MediaInfo
}

// Voice reports whether the message is a voice note.
func (m Message) Voice() bool { return m.Media != nil && m.Media.Voice }

// MediaInfo is what the complaint page shows of a message's file; the file itself is
// opened with Service.Media.
type MediaInfo struct {
	ID       int64
	Kind     domain.MessageKind
	State    string // pending, stored or failed
	MimeType string
	Size     int64
	Voice    bool
	Filename string
}

// MapURL is the location on OpenStreetMap (a link; no map script on our pages).
func (l Location) MapURL() string {
	return fmt.Sprintf("https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=17/%.6f/%.6f",
		l.Latitude, l.Longitude, l.Latitude, l.Longitude)
}

// Sent is a message sent to the complainant and what became of it (no address, no text).
type Sent struct {
	At      time.Time
	Kind    domain.NotifyKind
	Channel string
	// SentVia says how it went ("whatsapp:text", "whatsapp:template:<name>", "sms",
	// "smtp", "log": only logged, nobody got it); "" while not sent.
	SentVia string
	// DeliveryStatus is the provider's last report (sent, delivered, read, failed), ""
	// none; DeliveryError why it failed; LastError the sender's last error.
	DeliveryStatus string
	DeliveryError  string
	LastError      string
	// Resend marks a try made after an earlier one failed.
	Resend bool
	// HoldUntil is when a message held for office hours goes out (nil: not held); it
	// stays set once sent.
	HoldUntil *time.Time
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
	// PhoneConfirmedBy says who vouched for the complainant's number (shown with it).
	PhoneConfirmedBy string
	// Outbox is what was sent to the complainant, oldest first.
	Outbox []Sent
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
		v.PhoneConfirmedBy = str(c.PhoneConfirmedBy)
	} else if c.Confidential {
		// Need to know: a pokja or partner works from the admin's title and notes.
		v.Text = Withheld
	}
	for _, m := range messages {
		msg := Message{ID: m.ID, At: m.At, Channel: m.Channel, Text: m.Text, Kind: domain.MessageKind(m.Kind)}
		if msg.Kind == "" {
			msg.Kind = domain.MessageText
		}
		if c.Confidential && !full {
			// A confidential complaint's messages, places and files follow its text.
			msg.Text = Withheld
			v.Messages = append(v.Messages, msg)
			continue
		}
		if m.Latitude.Valid && m.Longitude.Valid {
			msg.Location = &Location{Latitude: m.Latitude.Float64, Longitude: m.Longitude.Float64,
				Name: m.PlaceName.String, Address: m.PlaceAddress.String}
		}
		if m.MediaID.Valid {
			msg.Media = &MediaInfo{ID: m.MediaID.Int64, Kind: domain.MessageKind(m.MediaKind.String), State: m.MediaState.String,
				MimeType: m.MediaMimeType.String, Size: m.MediaSize.Int64, Voice: m.MediaVoice.Bool, Filename: m.MediaFilename.String}
		}
		v.Messages = append(v.Messages, msg)
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
	// RejectReason says why a rejected complaint was not followed up. A merged duplicate
	// is MergedIntoOther, and Merged is the complaint that carries it as its complainant
	// may follow it: status, timeline and answer, without its code or its complainant's
	// question. The code would let them act on another's complaint (answer its question);
	// they follow it through their own code, read-only.
	RejectReason    string
	MergedIntoOther bool
	Merged          *TrackingView
	// duplicateOf is the code of the complaint that carries a merged duplicate.
	duplicateOf string
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
			v.duplicateOf, v.MergedIntoOther = dup, true
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

package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Action names a staff (or complainant) action on a complaint; see API.md "Actions".
type Action string

const (
	ActionTriage        Action = "triage"
	ActionRequestInfo   Action = "request_info"
	ActionReject        Action = "reject"
	ActionReturn        Action = "return"
	ActionForward       Action = "forward"
	ActionAnswer        Action = "answer"
	ActionPartnerAnswer Action = "partner_answer"
	ActionDecline       Action = "decline"
	ActionApprove       Action = "approve"
	ActionSendBack      Action = "send_back"
	ActionPublish       Action = "publish"
	ActionReassign      Action = "reassign"
	ActionExtend        Action = "extend"
	ActionNote          Action = "note"
	// ActionInfo is the complainant's reply to request_info (public endpoint).
	ActionInfo Action = "info"
	// ActionFeedback is the complainant's answer to "did this solve your problem?".
	ActionFeedback Action = "feedback"
	// ActionCallBack records an operator's call to a complainant who can only be reached
	// by telephone: the message (CallKind) was told, or nobody answered. A question told
	// starts the question's clock. It is not on the generic action endpoint: the
	// call-back task (complaints.RecordCallBack) sends it.
	ActionCallBack Action = "callback"
)

// Outcomes of a call-back (ActionRequest.CallOutcome).
const (
	CallTold     = "told"
	CallNoAnswer = "no_answer"
)

// MaxReopens is how often a complainant's "not solved" sends a complaint back to its pokja.
const MaxReopens = 2

// ActionClose finishes a complaint without publishing it: an admin closes one whose
// answer went to the complainant privately (the only end for a confidential complaint),
// and the workflow closes a published one when its feedback window ends.
const ActionClose Action = "close"

// Actions the workflow itself records (no one calls them).
const (
	ActionSubmit  Action = "submit"
	ActionOverdue Action = "overdue"
	// ActionReopen records a complaint sent back to its pokja by the complainant's "no".
	ActionReopen Action = "reopen"
	// ActionEscalate records the second escalation level (the head of office).
	ActionEscalate Action = "escalate"
	// ActionQuestionHeld records that the question's clock waits: the question waits for
	// an operator's call, or could reach nobody.
	ActionQuestionHeld Action = "question_held"
)

// Assignment says which assignment the actor must hold on the complaint.
type Assignment int

const (
	AssignNone    Assignment = iota
	AssignPokja              // actor.Pokja must equal the complaint's pokja
	AssignPartner            // actor.Partner must equal the complaint's partner
	AssignViewer             // whoever may see the complaint (for notes)
)

// ActionSpec is one row of the actions table.
type ActionSpec struct {
	Roles  []Role
	Assign Assignment
	// From lists the statuses the action is allowed in; AnyOpen and Any widen it.
	From    []Status
	AnyOpen bool
	Any     bool
	// To is the status the action moves the complaint to (API.md's "next status"); empty
	// means unchanged (reassign, extend, note). One exception: feedback's target depends
	// on the complainant's answer, so its To is empty and FeedbackTo gives it.
	To Status
}

// ActionSpecs is the actions table of API.md.
var ActionSpecs = map[Action]ActionSpec{
	ActionTriage:        {Roles: []Role{RoleAdmin}, From: []Status{StatusReceived, StatusAwaitingInfo}, To: StatusAtPokja},
	ActionRequestInfo:   {Roles: []Role{RoleAdmin}, From: []Status{StatusReceived}, To: StatusAwaitingInfo},
	ActionReject:        {Roles: []Role{RoleAdmin}, From: []Status{StatusReceived, StatusAwaitingInfo}, To: StatusRejected},
	ActionReturn:        {Roles: []Role{RolePokja}, Assign: AssignPokja, From: []Status{StatusAtPokja}, To: StatusReceived},
	ActionForward:       {Roles: []Role{RolePokja}, Assign: AssignPokja, From: []Status{StatusAtPokja}, To: StatusAtPartner},
	ActionAnswer:        {Roles: []Role{RolePokja}, Assign: AssignPokja, From: []Status{StatusAtPokja}, To: StatusReadyToPublish},
	ActionPartnerAnswer: {Roles: []Role{RolePartner}, Assign: AssignPartner, From: []Status{StatusAtPartner}, To: StatusPokjaReview},
	ActionDecline:       {Roles: []Role{RolePartner}, Assign: AssignPartner, From: []Status{StatusAtPartner}, To: StatusAtPokja},
	ActionApprove:       {Roles: []Role{RolePokja}, Assign: AssignPokja, From: []Status{StatusPokjaReview}, To: StatusReadyToPublish},
	ActionSendBack:      {Roles: []Role{RolePokja}, Assign: AssignPokja, From: []Status{StatusPokjaReview}, To: StatusAtPartner},
	ActionPublish:       {Roles: []Role{RoleAdmin}, From: []Status{StatusReadyToPublish}, To: StatusPublished},
	ActionClose:         {Roles: []Role{RoleAdmin}, From: []Status{StatusReadyToPublish}, To: StatusClosed},
	ActionReassign:      {Roles: []Role{RoleAdmin, RoleSupervisor}, From: []Status{StatusAtPokja, StatusAtPartner, StatusPokjaReview}},
	ActionExtend:        {Roles: []Role{RoleSupervisor}, AnyOpen: true},
	ActionNote:          {Roles: []Role{RoleAdmin, RoleSupervisor, RolePokja, RolePartner}, Assign: AssignViewer, Any: true},
	ActionInfo:          {Roles: []Role{RoleComplainant}, From: []Status{StatusAwaitingInfo}, To: StatusReceived},
	ActionFeedback:      {Roles: []Role{RoleComplainant}, From: []Status{StatusPublished}}, // To: see FeedbackTo
	ActionCallBack:      {Roles: []Role{RoleAdmin}, Any: true},
}

// StaffActions lists the actions of the staff endpoint in the order of API.md, then ours.
var StaffActions = []Action{
	ActionTriage, ActionRequestInfo, ActionReject, ActionReturn, ActionForward, ActionAnswer,
	ActionPartnerAnswer, ActionDecline, ActionApprove, ActionSendBack, ActionPublish,
	ActionReassign, ActionExtend, ActionNote, ActionClose,
}

// FeedbackTo is where the complainant's feedback takes a published complaint (the one
// action whose ActionSpec.To is empty but which moves it): closed when they are
// satisfied, or when their "not solved" comes after MaxReopens reopens already; otherwise
// back to its pokja (at_pokja), recorded as ActionReopen.
func FeedbackTo(satisfied bool, reopenCount int) Status {
	if satisfied || reopenCount >= MaxReopens {
		return StatusClosed
	}
	return StatusAtPokja
}

// AllowedIn reports whether the action may be taken in status s.
func (spec ActionSpec) AllowedIn(s Status) bool {
	if spec.Any {
		return true
	}
	if spec.AnyOpen {
		return !s.Final()
	}
	for _, f := range spec.From {
		if f == s {
			return true
		}
	}
	return false
}

// RoleAllowed reports whether role r may take the action at all.
func (spec ActionSpec) RoleAllowed(r Role) bool {
	for _, x := range spec.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// ActionRequest is the body of an action, as it travels from the API into the workflow.
// It holds staff-authored text only; what the complainant wrote never travels in it.
type ActionRequest struct {
	Actor        Actor      `json:"actor"`
	Pokja        string     `json:"pokja,omitempty"`
	Partner      string     `json:"partner,omitempty"`
	Category     string     `json:"category,omitempty"`
	Priority     string     `json:"priority,omitempty"`
	Title        string     `json:"title,omitempty"`
	Note         string     `json:"note,omitempty"`
	Question     string     `json:"question,omitempty"`
	Reason       string     `json:"reason,omitempty"`
	DuplicateOf  string     `json:"duplicate_of,omitempty"`
	Answer       string     `json:"answer,omitempty"`
	PublicTitle  string     `json:"public_title,omitempty"`
	PublicAnswer string     `json:"public_answer,omitempty"`
	Until        *time.Time `json:"until,omitempty"`
	// Text is the complainant's reply as the API receives it; it never enters the
	// workflow, which gets MessageID (the reply stored in PostgreSQL) instead.
	Text      string `json:"text,omitempty"`
	MessageID int64  `json:"message_id,omitempty"`
	// Satisfied and FeedbackID carry the complainant's feedback; its comment stays in
	// PostgreSQL (complaint_feedback) like everything else they write.
	Satisfied  *bool `json:"satisfied,omitempty"`
	FeedbackID int64 `json:"feedback_id,omitempty"`
	// CallOutcome (CallTold, CallNoAnswer) and CallKind (the message read out) carry a
	// call-back; CallTask is its outbox row.
	CallOutcome string     `json:"call_outcome,omitempty"`
	CallKind    NotifyKind `json:"call_kind,omitempty"`
	CallTask    int64      `json:"call_task,omitempty"`
}

// callBackKinds are the messages an operator may have to read out to a complainant.
var callBackKinds = []string{string(NotifyQuestion), string(NotifyAnswer), string(NotifyAnswerPrivate),
	string(NotifyDuplicate), string(NotifyNoReplyClosed)}

// Text limits, in characters.
const (
	MaxTitle      = 200
	MaxNote       = 4000
	MaxAnswer     = 8000
	MinIntakeText = 10
	MaxIntakeText = 4000
)

// Normalize trims every text field of the request and strips control characters,
// keeping newlines and tabs and any other unicode intact.
func (r *ActionRequest) Normalize() {
	for _, p := range []*string{&r.Pokja, &r.Partner, &r.Category, &r.Priority, &r.Reason, &r.DuplicateOf} {
		*p = strings.TrimSpace(*p)
	}
	for _, p := range []*string{&r.Title, &r.Note, &r.Question, &r.Answer, &r.PublicTitle, &r.PublicAnswer, &r.Text} {
		*p = CleanText(*p)
	}
	if r.DuplicateOf != "" {
		if c := NormalizeCode(r.DuplicateOf); c != "" {
			r.DuplicateOf = c
		}
	}
}

// CleanText trims s and removes control characters other than newline and tab.
func CleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r == '\r' || r < 0x20 || (r >= 0x7f && r < 0xa0) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// Field problems in Indonesian, as shown beside a form field.
const (
	msgRequired = "wajib diisi"
	msgTooLong  = "terlalu panjang"
	msgUnknown  = "nilai tidak dikenal"
)

// ValidateFields checks the body of an action without looking at the complaint: required
// fields, enumerations and lengths. It returns field → problem (empty when valid).
// Whether a pokja or partner exists is the caller's check (it needs the directory).
func ValidateFields(a Action, r ActionRequest) map[string]string {
	f := map[string]string{}
	need := func(name, v string, max int) {
		switch {
		case v == "":
			f[name] = msgRequired
		case utf8.RuneCountInString(v) > max:
			f[name] = msgTooLong
		}
	}
	optional := func(name, v string, max int) {
		if utf8.RuneCountInString(v) > max {
			f[name] = msgTooLong
		}
	}
	switch a {
	case ActionTriage:
		need("pokja", r.Pokja, 64)
		need("category", r.Category, 64)
		if _, ok := CategoryByID(r.Category); r.Category != "" && !ok {
			f["category"] = msgUnknown
		}
		need("priority", r.Priority, 16)
		if r.Priority != "" && !OneOf(r.Priority, Priorities) {
			f["priority"] = msgUnknown
		}
		need("title", r.Title, MaxTitle)
		optional("note", r.Note, MaxNote)
	case ActionRequestInfo:
		need("question", r.Question, MaxNote)
	case ActionReject:
		need("reason", r.Reason, 32)
		if r.Reason != "" && !OneOf(r.Reason, RejectReasons) {
			f["reason"] = msgUnknown
		}
		if r.DuplicateOf != "" && NormalizeCode(r.DuplicateOf) == "" {
			f["duplicate_of"] = "bukan kode aduan"
		}
		need("note", r.Note, MaxNote)
	case ActionReturn, ActionDecline, ActionSendBack, ActionNote, ActionClose:
		need("note", r.Note, MaxNote)
	case ActionForward:
		need("partner", r.Partner, 64)
		need("note", r.Note, MaxNote)
	case ActionAnswer, ActionPartnerAnswer:
		need("answer", r.Answer, MaxAnswer)
	case ActionApprove:
		optional("answer", r.Answer, MaxAnswer)
	case ActionPublish:
		need("public_title", r.PublicTitle, MaxTitle)
		need("public_answer", r.PublicAnswer, MaxAnswer)
	case ActionReassign:
		if r.Pokja == "" && r.Partner == "" {
			f["pokja"] = "isi pokja dan/atau lembaga mitra"
		}
		optional("pokja", r.Pokja, 64)
		optional("partner", r.Partner, 64)
		need("note", r.Note, MaxNote)
	case ActionExtend:
		if r.Until == nil {
			f["until"] = msgRequired
		}
		need("note", r.Note, MaxNote)
	case ActionInfo:
		if r.MessageID <= 0 {
			need("text", r.Text, MaxIntakeText)
		}
	case ActionFeedback:
		if r.Satisfied == nil {
			f["satisfied"] = msgRequired
		}
		optional("comment", r.Text, MaxNote)
	case ActionCallBack:
		if r.CallOutcome != CallTold && r.CallOutcome != CallNoAnswer {
			f["outcome"] = msgUnknown
		}
		if !OneOf(string(r.CallKind), callBackKinds) {
			f["kind"] = msgUnknown
		}
		optional("note", r.Note, MaxNote)
	default:
		f["action"] = msgUnknown
	}
	return f
}

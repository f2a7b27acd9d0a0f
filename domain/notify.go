package domain

import "time"

// NotifyKind is why a notification is sent.
type NotifyKind string

const (
	// NotifyReminder reminds whoever has the ball before the stage's deadline.
	NotifyReminder NotifyKind = "reminder"
	// NotifyEscalation tells the supervisors (and the pokja, when a partner is late)
	// that a stage's deadline passed.
	NotifyEscalation NotifyKind = "escalation"
	// NotifyEscalationHead is the second level: the head of office.
	NotifyEscalationHead NotifyKind = "escalation_head"
	// NotifyOverdueReminder repeats, once a working day, to whoever has the ball of an
	// overdue stage (capped).
	NotifyOverdueReminder NotifyKind = "overdue_reminder"
	// NotifyOverallReminder and NotifyOverallEscalation watch the legal limit from intake
	// to answer (Perpres 76/2013: 60 days).
	NotifyOverallReminder   NotifyKind = "overall_reminder"
	NotifyOverallEscalation NotifyKind = "overall_escalation"
	// NotifyNoReplyClosed tells the complainant that a complaint waiting for their reply
	// was closed.
	NotifyNoReplyClosed NotifyKind = "no_reply_closed"

	// Messages to the complainant, on the channel they used (closing the loop).
	// NotifyAck confirms intake with the code and the tracking link.
	NotifyAck NotifyKind = "ack"
	// NotifyQuestion carries the admin's question (request_info); the text is read from
	// PostgreSQL (complaints.question).
	NotifyQuestion NotifyKind = "question"
	// NotifyAnswer carries the published answer (complaints.public_title/public_answer).
	NotifyAnswer NotifyKind = "answer"
	// NotifyAnswerPrivate carries the answer of a complaint closed without publishing
	// (complaints.answer), e.g. a confidential one.
	NotifyAnswerPrivate NotifyKind = "answer_private"
	// NotifyDuplicate tells a complainant whose complaint was merged into another which
	// one carries theirs (complaints.duplicate_of).
	NotifyDuplicate NotifyKind = "duplicate"
	// NotifyAutoReply answers a citizen's message that opened nothing: a greeting, a kind
	// of message Aduan cannot use, a file too large. It belongs to no complaint.
	NotifyAutoReply NotifyKind = "auto_reply"
	// NotifyQuestionUnreached tells the admins at once that the admin's question reached
	// nobody (no usable contact, no call-back possible): the complaint is not closed for
	// a silence nobody could break.
	NotifyQuestionUnreached NotifyKind = "question_unreached"
)

// NotifyOutcome says whether a notification reached its complainant: sent by a provider
// (Reached), left to an operator's call (CallBack), or neither. Staff recipients do not
// count. It holds no address.
type NotifyOutcome struct {
	Reached  bool   `json:"reached,omitempty"`
	CallBack bool   `json:"callback,omitempty"`
	Channel  string `json:"channel,omitempty"`
}

// NotifyRequest asks the notify activity to write notifications to the outbox and
// deliver them. It names the complaint and the occasion; the activity finds the
// recipients and their addresses in PostgreSQL, so no address enters workflow history.
type NotifyRequest struct {
	// Key makes the notification idempotent: the same key never yields a second row
	// for the same recipient.
	Key      string     `json:"key"`
	Code     string     `json:"code"`
	Kind     NotifyKind `json:"kind"`
	Status   Status     `json:"status"`
	Pokja    string     `json:"pokja,omitempty"`
	Partner  string     `json:"partner,omitempty"`
	Deadline *time.Time `json:"deadline,omitempty"`
	// Due is the workflow time the notification was scheduled for.
	Due time.Time `json:"due"`
}

// ActivityPublishExternal pushes a published answer to the regency's external sites
// (signed webhook, WordPress); its argument is a PublishRequest. A publication's
// announcement (AnnounceRequest) does this half itself.
const ActivityPublishExternal = "PublishExternal"

// PublishRequest names the published complaint to push; the activity reads the public
// record (title, answer, place, category) from PostgreSQL.
type PublishRequest struct {
	Code string `json:"code"`
}

// ActivityNotify is the registered name of the notify activity; its argument is a
// NotifyRequest.
const ActivityNotify = "Notify"

// ActivityAnnounce does, in one activity, what a publish sets off: the answer to the
// complainant (Notify) and the push to the external sites (PublishExternal); both halves
// are idempotent, so a retry redoes only what did not succeed. Its argument is an
// AnnounceRequest. Workflows that published before the announcement moved into the
// projection (Projection.Announce) still run it; the worker keeps it registered for them.
const ActivityAnnounce = "AnnouncePublication"

// AnnounceRequest is a publication's announcement: the complainant's answer notification
// and the external push.
type AnnounceRequest struct {
	Notify  NotifyRequest  `json:"notify"`
	Publish PublishRequest `json:"publish"`
}

package domain

import "strings"

// How a message reaches a complainant: by what they gave, not by how they came. A
// complaint phoned in or made at the desk with a mobile number hears back by WhatsApp or
// SMS like one that came by WhatsApp; a number typed into the web form is used once its
// owner has confirmed it (until then it gets only the acknowledgement, which carries the
// code to confirm with); with nothing usable, the operator calls back.

// Outbound channels of a message to a complainant or an officer.
const (
	ReachWhatsApp = "whatsapp"
	ReachSMS      = "sms"
	ReachEmail    = "email"
	// ReachCallBack is a task for the Call Center's operators: telephone the complainant
	// and read the message out, then record how it went.
	ReachCallBack = "callback"
	// ReachNone is nobody: the outbox keeps the row (as "log") to show it was due.
	ReachNone = "log"
)

// Providers says which outbound channels the regency has configured.
type Providers struct {
	WhatsApp, SMS, Email bool
}

// ComplainantContact is what a complainant gave and how the complaint came in.
type ComplainantContact struct {
	// Origin is the channel the complaint came in on (web, whatsapp, sms, phone, desk).
	Origin string
	// Phone is the number as stored (NormalizePhone), "" when none.
	Phone string
	// PhoneConfirmedBy is who vouched for the number (PhoneConfirmation), "" when nobody.
	PhoneConfirmedBy string
	Email            string
}

// IsMobile reports whether a stored number can take WhatsApp and SMS: an Indonesian
// mobile number (62 8…). A landline (62 426…, Mamuju) can only be called.
func IsMobile(phone string) bool {
	return strings.HasPrefix(phone, "628") && len(phone) >= 10
}

// RouteToComplainant is the channel a message of kind reaches the complainant on:
//   - a mobile number they gave (confirmed, or any number for the acknowledgement that
//     asks its owner to confirm it): the channel they wrote on when they wrote by
//     WhatsApp or SMS and it is configured, else WhatsApp (a template outside the 24-hour
//     window), else SMS;
//     (with no provider configured, a WhatsApp or SMS complainant's own channel, which
//     the log stands in for);
//   - else their e-mail address;
//   - else, for a complaint phoned in or made at the desk, a call-back task (the
//     question and the answers must reach them; the acknowledgement was given in person);
//   - else nobody (ReachNone).
func RouteToComplainant(c ComplainantContact, kind NotifyKind, p Providers) string {
	phone := c.Phone != "" && IsMobile(c.Phone) && (RoutesReplies(c.PhoneConfirmedBy) || kind == NotifyAck)
	if phone {
		switch {
		case c.Origin == ReachSMS && p.SMS:
			return ReachSMS
		case p.WhatsApp:
			return ReachWhatsApp
		case p.SMS:
			return ReachSMS
		case c.Origin == ReachWhatsApp || c.Origin == ReachSMS:
			// No provider configured: the row names the channel they wrote on, and the
			// log stand-in shows it went nowhere.
			return c.Origin
		}
	}
	if c.Email != "" && p.Email {
		return ReachEmail
	}
	if (c.Origin == "phone" || c.Origin == "desk") && kind != NotifyAck && kind != NotifyAutoReply {
		return ReachCallBack
	}
	if c.Email != "" {
		return ReachEmail // logged by the stand-in sender: the row shows it was due
	}
	return ReachNone
}

package domain

// How an officer is told. Work in a regency office and in the NGOs of the response is
// coordinated on WhatsApp: an e-mail reminder is an unread reminder. So each staff member
// chooses (or the admin chooses for them) where reminders and escalations reach them,
// and may have their reminders grouped into one message a working day.

// Channels a staff member may choose for their reminders and escalations
// (OfficerPrefs.Channel).
const (
	// OfficerWhatsApp is the regency's approved WhatsApp template: an officer rarely has
	// a 24-hour window open with the business number, so free text would not arrive.
	OfficerWhatsApp = ReachWhatsApp
	OfficerSMS      = ReachSMS
	OfficerEmail    = ReachEmail
	// OfficerConsole is the console's notifications page alone: the row is kept, nothing
	// is sent.
	OfficerConsole = "console"
)

// OfficerChannels are the choices, in the order the forms offer them.
var OfficerChannels = []string{OfficerWhatsApp, OfficerSMS, OfficerEmail, OfficerConsole}

// ValidOfficerChannel reports whether ch is one of OfficerChannels.
func ValidOfficerChannel(ch string) bool { return OneOf(ch, OfficerChannels) }

// OfficerPrefs is what a staff member chose and the addresses they gave.
type OfficerPrefs struct {
	// Channel is one of OfficerChannels; "" when nobody chose yet, which keeps what came
	// before the choice: e-mail when they have an address, else the console.
	Channel string
	// Phone is their mobile number as stored (NormalizePhone), "" when none.
	Phone string
	Email string
	// Digest groups their reminders into one message a working day (escalations still
	// go at once).
	Digest bool
}

// reaches reports whether the officer gave the address channel needs.
func (o OfficerPrefs) reaches(channel string) bool {
	switch channel {
	case ReachWhatsApp, ReachSMS:
		return IsMobile(o.Phone)
	case ReachEmail:
		return o.Email != ""
	}
	return false
}

// RouteToOfficer is the channel a reminder or escalation reaches a staff member on:
//   - console only: nobody (ReachNone: the row stays for the notifications page);
//   - the channel they chose, when the regency has its provider and they gave its
//     address;
//   - else the first of WhatsApp, SMS and e-mail the regency has and they gave an address
//     for (a number chosen for WhatsApp still takes an SMS when only SMS is configured);
//   - else, with none of those configured, the channel they chose (or the first they
//     gave an address for), which the log stands in for, so the row shows it was due;
//   - else nobody.
func RouteToOfficer(o OfficerPrefs, p Providers) string {
	chosen := o.Channel
	switch chosen {
	case OfficerConsole:
		return ReachNone
	case "":
		chosen = OfficerEmail
	}
	configured := map[string]bool{ReachWhatsApp: p.WhatsApp, ReachSMS: p.SMS, ReachEmail: p.Email}
	order := []string{chosen, ReachWhatsApp, ReachSMS, ReachEmail}
	if o.Channel == "" {
		// Nobody chose: only the address on file from before the choice.
		order = []string{ReachEmail}
	}
	for _, ch := range order {
		if configured[ch] && o.reaches(ch) {
			return ch
		}
	}
	for _, ch := range order {
		if o.reaches(ch) {
			return ch
		}
	}
	return ReachNone
}

// IsReminder reports whether a notification of kind reminds someone of work they have:
// what a daily digest may group.
func IsReminder(kind NotifyKind) bool {
	switch kind {
	case NotifyReminder, NotifyOverdueReminder, NotifyOverallReminder:
		return true
	}
	return false
}

// IsEscalation reports whether a notification of kind tells someone above that a
// deadline passed: it never waits for a digest.
func IsEscalation(kind NotifyKind) bool {
	switch kind {
	case NotifyEscalation, NotifyEscalationHead, NotifyOverallEscalation:
		return true
	}
	return false
}

// Package notify delivers the notification outbox (reminders, escalations and the
// messages to the complainant) through pluggable senders, one per channel (log, SMTP
// e-mail, WhatsApp Business Cloud API, an HTTP SMS gateway), and renders the
// notifications' Bahasa Indonesia texts. The outbox itself lives in PostgreSQL (store);
// the Notify activity (activities.Notifier) writes rows and hands each one to Senders as
// a Notification. This package does not know the store: it owns the types its senders
// and routes read (Notification, Contact).
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"aduan/domain"
	"aduan/httpcall"
)

// Channels a notification can go out on.
const (
	// ChannelLog writes the notification to the process log only (no address).
	ChannelLog      = "log"
	ChannelEmail    = "email"
	ChannelWhatsApp = "whatsapp"
	ChannelSMS      = "sms"
)

// Notification is one notification to deliver: one outbox row (Notification) as
// the senders see it.
type Notification struct {
	// ID is the outbox row's id (logged, never the address or text).
	ID int64
	// DedupeKey is the occasion's key + "/" + recipient, the same on every attempt: the
	// e-mail's Message-ID and the SMS gateway's reference derive from it.
	DedupeKey string
	Code      string
	Kind      domain.NotifyKind
	// Recipient is a staff username, or "pelapor" for the complainant.
	Recipient string
	// Channel is ChannelLog, ChannelEmail, ChannelWhatsApp or ChannelSMS.
	Channel string
	// Address is the e-mail address or phone number ("" for the log). It is personal data
	// for a complainant: a sender never logs it.
	Address  string
	Template string
	Text     string
	DueAt    time.Time
	// Attempts is how many deliveries were tried before this one.
	Attempts int
	// Mode forces a WhatsApp message's form: ModeText (an automatic reply inside the
	// window the citizen just opened) or ModeTemplate (a resend after free text failed);
	// "" lets the sender choose by the window.
	Mode string
}

// Modes of a WhatsApp notification (Notification.Mode).
const (
	ModeText     = "text"
	ModeTemplate = "template"
)

// Sender delivers one notification. It must be safe for concurrent use. An error means
// the notification was not delivered and may be tried again; wrap it with Permanent when
// trying again cannot help (a rejected address).
type Sender interface {
	Send(ctx context.Context, n Notification) error
}

// Senders maps a channel to its sender. A channel without one falls back to the "log"
// sender (or a LogSender when there is none), so a notification is never stuck for want
// of a sender: the outbox still shows it was due.
type Senders map[string]Sender

// For is the sender of a channel.
func (s Senders) For(channel string) Sender {
	if x, ok := s[channel]; ok && x != nil {
		return x
	}
	if x, ok := s[ChannelLog]; ok && x != nil {
		return x
	}
	return LogSender{}
}

// Send delivers n through its channel's sender.
func (s Senders) Send(ctx context.Context, n Notification) error {
	_, err := s.Deliver(ctx, n)
	return err
}

// Receipt says how a notification was delivered. The outbox keeps it with the row
// (notifications.sent_via and provider_ref), so a WhatsApp or SMS row that only the log
// stand-in "delivered" (sent_via 'log') is never mistaken for one the complainant got.
type Receipt struct {
	// Via names the sender and, where it has several, the mode: "log", "smtp",
	// "whatsapp:text", "whatsapp:template:<name>", "sms"; for another Sender, its Go type.
	Via string
	// Ref is the provider's id of the message, when it gives one (WhatsApp's wamid).
	Ref string
}

// ReceiptSender is a Sender that also says how it delivered.
type ReceiptSender interface {
	Sender
	SendReceipt(ctx context.Context, n Notification) (Receipt, error)
}

// Deliver delivers n through its channel's sender and says how.
func (s Senders) Deliver(ctx context.Context, n Notification) (Receipt, error) {
	x := s.For(n.Channel)
	if rs, ok := x.(ReceiptSender); ok {
		return rs.SendReceipt(ctx, n)
	}
	if err := x.Send(ctx, n); err != nil {
		return Receipt{}, err
	}
	switch x.(type) {
	case LogSender, *LogSender:
		return Receipt{Via: ChannelLog}, nil
	case *SMTPSender:
		return Receipt{Via: "smtp"}, nil
	}
	return Receipt{Via: fmt.Sprintf("%T", x)}, nil
}

// LastInboundFunc says when the complainant of a complaint last wrote to us on a phone
// channel (ok false when never). WhatsApp allows free-form text only within 24 hours of
// it. The store's (*DB).LastInbound is one.
type LastInboundFunc func(ctx context.Context, code string) (at time.Time, ok bool, err error)

// Settings are the providers' settings, each off when its key setting is empty.
type Settings struct {
	// SMTP delivers e-mail when its Addr is set.
	SMTP SMTPConfig
	// WhatsApp delivers WhatsApp messages when its PhoneNumberID and Token are set.
	WhatsApp WhatsAppConfig
	// SMS delivers SMS through the generic gateway when its URL is set (SMSProvider
	// "generic" or "").
	SMS SMSConfig
	// SMSProvider chooses the SMS sender: SMSGeneric (or ""), SMSAndroid or SMSTwilio.
	SMSProvider string
	// SMSAndroid delivers SMS through SMS Gateway for Android when SMSProvider is
	// SMSAndroid and its URL is set.
	SMSAndroid AndroidSMSConfig
	// SMSTwilio delivers SMS through Twilio when SMSProvider is SMSTwilio and its
	// AccountSID and AuthToken are set.
	SMSTwilio TwilioSMSConfig
}

// SMS providers (Settings.SMSProvider).
const (
	SMSGeneric = "generic"
	SMSAndroid = "android"
	SMSTwilio  = "twilio"
)

// NewSenders builds the senders of s:
//   - e-mail through SMTP when s.SMTP.Addr is set (from "aduan@localhost" when
//     s.SMTP.From is empty);
//   - WhatsApp through the WhatsApp Business Cloud API when s.WhatsApp.PhoneNumberID and
//     s.WhatsApp.Token are set; lastInbound chooses between free-form text and the
//     template (nil: always the template);
//   - SMS, by s.SMSProvider: through the generic HTTP gateway at s.SMS.URL when it is
//     set, SMS Gateway for Android at s.SMSAndroid.URL when it is set, or Twilio when
//     s.SMSTwilio.AccountSID and AuthToken are set;
//
// each otherwise to the log, which records the row as sent with sent_via 'log': due,
// but delivered to nobody.
func NewSenders(s Settings, lastInbound LastInboundFunc) Senders {
	out := Senders{
		ChannelLog:      LogSender{},
		ChannelEmail:    LogSender{},
		ChannelWhatsApp: LogSender{},
		ChannelSMS:      LogSender{},
	}
	if s.SMTP.Addr != "" {
		cfg := s.SMTP
		if cfg.From == "" {
			cfg.From = "aduan@localhost"
		}
		out[ChannelEmail] = &SMTPSender{Config: cfg}
	} else {
		slog.Info("notify: no SMTP server configured; e-mail notifications are logged, not sent")
	}
	if s.WhatsApp.PhoneNumberID != "" && s.WhatsApp.Token != "" {
		out[ChannelWhatsApp] = &WhatsAppSender{Config: s.WhatsApp.withDefaults(), LastInbound: lastInbound}
	} else {
		slog.Info("notify: no WhatsApp Cloud API phone number and token configured; WhatsApp notifications are logged, not sent")
	}
	switch {
	case s.SMSProvider == SMSAndroid && s.SMSAndroid.URL != "":
		out[ChannelSMS] = &AndroidSMSSender{Config: s.SMSAndroid}
	case s.SMSProvider == SMSTwilio && s.SMSTwilio.AccountSID != "" && s.SMSTwilio.AuthToken != "":
		out[ChannelSMS] = &TwilioSMSSender{Config: s.SMSTwilio}
	case (s.SMSProvider == "" || s.SMSProvider == SMSGeneric) && s.SMS.URL != "":
		out[ChannelSMS] = &SMSSender{Config: s.SMS}
	default:
		slog.Info("notify: no SMS gateway configured; SMS notifications are logged, not sent", "provider", s.SMSProvider)
	}
	return out
}

// PermanentError, Permanent and IsPermanent mark a failure that trying again cannot
// mend (see httpcall).
type PermanentError = httpcall.PermanentError

// Permanent marks err as a failure that trying again cannot mend.
func Permanent(err error) error { return httpcall.Permanent(err) }

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool { return httpcall.IsPermanent(err) }

// LogSender "delivers" a notification by logging that it was due: its id, complaint
// code, recipient username, channel and template. Never the address, and never the text,
// which a reader might take as personal. It stands in for a channel without a configured
// sender; the outbox then records the row as sent with sent_via 'log', so a WhatsApp, SMS
// or e-mail row it took is not mistaken for one the recipient got.
type LogSender struct {
	// Logger is where to log (slog.Default() when nil).
	Logger *slog.Logger
}

// Send logs n.
func (l LogSender) Send(ctx context.Context, n Notification) error {
	lg := l.Logger
	if lg == nil {
		lg = slog.Default()
	}
	lg.InfoContext(ctx, "notification logged", "id", n.ID, "code", n.Code, "recipient", n.Recipient,
		"channel", n.Channel, "template", n.Template)
	return nil
}

// Package notify delivers the notification outbox (reminders and escalations) through
// pluggable senders, one per channel, and renders the notifications' Bahasa Indonesia
// texts. The outbox itself lives in PostgreSQL (store); the Notify activity
// (activities.Notifier) writes rows and hands each one to Senders.
package notify

import (
	"context"
	"errors"
	"log/slog"
	"os"

	"aduan/store"
)

// Channels a notification can go out on.
const (
	// ChannelLog writes the notification to the process log only (no address).
	ChannelLog      = "log"
	ChannelEmail    = "email"
	ChannelWhatsApp = "whatsapp"
	ChannelSMS      = "sms"
)

// Sender delivers one notification. It must be safe for concurrent use. An error means
// the notification was not delivered and may be tried again; wrap it with Permanent when
// trying again cannot help (a rejected address).
type Sender interface {
	Send(ctx context.Context, n store.Notification) error
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
func (s Senders) Send(ctx context.Context, n store.Notification) error {
	return s.For(n.Channel).Send(ctx, n)
}

// FromEnv builds the senders from the environment: e-mail goes through SMTP when
// ADUAN_SMTP_ADDR is set (see SMTPConfigFromEnv), otherwise to the log. WhatsApp and SMS
// go to the log for now.
func FromEnv() Senders {
	s := Senders{
		ChannelLog:   LogSender{},
		ChannelEmail: LogSender{},
		// Seam: a WhatsApp Business API sender and an SMS gateway sender replace these
		// two once they exist (implement Sender; the address is the phone number as the
		// complainant gave it).
		ChannelWhatsApp: LogSender{},
		ChannelSMS:      LogSender{},
	}
	if cfg, ok := SMTPConfigFromEnv(os.Getenv); ok {
		s[ChannelEmail] = &SMTPSender{Config: cfg}
	} else {
		slog.Info("notify: ADUAN_SMTP_ADDR not set; e-mail notifications are logged, not sent")
	}
	return s
}

// StaffRoute is how a staff user is notified: by e-mail when they have an address,
// otherwise in the log.
func StaffRoute(email string) (channel, address string) {
	if email != "" {
		return ChannelEmail, email
	}
	return ChannelLog, ""
}

// ComplainantRoute is how a complainant is notified: on their complaint's channel when
// it is WhatsApp or SMS and they gave a phone number, else by e-mail when they gave one,
// else in the log only (an anonymous complainant without contact still gets a row, so
// the outbox shows the notification was due).
func ComplainantRoute(c store.ComplainantContact) (channel, address string) {
	switch {
	case (c.Channel == ChannelWhatsApp || c.Channel == ChannelSMS) && c.Phone != "":
		return c.Channel, c.Phone
	case c.Email != "":
		return ChannelEmail, c.Email
	}
	return ChannelLog, ""
}

// PermanentError is a delivery failure that trying again cannot mend, such as an
// address the mail server rejects.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent marks err as a failure that trying again cannot mend.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// LogSender "delivers" a notification by logging that it was due: its id, complaint
// code, recipient username, channel and template. Never the address, and never the text,
// which a reader might take as personal.
type LogSender struct {
	// Logger is where to log (slog.Default() when nil).
	Logger *slog.Logger
}

// Send logs n.
func (l LogSender) Send(ctx context.Context, n store.Notification) error {
	lg := l.Logger
	if lg == nil {
		lg = slog.Default()
	}
	lg.InfoContext(ctx, "notification logged", "id", n.ID, "code", n.Code, "recipient", n.Recipient,
		"channel", n.Channel, "template", n.Template)
	return nil
}

package complaints

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"aduan/domain"
)

// InboundMessage is one message a citizen sent through a messaging provider.
type InboundMessage struct {
	Channel string // whatsapp or sms
	ID      string // the provider's message id
	From    string // the sender's number as the provider wrote it
	Name    string // the profile name WhatsApp reports, if any
	// Type is what the message carries; "" counts as text. A provider's kind Aduan does
	// not know is domain.MessageOther (keep the provider's name in OtherType).
	Type      domain.MessageKind
	OtherType string
	// Text is the text, a media's caption, a button's title, or a shared contact's name.
	Text string
	// Media is the file of an image, video, document, audio or sticker message.
	Media *InboundMedia
	// Location is a shared location.
	Location *Location
	// Button is the payload of a pressed reply button (Text holds its title).
	Button string
	// Context is the provider's id of the message this one answers, if any.
	Context string
}

// InboundMedia is a file a message announced: fetched later by the media fetcher.
type InboundMedia struct {
	// Ref is the provider's media id (WhatsApp) or the URL the gateway gives.
	Ref      string
	MimeType string
	// SHA256 is the hash the provider announced (WhatsApp: base64), "" when none.
	SHA256   string
	Filename string
	// Voice is a voice note recorded in the app (not a forwarded audio file).
	Voice bool
}

// Location is a shared location: coordinates, and the place's name and address if sent.
type Location struct {
	Latitude, Longitude float64
	Name, Address       string
}

// DeliveryStatus is what a provider reports on a message Aduan sent.
type DeliveryStatus struct {
	Channel string // whatsapp or sms
	// Ref is the provider's id of the sent message (the outbox row's provider_ref).
	Ref string
	// Status is sent, delivered, read or failed.
	Status string
	At     time.Time
	// ErrorCode and ErrorTitle say why a message failed (WhatsApp: 131047, "Re-engagement message").
	ErrorCode, ErrorTitle string
}

// TakeMessage routes one inbound message. A message from a number with no open complaint
// starts one; from a number whose complaint waits for the complainant's reply it is that
// reply; "YA"/"BELUM" to a published complaint is the complainant's feedback; any other
// message is attached to the open complaint. The provider's message id makes a delivery
// that arrives twice count once. An error means the message could not be stored safely
// and the provider should deliver it again (KindRateLimited: after RetryAfter).
func (s *Service) TakeMessage(ctx context.Context, m InboundMessage) error {
	phone := domain.NormalizePhone(m.From)
	if phone == "" {
		slog.Warn("inbound message from an unusable number ignored", "channel", m.Channel, "id", m.ID)
		return nil
	}
	text := domain.CleanText(m.Text)
	if (m.Type != "" && m.Type != domain.MessageText) || text == "" {
		// Pictures, voice notes, locations: acknowledged, not yet read.
		slog.Info("inbound message of an unsupported type acknowledged", "channel", m.Channel, "type", m.Type, "id", m.ID)
		return nil
	}
	if utf8.RuneCountInString(text) > domain.MaxIntakeText {
		text = string([]rune(text)[:domain.MaxIntakeText])
	}
	open, found, err := s.db.OpenComplaintByPhone(ctx, phone)
	if err != nil {
		return unavailable(err)
	}
	if !found {
		return s.openByMessage(ctx, m, phone, text)
	}
	id, created, err := s.db.AddInboundMessage(ctx, open.Code, m.Channel, text, m.ID)
	if err != nil {
		return unavailable(err)
	}
	if open.Status == domain.StatusPublished {
		// "YA" / "BELUM": the answer to "did this solve your problem?".
		if satisfied, ok := feedbackWords(text); ok && created {
			if _, err := s.Feedback(ctx, open.Code, satisfied, text); KindOf(err) == KindUnavailable {
				_ = s.db.ForgetMessage(ctx, id) // the provider's retry must find it new
				return unavailable(errors.New("feedback could not be recorded"))
			}
		}
		return nil
	}
	if open.Status != domain.StatusAwaitingInfo {
		slog.Info("inbound message attached to an open complaint", "code", open.Code, "channel", m.Channel)
		return nil
	}
	// The reply the complaint waits for. The Update's id comes from the provider's, so a
	// repeated delivery (after a failure here) applies it once.
	reply := domain.ActionRequest{MessageID: id, Actor: complainant}
	err = s.sendUpdate(ctx, open.Code, domain.ActionInfo, reply, "info:"+m.Channel+":"+m.ID)
	if err != nil && !isRejection(err) {
		return unavailable(err)
	}
	return nil
}

// openByMessage starts a complaint from a message of a number with none open.
func (s *Service) openByMessage(ctx context.Context, m InboundMessage, phone, text string) error {
	seen, err := s.db.ProviderMessageSeen(ctx, m.Channel, m.ID)
	if err != nil {
		return unavailable(err)
	}
	if !seen { // a repeated delivery does not count against the number
		if err := s.allowPhone(phone); err != nil {
			return err
		}
	}
	if utf8.RuneCountInString(text) < domain.MinIntakeText {
		// "Halo" is not a complaint yet; the citizen is asked for more by the channel's
		// auto-reply, configured at the provider.
		slog.Info("inbound message too short to open a complaint", "channel", m.Channel, "id", m.ID)
		return nil
	}
	res, err := s.Intake(ctx, IntakeRequest{Channel: m.Channel, Text: text, Phone: phone, Name: m.Name}, nil, m.ID)
	if KindOf(err) == KindInvalid {
		slog.Warn("inbound message refused by intake", "channel", m.Channel, "id", m.ID, "fields", len(AsError(err).Fields))
		return nil
	}
	if err != nil {
		return err
	}
	slog.Info("complaint opened by message", "code", res.Code, "channel", m.Channel, "new", res.Created)
	return nil
}

// feedbackWords reads a WhatsApp or SMS reply to "did this solve your problem?": ok is
// false when the text is neither a yes nor a no (it is then kept as a message).
func feedbackWords(text string) (satisfied, ok bool) {
	first := strings.ToLower(strings.Trim(strings.Fields(text + " x")[0], ".,!?"))
	switch first {
	case "ya", "iya", "yes", "sudah", "selesai", "puas", "ok", "oke", "terima":
		return true, true
	case "tidak", "belum", "blm", "gak", "nggak", "enggak", "tdk", "no", "bukan":
		return false, true
	}
	return false, false
}

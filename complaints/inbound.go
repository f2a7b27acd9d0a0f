package complaints

import (
	"context"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"aduan/domain"
	"aduan/store"
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

// TakeMessage routes one inbound message; every message is kept, whatever it carries.
// A message from a number with no open complaint starts one when it can (a text of ten
// characters or more, a picture, a voice note); a greeting or a short text is kept with
// the number, answered once a day with how to complain, and joins the complaint the
// number opens next. From a number whose complaint waits for the complainant's reply it
// is that reply; "YA"/"BELUM" (typed or a button) to a published complaint is the
// complainant's feedback; any other message is attached to the open complaint. Only a
// confirmed number routes (domain.RoutesReplies); a web complainant's number confirms
// itself by sending the complaint's code. The provider's message id makes a delivery
// that arrives twice count once. An error means the message could not be stored safely
// and the provider should deliver it again (KindRateLimited: after RetryAfter).
func (s *Service) TakeMessage(ctx context.Context, m InboundMessage) error {
	phone := domain.NormalizePhone(m.From)
	if phone == "" {
		slog.Warn("inbound message from an unusable number ignored", "channel", m.Channel, "id", m.ID)
		return nil
	}
	if m.Type == "" {
		m.Type = domain.MessageText
	}
	var err error
	if m.ID, err = providerID("id", m.ID); err != nil {
		return err
	}
	if m.Media != nil {
		if m.Media.Ref, err = providerID("media.id", m.Media.Ref); err != nil {
			return err
		}
	}
	text := domain.CleanText(m.Text)
	if utf8.RuneCountInString(text) > domain.MaxIntakeText {
		text = string([]rune(text)[:domain.MaxIntakeText])
	}
	if m.Type == domain.MessageText && text == "" {
		slog.Info("empty inbound message ignored", "channel", m.Channel, "id", m.ID)
		return nil
	}
	route, err := s.routeOf(ctx, m, phone, text)
	if err != nil {
		return unavailable(err)
	}
	kept, err := s.keptBefore(ctx, m, route.Seen)
	if err != nil {
		return err
	}
	// The provider delivers again the message that opened this very complaint (its first
	// delivery was answered late or not at all): it is the complaint's text already, not a
	// message to keep on it. openByMessage finishes its intake.
	open, found := route.Open, route.Found && (!route.Seen || kept)
	if !found {
		return s.openByMessage(ctx, m, phone, text, route.Seen, kept)
	}
	id, created, err := s.db.AddInbound(ctx, inboundRow(open.Code, phone, m, text))
	if err != nil {
		return unavailable(err)
	}
	if created && m.Type == domain.MessageOther {
		if err := s.autoReplyOncePerDay(ctx, m, phone, "unsupported", s.Texts(ctx).Unsupported()); err != nil {
			return err
		}
	}
	if open.Status == domain.StatusPublished {
		// "YA" / "BELUM", typed or pressed: the answer to "did this solve your problem?",
		// from the complainant's own confirmed number. It is keyed by the provider's
		// message id, so the provider's retry after a failure here (503) finds the
		// feedback its first delivery wrote: nothing lost, nothing counted twice.
		if satisfied, ok := feedbackWords(text + " " + m.Button); ok {
			if _, err := s.FeedbackFromNumber(ctx, open.Code, satisfied, text, m.Channel+":"+m.ID); KindOf(err) == KindUnavailable {
				return err
			}
		}
		return nil
	}
	if open.Status != domain.StatusAwaitingInfo {
		slog.Info("inbound message attached to an open complaint", "code", open.Code, "channel", m.Channel, "kind", m.Type)
		return nil
	}
	// The reply the complaint waits for (a text, a picture, a voice note, a location).
	// The Update's id comes from the provider's, so a repeated delivery (after a failure
	// here) applies it once.
	reply := domain.ActionRequest{MessageID: id, Actor: complainant}
	err = s.sendUpdate(ctx, open.Code, domain.ActionInfo, reply, "info:"+m.Channel+":"+m.ID)
	if err != nil && !isRejection(err) {
		return unavailable(err)
	}
	return nil
}

// routeOf finds the open complaint a number's message belongs to, and whether the
// provider delivered the message before, in one statement: the newest complaint with that
// number confirmed, or else one whose code the message carries and that was made with
// that very number (which confirms it).
func (s *Service) routeOf(ctx context.Context, m InboundMessage, phone, text string) (store.InboundRoute, error) {
	route, err := s.db.InboundRoute(ctx, phone, m.Channel, m.ID)
	if err != nil || route.Found {
		return route, err
	}
	code := domain.CodeIn(text)
	if code == "" {
		return route, nil
	}
	confirmed, err := s.db.ConfirmPhoneByCode(ctx, code, phone)
	if err != nil || !confirmed {
		return route, err
	}
	slog.Info("complainant's number confirmed by its code", "code", code)
	route.Open, route.Found, err = s.db.OpenComplaintByPhone(ctx, phone)
	return route, err
}

// opensComplaint reports whether a message from a number with none open is a complaint:
// a text long enough, or a picture, video, document or voice note (from someone who
// cannot type). A sticker, a lone location, a shared contact or a button is not.
func opensComplaint(kind domain.MessageKind, text string) bool {
	switch kind {
	case domain.MessageImage, domain.MessageVideo, domain.MessageDocument, domain.MessageAudio:
		return true
	case domain.MessageText:
		return !domain.IsTooShortForComplaint(text)
	}
	return false
}

// unattachedWindow is how long what a number sent before its complaint joins it.
const unattachedWindow = 24 * time.Hour

// openByMessage starts a complaint from a message of a number with none open, or keeps
// the message with the number and answers it. seen and kept say whether the provider
// delivered it before, and whether it was kept as a message then (keptBefore).
func (s *Service) openByMessage(ctx context.Context, m InboundMessage, phone, text string, seen, kept bool) error {
	// Delivered again: a message kept before (on a complaint closed since, or with the
	// number) opens nothing now; one that opened a complaint finishes its intake.
	if kept {
		return nil
	}
	if !seen { // a repeated delivery does not count against the number
		if err := s.allowPhone(phone); err != nil {
			return err
		}
	}
	if !opensComplaint(m.Type, text) {
		_, created, err := s.db.AddInbound(ctx, inboundRow("", phone, m, text))
		if err != nil {
			return unavailable(err)
		}
		if !created {
			return nil
		}
		slog.Info("inbound message kept until its number opens a complaint", "channel", m.Channel, "kind", m.Type)
		texts := s.Texts(ctx)
		reply, template := texts.Greeting(s.formURL()), "greeting"
		if m.Type == domain.MessageOther {
			reply, template = texts.Unsupported(), "unsupported"
		}
		return s.autoReplyOncePerDay(ctx, m, phone, template, reply)
	}
	needsReview := m.Type != domain.MessageText && domain.IsTooShortForComplaint(text)
	intakeText := text
	if needsReview {
		intakeText = strings.TrimSpace(s.Texts(ctx).MediaOnly(m.Type) + " " + text)
	}
	// What the number sent before (a greeting, a location) joins the complaint, in the
	// intake's own statement.
	since := time.Now().Add(-unattachedWindow)
	res, err := s.intake(ctx, IntakeRequest{Channel: m.Channel, Text: intakeText, Phone: phone, Name: m.Name,
		attachSince: &since}, nil, m.ID, needsReview)
	if KindOf(err) == KindInvalid {
		slog.Warn("inbound message refused by intake", "channel", m.Channel, "id", m.ID, "fields", len(AsError(err).Fields))
		return nil
	}
	if err != nil {
		return err
	}
	// A delivery repeated after its complaint was made (no new one now) attaches here what
	// its first delivery did not reach. A file is kept as the complaint's first message,
	// its caption being the complaint's text.
	if !res.Created {
		if _, err := s.db.AttachUnattached(ctx, res.Code, phone, since); err != nil {
			return unavailable(err)
		}
	}
	if m.Media != nil {
		if _, _, err := s.db.AddInbound(ctx, inboundRow(res.Code, phone, m, text)); err != nil {
			return unavailable(err)
		}
	}
	slog.Info("complaint opened by message", "code", res.Code, "channel", m.Channel, "kind", m.Type, "new", res.Created)
	return nil
}

// inboundRow is a message as the store keeps it.
func inboundRow(code, phone string, m InboundMessage, text string) store.Inbound {
	in := store.Inbound{Code: code, FromPhone: phone, Channel: m.Channel, ProviderID: m.ID, Kind: m.Type, Text: text}
	if m.Type == domain.MessageOther && text == "" {
		in.Text = "(jenis pesan " + domain.CleanText(m.OtherType) + " tidak dapat dibaca)"
	}
	if l := m.Location; l != nil && validCoordinates(l.Latitude, l.Longitude) {
		lat, lon := l.Latitude, l.Longitude
		in.Latitude, in.Longitude = &lat, &lon
		in.PlaceName, in.Address = domain.CleanText(l.Name), domain.CleanText(l.Address)
	}
	if md := m.Media; md != nil && m.Type.HasMedia() {
		in.Media = &store.InboundMedia{Ref: domain.CleanText(md.Ref), MimeType: domain.CleanText(md.MimeType),
			SHA256: domain.CleanText(md.SHA256), Filename: domain.CleanText(md.Filename), Voice: md.Voice}
	}
	return in
}

func validCoordinates(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 && !(lat == 0 && lon == 0)
}

// formURL is the web form's address, for the greeting reply ("" without a public URL).
func (s *Service) formURL() string {
	if s.cfg.PublicBaseURL == "" {
		return ""
	}
	return strings.TrimRight(s.cfg.PublicBaseURL, "/") + "/lapor"
}

// autoReplyOncePerDay answers a message that opened nothing, at most once per number per
// day of the regency's calendar.
func (s *Service) autoReplyOncePerDay(ctx context.Context, m InboundMessage, phone, template, text string) error {
	policy, err := s.policy(ctx)
	if err != nil {
		return unavailable(err)
	}
	ok, err := s.db.ClaimGreetingReply(ctx, phone, time.Now().In(policy.Location()))
	if err != nil {
		return unavailable(err)
	}
	if !ok {
		return nil
	}
	return s.autoReply(ctx, m, phone, template, text)
}

// autoReply writes an automatic reply to the outbox; the worker sends it.
func (s *Service) autoReply(ctx context.Context, m InboundMessage, phone, template, text string) error {
	err := s.db.EnqueueAutoReply(ctx, store.AutoReply{Key: m.Channel + ":" + m.ID, Channel: m.Channel, Phone: phone,
		Template: template, Text: text})
	if err != nil {
		return unavailable(err)
	}
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

// keptBefore says whether m, delivered before (seen, from InboundRoute), was kept as a
// message rather than opening a complaint.
func (s *Service) keptBefore(ctx context.Context, m InboundMessage, seen bool) (bool, error) {
	if !seen {
		return false, nil
	}
	kept, err := s.db.KeptAsMessage(ctx, m.Channel, m.ID)
	return kept, unavailableOrNil(err)
}

func unavailableOrNil(err error) error {
	if err == nil {
		return nil
	}
	return unavailable(err)
}

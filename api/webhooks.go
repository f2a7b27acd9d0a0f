package api

import (
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/temporal"

	"aduan/domain"
)

// Webhooks of the messaging providers. A message from a number with no open complaint
// starts one; a message from a number whose complaint waits for the complainant's reply
// is that reply; any other message is attached to the open complaint. The provider's
// message id makes a delivery that arrives twice count once. A provider is answered 200
// once its message is safely stored, 503 when it could not be (so it retries), 401 for a
// bad signature and 400 for a body that is not its format.

// verifyWhatsApp answers Meta's subscription challenge.
func (s *server) verifyWhatsApp(c *gin.Context) {
	if s.WAVerifyToken == "" || c.Query("hub.mode") != "subscribe" || c.Query("hub.verify_token") != s.WAVerifyToken {
		fail(c, http.StatusForbidden, codeForbidden, "Token verifikasi tidak cocok.", nil)
		return
	}
	c.String(http.StatusOK, c.Query("hub.challenge"))
}

// readSigned reads the raw body and checks its HMAC signature, answering itself when it
// cannot.
func readSigned(c *gin.Context, header, secret string) ([]byte, bool) {
	body, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		fail(c, http.StatusRequestEntityTooLarge, codeTooLarge, "Isi permintaan terlalu besar.", nil)
		return nil, false
	}
	if err != nil {
		fail(c, http.StatusBadRequest, codeInvalid, "Isi permintaan tidak dapat dibaca.", nil)
		return nil, false
	}
	if !validSignature(c.GetHeader(header), body, secret) {
		fail(c, http.StatusUnauthorized, codeUnauthenticated, "Tanda tangan webhook tidak valid.", nil)
		return nil, false
	}
	return body, true
}

// whatsAppWebhook takes the WhatsApp Business Cloud API's deliveries.
func (s *server) whatsAppWebhook(c *gin.Context) {
	body, ok := readSigned(c, "X-Hub-Signature-256", s.WAAppSecret)
	if !ok {
		return
	}
	msgs, statuses, err := parseWhatsApp(body)
	if err != nil {
		fail(c, http.StatusBadRequest, codeInvalid, "Format webhook WhatsApp tidak dikenal.", nil)
		return
	}
	for _, st := range statuses {
		slog.Info("whatsapp status callback", "status", st)
	}
	s.takeMessages(c, msgs)
}

// smsWebhook takes the SMS gateway's deliveries.
func (s *server) smsWebhook(c *gin.Context) {
	body, ok := readSigned(c, "X-Aduan-Signature", s.SMSSecret)
	if !ok {
		return
	}
	msg, err := parseSMS(c.GetHeader("Content-Type"), body)
	if err != nil {
		fail(c, http.StatusBadRequest, codeInvalid, "Format webhook SMS tidak dikenal: from, text dan id wajib ada.", nil)
		return
	}
	s.takeMessages(c, []inbound{msg})
}

// takeMessages routes each message and answers the provider once for all of them.
func (s *server) takeMessages(c *gin.Context, msgs []inbound) {
	for _, m := range msgs {
		if wait, err := s.take(c, m); err != nil {
			if wait > 0 {
				c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
				fail(c, http.StatusTooManyRequests, codeRateLimited, "Terlalu banyak aduan baru dari nomor ini.", nil)
				return
			}
			unavailable(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "messages": len(msgs)})
}

// takeMessage routes one message. It returns an error when the message could not be
// stored safely (the provider should deliver it again), with the wait for a rate limit.
func (s *server) takeMessage(c *gin.Context, m inbound) (time.Duration, error) {
	ctx := c.Request.Context()
	phone := domain.NormalizePhone(m.From)
	if phone == "" {
		slog.Warn("inbound message from an unusable number ignored", "channel", m.Channel, "id", m.ID)
		return 0, nil
	}
	text := domain.CleanText(m.Text)
	if m.Type != "text" || text == "" {
		// Pictures, voice notes, locations: acknowledged, not yet read.
		slog.Info("inbound message of an unsupported type acknowledged", "channel", m.Channel, "type", m.Type, "id", m.ID)
		return 0, nil
	}
	if utf8.RuneCountInString(text) > domain.MaxIntakeText {
		text = string([]rune(text)[:domain.MaxIntakeText])
	}
	open, found, err := s.DB.OpenComplaintByPhone(ctx, phone)
	if err != nil {
		return 0, err
	}
	if !found {
		return s.openByMessage(c, m, phone, text)
	}
	id, created, err := s.DB.AddInboundMessage(ctx, open.Code, m.Channel, text, m.ID)
	if err != nil {
		return 0, err
	}
	if open.Status == domain.StatusPublished {
		// "YA" / "BELUM": the answer to "did this solve your problem?".
		if satisfied, ok := feedbackWords(text); ok && created {
			if status, _ := s.giveFeedback(c, open.Code, satisfied, text); status == http.StatusServiceUnavailable {
				_ = s.DB.ForgetMessage(ctx, id) // the provider's retry must find it new
				return 0, errors.New("feedback could not be recorded")
			}
		}
		return 0, nil
	}
	if open.Status != domain.StatusAwaitingInfo {
		slog.Info("inbound message attached to an open complaint", "code", open.Code, "channel", m.Channel)
		return 0, nil
	}
	// The reply the complaint waits for. The Update's id comes from the provider's, so a
	// repeated delivery (after a failure here) applies it once.
	reply := domain.ActionRequest{MessageID: id, Actor: domain.Actor{Username: "pelapor", Role: domain.RoleComplainant}}
	err = s.sendUpdate(ctx, open.Code, domain.ActionInfo, reply, "info:"+m.Channel+":"+m.ID)
	if err != nil && !isRejection(err) {
		return 0, err
	}
	return 0, nil
}

// openByMessage starts a complaint from a message of a number with none open.
func (s *server) openByMessage(c *gin.Context, m inbound, phone, text string) (time.Duration, error) {
	ctx := c.Request.Context()
	seen, err := s.DB.ProviderMessageSeen(ctx, m.Channel, m.ID)
	if err != nil {
		return 0, err
	}
	if !seen { // a repeated delivery does not count against the number
		if ok, wait := s.phoneLimiter.allow(phone, time.Now()); !ok {
			return wait, &phoneLimited{wait: wait}
		}
	}
	if utf8.RuneCountInString(text) < domain.MinIntakeText {
		// "Halo" is not a complaint yet; the citizen is asked for more by the channel's
		// auto-reply, configured at the provider.
		slog.Info("inbound message too short to open a complaint", "channel", m.Channel, "id", m.ID)
		return 0, nil
	}
	res, fields, err := s.takeIn(c, intakeRequest{Channel: m.Channel, Text: text, Phone: phone, Name: m.Name}, nil, m.ID)
	if err != nil {
		return 0, err
	}
	if len(fields) > 0 {
		slog.Warn("inbound message refused by intake", "channel", m.Channel, "id", m.ID, "fields", len(fields))
		return 0, nil
	}
	slog.Info("complaint opened by message", "code", res.Code, "channel", m.Channel, "new", res.Created)
	return 0, nil
}

// isRejection reports an Update the workflow refused (the complaint moved on meanwhile):
// the message stays attached, nothing to retry.
func isRejection(err error) bool {
	var app *temporal.ApplicationError
	return errors.As(err, &app)
}

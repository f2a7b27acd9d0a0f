package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"aduan/domain"
)

// SMSMaxChars is the longest text sent by SMS: three concatenated segments of 153
// characters. A longer text is cut (CutKeepingLink), keeping the tracking link.
const SMSMaxChars = 459

// SMSConfig is how to reach the SMS gateway.
type SMSConfig struct {
	// URL receives one POST per message.
	URL string
	// APIKey, when set, is sent as "Authorization: Bearer <APIKey>".
	APIKey string
	// Timeout bounds one request (20 s when zero).
	Timeout time.Duration
}

// SMSSender delivers notifications through an HTTP SMS gateway: it POSTs
//
//	{"to": "6281234567890", "text": "...", "reference": "<the row's dedupe key>"}
//
// to the gateway's URL; any 2xx answer means accepted. The reference is the same on
// every attempt, so a gateway that deduplicates by it sends a retried message once. The
// number goes in international digits (domain.NormalizePhone); the text is cut to
// SMSMaxChars. A 4xx answer that rejects the message is permanent; 5xx, 429, our
// credentials or credit (401/402/403) and network errors are retried.
//
// It never logs the phone number or the text.
type SMSSender struct {
	Config SMSConfig
	// Client makes the requests (http.DefaultClient when nil).
	Client *http.Client
	// Logger is where to log (slog.Default() when nil).
	Logger *slog.Logger
}

// smsRequest is the gateway's request body.
type smsRequest struct {
	To        string `json:"to"`
	Text      string `json:"text"`
	Reference string `json:"reference"`
}

// Send delivers n.
func (s *SMSSender) Send(ctx context.Context, n Notification) error {
	_, err := s.SendReceipt(ctx, n)
	return err
}

// SendReceipt delivers n and says how: Via "sms", Ref the gateway's message id when its
// answer has one ("id" or "message_id").
func (s *SMSSender) SendReceipt(ctx context.Context, n Notification) (Receipt, error) {
	lg, to, err := smsRecipient(ctx, s.Logger, n)
	if err != nil {
		return Receipt{}, err
	}
	h := http.Header{}
	if s.Config.APIKey != "" {
		h.Set("Authorization", "Bearer "+s.Config.APIKey)
	}
	body := smsRequest{To: to, Text: CutKeepingLink(n.Text, SMSMaxChars), Reference: n.DedupeKey}
	ans, err := postJSON(ctx, s.Client, s.Config.Timeout, s.Config.URL, h, body)
	if err != nil {
		lg.WarnContext(ctx, "sms: no answer from the gateway; will retry", "id", n.ID, "code", n.Code)
		return Receipt{}, fmt.Errorf("sms: %s", redact(err.Error(), to, n.Address, s.Config.APIKey))
	}
	if ans.status/100 == 2 {
		rc := Receipt{Via: ChannelSMS, Ref: gatewayRef(ans.body)}
		lg.InfoContext(ctx, "sms sent", "id", n.ID, "code", n.Code) // not the ref, which may encode the number
		return rc, nil
	}
	retry := retryableStatus(ans.status)
	lg.WarnContext(ctx, "sms refused by the gateway", "id", n.ID, "code", n.Code, "status", ans.status, "retry", retry)
	err = fmt.Errorf("sms: gateway answered HTTP %d: %s", ans.status,
		redact(strings.TrimSpace(string(ans.body)), to, n.Address, body.Text, s.Config.APIKey))
	if retry {
		return Receipt{}, err
	}
	return Receipt{}, Permanent(err)
}

// gatewayRef is the message id in a gateway's JSON answer ("message_id" or "id", a
// string or a number), if any.
func gatewayRef(body []byte) string {
	var a struct {
		ID        json.RawMessage `json:"id"`
		MessageID json.RawMessage `json:"message_id"`
	}
	if json.Unmarshal(body, &a) != nil {
		return ""
	}
	for _, raw := range []json.RawMessage{a.MessageID, a.ID} {
		var str string
		var num json.Number
		switch {
		case json.Unmarshal(raw, &str) == nil && str != "" && len(str) <= 200:
			return str
		case json.Unmarshal(raw, &num) == nil && num != "":
			return num.String()
		}
	}
	return ""
}

// smsRecipient is where every SMS sender starts: its logger (slog.Default() when nil) and
// the number in international digits, or a permanent refusal of a number no gateway can
// take (logged without it).
func smsRecipient(ctx context.Context, logger *slog.Logger, n Notification) (*slog.Logger, string, error) {
	if logger == nil {
		logger = slog.Default()
	}
	to := domain.NormalizePhone(n.Address)
	if to == "" {
		logger.WarnContext(ctx, "sms: invalid phone number; not sent", "id", n.ID, "code", n.Code)
		return logger, "", Permanent(errors.New("sms: invalid phone number"))
	}
	return logger, to, nil
}

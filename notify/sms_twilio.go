package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// TwilioSMSConfig is how to send SMS through Twilio Programmable Messaging.
type TwilioSMSConfig struct {
	// APIBase is Twilio's REST API (https://api.twilio.com when empty; a stand-in's in
	// tests).
	APIBase string
	// AccountSID and AuthToken are the account's credentials (HTTP basic authentication).
	AccountSID, AuthToken string
	// From is the sending number (E.164) or alphanumeric sender ID; MessagingServiceSID
	// a Messaging Service that picks the sender. One of them.
	From, MessagingServiceSID string
	// StatusCallback is where Twilio reports the message's status changes (Aduan's
	// /webhooks/sms/twilio/status under ADUAN_PUBLIC_URL); "" asks for none.
	StatusCallback string
	// Timeout bounds one request (20 s when zero).
	Timeout time.Duration
}

// TwilioSMSSender delivers notifications through Twilio Programmable Messaging. It POSTs
// the form
//
//	To=+6281234567890&From=<From> (or MessagingServiceSid=<MG…>)&Body=...&StatusCallback=<URL>
//
// to https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json with basic
// authentication (AccountSid:AuthToken), as the Message resource documents
// (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
// Twilio answers 201 with the Message, whose "sid" (SM…) is Receipt.Ref: the status
// callbacks Twilio posts to StatusCallback carry it as MessageSid. An error is answered
// as {"code": 21211, "message": "...", "more_info": "...", "status": 400}
// (https://www.twilio.com/docs/usage/twilios-response).
//
// The number goes in E.164, the text cut to SMSMaxChars. A 4xx answer that rejects the
// message is permanent (21211 an invalid number, 21610 a recipient who replied STOP…);
// 5xx, 429, our credentials or account (401/403, and 21606 and 21408: a From the account
// cannot send from, a region not enabled, which the operator must fix) and network
// errors are retried. Twilio has no idempotency key for messages: a retry after a lost
// answer can send the SMS twice.
//
// It never logs the phone number or the text.
type TwilioSMSSender struct {
	Config TwilioSMSConfig
	// Client makes the requests (http.DefaultClient when nil).
	Client *http.Client
	// Logger is where to log (slog.Default() when nil).
	Logger *slog.Logger
}

// twilioConfigErrors are the Twilio error codes of a 4xx answer that the operator must
// mend and after which the message itself is still good
// (https://www.twilio.com/docs/api/errors/21606, /21408).
var twilioConfigErrors = map[int]bool{
	21606: true, // the From number is not a message-capable number of this account
	21408: true, // permission to send to the destination region not enabled
}

// Send delivers n.
func (s *TwilioSMSSender) Send(ctx context.Context, n Notification) error {
	_, err := s.SendReceipt(ctx, n)
	return err
}

// SendReceipt delivers n and says how: Via "sms:twilio", Ref the Message's SID.
func (s *TwilioSMSSender) SendReceipt(ctx context.Context, n Notification) (Receipt, error) {
	lg, to, err := smsRecipient(ctx, s.Logger, n)
	if err != nil {
		return Receipt{}, err
	}
	text := CutKeepingLink(n.Text, SMSMaxChars)
	form := url.Values{"To": {"+" + to}, "Body": {text}}
	if s.Config.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", s.Config.MessagingServiceSID)
	} else {
		form.Set("From", s.Config.From)
	}
	if s.Config.StatusCallback != "" {
		form.Set("StatusCallback", s.Config.StatusCallback)
	}
	base := s.Config.APIBase
	if base == "" {
		base = "https://api.twilio.com"
	}
	endpoint := strings.TrimRight(base, "/") + "/2010-04-01/Accounts/" + url.PathEscape(s.Config.AccountSID) + "/Messages.json"
	secrets := []string{"+" + to, to, n.Address, text, s.Config.AuthToken}
	ans, err := s.post(ctx, endpoint, form)
	if err != nil {
		lg.WarnContext(ctx, "sms: no answer from Twilio; will retry", "id", n.ID, "code", n.Code)
		return Receipt{}, fmt.Errorf("sms (twilio): %s", redact(err.Error(), secrets...))
	}
	if ans.status/100 == 2 {
		var m struct {
			SID string `json:"sid"`
		}
		if json.Unmarshal(ans.body, &m) != nil || m.SID == "" || len(m.SID) > 200 {
			// Sent, but the status callbacks will not find the row.
			lg.WarnContext(ctx, "sms sent, but Twilio's answer has no message SID", "id", n.ID, "code", n.Code)
			m.SID = ""
		}
		lg.InfoContext(ctx, "sms sent", "id", n.ID, "code", n.Code, "via", "twilio")
		return Receipt{Via: "sms:twilio", Ref: m.SID}, nil
	}
	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	detail := strings.TrimSpace(string(ans.body))
	if json.Unmarshal(ans.body, &e) == nil && (e.Code != 0 || e.Message != "") {
		detail = fmt.Sprintf("error %d: %s", e.Code, e.Message)
	}
	retry := retryableStatus(ans.status) || twilioConfigErrors[e.Code]
	lg.WarnContext(ctx, "sms refused by Twilio", "id", n.ID, "code", n.Code, "status", ans.status,
		"twilio_error", e.Code, "retry", retry)
	err = fmt.Errorf("sms (twilio): Twilio answered HTTP %d: %s", ans.status, redact(detail, secrets...))
	if retry {
		return Receipt{}, err
	}
	return Receipt{}, Permanent(err)
}

// post sends the form to endpoint and reads the answer. A request that gets no answer
// (network, timeout) is an error, always retryable.
func (s *TwilioSMSSender) post(ctx context.Context, endpoint string, form url.Values) (httpAnswer, error) {
	timeout := s.Config.Timeout
	if timeout <= 0 {
		timeout = defaultHTTPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return httpAnswer{}, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(s.Config.AccountSID, s.Config.AuthToken)
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		return httpAnswer{}, err
	}
	defer res.Body.Close()
	raw, readErr := io.ReadAll(io.LimitReader(res.Body, maxResponse))
	if readErr != nil && res.StatusCode/100 != 2 {
		return httpAnswer{}, fmt.Errorf("read answer (HTTP %d): %w", res.StatusCode, readErr)
	}
	return httpAnswer{status: res.StatusCode, body: raw}, nil
}

package notify

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// AndroidSMSConfig is how to reach SMS Gateway for Android (capcom6/android-sms-gateway,
// https://docs.sms-gate.app): an app that sends and receives SMS with the SIM of the
// Android phone it runs on.
type AndroidSMSConfig struct {
	// URL is the app's API: the phone's local server, http://<phone's address>:8080
	// (https://docs.sms-gate.app/getting-started/local-server/), or the cloud or private
	// server, https://api.sms-gate.app/3rdparty/v1. Messages go to URL + "/messages".
	URL string
	// User and Password are the API's basic authentication (the app's Home tab shows them).
	User, Password string
	// Timeout bounds one request (20 s when zero).
	Timeout time.Duration
}

// AndroidSMSSender delivers notifications through SMS Gateway for Android. It POSTs, as
// the app's API documents (https://docs.sms-gate.app/features/sending-messages/, the
// OpenAPI of POST /messages in the app's and the server's swagger.json),
//
//	{"id": "aduan-<30 hex digits>", "textMessage": {"text": "..."},
//	 "phoneNumbers": ["+6281234567890"], "withDeliveryReport": true}
//
// with basic authentication, and the app answers 202 with the message's state, whose
// "id" is the one sent. The id is derived from the outbox row, so it is the same on every
// attempt: when an answer was lost and the row is tried again, the app answers 409
// ("message with the same ID already exists"), which means the message is already
// queued on the phone and counts as sent. The id is Receipt.Ref, and the app's webhooks
// (sms:sent, sms:delivered, sms:failed) report on the message under it as "messageId".
//
// The number goes in E.164 (+ and the international digits), the text cut to
// SMSMaxChars (the phone sends a longer SMS in parts). A 4xx answer that rejects the
// message is permanent; 5xx (503: the queue is full or the phone offline), 429, our
// credentials (401/403) and network errors are retried.
//
// It never logs the phone number or the text.
type AndroidSMSSender struct {
	Config AndroidSMSConfig
	// Client makes the requests (http.DefaultClient when nil).
	Client *http.Client
	// Logger is where to log (slog.Default() when nil).
	Logger *slog.Logger
}

// androidTextMessage and androidMessage are the app's smsgateway.Message (the fields
// Aduan sets).
type androidTextMessage struct {
	Text string `json:"text"`
}

type androidMessage struct {
	ID                 string             `json:"id"`
	TextMessage        androidTextMessage `json:"textMessage"`
	PhoneNumbers       []string           `json:"phoneNumbers"`
	WithDeliveryReport bool               `json:"withDeliveryReport"`
}

// AndroidMessageID is the id Aduan gives the app for notification n: "aduan-" and 30 hex
// digits of a hash of the outbox row (its id and dedupe key), within the app's limit of
// 36 characters, and the same on every attempt.
func AndroidMessageID(n Notification) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(n.ID, 10) + "\x00" + n.DedupeKey))
	return "aduan-" + hex.EncodeToString(sum[:])[:30]
}

// Send delivers n.
func (s *AndroidSMSSender) Send(ctx context.Context, n Notification) error {
	_, err := s.SendReceipt(ctx, n)
	return err
}

// SendReceipt delivers n and says how: Via "sms:android", Ref the message's id.
func (s *AndroidSMSSender) SendReceipt(ctx context.Context, n Notification) (Receipt, error) {
	lg, to, err := smsRecipient(ctx, s.Logger, n)
	if err != nil {
		return Receipt{}, err
	}
	id := AndroidMessageID(n)
	body := androidMessage{ID: id, TextMessage: androidTextMessage{Text: CutKeepingLink(n.Text, SMSMaxChars)},
		PhoneNumbers: []string{"+" + to}, WithDeliveryReport: true}
	h := http.Header{}
	h.Set("Authorization", "Basic "+basicAuth(s.Config.User, s.Config.Password))
	url := strings.TrimRight(s.Config.URL, "/") + "/messages"
	secrets := []string{"+" + to, to, n.Address, body.TextMessage.Text, s.Config.Password}
	ans, err := postJSON(ctx, s.Client, s.Config.Timeout, url, h, body)
	if err != nil {
		lg.WarnContext(ctx, "sms: no answer from the Android gateway; will retry", "id", n.ID, "code", n.Code)
		return Receipt{}, fmt.Errorf("sms (android): %s", redact(err.Error(), secrets...))
	}
	switch {
	case ans.status/100 == 2:
		ref := id
		var a struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(ans.body, &a) == nil && a.ID != "" && len(a.ID) <= 200 {
			ref = a.ID
		}
		lg.InfoContext(ctx, "sms sent", "id", n.ID, "code", n.Code, "via", "android")
		return Receipt{Via: "sms:android", Ref: ref}, nil
	case ans.status == http.StatusConflict:
		// An earlier attempt reached the phone and its answer was lost.
		lg.InfoContext(ctx, "sms already queued on the Android gateway", "id", n.ID, "code", n.Code)
		return Receipt{Via: "sms:android", Ref: id}, nil
	}
	retry := retryableStatus(ans.status)
	lg.WarnContext(ctx, "sms refused by the Android gateway", "id", n.ID, "code", n.Code, "status", ans.status, "retry", retry)
	err = fmt.Errorf("sms (android): gateway answered HTTP %d: %s", ans.status,
		redact(strings.TrimSpace(string(ans.body)), secrets...))
	if retry {
		return Receipt{}, err
	}
	return Receipt{}, Permanent(err)
}

// basicAuth is the credentials of an "Authorization: Basic" header (RFC 7617).
func basicAuth(user, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
}

package webhooks

// (Not sms_android.go: a file name ending in _android is built only for GOOS=android.)

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
	"aduan/domain"
)

// SMS Gateway for Android's webhook (capcom6/android-sms-gateway): one URL,
// /webhooks/sms/android, registered on the phone for the events sms:received,
// sms:sent, sms:delivered and sms:failed. The format is the one documented at
// https://docs.sms-gate.app/features/webhooks/ ("Step 5: Receive the Payload"):
//
//	{"deviceId": "...", "event": "sms:received", "id": "<the event's id>",
//	 "payload": {"messageId": "abc123", "message": "...", "sender": "6505551212",
//	             "recipient": "+1234567890", "simNumber": 1,
//	             "receivedAt": "2024-06-22T15:46:11.000+07:00"},
//	 "webhookId": "..."}
//
// (older app versions name the sender "phoneNumber", which newer ones still send).
// Every request is signed ("Payload Signing" in the same page): X-Timestamp is the Unix
// time in seconds and X-Signature the hex HMAC-SHA256, with the app's signing key, of the
// raw body followed by the timestamp. A timestamp more than AndroidMaxSkew away from
// Aduan's clock is refused as a replay, as the page advises (±5 minutes); the app signs
// every attempt anew, so its retries pass. The app retries any answer but 2xx, with
// backoff, for about two days.

// AndroidMaxSkew is how far an SMS Gateway for Android webhook's X-Timestamp may be from
// Aduan's clock.
const AndroidMaxSkew = 5 * time.Minute

// androidNow is the clock the timestamps are checked against (a test's in tests).
var androidNow = time.Now

// androidSMS takes SMS Gateway for Android's deliveries: a received SMS is routed like
// every inbound message, a report on an SMS Aduan sent is kept with its outbox row, and
// the other events (system:ping, mms:*…) are acknowledged and ignored.
func (h handlers) androidSMS(c *gin.Context) {
	body, ok := readRaw(c)
	if !ok {
		return
	}
	if !validAndroidSignature(c.GetHeader("X-Signature"), c.GetHeader("X-Timestamp"), body, h.cfg.SMSAndroidSigningKey, androidNow()) {
		respond.Fail(c, http.StatusUnauthorized, string(complaints.KindUnauthenticated), "Tanda tangan webhook tidak valid.", nil)
		return
	}
	ev, err := parseAndroidSMS(body)
	if err != nil {
		respond.Fail(c, http.StatusBadRequest, string(complaints.KindInvalid),
			"Format webhook SMS Gateway for Android tidak dikenal.", nil)
		return
	}
	switch {
	case ev.msg != nil:
		h.takeAll(c, []complaints.InboundMessage{*ev.msg})
	case ev.status != nil:
		if err := h.take.TakeStatus(c.Request.Context(), *ev.status); err != nil {
			respond.Error(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ok", "messages": 0})
	default:
		slog.Info("sms gateway event ignored", "provider", "android", "event", ev.event)
		c.JSON(http.StatusOK, gin.H{"status": "ok", "messages": 0})
	}
}

// readRaw reads the raw body, answering itself when it cannot.
func readRaw(c *gin.Context) ([]byte, bool) {
	body, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		respond.Fail(c, http.StatusRequestEntityTooLarge, respond.CodeTooLarge, "Isi permintaan terlalu besar.", nil)
		return nil, false
	}
	if err != nil {
		respond.Fail(c, http.StatusBadRequest, string(complaints.KindInvalid), "Isi permintaan tidak dapat dibaca.", nil)
		return nil, false
	}
	return body, true
}

// validAndroidSignature checks SMS Gateway for Android's signature: signature is the hex
// HMAC-SHA256 of body followed by timestamp with key, compared in constant time, and
// timestamp (Unix seconds) is within AndroidMaxSkew of now. An empty key accepts nothing:
// the webhook is closed.
func validAndroidSignature(signature, timestamp string, body []byte, key string, now time.Time) bool {
	if key == "" {
		return false
	}
	timestamp = strings.TrimSpace(timestamp)
	got, err := hex.DecodeString(strings.TrimSpace(signature))
	if err != nil || len(got) != sha256.Size || timestamp == "" {
		return false
	}
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write(body)
	mac.Write([]byte(timestamp))
	if !hmac.Equal(got, mac.Sum(nil)) {
		return false
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	if skew := now.Sub(time.Unix(sec, 0)); skew > AndroidMaxSkew || skew < -AndroidMaxSkew {
		// Rightly signed: a replay, or the phone's clock is wrong (it should take the
		// network's time).
		slog.Warn("sms gateway webhook refused: its timestamp is too far from our clock; check the phone's clock",
			"provider", "android", "skew", skew.Round(time.Second).String())
		return false
	}
	return true
}

// androidWebhook is the part of an SMS Gateway for Android webhook Aduan reads.
type androidWebhook struct {
	Event   string `json:"event"`
	Payload *struct {
		MessageID   string `json:"messageId"`
		Message     string `json:"message"`
		Sender      string `json:"sender"`
		PhoneNumber string `json:"phoneNumber"` // the sender before app v1.5x; deprecated
		ReceivedAt  string `json:"receivedAt"`
		SentAt      string `json:"sentAt"`
		DeliveredAt string `json:"deliveredAt"`
		FailedAt    string `json:"failedAt"`
		CancelledAt string `json:"cancelledAt"`
		Reason      string `json:"reason"`
	} `json:"payload"`
}

// androidEvent is one parsed webhook: a received SMS, a report on a sent one, or neither
// (an event Aduan does not act on).
type androidEvent struct {
	event  string
	msg    *complaints.InboundMessage
	status *complaints.DeliveryStatus
}

// parseAndroidSMS reads an SMS Gateway for Android webhook.
//
// A received SMS's "messageId" is a 32-bit hash of its sender, time and text, which the
// documentation warns is not unique; the message's id is therefore "android:", that hash,
// "@" and the time received, the same whenever the phone delivers the same SMS again.
// A report's "messageId" is the id Aduan gave the message when it sent it
// (notify.AndroidMessageID), the row's provider_ref.
func parseAndroidSMS(body []byte) (androidEvent, error) {
	var w androidWebhook
	if err := json.Unmarshal(body, &w); err != nil || w.Event == "" {
		return androidEvent{}, errMalformed
	}
	ev := androidEvent{event: w.Event}
	p := w.Payload
	switch w.Event {
	case "sms:received", "sms:sent", "sms:delivered", "sms:failed", "sms:cancelled":
		if p == nil || p.MessageID == "" {
			return androidEvent{}, errMalformed
		}
	default:
		return ev, nil // system:ping, sms:data-received, mms:*, app:started…
	}
	st := complaints.DeliveryStatus{Channel: "sms", Ref: p.MessageID}
	var at string
	switch w.Event {
	case "sms:received":
		from := p.Sender
		if from == "" {
			from = p.PhoneNumber
		}
		if from == "" {
			return androidEvent{}, errMalformed
		}
		id := "android:" + p.MessageID
		if p.ReceivedAt != "" {
			id += "@" + p.ReceivedAt
		}
		ev.msg = &complaints.InboundMessage{Channel: "sms", ID: id, From: from, Type: domain.MessageText, Text: p.Message}
		return ev, nil
	case "sms:sent":
		st.Status, at = "sent", p.SentAt
	case "sms:delivered":
		// Sent once per part of a long SMS: the first counts, the others change nothing.
		st.Status, at = "delivered", p.DeliveredAt
	case "sms:failed":
		st.Status, at, st.ErrorTitle = "failed", p.FailedAt, p.Reason
	case "sms:cancelled":
		// Cancelled on the server before the phone sent it: not delivered.
		st.Status, at, st.ErrorTitle = "failed", p.CancelledAt, "cancelled"
	}
	if t, err := time.Parse(time.RFC3339, at); err == nil {
		st.At = t
	}
	ev.status = &st
	return ev, nil
}

package webhooks

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
	"aduan/domain"
)

// Twilio Programmable Messaging's webhooks: the incoming message webhook, set as the
// number's (or Messaging Service's) "A message comes in" URL, ADUAN_PUBLIC_URL +
// TwilioSMSPath; and the status callbacks of the messages Aduan sends, which the sender
// asks for at ADUAN_PUBLIC_URL + TwilioStatusPath (a status callback posted to
// TwilioSMSPath, as a Messaging Service's "Delivery Status Callback" may be, is taken
// too).
//
// Both are form posts (application/x-www-form-urlencoded). The incoming message carries
// MessageSid, From, To, Body, NumMedia… (https://www.twilio.com/docs/messaging/guides/webhook-request);
// a status callback MessageSid, MessageStatus (queued, sent, delivered, undelivered,
// failed, read…) and ErrorCode
// (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status).
//
// Each is signed in X-Twilio-Signature: the base64 HMAC-SHA1, with the account's auth
// token, of the URL Twilio was given followed by every POST parameter's name and value,
// sorted by name (https://www.twilio.com/docs/usage/webhooks/webhooks-security). That URL
// is ADUAN_PUBLIC_URL and the route's path, never one rebuilt from the request's Host or
// X-Forwarded-* headers, which a client chooses.
//
// Twilio wants TwiML back: an incoming message is answered with an empty
// <Response></Response>, which sends no reply
// (https://www.twilio.com/docs/usage/webhooks/sms-webhooks); the acknowledgement goes out
// through the outbox. Twilio does not retry a failed incoming message webhook unless told
// to (https://www.twilio.com/docs/usage/security/availability-reliability,
// https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides); a 503 shows
// in its console's error log.

// Routes of the SMS providers' webhooks.
const (
	AndroidSMSPath   = "/webhooks/sms/android"
	TwilioSMSPath    = "/webhooks/sms/twilio"
	TwilioStatusPath = "/webhooks/sms/twilio/status"
)

// emptyTwiML answers an incoming message without replying.
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`

// twilioSMS takes Twilio's incoming messages (and status callbacks sent to the same URL).
func (h handlers) twilioSMS(c *gin.Context) {
	form, ok := h.readTwilio(c)
	if !ok {
		return
	}
	if st, isStatus := parseTwilioStatus(form); isStatus {
		h.takeTwilioStatus(c, st)
		return
	}
	msg, err := parseTwilioSMS(form)
	if err != nil {
		respond.Fail(c, http.StatusBadRequest, string(complaints.KindInvalid),
			"Format webhook Twilio tidak dikenal: MessageSid dan From wajib ada.", nil)
		return
	}
	if err := h.take.TakeMessage(c.Request.Context(), msg); err != nil {
		e := complaints.AsError(err)
		if e.Kind == complaints.KindRateLimited {
			respond.RetryAfter(c, e)
			respond.Fail(c, http.StatusTooManyRequests, string(e.Kind), "Terlalu banyak aduan baru dari nomor ini.", nil)
			return
		}
		respond.Error(c, e)
		return
	}
	c.Data(http.StatusOK, "text/xml; charset=utf-8", []byte(emptyTwiML))
}

// twilioStatus takes the status callbacks of the messages Aduan sent through Twilio.
func (h handlers) twilioStatus(c *gin.Context) {
	form, ok := h.readTwilio(c)
	if !ok {
		return
	}
	st, isStatus := parseTwilioStatus(form)
	if !isStatus {
		respond.Fail(c, http.StatusBadRequest, string(complaints.KindInvalid),
			"Format status Twilio tidak dikenal: MessageSid dan MessageStatus wajib ada.", nil)
		return
	}
	h.takeTwilioStatus(c, st)
}

// takeTwilioStatus keeps a status callback's report (none for the statuses before
// "sent") and answers Twilio.
func (h handlers) takeTwilioStatus(c *gin.Context, st *complaints.DeliveryStatus) {
	if st != nil {
		if err := h.take.TakeStatus(c.Request.Context(), *st); err != nil {
			respond.Error(c, err)
			return
		}
	}
	c.Data(http.StatusOK, "text/xml; charset=utf-8", []byte(emptyTwiML))
}

// readTwilio reads a Twilio webhook's form and checks its signature, answering itself
// when it cannot: 401 while Twilio is not configured or the signature is wrong, 400 for a
// body that is not a form.
func (h handlers) readTwilio(c *gin.Context) (url.Values, bool) {
	if h.cfg.TwilioAuthToken == "" || h.cfg.TwilioPublicURL == "" {
		respond.Fail(c, http.StatusUnauthorized, string(complaints.KindUnauthenticated), "Tanda tangan webhook tidak valid.", nil)
		return nil, false
	}
	body, ok := readRaw(c)
	if !ok {
		return nil, false
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		respond.Fail(c, http.StatusBadRequest, string(complaints.KindInvalid), "Format webhook Twilio tidak dikenal.", nil)
		return nil, false
	}
	// The URL Twilio was given: the public URL, the route (c.FullPath, the registered
	// pattern) and the query string Twilio requested, which the signature covers.
	signed := strings.TrimRight(h.cfg.TwilioPublicURL, "/") + c.FullPath()
	if q := c.Request.URL.RawQuery; q != "" {
		signed += "?" + q
	}
	if !validTwilioSignature(c.GetHeader("X-Twilio-Signature"), h.cfg.TwilioAuthToken, signed, form) {
		respond.Fail(c, http.StatusUnauthorized, string(complaints.KindUnauthenticated), "Tanda tangan webhook tidak valid.", nil)
		return nil, false
	}
	return form, true
}

// validTwilioSignature checks X-Twilio-Signature against the URL Twilio was given and the
// POST parameters, in constant time. Twilio's own validators also accept the URL with
// the scheme's default port added or removed (its signing has varied), and so does this.
// An empty token accepts nothing.
func validTwilioSignature(signature, token, signedURL string, form url.Values) bool {
	if token == "" {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(signature))
	if err != nil || len(got) != sha1.Size {
		return false
	}
	ok := false
	for _, u := range twilioURLVariants(signedURL) {
		// Every variant is computed: the time does not tell which one matched.
		ok = hmac.Equal(got, twilioSignature(token, u, form)) || ok
	}
	return ok
}

// twilioSignature is Twilio's signature of a request to u with the POST parameters form:
// HMAC-SHA1 with the auth token of u followed by each parameter's name and value, by name
// (a name given several values: each distinct value, sorted, as Twilio's Python and
// Node.js validators do).
func twilioSignature(token, u string, form url.Values) []byte {
	names := make([]string, 0, len(form))
	for k := range form {
		names = append(names, k)
	}
	sort.Strings(names)
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(u))
	for _, k := range names {
		vals := append([]string(nil), form[k]...)
		sort.Strings(vals)
		for i, v := range vals {
			if i > 0 && v == vals[i-1] {
				continue
			}
			mac.Write([]byte(k))
			mac.Write([]byte(v))
		}
	}
	return mac.Sum(nil)
}

// twilioURLVariants is u as given and with the scheme's default port added or removed,
// without any user:password@ (which Twilio drops before signing).
func twilioURLVariants(u string) []string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return []string{u}
	}
	p.User = nil
	out := []string{p.String()}
	host, port := p.Hostname(), p.Port()
	def := map[string]string{"https": "443", "http": "80"}[p.Scheme]
	switch {
	case port == "" && def != "":
		q := *p
		q.Host = net.JoinHostPort(host, def)
		out = append(out, q.String())
	case port != "":
		q := *p
		q.Host = host
		if strings.Contains(host, ":") { // IPv6
			q.Host = "[" + host + "]"
		}
		out = append(out, q.String())
	}
	return out
}

// parseTwilioSMS reads an incoming message. A message with media (NumMedia > 0, an MMS)
// keeps its Body as the text: Aduan reads text only, and the media are not fetched.
func parseTwilioSMS(form url.Values) (complaints.InboundMessage, error) {
	sid := firstOf(form, "MessageSid", "SmsMessageSid", "SmsSid")
	from := form.Get("From")
	if sid == "" || from == "" {
		return complaints.InboundMessage{}, errMalformed
	}
	if n, _ := strconv.Atoi(form.Get("NumMedia")); n > 0 {
		slog.Info("twilio message with media: its text is kept, its media are not read", "id", sid, "media", n)
	}
	return complaints.InboundMessage{Channel: "sms", ID: sid, From: from, Type: domain.MessageText, Text: form.Get("Body")}, nil
}

// twilioStatuses maps Twilio's message statuses to the ones Aduan keeps; the others
// (queued, accepted, scheduled, sending, partially_delivered) are steps before an outcome.
var twilioStatuses = map[string]string{
	"sent":        "sent",
	"delivered":   "delivered",
	"read":        "read",
	"undelivered": "failed",
	"failed":      "failed",
	"canceled":    "failed",
}

// parseTwilioStatus reads a status callback: isStatus is false for a form that is not one
// (no MessageStatus, or that of an incoming message); st is nil for a status Aduan does
// not keep.
func parseTwilioStatus(form url.Values) (st *complaints.DeliveryStatus, isStatus bool) {
	status := firstOf(form, "MessageStatus", "SmsStatus")
	sid := firstOf(form, "MessageSid", "SmsMessageSid", "SmsSid")
	if status == "" || status == "received" || status == "receiving" || sid == "" {
		return nil, false
	}
	keep, ok := twilioStatuses[status]
	if !ok {
		return nil, true
	}
	st = &complaints.DeliveryStatus{Channel: "sms", Ref: sid, Status: keep}
	if keep == "failed" {
		st.ErrorCode = form.Get("ErrorCode")
		st.ErrorTitle = form.Get("ErrorMessage")
		if st.ErrorTitle == "" {
			st.ErrorTitle = status
		}
	}
	return st, true
}

// firstOf is the first of the fields that is not empty.
func firstOf(form url.Values, keys ...string) string {
	for _, k := range keys {
		if v := form.Get(k); v != "" {
			return v
		}
	}
	return ""
}

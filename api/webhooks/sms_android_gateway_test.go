package webhooks

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/complaints"
)

const (
	androidKey    = "kunci-penandatangan-ponsel"
	twilioToken   = "twilio-auth-token-uji"
	twilioPublic  = "https://aduan.mamujukab.go.id"
	twilioSMSSID  = "SM0123456789abcdef0123456789abcdef"
	twilioAccount = "AC0123456789abcdef0123456789abcdef"
)

// recorder stands in for the core: it keeps what reaches TakeMessage and TakeStatus, and
// answers with msgErr and statusErr.
type recorder struct {
	mu                sync.Mutex
	msgs              []complaints.InboundMessage
	statuses          []complaints.DeliveryStatus
	msgErr, statusErr error
}

func (r *recorder) TakeMessage(_ context.Context, m complaints.InboundMessage) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	return r.msgErr
}

func (r *recorder) TakeStatus(_ context.Context, st complaints.DeliveryStatus) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statuses = append(r.statuses, st)
	return r.statusErr
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs, r.statuses, r.msgErr, r.statusErr = nil, nil, nil, nil
}

// providerServer is the webhooks with the SMS providers' secrets, over rec.
func providerServer(rec *recorder, cfg Config) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	Register(r, rec, cfg)
	return r
}

func smsProvidersConfig() Config {
	return Config{SMSAndroidSigningKey: androidKey, TwilioAuthToken: twilioToken, TwilioPublicURL: twilioPublic}
}

// signAndroid signs as the app does (https://docs.sms-gate.app/features/webhooks/,
// "Payload Signing"): hex HMAC-SHA256 of the raw body followed by the timestamp.
func signAndroid(key string, body []byte, ts string) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write(body)
	mac.Write([]byte(ts))
	return hex.EncodeToString(mac.Sum(nil))
}

// postAndroid posts body as the phone does, signed with key at time at ("" key: unsigned).
func postAndroid(h http.Handler, key string, body []byte, at time.Time) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, AndroidSMSPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "me.capcom.smsgateway/1.40.0")
	if key != "" {
		ts := strconv.FormatInt(at.Unix(), 10)
		req.Header.Set("X-Timestamp", ts)
		req.Header.Set("X-Signature", signAndroid(key, body, ts))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// The documented payloads (https://docs.sms-gate.app/features/webhooks/, "Step 5").
const (
	androidReceived = `{"deviceId":"ffffffffceb0b1db0000018e937c815b","event":"sms:received","id":"Ey6ECgOkVVFjz3CL48B8C",
 "payload":{"messageId":"abc123","message":"Jalan ke Desa Botteng rusak parah sejak banjir","sender":"+6281234567890",
 "recipient":"+6285399990000","simNumber":1,"receivedAt":"2024-06-22T15:46:11.000+07:00"},"webhookId":"LreFUt-Z3sSq0JufY9uWB"}`
	// An older app: the sender as phoneNumber.
	androidReceivedOld = `{"deviceId":"ffffffffceb0b1db0000018e937c815b","event":"sms:received","id":"Ey6ECgOkVVFjz3CL48B8D",
 "payload":{"messageId":"9f3c1a2b","message":"Air bersih habis","phoneNumber":"081234567890","simNumber":null,
 "receivedAt":"2024-06-22T15:50:00.000+07:00"},"webhookId":"LreFUt-Z3sSq0JufY9uWB"}`
	androidSent = `{"deviceId":"ffffffffceb0b1db0000018e937c815b","event":"sms:sent","id":"Ey6ECgOkVVFjz3CL48B8E",
 "payload":{"messageId":"aduan-0123456789abcdef0123456789abcd","sender":"+6285399990000","recipient":"+6281234567890",
 "simNumber":1,"partsCount":2,"sentAt":"2026-02-18T02:05:00.000+07:00"},"webhookId":"LreFUt-Z3sSq0JufY9uWC"}`
	androidDelivered = `{"deviceId":"ffffffffceb0b1db0000018e937c815b","event":"sms:delivered","id":"Ey6ECgOkVVFjz3CL48B8F",
 "payload":{"messageId":"aduan-0123456789abcdef0123456789abcd","sender":"+6285399990000","recipient":"+6281234567890",
 "simNumber":1,"deliveredAt":"2026-02-18T02:10:00.000+07:00"},"webhookId":"LreFUt-Z3sSq0JufY9uWD"}`
	androidFailed = `{"deviceId":"ffffffffceb0b1db0000018e937c815b","event":"sms:failed","id":"Ey6ECgOkVVFjz3CL48B8G",
 "payload":{"messageId":"aduan-0123456789abcdef0123456789abcd","sender":null,"recipient":"+6281234567890",
 "simNumber":1,"failedAt":"2026-02-18T02:15:00.000+07:00","reason":"RESULT_ERROR_NO_SERVICE"},"webhookId":"LreFUt-Z3sSq0JufY9uWE"}`
	androidPing = `{"deviceId":"ffffffffceb0b1db0000018e937c815b","event":"system:ping","id":"Ey6ECgOkVVFjz3CL48B8H",
 "payload":{"health":{"status":"pass","checks":{}}},"webhookId":"LreFUt-Z3sSq0JufY9uWF"}`
)

func TestAndroidSMSWebhookReceived(t *testing.T) {
	rec := &recorder{}
	h := providerServer(rec, smsProvidersConfig())
	now := time.Now()
	for _, body := range []string{androidReceived, androidReceivedOld} {
		if w := postAndroid(h, androidKey, []byte(body), now); w.Code != http.StatusOK {
			t.Fatalf("signed delivery: %d %s", w.Code, w.Body)
		}
	}
	if len(rec.msgs) != 2 {
		t.Fatalf("routed %+v", rec.msgs)
	}
	m := rec.msgs[0]
	if m.Channel != "sms" || m.ID != "android:abc123@2024-06-22T15:46:11.000+07:00" || m.From != "+6281234567890" ||
		m.Text != "Jalan ke Desa Botteng rusak parah sejak banjir" || m.Type != "text" {
		t.Errorf("routed %+v", m)
	}
	if m := rec.msgs[1]; m.From != "081234567890" || m.ID != "android:9f3c1a2b@2024-06-22T15:50:00.000+07:00" || m.Text != "Air bersih habis" {
		t.Errorf("older payload routed %+v", m)
	}

	// The phone delivers again (its retry after our 503): the same id.
	rec.reset()
	rec.msgErr = errors.New("postgres: connection refused")
	if w := postAndroid(h, androidKey, []byte(androidReceived), now); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("not stored: %d, want 503", w.Code)
	}
	rec.msgErr = nil
	if w := postAndroid(h, androidKey, []byte(androidReceived), now.Add(time.Minute)); w.Code != http.StatusOK {
		t.Fatalf("retry: %d", w.Code)
	}
	if len(rec.msgs) != 2 || rec.msgs[0].ID != rec.msgs[1].ID {
		t.Errorf("retry routed %+v", rec.msgs)
	}
}

func TestAndroidSMSWebhookSignature(t *testing.T) {
	rec := &recorder{}
	h := providerServer(rec, smsProvidersConfig())
	body := []byte(androidReceived)
	now := time.Now()
	send := func(sig, ts string, b []byte) int {
		req := httptest.NewRequest(http.MethodPost, AndroidSMSPath, bytes.NewReader(b))
		if sig != "" {
			req.Header.Set("X-Signature", sig)
		}
		if ts != "" {
			req.Header.Set("X-Timestamp", ts)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	for _, tc := range []struct {
		name    string
		sig, ts string
		body    []byte
		want    int
	}{
		{"unsigned", "", "", body, 401},
		{"no timestamp", signAndroid(androidKey, body, ts), "", body, 401},
		{"another key", signAndroid("kunci-lain", body, ts), ts, body, 401},
		{"body changed", signAndroid(androidKey, body, ts), ts, bytes.Replace(body, []byte("Botteng"), []byte("Bottenk"), 1), 401},
		{"timestamp changed", signAndroid(androidKey, body, ts), strconv.FormatInt(now.Unix()+1, 10), body, 401},
		{"signature of the body alone", signAndroid(androidKey, body, ""), ts, body, 401},
		{"not hex", "zz" + signAndroid(androidKey, body, ts)[2:], ts, body, 401},
		{"timestamp not a number", signAndroid(androidKey, body, "kemarin"), "kemarin", body, 401},
		{"6 minutes old", signAndroid(androidKey, body, strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10)),
			strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10), body, 401},
		{"6 minutes ahead", signAndroid(androidKey, body, strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10)),
			strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10), body, 401},
		{"4 minutes old", signAndroid(androidKey, body, strconv.FormatInt(now.Add(-4*time.Minute).Unix(), 10)),
			strconv.FormatInt(now.Add(-4*time.Minute).Unix(), 10), body, 200},
		{"upper-case hex", strings.ToUpper(signAndroid(androidKey, body, ts)), ts, body, 200},
	} {
		rec.reset()
		if got := send(tc.sig, tc.ts, tc.body); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
		if tc.want != 200 && len(rec.msgs) != 0 {
			t.Errorf("%s: routed %+v", tc.name, rec.msgs)
		}
	}

	// Without its key the webhook is closed, whatever is sent.
	closed := providerServer(rec, Config{})
	if w := postAndroid(closed, androidKey, body, now); w.Code != http.StatusUnauthorized {
		t.Errorf("closed webhook: %d", w.Code)
	}
	if validAndroidSignature(signAndroid("", body, ts), ts, body, "", now) {
		t.Error("an empty key accepted a signature")
	}
}

func TestAndroidSMSWebhookStatuses(t *testing.T) {
	rec := &recorder{}
	h := providerServer(rec, smsProvidersConfig())
	now := time.Now()
	for _, body := range []string{androidSent, androidDelivered, androidFailed, androidPing} {
		if w := postAndroid(h, androidKey, []byte(body), now); w.Code != http.StatusOK {
			t.Fatalf("%.40s: %d %s", body, w.Code, w.Body)
		}
	}
	if len(rec.msgs) != 0 || len(rec.statuses) != 3 {
		t.Fatalf("routed %+v, statuses %+v", rec.msgs, rec.statuses)
	}
	ref := "aduan-0123456789abcdef0123456789abcd"
	wantAt, _ := time.Parse(time.RFC3339, "2026-02-18T02:15:00+07:00")
	for i, want := range []string{"sent", "delivered", "failed"} {
		st := rec.statuses[i]
		if st.Channel != "sms" || st.Ref != ref || st.Status != want || st.At.IsZero() {
			t.Errorf("status %d: %+v", i, st)
		}
	}
	if st := rec.statuses[2]; st.ErrorTitle != "RESULT_ERROR_NO_SERVICE" || !st.At.Equal(wantAt) {
		t.Errorf("failure %+v", st)
	}

	// A report that could not be kept is answered 503, so the phone sends it again.
	rec.reset()
	rec.statusErr = errors.New("postgres: connection refused")
	if w := postAndroid(h, androidKey, []byte(androidDelivered), now); w.Code != http.StatusServiceUnavailable {
		t.Errorf("status not kept: %d, want 503", w.Code)
	}

	// A number sending too many new complaints: 429 with Retry-After.
	rec.reset()
	rec.msgErr = &complaints.Error{Kind: complaints.KindRateLimited, RetryAfter: 30 * time.Second}
	if w := postAndroid(h, androidKey, []byte(androidReceived), now); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "30" {
		t.Errorf("rate limited: %d Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}

	rec.reset()
	for _, body := range []string{`{not json`, `{"event":"sms:received","payload":{"message":"tanpa id","sender":"0812"}}`,
		`{"event":"sms:received","payload":{"messageId":"1","message":"tanpa pengirim"}}`,
		`{"event":"sms:delivered","payload":{}}`, `{"event":"sms:failed"}`, `{"payload":{"messageId":"1"}}`, `[]`} {
		if w := postAndroid(h, androidKey, []byte(body), now); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", body, w.Code)
		}
	}
	if len(rec.msgs)+len(rec.statuses) != 0 {
		t.Errorf("malformed bodies routed %+v %+v", rec.msgs, rec.statuses)
	}
}

func FuzzAndroidSMSWebhook(f *testing.F) {
	for _, s := range []string{androidReceived, androidReceivedOld, androidSent, androidDelivered, androidFailed, androidPing,
		`{"event":"sms:received","payload":null}`, `{"event":"sms:cancelled","payload":{"messageId":"x","cancelledAt":"kemarin"}}`,
		`{"event":1}`, `null`, "\xff\xfe", ``} {
		f.Add([]byte(s))
	}
	rec := &recorder{}
	h := providerServer(rec, smsProvidersConfig())
	f.Fuzz(func(t *testing.T, body []byte) {
		rec.reset()
		w := postAndroid(h, androidKey, body, time.Now())
		if w.Code >= 500 || (w.Code != 200 && w.Code != 400) {
			t.Fatalf("status %d for %q", w.Code, body)
		}
		for _, m := range rec.msgs {
			if m.ID == "" || m.From == "" || m.Channel != "sms" {
				t.Fatalf("routed %+v from %q", m, body)
			}
		}
		for _, st := range rec.statuses {
			if st.Ref == "" || (st.Status != "sent" && st.Status != "delivered" && st.Status != "failed") {
				t.Fatalf("status %+v from %q", st, body)
			}
		}
		if w := postAndroid(h, "", body, time.Now()); w.Code != http.StatusUnauthorized {
			t.Fatalf("unsigned: status %d", w.Code)
		}
	})
}

package webhooks

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"aduan/complaints"
)

const testSecret = "rahasia-uji"

func sign(body []byte) string {
	mac := hmac.New(sha256.New, []byte(testSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// takerFunc stands in for the core's message routing.
type takerFunc func(context.Context, complaints.InboundMessage) error

func (f takerFunc) TakeMessage(ctx context.Context, m complaints.InboundMessage) error {
	return f(ctx, m)
}

func (f takerFunc) TakeStatus(context.Context, complaints.DeliveryStatus) error { return nil }

// webhookServer is the webhooks with their message routing stood in for: no database or
// Temporal is needed to test what reaches the routing.
func webhookServer(take func(complaints.InboundMessage) error) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	Register(r, takerFunc(func(_ context.Context, m complaints.InboundMessage) error { return take(m) }),
		Config{WAAppSecret: testSecret, SMSSecret: testSecret, WAVerifyToken: "verif"})
	return r
}

func post(h http.Handler, path, header string, body []byte, contentType string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	if header != "" {
		req.Header.Set(header, sign(body))
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

const waText = `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
 "messaging_product":"whatsapp","metadata":{"phone_number_id":"99"},
 "contacts":[{"profile":{"name":"Ibu Siti"},"wa_id":"6281234567890"}],
 "messages":[{"from":"6281234567890","id":"wamid.A1","timestamp":"1764200000","type":"text","text":{"body":"Bantuan beras belum sampai"}},
             {"from":"6281234567890","id":"wamid.A2","timestamp":"1764200001","type":"image","image":{"id":"img"}}]}}]}]}`

func TestWhatsAppWebhookParsesAndChecksSignature(t *testing.T) {
	var got []complaints.InboundMessage
	h := webhookServer(func(m complaints.InboundMessage) error { got = append(got, m); return nil })

	if w := post(h, "/webhooks/whatsapp", "", []byte(waText), "application/json"); w.Code != http.StatusUnauthorized {
		t.Fatalf("missing signature: %d", w.Code)
	}
	bad := httptest.NewRequest(http.MethodPost, "/webhooks/whatsapp", strings.NewReader(waText))
	bad.Header.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, bad)
	if w.Code != http.StatusUnauthorized || len(got) != 0 {
		t.Fatalf("bad signature: %d, routed %d", w.Code, len(got))
	}

	if w := post(h, "/webhooks/whatsapp", "X-Hub-Signature-256", []byte(waText), "application/json"); w.Code != http.StatusOK {
		t.Fatalf("signed delivery: %d %s", w.Code, w.Body)
	}
	if len(got) != 2 || got[0].Text != "Bantuan beras belum sampai" || got[0].Name != "Ibu Siti" || got[0].ID != "wamid.A1" ||
		got[1].Type != "image" || got[1].Text != "" {
		t.Fatalf("routed %+v", got)
	}

	status := `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.X","status":"delivered"}]}}]}]}`
	got = nil
	if w := post(h, "/webhooks/whatsapp", "X-Hub-Signature-256", []byte(status), "application/json"); w.Code != http.StatusOK || len(got) != 0 {
		t.Fatalf("status callback: %d, routed %d", w.Code, len(got))
	}
	if w := post(h, "/webhooks/whatsapp", "X-Hub-Signature-256", []byte("{not json"), "application/json"); w.Code != http.StatusBadRequest {
		t.Fatalf("malformed: %d", w.Code)
	}
}

func TestWhatsAppVerificationChallenge(t *testing.T) {
	h := webhookServer(nil)
	for _, tc := range []struct {
		query string
		code  int
		body  string
	}{
		{"hub.mode=subscribe&hub.verify_token=verif&hub.challenge=12345", 200, "12345"},
		{"hub.mode=subscribe&hub.verify_token=salah&hub.challenge=12345", 403, ""},
		{"hub.mode=unsubscribe&hub.verify_token=verif&hub.challenge=12345", 403, ""},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/webhooks/whatsapp?"+tc.query, nil))
		if w.Code != tc.code || (tc.body != "" && w.Body.String() != tc.body) {
			t.Errorf("%s: %d %q", tc.query, w.Code, w.Body)
		}
	}
}

func TestSMSWebhookFormAndJSON(t *testing.T) {
	var got []complaints.InboundMessage
	h := webhookServer(func(m complaints.InboundMessage) error { got = append(got, m); return nil })
	form := []byte("from=%2B6281234567890&text=Air+bersih+habis+di+pengungsian&id=sms-1")
	if w := post(h, "/webhooks/sms", "X-Aduan-Signature", form, "application/x-www-form-urlencoded"); w.Code != 200 {
		t.Fatalf("form: %d %s", w.Code, w.Body)
	}
	js := []byte(`{"from":"081234567890","text":"Tenda bocor 🌧️","id":"sms-2"}`)
	if w := post(h, "/webhooks/sms", "X-Aduan-Signature", js, "application/json"); w.Code != 200 {
		t.Fatalf("json: %d %s", w.Code, w.Body)
	}
	if len(got) != 2 || got[0].From != "+6281234567890" || got[0].Text != "Air bersih habis di pengungsian" ||
		got[1].Text != "Tenda bocor 🌧️" || got[1].Channel != "sms" {
		t.Fatalf("routed %+v", got)
	}
	if w := post(h, "/webhooks/sms", "", js, "application/json"); w.Code != http.StatusUnauthorized {
		t.Fatalf("unsigned: %d", w.Code)
	}
	if w := post(h, "/webhooks/sms", "X-Aduan-Signature", []byte(`{"text":"tanpa pengirim"}`), "application/json"); w.Code != 400 {
		t.Fatalf("no from/id: %d", w.Code)
	}
}

// A webhook without its secret configured refuses everything, even "signed" with "".
func TestWebhookWithoutSecretIsClosed(t *testing.T) {
	if validSignature("sha256=b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad", nil, "") {
		t.Fatal("empty secret accepted a signature")
	}
}

func FuzzWhatsAppWebhook(f *testing.F) {
	f.Add([]byte(waText))
	f.Add([]byte(waEveryKind))
	f.Add([]byte(`{"entry":[{"changes":[{"value":{"messages":[{"from":"1","id":"2","type":"location","location":{"latitude":"x"}}]}}]}]}`))
	f.Add([]byte(`{"entry":[{"changes":[{"value":{"statuses":[{"id":"w","status":"failed","errors":[{"code":"x"}]}]}}]}]}`))
	f.Add([]byte(`{"entry":[{"changes":[{"value":{"messages":[{"from":"1","id":"2","type":"interactive","interactive":{"type":"list_reply"}}]}}]}]}`))
	f.Add([]byte(`{"entry":[{"changes":[{"value":{"messages":[{"from":"1","id":"2","type":"text","text":null}]}}]}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte("\xff\xfe"))
	h := webhookServer(func(m complaints.InboundMessage) error {
		if m.ID == "" || m.From == "" {
			panic("routed a message without id or sender")
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, body []byte) {
		if w := post(h, "/webhooks/whatsapp", "X-Hub-Signature-256", body, "application/json"); w.Code >= 500 {
			t.Fatalf("status %d for %q", w.Code, body)
		}
		if w := post(h, "/webhooks/whatsapp", "", body, "application/json"); w.Code != http.StatusUnauthorized {
			t.Fatalf("unsigned: status %d", w.Code)
		}
	})
}

func FuzzSMSWebhook(f *testing.F) {
	f.Add([]byte("from=0812&text=halo&id=1"), "application/x-www-form-urlencoded")
	f.Add([]byte(`{"from":"0812","text":"halo","id":"1"}`), "application/json")
	f.Add([]byte("%zz"), "")
	f.Add([]byte(`{"from":1}`), "text/plain; charset=\"")
	h := webhookServer(func(complaints.InboundMessage) error { return nil })
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		if w := post(h, "/webhooks/sms", "X-Aduan-Signature", body, contentType); w.Code >= 500 {
			t.Fatalf("status %d for %q (%q)", w.Code, body, contentType)
		}
	})
}

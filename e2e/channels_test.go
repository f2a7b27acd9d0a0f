package e2e

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"aduan/domain"
)

const (
	waSecret  = "wa-app-secret-uji"
	smsSecret = "sms-secret-uji"
)

// channelServer is the API with the providers' secrets configured.
func channelServer(t *testing.T, edit func(*serverDeps)) string {
	t.Helper()
	deps := apiDeps
	deps.Webhooks.WAAppSecret, deps.Webhooks.SMSSecret, deps.Webhooks.WAVerifyToken = waSecret, smsSecret, "verif-uji"
	if edit != nil {
		edit(&deps)
	}
	srv := httptest.NewServer(newRouter(t, deps))
	t.Cleanup(srv.Close)
	return srv.URL
}

func hmacHex(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// postSigned sends a provider's delivery with a real signature and returns the status.
func postSigned(t testing.TB, base, path, header, secret, contentType string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set(header, hmacHex(secret, body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw)
}

func waMessage(from, id, text string) []byte {
	return []byte(fmt.Sprintf(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
"messaging_product":"whatsapp","metadata":{"phone_number_id":"99"},"contacts":[{"profile":{"name":"Warga Uji"},"wa_id":%q}],
"messages":[{"from":%q,"id":%q,"timestamp":"1764200000","type":"text","text":{"body":%q}}]}}]}]}`, from, from, id, text))
}

func sendWA(t testing.TB, base, from, id, text string) int {
	status, body := postSigned(t, base, "/webhooks/whatsapp", "X-Hub-Signature-256", waSecret, "application/json", waMessage(from, id, text))
	if status != http.StatusOK {
		t.Logf("whatsapp webhook: %d %s", status, body)
	}
	return status
}

func sendSMS(t testing.TB, base, from, id, text string) int {
	form := url.Values{"from": {from}, "text": {text}, "id": {id}}.Encode()
	status, body := postSigned(t, base, "/webhooks/sms", "X-Aduan-Signature", smsSecret, "application/x-www-form-urlencoded", []byte(form))
	if status != http.StatusOK {
		t.Logf("sms webhook: %d %s", status, body)
	}
	return status
}

// freshPhone is a fresh Indonesian mobile number in the provider's form (62…).
func freshPhone() string {
	return "62812" + fmt.Sprint(10000000+time.Now().UnixNano()%89999999)
}

// complaintsOf lists the codes of a number's complaints, oldest first.
func complaintsOf(t testing.TB, phone string) []string {
	t.Helper()
	var codes []string
	if err := testDB.Select(&codes, `SELECT code FROM complaints WHERE phone = $1 ORDER BY created_at`, phone); err != nil {
		t.Fatal(err)
	}
	return codes
}

// TestWhatsAppConversation: a new number opens a complaint (acknowledged on WhatsApp through
// the outbox), a repeated delivery changes nothing, a second message is attached, and a
// message while the complaint awaits the complainant's reply is that reply.
func TestWhatsAppConversation(t *testing.T) {
	t.Parallel()
	base := channelServer(t, nil)
	phone := freshPhone()
	if st := sendWA(t, base, phone, "wamid."+randomHex(6), "Bantuan beras belum sampai ke dusun kami sejak gempa"); st != 200 {
		t.Fatalf("first message: %d", st)
	}
	codes := complaintsOf(t, phone)
	if len(codes) != 1 {
		t.Fatalf("complaints for the number: %v", codes)
	}
	code := codes[0]
	v := view(t, "admin", code)
	if v.Channel != "whatsapp" || v.Phone != phone || v.Name != "Warga Uji" || v.Status != "received" {
		t.Errorf("opened complaint %+v", v)
	}
	// The acknowledgement goes back on WhatsApp through the outbox.
	var ack struct {
		Channel string `db:"channel"`
		Sent    bool   `db:"sent"`
	}
	if !eventually(10*time.Second, func() bool {
		return testDB.Get(&ack, `SELECT channel, sent_at IS NOT NULL AS sent FROM notifications WHERE code = $1 AND kind = 'ack'`, code) == nil && ack.Sent
	}) {
		t.Fatalf("no acknowledgement delivered for %s: %+v", code, ack)
	}
	if ack.Channel != "whatsapp" {
		t.Errorf("acknowledgement on %s, want whatsapp", ack.Channel)
	}

	// The same delivery again, and a second message: still one complaint, one message.
	dup := "wamid." + randomHex(6)
	sendWA(t, base, phone, dup, "Tambahan: ada 40 kepala keluarga di dusun ini")
	sendWA(t, base, phone, dup, "Tambahan: ada 40 kepala keluarga di dusun ini")
	if codes := complaintsOf(t, phone); len(codes) != 1 {
		t.Fatalf("a later message opened another complaint: %v", codes)
	}
	v = view(t, "admin", code)
	if len(v.Messages) != 1 || v.Messages[0].Text != "Tambahan: ada 40 kepala keluarga di dusun ini" || v.Messages[0].Channel != "whatsapp" {
		t.Fatalf("messages %+v, want the one attached message", v.Messages)
	}
	if v.Status != "received" {
		t.Errorf("an attached message changed the status to %s", v.Status)
	}

	// The admin asks; the WhatsApp reply answers.
	step(t, "admin", code, "request_info", map[string]any{"question": "Dusun mana tepatnya?"}, domain.StatusAwaitingInfo)
	// The question goes out on WhatsApp. (Waited for before the reply: a question the
	// complainant answered before it went out is not sent at all.)
	var asked int
	if !eventually(30*time.Second, func() bool {
		_ = testDB.Get(&asked, `SELECT count(*) FROM notifications WHERE code = $1 AND kind = 'question' AND channel = 'whatsapp'`, code)
		return asked == 1
	}) {
		var all []struct {
			Kind    string `db:"kind"`
			Channel string `db:"channel"`
		}
		_ = testDB.Select(&all, `SELECT kind, channel FROM notifications WHERE code = $1 ORDER BY id`, code)
		t.Errorf("question notifications on whatsapp: %d, want 1; all: %+v", asked, all)
	}
	reply := "wamid." + randomHex(6)
	if st := sendWA(t, base, phone, reply, "Dusun Salupangkang, Desa Botteng"); st != 200 {
		t.Fatalf("reply: %d", st)
	}
	v = view(t, "admin", code)
	if v.Status != "received" || v.last().Action != "info" || v.lastMessage().Text != "Dusun Salupangkang, Desa Botteng" {
		t.Fatalf("after the WhatsApp reply: %s, last event %+v, last message %+v", v.Status, v.last(), v.lastMessage())
	}
	// The provider delivers the reply again: nothing more happens.
	n := len(v.Events)
	sendWA(t, base, phone, reply, "Dusun Salupangkang, Desa Botteng")
	if again := view(t, "admin", code); len(again.Events) != n || len(again.Messages) != len(v.Messages) {
		t.Errorf("a repeated reply was recorded again: %d→%d events", n, len(again.Events))
	}
}

// TestSMSIntakeAndDuplicates: the SMS gateway's form posts follow the same rules.
func TestSMSIntakeAndDuplicates(t *testing.T) {
	t.Parallel()
	base := channelServer(t, nil)
	local := "0813" + fmt.Sprint(10000000+time.Now().UnixNano()%89999999)
	id := "sms-" + randomHex(6)
	for i := 0; i < 3; i++ { // the gateway retries
		if st := sendSMS(t, base, local, id, "Air bersih di pengungsian Kalukku habis sejak kemarin"); st != 200 {
			t.Fatalf("sms delivery %d: %d", i, st)
		}
	}
	phone := domain.NormalizePhone(local)
	codes := complaintsOf(t, phone)
	if len(codes) != 1 {
		t.Fatalf("complaints for %s: %v, want exactly one", phone, codes)
	}
	if v := view(t, "admin", codes[0]); v.Channel != "sms" || v.Text != "Air bersih di pengungsian Kalukku habis sejak kemarin" {
		t.Errorf("sms complaint %+v", v)
	}
	// A message too short to be a complaint opens none.
	other := freshPhone()
	sendSMS(t, base, other, "sms-"+randomHex(6), "Halo")
	if codes := complaintsOf(t, other); len(codes) != 0 {
		t.Errorf("\"Halo\" opened %v", codes)
	}
}

// TestProviderCallbacksAcknowledged: a status callback is answered 200 and creates
// nothing; a picture alone opens a complaint marked for a look; a bad signature is refused.
func TestProviderCallbacksAcknowledged(t *testing.T) {
	t.Parallel()
	base := channelServer(t, nil)
	phone := freshPhone()
	statusBody := []byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.S","status":"read","recipient_id":"` + phone + `"}]}}]}]}`)
	if st, body := postSigned(t, base, "/webhooks/whatsapp", "X-Hub-Signature-256", waSecret, "application/json", statusBody); st != 200 {
		t.Fatalf("status callback: %d %s", st, body)
	}
	if codes := complaintsOf(t, phone); len(codes) != 0 {
		t.Errorf("a status callback created %v", codes)
	}
	// A picture without a caption is a complaint from someone who did not type: opened,
	// and marked for a look.
	image := []byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"` + phone + `","id":"wamid.I` + randomHex(4) + `","type":"image","image":{"id":"x","mime_type":"image/jpeg"}}]}}]}]}`)
	if st, _ := postSigned(t, base, "/webhooks/whatsapp", "X-Hub-Signature-256", waSecret, "application/json", image); st != 200 {
		t.Fatalf("image: %d", st)
	}
	if codes := complaintsOf(t, phone); len(codes) != 1 || !view(t, "admin", codes[0]).NeedsReview {
		t.Errorf("a picture alone opened %v, want one complaint needing a look", codes)
	}
	if st, _ := postSigned(t, base, "/webhooks/whatsapp", "X-Hub-Signature-256", "wrong-secret", "application/json", waMessage(phone, "wamid.Z", "Pesan dengan tanda tangan palsu")); st != http.StatusUnauthorized {
		t.Errorf("forged signature: %d", st)
	}
	// Verification challenge.
	r := doAt(t, base, "GET", "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verif-uji&hub.challenge=4242", "", nil, nil)
	if r.Status != 200 || string(r.Raw) != "4242" {
		t.Errorf("challenge: %s", r)
	}
}

// TestPhoneRateLimit: one number cannot open complaints without limit (429 + Retry-After).
func TestPhoneRateLimit(t *testing.T) {
	t.Parallel()
	base := channelServer(t, func(d *serverDeps) { d.PhonePerMinute, d.PhoneBurst = 0.01, 1 })
	phone := "0852" + fmt.Sprint(10000000+time.Now().UnixNano()%89999999)
	body := map[string]any{"text": uniqueText(t), "phone": phone}
	if r := doAt(t, base, "POST", "/api/v1/complaints", "", body, nil); r.Status != http.StatusCreated {
		t.Fatalf("first: %s", r)
	}
	body["text"] = uniqueText(t)
	r := doAt(t, base, "POST", "/api/v1/complaints", "", body, nil)
	wantError(t, r, http.StatusTooManyRequests, "rate_limited")
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

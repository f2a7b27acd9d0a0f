package bench

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// The three doors a complaint comes in by: the web form's JSON API, the WhatsApp Business
// Cloud API's webhook and the SMS gateway's, each signed with the secret the stack gave
// its API (as the providers sign theirs). A request is built, body and signature, before
// it is timed, so the load generator does no JSON or HMAC work inside a measurement.

// Channel is one of the doors.
type Channel string

// The channels, in the order a mixed load takes them.
const (
	Web      Channel = "web"
	WhatsApp Channel = "whatsapp"
	SMS      Channel = "sms"
)

// Channels are the channels of a mixed intake.
var Channels = []Channel{Web, WhatsApp, SMS}

// request is one prepared HTTP request: its path (the host is chosen when it is sent),
// headers and body, and the status that means it was taken.
type request struct {
	channel Channel
	path    string
	header  http.Header
	body    []byte
	want    int
	// tag is what makes its text unique ("darurat-1a2b 17"), for counting it in PostgreSQL.
	tag string
}

// message is what a citizen sends: from a number, a text.
type message struct {
	channel Channel
	phone   string // as the provider writes it (62… for WhatsApp, 08… for SMS)
	name    string
	id      string // the provider's message id ("" on the web)
	text    string
	tag     string
}

// newMessage is a fresh complaint over ch, its text carrying tag, from a number no other
// message of this process uses.
func newMessage(ch Channel, tag string) message {
	n := seq.Add(1)
	m := message{channel: ch, name: fmt.Sprintf("Warga Bench %d", n), tag: tag,
		text: fmt.Sprintf("%s (%s)", complaintTexts[int(n)%len(complaintTexts)], tag)}
	switch ch {
	case WhatsApp:
		m.phone = fmt.Sprintf("62812%08d", n%100_000_000)
		m.id = fmt.Sprintf("wamid.bench%s%d", randomHex(3), n)
	case SMS:
		m.phone = fmt.Sprintf("0813%08d", n%100_000_000)
		m.id = fmt.Sprintf("sms-bench-%s-%d", randomHex(3), n)
	default:
		m.phone = fmt.Sprintf("+62 812 %04d %04d", (n/10000)%10000, n%10000)
	}
	return m
}

// followUp is a second message from the same number (attached to the complaint its first
// opened, once that is taken).
func (m message) followUp(tag string) message {
	f := m
	f.tag = tag
	f.text = fmt.Sprintf("Tambahan: sudah tiga hari kami menunggu, mohon segera (%s)", tag)
	f.id = m.id + "-2"
	return f
}

// complaintTexts are what people write after a disaster (every one names banjir, the
// word the search figure looks for).
var complaintTexts = []string{
	"Bantuan beras untuk korban banjir belum tiba di dusun kami. Mohon segera dicek.",
	"Air bersih di pengungsian korban banjir habis sejak kemarin, anak-anak mulai sakit.",
	"Rumah kami terendam banjir dan belum ada petugas yang datang mendata.",
	"Jalan ke desa kami putus karena banjir, truk bantuan tidak bisa masuk.",
	"Posko banjir di balai desa kekurangan selimut dan tikar untuk lansia.",
	"Obat-obatan untuk pengungsi banjir di sekolah dasar sudah habis.",
}

// request builds the message's delivery on its channel, signed with the stack's secrets.
func (s *Stack) request(m message) request {
	switch m.channel {
	case WhatsApp:
		body := waBody(m)
		return request{channel: m.channel, path: "/webhooks/whatsapp", body: body, want: http.StatusOK, tag: m.tag,
			header: http.Header{"Content-Type": {"application/json"}, "X-Hub-Signature-256": {sign(s.WASecret, body)}}}
	case SMS:
		body := []byte(url.Values{"from": {m.phone}, "text": {m.text}, "id": {m.id}}.Encode())
		return request{channel: m.channel, path: "/webhooks/sms", body: body, want: http.StatusOK, tag: m.tag,
			header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Aduan-Signature": {sign(s.SMSSecret, body)}}}
	default:
		body, _ := json.Marshal(map[string]any{"text": m.text, "name": m.name, "phone": m.phone})
		return request{channel: Web, path: "/api/v1/complaints", body: body, want: http.StatusCreated, tag: m.tag,
			header: http.Header{"Content-Type": {"application/json"}}}
	}
}

// waBody is the WhatsApp Cloud API's delivery of one text message.
func waBody(m message) []byte {
	return fmt.Appendf(nil, `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{`+
		`"messaging_product":"whatsapp","metadata":{"phone_number_id":"99"},"contacts":[{"profile":{"name":%q},"wa_id":%q}],`+
		`"messages":[{"from":%q,"id":%q,"timestamp":"1764200000","type":"text","text":{"body":%q}}]}}]}]}`,
		m.name, m.phone, m.phone, m.id, m.text)
}

// sign is the providers' signature header: sha256=<hex HMAC-SHA256 of the body>.
func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// send delivers a prepared request to base and returns the answer's body; a status other
// than the request's want is an error.
func send(ctx context.Context, hc *http.Client, base string, r request) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+r.path, bytes.NewReader(r.body))
	if err != nil {
		return nil, err
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != r.want {
		if len(raw) > 300 {
			raw = raw[:300]
		}
		return raw, fmt.Errorf("POST %s: status %d, want %d: %s", r.path, resp.StatusCode, r.want, strings.TrimSpace(string(raw)))
	}
	return raw, nil
}

// mixedRequests prepares n fresh complaints, taking the channels in turn.
func (s *Stack) mixedRequests(n int, tag string) []request {
	out := make([]request, n)
	for i := range out {
		out[i] = s.request(newMessage(Channels[i%len(Channels)], fmt.Sprintf("%s %d", tag, i)))
	}
	return out
}

package e2e

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"aduan/activities"
	"aduan/domain"
	"aduan/notify"
	"aduan/store"
)

func startProviders(t *testing.T) *fakeProviders {
	t.Helper()
	f := newFakeProviders()
	t.Cleanup(f.srv.Close)
	return f
}

func complainantRowOf(t testing.TB, key string) store.Notification {
	t.Helper()
	var rows []store.Notification
	if err := testDB.SelectContext(context.Background(), &rows, `SELECT id, dedupe_key, code, kind, recipient, channel,
			address, template, text, due_at, created_at, sent_at, attempts, last_error, sent_via, provider_ref
		FROM notifications WHERE starts_with(dedupe_key, $1) ORDER BY id`, key+"/"); err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	if len(rows) != 1 || rows[0].Recipient != store.ComplainantRecipient {
		t.Fatalf("outbox of %s: %+v, want one row for the complainant", key, rows)
	}
	return rows[0]
}

// uniquePhone is a mobile number no other test uses (a webhook test looking up the open
// complaint of a number must not find ours).
func uniquePhone() string {
	return fmt.Sprintf("62812%08d", time.Now().UnixNano()%100000000)
}

// asChannel makes a web complaint one that came by WhatsApp or SMS from phone, its number
// confirmed by the message as intake would (intake over those channels is tested with
// their webhooks).
func asChannel(t testing.TB, code, channel, phone string) {
	t.Helper()
	if _, err := testDB.ExecContext(context.Background(), `UPDATE complaints SET channel = $2, phone = $3,
			phone_confirmed_by = $4 WHERE code = $1`,
		code, channel, phone, domain.PhoneConfirmation(channel, "")); err != nil {
		t.Fatal(err)
	}
}

// TestNotifyChannels runs the Notify activity with the real WhatsApp and SMS senders
// (built by notify.NewSenders, as the worker builds them, with the configuration's
// defaults for the WhatsApp template) against a local stand-in for the providers: the
// complainant hears back on the channel they used, as free-form WhatsApp text within 24
// hours of their last message and as the approved template after, and every row records
// how it went.
func TestNotifyChannels(t *testing.T) {
	ctx := context.Background()
	p := startProviders(t)
	senders := notify.NewSenders(notify.Settings{
		WhatsApp: notify.WhatsAppConfig{APIBase: p.srv.URL + "/wa/v21.0", PhoneNumberID: e2eWAPhoneID, Token: e2eWAToken},
		SMS:      notify.SMSConfig{URL: p.srv.URL + "/sms/send", APIKey: e2eSMSKey},
	}, testDB.LastInbound)
	n := &activities.Notifier{DB: testDB, Senders: senders, BaseURL: "http://test"}
	notifyOnce := func(code, what string, kind domain.NotifyKind, status domain.Status, deadline *time.Time) store.Notification {
		t.Helper()
		key := notifyKey(t, code, what)
		if err := runNotify(t, n, domain.NotifyRequest{Key: key, Code: code, Kind: kind, Status: status,
			Deadline: deadline, Due: time.Now()}); err != nil {
			t.Fatalf("%s of %s: %v", what, code, err)
		}
		r := complainantRowOf(t, key)
		for user := range roleOf {
			if strings.Contains(r.Text, user) {
				t.Errorf("%s: complainant text names staff user %q: %q", what, user, r.Text)
			}
		}
		return r
	}
	sent := func(what string, r store.Notification, channel, via, ref string) {
		t.Helper()
		if r.Channel != channel || r.SentAt == nil || r.Attempts != 1 || r.LastError.Valid || r.SentVia.String != via ||
			r.ProviderRef.String != ref {
			t.Errorf("%s: row channel %s sent_at %v attempts %d last_error %q sent_via %q provider_ref %q; want %s, sent on "+
				"the first attempt via %q with ref %q", what, r.Channel, r.SentAt, r.Attempts, r.LastError.String,
				r.SentVia.String, r.ProviderRef.String, channel, via, ref)
		}
	}

	// A WhatsApp complaint, just in: the acknowledgement goes as free-form text.
	waPhone := uniquePhone()
	wa := submitBody(t, map[string]any{"text": uniqueText(t), "name": "Siti Rahmawati", "phone": "0812 0000 0000",
		"kecamatan": "simboro", "desa": "botteng"}, nil)
	asChannel(t, wa, "whatsapp", waPhone)
	at, ok, err := testDB.LastInbound(ctx, wa)
	if err != nil || !ok || time.Since(at) > time.Minute {
		t.Fatalf("LastInbound of a new WhatsApp complaint: %v %v %v, want its intake", at, ok, err)
	}
	ack := notifyOnce(wa, "ack", domain.NotifyAck, domain.StatusReceived, nil)
	calls := p.calls()
	if len(calls) != 1 {
		t.Fatalf("provider calls %+v, want one", calls)
	}
	c := calls[0]
	if c.Path != "/wa/v21.0/"+e2eWAPhoneID+"/messages" || c.Authorization != "Bearer "+e2eWAToken ||
		c.Body["type"] != "text" || c.Body["to"] != waPhone || c.Body["messaging_product"] != "whatsapp" {
		t.Errorf("ack request %+v", c)
	}
	text, _ := c.Body["text"].(map[string]any)
	body, _ := text["body"].(string)
	if body != ack.Text || !strings.Contains(body, "Terima kasih, aduan Anda sudah kami terima dengan kode "+wa) ||
		!strings.Contains(body, "http://test/lacak/"+wa) || !strings.Contains(body, "balas pesan ini") {
		t.Errorf("ack text %q (row %q)", body, ack.Text)
	}
	if ack.Template != "ack.pelapor" || ack.Address.String != waPhone {
		t.Errorf("ack row template %s address %q", ack.Template, ack.Address.String)
	}
	sent("ack", ack, notify.ChannelWhatsApp, "whatsapp:text", c.Ref)

	// It is answered and published; two days have passed since the complainant last
	// wrote, so the answer goes as the approved template.
	triage(t, wa, "logistik", "bantuan_logistik")
	step(t, "pokja-logistik", wa, "answer", map[string]any{"answer": "Beras dikirim ulang hari Jumat."}, domain.StatusReadyToPublish)
	const title, answer = "Distribusi beras di Botteng", "Distribusi beras dijadwalkan ulang hari Jumat di balai desa Botteng."
	step(t, "admin", wa, "publish", map[string]any{"public_title": title, "public_answer": answer}, domain.StatusPublished)
	if _, err := testDB.ExecContext(ctx, `UPDATE complaints SET created_at = created_at - interval '2 days' WHERE code = $1`, wa); err != nil {
		t.Fatal(err)
	}
	if _, err := testDB.ExecContext(ctx, `DELETE FROM complaint_messages WHERE code = $1`, wa); err != nil {
		t.Fatal(err)
	}
	if at, ok, err := testDB.LastInbound(ctx, wa); err != nil || !ok || time.Since(at) < 47*time.Hour {
		t.Fatalf("LastInbound two days on: %v %v %v", at, ok, err)
	}
	before := len(p.calls())
	ans := notifyOnce(wa, "answer", domain.NotifyAnswer, domain.StatusPublished, nil)
	calls = p.calls()[before:]
	if len(calls) != 1 {
		t.Fatalf("provider calls %+v, want one", calls)
	}
	c = calls[0]
	tpl, _ := c.Body["template"].(map[string]any)
	lang, _ := tpl["language"].(map[string]any)
	if c.Path != "/wa/v21.0/"+e2eWAPhoneID+"/messages" || c.Authorization != "Bearer "+e2eWAToken ||
		c.Body["type"] != "template" || c.Body["to"] != waPhone || tpl["name"] != "aduan_pembaruan" || lang["code"] != "id" {
		t.Errorf("answer request %+v", c)
	}
	raw, _ := json.Marshal(tpl["components"])
	var comps []struct {
		Type       string `json:"type"`
		Parameters []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"parameters"`
	}
	_ = json.Unmarshal(raw, &comps)
	if len(comps) != 1 || comps[0].Type != "body" || len(comps[0].Parameters) != 1 {
		t.Fatalf("template components %s", raw)
	}
	param := comps[0].Parameters[0].Text
	if param != notify.TemplateParam(ans.Text, 900) || !strings.Contains(param, title+" "+answer) ||
		!strings.Contains(param, "http://test/lacak/"+wa) || strings.Contains(param, "\n") {
		t.Errorf("template parameter %q (row %q)", param, ans.Text)
	}
	if ans.Template != "answer.pelapor" {
		t.Errorf("answer row template %s", ans.Template)
	}
	sent("answer", ans, notify.ChannelWhatsApp, "whatsapp:template:aduan_pembaruan", c.Ref)

	// What reopens the window: a message that came through WhatsApp, not one typed on
	// the web.
	if _, err := testDB.ExecContext(ctx, `INSERT INTO complaint_messages (code, channel, text) VALUES ($1, 'whatsapp', 'lewat web')`, wa); err != nil {
		t.Fatal(err)
	}
	if at, _, _ := testDB.LastInbound(ctx, wa); time.Since(at) < 47*time.Hour {
		t.Errorf("a message without a provider id reopened the window: %v", at)
	}
	if _, err := testDB.ExecContext(ctx, `INSERT INTO complaint_messages (code, channel, text, provider_id)
		VALUES ($1, 'whatsapp', 'Terima kasih', $2)`, wa, "whatsapp:wamid.in-"+randomHex(4)); err != nil {
		t.Fatal(err)
	}
	if at, ok, err := testDB.LastInbound(ctx, wa); err != nil || !ok || time.Since(at) > time.Minute {
		t.Errorf("LastInbound after a WhatsApp message: %v %v %v, want now", at, ok, err)
	}
	if _, ok, err := testDB.LastInbound(ctx, submit(t, uniqueText(t))); ok || err != nil {
		t.Errorf("LastInbound of a web complaint: %v %v, want none", ok, err)
	}

	// An SMS complaint: the admin's question reaches the gateway.
	smsPhone := uniquePhone()
	sms := submitBody(t, map[string]any{"text": uniqueText(t), "phone": "0812 0000 0001", "kecamatan": "simboro"}, nil)
	asChannel(t, sms, "sms", smsPhone)
	const question = "Di dusun mana tepatnya beras belum sampai?"
	v := step(t, "admin", sms, "request_info", map[string]any{"question": question}, domain.StatusAwaitingInfo)
	before = len(p.calls())
	q := notifyOnce(sms, "question", domain.NotifyQuestion, domain.StatusAwaitingInfo, v.Deadline)
	calls = p.calls()[before:]
	if len(calls) != 1 {
		t.Fatalf("provider calls %+v, want one", calls)
	}
	c = calls[0]
	smsText, _ := c.Body["text"].(string)
	if c.Path != "/sms/send" || c.Authorization != "Bearer "+e2eSMSKey || c.Body["to"] != smsPhone ||
		c.Body["reference"] != q.DedupeKey || len(c.Body) != 3 {
		t.Errorf("sms request %+v", c)
	}
	if smsText != q.Text || !strings.Contains(smsText, ":\n"+question+"\n") || !strings.Contains(smsText, "balas pesan ini") ||
		!strings.Contains(smsText, "WITA") || !strings.HasSuffix(smsText, "http://test/lacak/"+sms) {
		t.Errorf("sms text %q (row %q)", smsText, q.Text)
	}
	if q.Template != "question.pelapor" || q.Address.String != smsPhone {
		t.Errorf("question row template %s address %q", q.Template, q.Address.String)
	}
	sent("question", q, notify.ChannelSMS, "sms", c.Ref)

	// A number no provider can take (not a mobile number): nothing is tried on it, and
	// the row says the message went nowhere (domain.RouteToComplainant).
	bad := submitBody(t, map[string]any{"text": uniqueText(t), "phone": "0812 0000 0002", "kecamatan": "simboro"}, nil)
	asChannel(t, bad, "sms", "12")
	before = len(p.calls())
	r := notifyOnce(bad, "ack", domain.NotifyAck, domain.StatusReceived, nil)
	if r.Channel != notify.ChannelLog || r.SentVia.String != "log" || r.Address.Valid || len(p.calls()) != before {
		t.Errorf("unusable number: channel %s sent_via %q address %v, %d provider calls",
			r.Channel, r.SentVia.String, r.Address, len(p.calls())-before)
	}
	// The sender still refuses such a number itself, should it get one.
	if _, err := senders.Deliver(ctx, notify.Notification{ID: -1, Channel: notify.ChannelSMS, Address: "12", Text: "x"}); !notify.IsPermanent(err) {
		t.Errorf("sending an SMS to %q: %v, want a permanent refusal", "12", err)
	}

	// Without a WhatsApp sender the log stands in: the row is done, but says it went to
	// the log, not to the complainant.
	logOnly := &activities.Notifier{DB: testDB, Senders: notify.Senders{notify.ChannelLog: notify.LogSender{}}, BaseURL: "http://test"}
	stood := submitBody(t, map[string]any{"text": uniqueText(t), "phone": "0812 0000 0003", "kecamatan": "simboro"}, nil)
	asChannel(t, stood, "whatsapp", uniquePhone())
	key := notifyKey(t, stood, "ack")
	before = len(p.calls())
	if err := runNotify(t, logOnly, domain.NotifyRequest{Key: key, Code: stood, Kind: domain.NotifyAck,
		Status: domain.StatusReceived, Due: time.Now()}); err != nil {
		t.Fatal(err)
	}
	r = complainantRowOf(t, key)
	if r.Channel != notify.ChannelWhatsApp || r.SentAt == nil || r.SentVia != (sql.NullString{String: "log", Valid: true}) ||
		r.ProviderRef.Valid || len(p.calls()) != before {
		t.Errorf("log stand-in: channel %s sent_at %v sent_via %v provider_ref %v, %d provider calls",
			r.Channel, r.SentAt, r.SentVia, r.ProviderRef, len(p.calls())-before)
	}
}

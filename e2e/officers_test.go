package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"aduan/accounts"
	"aduan/activities"
	"aduan/domain"
	"aduan/notify"
	"aduan/store"
)

// Officers are reminded where they read, and nothing but what cannot wait goes out at
// night (issue 13, items 4 and 5).

// smtpStandIn is a local mail server that keeps every message it is given.
type smtpStandIn struct {
	addr string
	mu   sync.Mutex
	mail []*mail.Message
	body []string
}

func startSMTP(t *testing.T) *smtpStandIn {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpStandIn{addr: ln.Addr().String()}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	return s
}

func (s *smtpStandIn) serve(conn net.Conn) {
	defer conn.Close()
	tp := textproto.NewConn(conn)
	reply := func(line string) { _ = tp.PrintfLine("%s", line) }
	reply("220 uji.test ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		switch strings.ToUpper(strings.SplitN(line, " ", 2)[0]) {
		case "EHLO", "HELO":
			reply("250-uji.test")
			reply("250 8BITMIME")
		case "MAIL", "RCPT", "RSET", "NOOP":
			reply("250 ok")
		case "DATA":
			reply("354 go ahead")
			raw, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
				body, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
				s.mu.Lock()
				s.mail, s.body = append(s.mail, m), append(s.body, string(body))
				s.mu.Unlock()
			}
			reply("250 queued")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

// received is what arrived so far: each message's To, decoded Subject and body.
func (s *smtpStandIn) received() (to, subject, body []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, m := range s.mail {
		subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		to, subject, body = append(to, m.Header.Get("To")), append(subject, subj), append(body, s.body[i])
	}
	return to, subject, body
}

// templateCall is a WhatsApp template request as the stand-in saw it: its template's name
// and its one body parameter.
func templateCall(t *testing.T, c providerCall) (name, param string) {
	t.Helper()
	if c.Body["type"] != "template" {
		t.Errorf("WhatsApp to an officer is not the template: %+v", c.Body)
		return "", ""
	}
	raw, _ := json.Marshal(c.Body["template"])
	var tpl struct {
		Name       string `json:"name"`
		Components []struct {
			Parameters []struct {
				Text string `json:"text"`
			} `json:"parameters"`
		} `json:"components"`
	}
	_ = json.Unmarshal(raw, &tpl)
	if len(tpl.Components) != 1 || len(tpl.Components[0].Parameters) != 1 {
		t.Errorf("template %s", raw)
		return tpl.Name, ""
	}
	return tpl.Name, tpl.Components[0].Parameters[0].Text
}

// TestOfficersReminded: in a database of its own (its staff's channels touch no other
// test), the Notify activity with the real senders, against local stand-ins for the
// WhatsApp Cloud API and an SMTP server, and a clock the test turns: the pokja member who
// chose WhatsApp gets the reminder and the escalation as the approved template; the
// supervisor who chose e-mail gets them by SMTP; the head of office on the console only
// gets a row and nothing sent; the pokja member who wants a digest gets their reminders as
// one message the next morning; a reminder due at night waits for 08:00 WITA and goes
// then, while an urgent complaint's escalation goes at once.
func TestOfficersReminded(t *testing.T) {
	ctx := context.Background()
	db, _ := freshDatabase(t)
	p := startProviders(t)
	smtpSrv := startSMTP(t)
	clock := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC) // Tuesday 10:00 WITA
	n := &activities.Notifier{DB: db, BaseURL: "http://test", QuietHours: true, Now: func() time.Time { return clock },
		Senders: notify.NewSenders(notify.Settings{
			WhatsApp: notify.WhatsAppConfig{APIBase: p.srv.URL + "/wa/v21.0", PhoneNumberID: e2eWAPhoneID, Token: e2eWAToken},
			SMS:      notify.SMSConfig{URL: p.srv.URL + "/sms/send", APIKey: e2eSMSKey},
			SMTP:     notify.SMTPConfig{Addr: smtpSrv.addr, From: "Aduan Mamuju <aduan@mamujukab.go.id>", Timeout: 5 * time.Second},
		}, db.LastInbound)}
	const pokjaPhone, digestPhone, supervisorMail = "6281299990001", "6281299990002", "supervisor@mamujukab.go.id"
	for user, ch := range map[string]store.StaffChannels{
		"pokja-logistik": {Channel: "whatsapp", Phone: pokjaPhone},
		"pokja-hunian":   {Channel: "whatsapp", Phone: digestPhone, Digest: true},
		"supervisor":     {Channel: "email", Email: supervisorMail},
		"kepala-dinas":   {Channel: "console", Email: "kadis@mamujukab.go.id"},
	} {
		if err := db.SetStaffChannels(ctx, user, ch); err != nil {
			t.Fatal(err)
		}
	}
	newComplaint := func(code, status, pokja, partner, priority string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, `INSERT INTO complaints (code, channel, text, created_at, status, updated_at, pokja, partner,
				priority, title) VALUES ($1, 'web', 'Bantuan beras belum sampai', now(), $2, now(), $3, nullif($4, ''), $5, 'Beras')`,
			code, status, pokja, partner, priority); err != nil {
			t.Fatal(err)
		}
	}
	newComplaint("ADU-OFCR-0001", "at_partner", "logistik", "ypii", "high")
	newComplaint("ADU-OFCR-0002", "at_pokja", "logistik", "", "urgent")
	newComplaint("ADU-OFCR-0003", "at_pokja", "hunian", "", "normal")
	newComplaint("ADU-OFCR-0004", "at_pokja", "hunian", "", "normal")
	run := func(at time.Time, key, code string, kind domain.NotifyKind, status domain.Status, pokja, partner string) {
		t.Helper()
		clock = at
		if err := runNotify(t, n, domain.NotifyRequest{Key: key, Code: code, Kind: kind, Status: status, Pokja: pokja,
			Partner: partner, Due: at}); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
	}
	rowOf := func(key, recipient string) store.Notification {
		t.Helper()
		rows, err := db.NotificationsOf(ctx, key+"/")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Recipient == recipient {
				return r
			}
		}
		t.Fatalf("no row for %s under %s", recipient, key)
		return store.Notification{}
	}
	tuesday10 := clock

	// The reminder: to the pokja member on WhatsApp, as the approved template.
	run(tuesday10, "ofc/r1", "ADU-OFCR-0001", domain.NotifyReminder, domain.StatusAtPokja, "logistik", "")
	calls := p.callsTo(pokjaPhone)
	if len(calls) != 1 {
		t.Fatalf("WhatsApp calls to the pokja member: %+v", calls)
	}
	if name, param := templateCall(t, calls[0]); name != "aduan_pembaruan" ||
		!strings.HasPrefix(param, "Pengingat: aduan ADU-OFCR-0001") || !strings.Contains(param, "http://test/staf/aduan/ADU-OFCR-0001") {
		t.Errorf("reminder template %s %q", name, param)
	}
	if r := rowOf("ofc/r1", "pokja-logistik"); r.Channel != "whatsapp" || r.SentVia.String != "whatsapp:template:aduan_pembaruan" ||
		r.ProviderRef.String != calls[0].Ref || r.Address.String != pokjaPhone {
		t.Errorf("reminder row: channel %s sent_via %q ref %q", r.Channel, r.SentVia.String, r.ProviderRef.String)
	}

	// The escalation of a partner's late answer: the supervisor by e-mail, the pokja
	// member on WhatsApp (the template again), the head of office's console row unsent.
	run(tuesday10, "ofc/e1", "ADU-OFCR-0001", domain.NotifyEscalation, domain.StatusAtPartner, "logistik", "ypii")
	run(tuesday10, "ofc/o1", "ADU-OFCR-0001", domain.NotifyOverallReminder, domain.StatusAtPartner, "logistik", "ypii")
	run(tuesday10, "ofc/h1", "ADU-OFCR-0001", domain.NotifyEscalationHead, domain.StatusAtPartner, "logistik", "ypii")
	calls = p.callsTo(pokjaPhone)
	if len(calls) != 2 {
		t.Fatalf("WhatsApp calls to the pokja member: %d, want the reminder and the escalation", len(calls))
	}
	if name, param := templateCall(t, calls[1]); name != "aduan_pembaruan" || !strings.HasPrefix(param, "Eskalasi: aduan ADU-OFCR-0001") {
		t.Errorf("escalation template %s %q", name, param)
	}
	to, subjects, bodies := smtpSrv.received()
	if len(to) != 2 || to[0] != "<"+supervisorMail+">" || subjects[0] != "[Aduan] Eskalasi — ADU-OFCR-0001" ||
		!strings.HasPrefix(bodies[0], "Eskalasi: aduan ADU-OFCR-0001") || to[1] != "<"+supervisorMail+">" ||
		subjects[1] != "[Aduan] Pengingat batas waktu penyelesaian — ADU-OFCR-0001" {
		t.Fatalf("mail to the supervisor: to %v subjects %v", to, subjects)
	}
	if r := rowOf("ofc/e1", "supervisor"); r.Channel != "email" || r.SentVia.String != "smtp" || r.SentAt == nil {
		t.Errorf("escalation row of the supervisor: %s %q %v", r.Channel, r.SentVia.String, r.SentAt)
	}
	if r := rowOf("ofc/h1", "kepala-dinas"); r.Channel != "log" || r.Address.Valid || r.SentVia.String != "log" {
		t.Errorf("the head of office on the console only: %s %v %q", r.Channel, r.Address, r.SentVia.String)
	}
	if rows, _, err := db.NotificationsFor(ctx, "kepala-dinas", 1, 10); err != nil || len(rows) != 1 {
		t.Errorf("the head's notifications page: %d rows, %v", len(rows), err)
	}
	if got, _, _ := smtpSrv.received(); len(got) != 2 {
		t.Errorf("the console-only head got mail: %v", got)
	}

	// The digest: two reminders of the pokja member who wants one wait for the morning.
	run(tuesday10, "ofc/d1", "ADU-OFCR-0003", domain.NotifyReminder, domain.StatusAtPokja, "hunian", "")
	run(tuesday10.Add(90*time.Minute), "ofc/d2", "ADU-OFCR-0004", domain.NotifyOverdueReminder, domain.StatusAtPokja, "hunian", "")
	if calls := p.callsTo(digestPhone); len(calls) != 0 {
		t.Fatalf("a digest reminder went on its own: %+v", calls)
	}

	// Tuesday 22:00: a reminder waits for Wednesday 08:00 and says so; the urgent
	// complaint's escalation goes at once.
	night, morning := time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC), time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	run(night, "ofc/r2", "ADU-OFCR-0001", domain.NotifyReminder, domain.StatusAtPokja, "logistik", "")
	if calls := p.callsTo(pokjaPhone); len(calls) != 2 {
		t.Fatalf("a reminder went at night: %d calls", len(calls))
	}
	if r := rowOf("ofc/r2", "pokja-logistik"); r.SentAt != nil || r.HoldUntil == nil || !r.HoldUntil.Equal(morning) {
		t.Errorf("the night's reminder: sent %v hold %v, want held until %v", r.SentAt, r.HoldUntil, morning)
	}
	run(night, "ofc/e2", "ADU-OFCR-0002", domain.NotifyEscalation, domain.StatusAtPokja, "logistik", "")
	if to, subjects, _ := smtpSrv.received(); len(to) != 3 || subjects[2] != "[Aduan] Eskalasi — ADU-OFCR-0002" {
		t.Errorf("the urgent escalation at night: %v", subjects)
	}
	if r := rowOf("ofc/e2", "supervisor"); r.HoldUntil != nil || r.SentAt == nil {
		t.Errorf("the urgent escalation's row: hold %v sent %v", r.HoldUntil, r.SentAt)
	}

	// The worker's outbox: nothing at 07:59; at 08:00 the night's reminder and the digest.
	clock = morning.Add(-time.Minute)
	if k, err := n.SendLoose(ctx, 50); err != nil || k != 0 {
		t.Fatalf("outbox at 07:59: %d, %v", k, err)
	}
	clock = morning
	if k, err := n.SendLoose(ctx, 50); err != nil || k != 3 {
		t.Fatalf("outbox at 08:00: %d, %v; want the held reminder and the digest's two", k, err)
	}
	calls = p.callsTo(pokjaPhone)
	if len(calls) != 3 {
		t.Fatalf("the night's reminder in the morning: %d calls", len(calls))
	}
	if name, param := templateCall(t, calls[2]); name != "aduan_pembaruan" || !strings.HasPrefix(param, "Pengingat: aduan ADU-OFCR-0001") {
		t.Errorf("the night's reminder: %s %q", name, param)
	}
	if r := rowOf("ofc/r2", "pokja-logistik"); r.SentAt == nil || !r.SentAt.Equal(morning) || r.ProviderRef.String != calls[2].Ref {
		t.Errorf("the night's reminder's row: sent %v ref %q", r.SentAt, r.ProviderRef.String)
	}
	digest := p.callsTo(digestPhone)
	if len(digest) != 1 {
		t.Fatalf("digest calls: %+v", digest)
	}
	if name, param := templateCall(t, digest[0]); name != "aduan_pembaruan" ||
		!strings.HasPrefix(param, "Ringkasan harian Aduan: 2 pengingat.") || !strings.Contains(param, "ADU-OFCR-0003") ||
		!strings.Contains(param, "ADU-OFCR-0004") || !strings.HasSuffix(param, "http://test/staf/notifikasi") {
		t.Errorf("digest: %s %q", name, param)
	}
	for _, key := range []string{"ofc/d1", "ofc/d2"} {
		if r := rowOf(key, "pokja-hunian"); !r.Digest || r.SentAt == nil || r.ProviderRef.String != digest[0].Ref {
			t.Errorf("%s: digest %v sent %v ref %q", key, r.Digest, r.SentAt, r.ProviderRef.String)
		}
	}
	// The provider's reports on the digest are kept on each row it carried.
	if k, err := db.RecordDelivery(ctx, "whatsapp", digest[0].Ref, "read", morning.Add(time.Minute), ""); err != nil || k != 2 {
		t.Errorf("a read report on the digest: %d rows, %v", k, err)
	}
	if k, err := n.SendLoose(ctx, 50); err != nil || k != 0 {
		t.Errorf("a second pass: %d, %v", k, err)
	}
}

// TestHeldMessageShown: a message to a complainant due at night is held, and the staff
// view says until when (JSON hold_until, the console's "ditahan sampai"). The night is in
// 2030, so the worker's own outbox leaves the row alone.
func TestHeldMessageShown(t *testing.T) {
	code := submitBody(t, map[string]any{"text": uniqueText(t), "email": "warga." + randomHex(3) + "@example.com",
		"kecamatan": "simboro"}, nil)
	night := time.Date(2030, 1, 8, 14, 0, 0, 0, time.UTC) // Tuesday 22:00 WITA
	n := &activities.Notifier{DB: testDB, BaseURL: "http://test", QuietHours: true, Now: func() time.Time { return night },
		Senders: notify.Senders{notify.ChannelLog: notify.LogSender{}}}
	key := notifyKey(t, code, "reminder")
	if err := runNotify(t, n, domain.NotifyRequest{Key: key, Code: code, Kind: domain.NotifyReminder,
		Status: domain.StatusAwaitingInfo, Due: night}); err != nil {
		t.Fatal(err)
	}
	r := do(t, "GET", "/api/v1/staff/complaints/"+code, "admin", nil, nil)
	var v struct {
		Outbox []struct {
			Kind      string     `json:"kind"`
			Channel   string     `json:"channel"`
			SentVia   string     `json:"sent_via"`
			HoldUntil *time.Time `json:"hold_until"`
		} `json:"outbox"`
	}
	r.decode(t, &v)
	found := false
	for _, o := range v.Outbox {
		if o.Kind == "reminder" {
			found = true
			if o.Channel != "email" || o.SentVia != "" || o.HoldUntil == nil || !o.HoldUntil.Equal(time.Date(2030, 1, 9, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("held reminder in the staff view: %+v", o)
			}
		} else if o.HoldUntil != nil {
			t.Errorf("%s held: %+v", o.Kind, o)
		}
	}
	if !found {
		t.Fatalf("no reminder in the outbox: %s", r.Raw)
	}
	admin := loginAs(t, "admin")
	res, page := admin.get("/staf/aduan/" + code)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "ditahan sampai 9 Januari 2030, 08.00 WITA") {
		t.Errorf("the console does not say the message is held: %d\n%.3000s", res.StatusCode, page)
	}
}

// TestOfficerChannelPages: a pokja member sets their own channel on their profile page
// (linked from the console's top bar), refused beside the field without a number; the
// admin sets it for them on the users' page; a supervisor may not.
func TestOfficerChannelPages(t *testing.T) {
	ctx := context.Background()
	group := "uji-notif-" + randomHex(3)
	if err := testDB.AddGroup(ctx, store.KindPokja, group, "Pokja Uji Notifikasi"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = testDB.RetireGroup(context.Background(), store.KindPokja, group, time.Now()) })
	user, password := "notif-"+randomHex(4), "kata-sandi-uji-"+randomHex(4)
	if err := testDB.UpsertStaff(ctx, store.NewStaff(user, "Uji Notifikasi", domain.RolePokja, group)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = testDB.SetStaffActive(context.Background(), user, false) })
	if err := accounts.New(testDB, accounts.Config{}).SetPassword(ctx, user, password); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	if res, body := b.submitLogin(user, password, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d %.300s", res.StatusCode, body)
	}
	if _, home := b.get("/staf"); !strings.Contains(home, `href="/staf/akun"`) {
		t.Errorf("the console's top bar has no link to the profile")
	}
	res, page := b.get("/staf/akun")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `name="channel" value="whatsapp"`) || !strings.Contains(page, "Ringkasan harian") {
		t.Fatalf("profile page: %d\n%.1500s", res.StatusCode, page)
	}
	csrf := csrfOf(t, page)

	// WhatsApp without a number: refused beside the field, what was typed kept.
	res, page = b.post("/staf/akun", url.Values{"csrf_token": {csrf}, "channel": {"whatsapp"}, "email": {"uji@mamujukab.go.id"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "Isi nomor ponsel") ||
		!strings.Contains(page, `value="uji@mamujukab.go.id"`) {
		t.Errorf("WhatsApp without a number: %d\n%.2000s", res.StatusCode, page)
	}
	// Without the CSRF token nothing changes.
	if res, _ := b.post("/staf/akun", url.Values{"channel": {"console"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a POST without the CSRF token: %d", res.StatusCode)
	}
	res, _ = b.post("/staf/akun", url.Values{"csrf_token": {csrf}, "channel": {"whatsapp"}, "phone": {"0812-3456-7890"}, "digest": {"1"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staf/akun?ok=1" {
		t.Fatalf("saving: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, page = b.get("/staf/akun?ok=1"); !strings.Contains(page, "Cara notifikasi disimpan") ||
		!strings.Contains(page, `value="whatsapp" checked`) || !strings.Contains(page, `value="6281234567890"`) {
		t.Errorf("after saving:\n%.2000s", page)
	}
	if c, err := testDB.StaffChannelsOf(ctx, user); err != nil ||
		c != (store.StaffChannels{Channel: "whatsapp", Phone: "6281234567890", Digest: true}) {
		t.Errorf("stored: %+v %v", c, err)
	}

	// The admin sets it for them; a bad number comes back beside the field.
	admin := loginAs(t, "admin")
	path := "/staf/admin/pengguna/" + user + "/notifikasi"
	res, page = adminPost(t, admin, "/staf/admin/pengguna", path, url.Values{"channel": {"sms"}, "phone": {"0426 21234"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, `<details id="notif-`+user+`" open>`) ||
		!strings.Contains(page, "Nomor ponsel tidak valid") {
		t.Errorf("a landline for SMS: %d\n%.3000s", res.StatusCode, page)
	}
	res, _ = adminPost(t, admin, "/staf/admin/pengguna", path, url.Values{"channel": {"email"}, "email": {"uji@mamujukab.go.id"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the admin's change: %d", res.StatusCode)
	}
	if _, page = admin.get("/staf/admin/pengguna?ok=notifikasi&u=" + user); !strings.Contains(page, "Cara notifikasi pengguna "+user+" disimpan") {
		t.Errorf("the admin's notice is missing")
	}
	if c, _ := testDB.StaffChannelsOf(ctx, user); c != (store.StaffChannels{Channel: "email", Email: "uji@mamujukab.go.id"}) {
		t.Errorf("after the admin's change: %+v", c)
	}
	// A supervisor sees the users' channels but may not change them.
	super := loginAs(t, "supervisor")
	res, page = super.get("/staf/admin/pengguna")
	if res.StatusCode != http.StatusOK || strings.Contains(page, path) {
		t.Errorf("the supervisor's view of users: %d, forms offered: %v", res.StatusCode, strings.Contains(page, path))
	}
	res, _ = super.post(path, url.Values{"csrf_token": {csrfOf(t, page)}, "channel": {"console"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a supervisor changing a user's channel: %d", res.StatusCode)
	}
	if c, _ := testDB.StaffChannelsOf(ctx, user); c.Channel != "email" {
		t.Errorf("changed by the supervisor: %+v", c)
	}
}

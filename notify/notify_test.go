package notify

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"aduan/domain"
)

var allKinds = []domain.NotifyKind{
	domain.NotifyReminder, domain.NotifyOverdueReminder, domain.NotifyEscalation, domain.NotifyEscalationHead,
	domain.NotifyOverallReminder, domain.NotifyOverallEscalation, domain.NotifyNoReplyClosed,
}

func TestFormatTime(t *testing.T) {
	// 08:00 UTC is 16:00 WITA; 7 December 2026 is a Monday.
	start := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	want := []string{
		"Senin, 07-12-2026 16:00 WITA", "Selasa, 08-12-2026 16:00 WITA", "Rabu, 09-12-2026 16:00 WITA",
		"Kamis, 10-12-2026 16:00 WITA", "Jumat, 11-12-2026 16:00 WITA", "Sabtu, 12-12-2026 16:00 WITA",
		"Minggu, 13-12-2026 16:00 WITA",
	}
	for i, w := range want {
		if got := FormatTime(start.AddDate(0, 0, i), nil); got != w {
			t.Errorf("day %d: got %q, want %q", i, got, w)
		}
	}
	// The date is WITA's, not UTC's: 17:30 UTC on the 6th is 01:30 on Monday the 7th.
	if got := FormatTime(time.Date(2026, 12, 6, 17, 30, 0, 0, time.UTC), nil); got != "Senin, 07-12-2026 01:30 WITA" {
		t.Errorf("got %q", got)
	}
	// The zone given is the default's twin: the same text.
	if got := FormatTime(start, domain.ZoneAt(domain.DefaultUTCOffsetHours)); got != want[0] {
		t.Errorf("WITA given: got %q, want %q", got, want[0])
	}
	// Another regency's zone: its clock, its date and its name.
	for _, c := range []struct {
		hours int
		at    time.Time
		want  string
	}{
		{7, start, "Senin, 07-12-2026 15:00 WIB"},
		{9, time.Date(2026, 12, 6, 15, 30, 0, 0, time.UTC), "Senin, 07-12-2026 00:30 WIT"},
		{7, time.Date(2026, 12, 6, 16, 30, 0, 0, time.UTC), "Minggu, 06-12-2026 23:30 WIB"},
	} {
		if got := FormatTime(c.at, domain.ZoneAt(c.hours)); got != c.want {
			t.Errorf("UTC%+d: got %q, want %q", c.hours, got, c.want)
		}
	}
}

func deadline() *time.Time {
	d := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	return &d
}

func TestRenderStaffReminder(t *testing.T) {
	m, err := Render(domain.NotifyReminder, AudienceStaff, Data{Code: "ADU-7K3Q-XW2M", Status: domain.StatusAtPokja,
		Pokja: "Pokja Logistik dan Bantuan", Deadline: deadline(), BaseURL: "https://aduan.example.go.id/"})
	if err != nil {
		t.Fatal(err)
	}
	want := "Pengingat: aduan ADU-7K3Q-XW2M (Ditangani pokja) harus ditindaklanjuti sebelum Senin, 07-12-2026 16:00 WITA.\n" +
		"Pokja: Pokja Logistik dan Bantuan\n" +
		"Buka aduan: https://aduan.example.go.id/staf/aduan/ADU-7K3Q-XW2M"
	if m.Text != want || m.Template != "reminder.staff" {
		t.Errorf("got template %q text\n%s\nwant\n%s", m.Template, m.Text, want)
	}
}

// TestRenderInRegencyZone: the texts show a deadline in the zone the data carries; nil
// is WITA.
func TestRenderInRegencyZone(t *testing.T) {
	d := Data{Code: "ADU-7K3Q-XW2M", Status: domain.StatusAwaitingInfo, Deadline: deadline(), BaseURL: "http://x",
		Channel: ChannelEmail}
	wita, err := Render(domain.NotifyReminder, AudienceComplainant, d)
	if err != nil {
		t.Fatal(err)
	}
	d.Zone = domain.ZoneAt(domain.DefaultUTCOffsetHours)
	if again, _ := Render(domain.NotifyReminder, AudienceComplainant, d); again.Text != wita.Text {
		t.Errorf("explicit WITA: %q, want %q", again.Text, wita.Text)
	}
	d.Zone = domain.ZoneAt(7)
	wib, err := Render(domain.NotifyReminder, AudienceComplainant, d)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(wita.Text, "16:00 WITA", "15:00 WIB", 1); wib.Text != want || want == wita.Text {
		t.Errorf("WIB: %q, want %q", wib.Text, want)
	}
}

func TestRenderEveryKind(t *testing.T) {
	for _, kind := range allKinds {
		for _, aud := range []Audience{AudienceStaff, AudienceComplainant} {
			for _, dl := range []*time.Time{deadline(), nil} {
				d := Data{Code: "ADU-7K3Q-XW2M", Status: domain.StatusAtPartner, Pokja: "Pokja Logistik dan Bantuan",
					Partner: "Yayasan Plan Internasional Indonesia", Deadline: dl, BaseURL: "http://x"}
				m, err := Render(kind, aud, d)
				if err != nil {
					t.Fatalf("%s/%s: %v", kind, aud, err)
				}
				name := string(kind) + "." + string(aud)
				if _, own := sources[name]; own && m.Template != name {
					t.Errorf("%s: template %q", name, m.Template)
				}
				txt := m.Text
				if strings.Contains(txt, "<no value>") || strings.Contains(txt, "{{") || strings.Contains(txt, "  ") {
					t.Errorf("%s: badly rendered: %q", name, txt)
				}
				if !strings.Contains(txt, "ADU-7K3Q-XW2M") || !strings.Contains(strings.ToLower(txt), "aduan") {
					t.Errorf("%s: no code or not Indonesian: %q", name, txt)
				}
				if dl != nil && !strings.Contains(txt, "Senin, 07-12-2026 16:00 WITA") {
					t.Errorf("%s: no WITA deadline: %q", name, txt)
				}
				if dl == nil && (strings.Contains(txt, "WITA") || strings.Contains(txt, "()")) {
					t.Errorf("%s without deadline: %q", name, txt)
				}
				prose, _, _ := strings.Cut(txt, "http")
				for _, english := range []string{"deadline", "reminder", "escalation", "complaint", "status:"} {
					if strings.Contains(strings.ToLower(prose), english) {
						t.Errorf("%s: English word %q in %q", name, english, txt)
					}
				}
				if aud == AudienceStaff {
					if !strings.Contains(txt, "http://x/staf/aduan/ADU-7K3Q-XW2M") {
						t.Errorf("%s: no staff link: %q", name, txt)
					}
				} else {
					if strings.Contains(txt, "/staff/") || !strings.Contains(txt, "http://x/lacak/ADU-7K3Q-XW2M") {
						t.Errorf("%s: want the public tracking link only: %q", name, txt)
					}
					// Which group handles it is staff business.
					if strings.Contains(txt, "Pokja Logistik") || strings.Contains(txt, "Yayasan") {
						t.Errorf("%s: complainant text names the groups: %q", name, txt)
					}
				}
			}
		}
	}
	if m, err := Render("something_new", AudienceStaff, Data{Code: "ADU-7K3Q-XW2M", Status: domain.StatusReceived}); err != nil ||
		m.Template != "generic.staff" {
		t.Errorf("unknown kind: %+v %v", m, err)
	}
}

// TestDataCarriesNothingPersonal pins what a template can see: the code, status, groups,
// deadline and base URL, the recipient's channel, and the staff-written question and
// answer that go to the complainant only (TestRenderComplainantKinds checks no staff
// text carries them). Adding a field here must be a deliberate privacy decision: staff
// texts may not carry the complainant's name, contact or words, complainant texts no
// staff username.
func TestDataCarriesNothingPersonal(t *testing.T) {
	var fields []string
	rt := reflect.TypeOf(Data{})
	for i := 0; i < rt.NumField(); i++ {
		fields = append(fields, rt.Field(i).Name)
	}
	sort.Strings(fields)
	// DuplicateOf (added deliberately) is another complaint's code: not personal. Zone
	// (added deliberately) is the regency's time zone: not personal. Unconfirmed (added
	// deliberately) says whether anyone vouched for the number, not the number.
	want := []string{"Answer", "AnswerTitle", "BaseURL", "Channel", "Code", "Deadline", "DuplicateOf", "Partner", "Pokja",
		"Question", "Status", "Unconfirmed", "Zone"}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("notify.Data has fields %v, want %v", fields, want)
	}
}

type recordSender struct{ got []Notification }

func (r *recordSender) Send(_ context.Context, n Notification) error {
	r.got = append(r.got, n)
	return nil
}

func TestSendersFallBackToLog(t *testing.T) {
	log, mail := &recordSender{}, &recordSender{}
	s := Senders{ChannelLog: log, ChannelEmail: mail}
	for _, ch := range []string{ChannelEmail, ChannelWhatsApp, ChannelSMS, ChannelLog} {
		if err := s.Send(context.Background(), Notification{Channel: ch}); err != nil {
			t.Fatal(err)
		}
	}
	if len(mail.got) != 1 || len(log.got) != 3 {
		t.Errorf("email got %d, log got %d; want 1 and 3", len(mail.got), len(log.got))
	}
	if _, ok := (Senders{}).For(ChannelSMS).(LogSender); !ok {
		t.Errorf("empty Senders: want a LogSender")
	}
	if _, ok := Senders(nil).For(ChannelEmail).(LogSender); !ok {
		t.Errorf("nil Senders: want a LogSender")
	}
}

// TestNewSenders: each provider's sender when its settings are there, the log otherwise.
func TestNewSenders(t *testing.T) {
	s := NewSenders(Settings{}, nil)
	for _, ch := range []string{ChannelLog, ChannelEmail, ChannelWhatsApp, ChannelSMS} {
		if _, ok := s.For(ch).(LogSender); !ok {
			t.Errorf("without settings, %s: got %T, want LogSender", ch, s.For(ch))
		}
	}
	smtpCfg := SMTPConfig{Addr: "mail.example.go.id:587", From: "Aduan <aduan@example.go.id>", User: "u", Password: "p"}
	s = NewSenders(Settings{SMTP: smtpCfg}, nil)
	sm, ok := s.For(ChannelEmail).(*SMTPSender)
	if !ok {
		t.Fatalf("with an SMTP address, email: got %T", s.For(ChannelEmail))
	}
	if sm.Config != smtpCfg {
		t.Errorf("config %+v", sm.Config)
	}
	if _, ok := s.For(ChannelWhatsApp).(LogSender); !ok {
		t.Errorf("whatsapp: got %T, want LogSender", s.For(ChannelWhatsApp))
	}
	if sm := NewSenders(Settings{SMTP: SMTPConfig{Addr: "mail:25"}}, nil).For(ChannelEmail).(*SMTPSender); sm.Config.From != "aduan@localhost" {
		t.Errorf("SMTP without From: %+v", sm.Config)
	}

	// WhatsApp needs both the phone number ID and the token.
	if s := NewSenders(Settings{WhatsApp: WhatsAppConfig{PhoneNumberID: "1234567890"}}, nil); s.For(ChannelWhatsApp) != (LogSender{}) {
		t.Errorf("whatsapp without a token: got %T, want LogSender", s.For(ChannelWhatsApp))
	}
	called := false
	last := func(context.Context, string) (time.Time, bool, error) { called = true; return time.Time{}, false, nil }
	s = NewSenders(Settings{
		WhatsApp: WhatsAppConfig{PhoneNumberID: "1234567890", Token: "wa-token"},
		SMS:      SMSConfig{URL: "https://sms.example.id/send", APIKey: "sms-key"},
	}, last)
	wa, ok := s.For(ChannelWhatsApp).(*WhatsAppSender)
	if !ok {
		t.Fatalf("whatsapp: got %T, want *WhatsAppSender", s.For(ChannelWhatsApp))
	}
	if c := wa.Config; c.APIBase != DefaultWhatsAppAPIBase || c.PhoneNumberID != "1234567890" || c.Token != "wa-token" ||
		c.TemplateUpdate != "aduan_pembaruan" || c.TemplateLanguage != "id" {
		t.Errorf("whatsapp config %+v", c)
	}
	if _, _, _ = wa.LastInbound(context.Background(), "x"); !called {
		t.Errorf("whatsapp sender does not use the LastInbound given to NewSenders")
	}
	wa = NewSenders(Settings{WhatsApp: WhatsAppConfig{PhoneNumberID: "1", Token: "t", APIBase: "http://127.0.0.1:9/v99.0",
		TemplateUpdate: "kabar_aduan"}}, nil).For(ChannelWhatsApp).(*WhatsAppSender)
	if c := wa.Config; c.APIBase != "http://127.0.0.1:9/v99.0" || c.TemplateUpdate != "kabar_aduan" || c.TemplateLanguage != "id" {
		t.Errorf("whatsapp config given %+v", c)
	}
	sms, ok := s.For(ChannelSMS).(*SMSSender)
	if !ok || sms.Config.URL != "https://sms.example.id/send" || sms.Config.APIKey != "sms-key" {
		t.Errorf("sms: got %T %+v", s.For(ChannelSMS), sms)
	}
}

// TestDeliverReceipts: each sender says how it delivered, so the outbox can tell a row
// the log stand-in took from one a provider took.
func TestDeliverReceipts(t *testing.T) {
	ctx := context.Background()
	quiet := LogSender{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	rec := &recordSender{}
	s := Senders{ChannelLog: quiet, ChannelEmail: rec}
	for ch, want := range map[string]string{ChannelWhatsApp: "log", ChannelSMS: "log", ChannelLog: "log", ChannelEmail: "*notify.recordSender"} {
		rc, err := s.Deliver(ctx, Notification{Channel: ch})
		if err != nil || rc.Via != want {
			t.Errorf("%s: receipt %+v err %v, want via %q", ch, rc, err, want)
		}
	}
	if rc, _ := (Senders{ChannelLog: &quiet}).Deliver(ctx, Notification{Channel: ChannelSMS}); rc.Via != "log" {
		t.Errorf("*LogSender: via %q", rc.Via)
	}
}

func sample() Notification {
	return Notification{
		ID: 42, DedupeKey: "ADU-7K3Q-XW2M/at_pokja/1/reminder/pelapor", Code: "ADU-7K3Q-XW2M",
		Kind: domain.NotifyReminder, Recipient: "pelapor", Channel: ChannelEmail,
		Address:  "budi.santoso@example.com",
		Template: "reminder.pelapor", Text: "Pengingat: aduan Anda ADU-7K3Q-XW2M menunggu informasi tambahan dari Anda.",
		DueAt: time.Now(),
	}
}

func TestLogSenderLogsNoAddressNorText(t *testing.T) {
	var buf bytes.Buffer
	l := LogSender{Logger: slog.New(slog.NewJSONHandler(&buf, nil))}
	n := sample()
	if err := l.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`"id":42`, `"code":"ADU-7K3Q-XW2M"`, `"recipient":"pelapor"`, `"channel":"email"`, `"template":"reminder.pelapor"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log %s lacks %s", out, want)
		}
	}
	if strings.Contains(out, "budi") || strings.Contains(out, "menunggu") {
		t.Errorf("log leaks the address or text: %s", out)
	}
}

// fakeSMTP is a tiny SMTP server: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, QUIT.
type fakeSMTP struct {
	addr     string
	user     string
	password string
	reject   string // a recipient answered with 550

	mu       sync.Mutex
	messages [][]byte
	rcpts    []string
	authed   bool
}

func startFakeSMTP(t *testing.T) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{addr: ln.Addr().String(), user: "aduan", password: "rahasia"}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(conn)
		}
	}()
	return f
}

func (f *fakeSMTP) serve(conn net.Conn) {
	defer conn.Close()
	tp := textproto.NewConn(conn)
	reply := func(s string) { _ = tp.PrintfLine("%s", s) }
	reply("220 fake.test ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch verb {
		case "EHLO", "HELO":
			reply("250-fake.test")
			reply("250-8BITMIME")
			reply("250 AUTH PLAIN")
		case "AUTH":
			parts := strings.Fields(line)
			raw, _ := base64.StdEncoding.DecodeString(parts[len(parts)-1])
			if string(raw) != "\x00"+f.user+"\x00"+f.password {
				reply("535 5.7.8 bad credentials")
				continue
			}
			f.mu.Lock()
			f.authed = true
			f.mu.Unlock()
			reply("235 2.7.0 ok")
		case "MAIL":
			reply("250 2.1.0 ok")
		case "RCPT":
			if f.reject != "" && strings.Contains(line, f.reject) {
				reply("550 5.1.1 mailbox unavailable")
				continue
			}
			f.mu.Lock()
			f.rcpts = append(f.rcpts, line)
			f.mu.Unlock()
			reply("250 2.1.5 ok")
		case "DATA":
			reply("354 go ahead")
			msg, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			f.mu.Lock()
			f.messages = append(f.messages, msg)
			f.mu.Unlock()
			reply("250 2.0.0 queued")
		case "RSET", "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

func (f *fakeSMTP) received() [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]byte(nil), f.messages...)
}

func TestSMTPSender(t *testing.T) {
	f := startFakeSMTP(t)
	s := &SMTPSender{Config: SMTPConfig{Addr: f.addr, From: "Aduan Mamuju <aduan@mamujukab.go.id>",
		User: "aduan", Password: "rahasia", Timeout: 5 * time.Second}}
	n := sample()
	n.Text = "Pengingat: aduan Anda ADU-7K3Q-XW2M menunggu informasi tambahan.\nLacak aduan Anda: http://x/api/v1/complaints/ADU-7K3Q-XW2M\n.titik di awal baris"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Send(ctx, n); err != nil {
		t.Fatalf("send: %v", err)
	}
	if err := s.Send(ctx, n); err != nil { // a retried activity sends again: same Message-ID
		t.Fatalf("second send: %v", err)
	}
	msgs := f.received()
	if len(msgs) != 2 {
		t.Fatalf("server received %d messages, want 2", len(msgs))
	}
	if !f.authed {
		t.Errorf("sender did not authenticate")
	}
	var ids []string
	for _, raw := range msgs {
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("parse message: %v\n%s", err, raw)
		}
		ids = append(ids, m.Header.Get("Message-ID"))
		rawSubject := m.Header.Get("Subject")
		if !strings.HasPrefix(strings.ToUpper(rawSubject), "=?UTF-8?B?") {
			t.Errorf("Subject %q is not RFC 2047 UTF-8", rawSubject)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(rawSubject)
		if err != nil || subject != "[Aduan] Pengingat — ADU-7K3Q-XW2M" {
			t.Errorf("Subject decodes to %q (%v)", subject, err)
		}
		if ct := m.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if to := m.Header.Get("To"); to != "<budi.santoso@example.com>" {
			t.Errorf("To %q", to)
		}
		if from := m.Header.Get("From"); !strings.Contains(from, "<aduan@mamujukab.go.id>") {
			t.Errorf("From %q", from)
		}
		if m.Header.Get("Date") == "" {
			t.Errorf("no Date header")
		}
		body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(body), "\r\n", "\n")
		if !strings.HasPrefix(text, n.Text+"\n") {
			t.Errorf("body %q does not start with the text %q", text, n.Text)
		}
	}
	want := MessageID(n, &mail.Address{Address: "aduan@mamujukab.go.id"})
	if ids[0] != want || ids[1] != want || !strings.HasSuffix(want, "@mamujukab.go.id>") {
		t.Errorf("Message-IDs %v, want both %s", ids, want)
	}
	other := n
	other.DedupeKey += "x"
	if MessageID(other, &mail.Address{Address: "aduan@mamujukab.go.id"}) == want {
		t.Errorf("another dedupe key gives the same Message-ID")
	}
	if len(f.rcpts) != 2 || !strings.Contains(f.rcpts[0], "<budi.santoso@example.com>") {
		t.Errorf("RCPT lines %v", f.rcpts)
	}
}

func TestSMTPSenderFailures(t *testing.T) {
	f := startFakeSMTP(t)
	f.reject = "nobody@example.com"
	cfg := SMTPConfig{Addr: f.addr, From: "aduan@mamujukab.go.id", User: "aduan", Password: "rahasia", Timeout: 5 * time.Second}
	ctx := context.Background()

	n := sample()
	n.Address = "nobody@example.com"
	err := (&SMTPSender{Config: cfg}).Send(ctx, n)
	if err == nil || !IsPermanent(err) {
		t.Errorf("rejected recipient: got %v, want a permanent error", err)
	}
	n.Address = "not an address\r\nBcc: x@y.z"
	if err := (&SMTPSender{Config: cfg}).Send(ctx, n); err == nil || !IsPermanent(err) {
		t.Errorf("bad address: got %v, want a permanent error", err)
	}

	bad := cfg
	bad.Password = "salah"
	if err := (&SMTPSender{Config: bad}).Send(ctx, sample()); err == nil || IsPermanent(err) {
		t.Errorf("bad credentials: got %v, want a retryable error", err)
	}

	// A server that is down: retryable.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	down := ln.Addr().String()
	ln.Close()
	cfgDown := cfg
	cfgDown.Addr = down
	if err := (&SMTPSender{Config: cfgDown}).Send(ctx, sample()); err == nil || IsPermanent(err) {
		t.Errorf("server down: got %v, want a retryable error", err)
	}
	if len(f.received()) != 0 {
		t.Errorf("server received %d messages, want none", len(f.received()))
	}
}

func TestSMTPSenderHonoursContext(t *testing.T) {
	// A server that accepts and then says nothing.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, bufio.NewReader(c)); c.Close() }()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = (&SMTPSender{Config: SMTPConfig{Addr: ln.Addr().String(), From: "aduan@x.id"}}).Send(ctx, sample())
	if err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("silent server: got %v after %s", err, time.Since(start))
	}
	if errors.Is(err, context.Canceled) {
		t.Logf("err %v", err)
	}
}

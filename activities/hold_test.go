package activities_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"aduan/activities"
	"aduan/domain"
	"aduan/media/mediatest"
	"aduan/notify"
	"aduan/store"
)

// fakeSender records what it delivers and says so in its receipt.
type fakeSender struct {
	mu   sync.Mutex
	sent []notify.Notification
}

func (f *fakeSender) Send(ctx context.Context, n notify.Notification) error {
	_, err := f.SendReceipt(ctx, n)
	return err
}

func (f *fakeSender) SendReceipt(_ context.Context, n notify.Notification) (notify.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, n)
	return notify.Receipt{Via: "fake:" + n.Channel, Ref: fmt.Sprintf("ref-%d", len(f.sent))}, nil
}

// take returns what was delivered since the last take.
func (f *fakeSender) take() []notify.Notification {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.sent
	f.sent = nil
	return out
}

// clock is a controlled Now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

var wita = domain.ZoneAt(8)

func witaAt(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, wita)
	if err != nil {
		panic(err)
	}
	return t
}

// officeSetup is a database with the default policy (WITA, 08:00–16:00), two pokja, a
// pokja member on WhatsApp, one on SMS with a daily digest, a supervisor on e-mail and a
// head of office on the console only.
func officeSetup(t *testing.T) (*store.DB, *activities.Notifier, *fakeSender, *clock) {
	t.Helper()
	db := mediatest.Database(t)
	ctx := context.Background()
	for _, g := range []string{"logistik", "hunian"} {
		if err := db.AddGroup(ctx, store.KindPokja, g, "Pokja "+g); err != nil {
			t.Fatal(err)
		}
	}
	staff := []struct {
		s  store.Staff
		ch store.StaffChannels
	}{
		{store.NewStaff("pokja-wa", "Pokja WA", domain.RolePokja, "logistik"), store.StaffChannels{Channel: "whatsapp", Phone: "6281200000001"}},
		{store.NewStaff("pokja-ringkas", "Pokja Ringkas", domain.RolePokja, "hunian"), store.StaffChannels{Channel: "sms", Phone: "6281200000002", Digest: true}},
		{store.NewStaff("super-mail", "Supervisor", domain.RoleSupervisor, ""), store.StaffChannels{Channel: "email", Email: "super@mamujukab.go.id"}},
		{store.NewStaff("kadis", "Kepala Dinas", domain.RoleSupervisor, ""), store.StaffChannels{Channel: "console", Email: "kadis@mamujukab.go.id"}},
	}
	for _, x := range staff {
		x.s.HeadOfOffice = x.s.Username == "kadis"
		if err := db.UpsertStaff(ctx, x.s); err != nil {
			t.Fatal(err)
		}
		if err := db.SetStaffChannels(ctx, x.s.Username, x.ch); err != nil {
			t.Fatal(err)
		}
	}
	fake := &fakeSender{}
	c := &clock{}
	n := &activities.Notifier{DB: db, BaseURL: "http://test", QuietHours: true, Now: c.now, Senders: notify.Senders{
		notify.ChannelLog:      notify.LogSender{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		notify.ChannelWhatsApp: fake, notify.ChannelSMS: fake, notify.ChannelEmail: fake}}
	return db, n, fake, c
}

func addComplaint(t *testing.T, db *store.DB, code, status, pokja, priority string) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), `INSERT INTO complaints (code, channel, text, email, created_at, status,
			updated_at, pokja, priority, question)
		VALUES ($1, 'web', 'Air bersih belum sampai', 'warga@example.com', now(), $2, now(), nullif($3, ''), nullif($4, ''),
			CASE WHEN $2 = 'awaiting_info' THEN 'Di dusun mana?' END)`, code, status, pokja, priority); err != nil {
		t.Fatal(err)
	}
}

// rowsOf reads the outbox rows of an occasion by recipient.
func rowsOf(t *testing.T, db *store.DB, key string) map[string]store.Notification {
	t.Helper()
	rows, err := db.NotificationsOf(context.Background(), key+"/")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.Notification{}
	for _, r := range rows {
		out[r.Recipient] = r
	}
	return out
}

// TestOfficersAndQuietHours drives the Notify activity and the outbox with a clock: each
// officer is reached on their channel (WhatsApp always as the template), the console-only
// head gets a row and nothing sent; what is due at night waits for 08:00 WITA and says so,
// except the acknowledgement and an urgent complaint's escalation; a held question counts
// as reached; the digest groups one officer's reminders into one message at the opening.
func TestOfficersAndQuietHours(t *testing.T) {
	db, n, fake, c := officeSetup(t)
	ctx := context.Background()
	addComplaint(t, db, "ADU-AAAA-0001", "at_pokja", "logistik", "high")
	addComplaint(t, db, "ADU-AAAA-0002", "at_pokja", "logistik", "urgent")
	addComplaint(t, db, "ADU-AAAA-0003", "at_pokja", "hunian", "normal")
	addComplaint(t, db, "ADU-AAAA-0004", "at_pokja", "hunian", "normal")
	addComplaint(t, db, "ADU-AAAA-0005", "awaiting_info", "", "")
	notifyAt := func(at, key, code string, kind domain.NotifyKind, status domain.Status, pokja string) domain.NotifyOutcome {
		t.Helper()
		c.t = witaAt(at)
		o, err := n.Notify(ctx, domain.NotifyRequest{Key: key, Code: code, Kind: kind, Status: status, Pokja: pokja, Due: c.t})
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		return o
	}

	// Tuesday 10:00: the reminder reaches the pokja member on WhatsApp, as the template.
	notifyAt("2026-12-01 10:00", "r1", "ADU-AAAA-0001", domain.NotifyReminder, domain.StatusAtPokja, "logistik")
	sent := fake.take()
	if len(sent) != 1 || sent[0].Channel != "whatsapp" || sent[0].Address != "6281200000001" || sent[0].Mode != notify.ModeTemplate {
		t.Fatalf("reminder in office hours: %+v", sent)
	}
	if r := rowsOf(t, db, "r1")["pokja-wa"]; r.SentAt == nil || r.SentVia.String != "fake:whatsapp" || r.ProviderRef.String == "" || r.HoldUntil != nil {
		t.Errorf("reminder row: %+v", r)
	}
	// The escalation reaches the supervisor by e-mail; the head of office's console row is
	// kept, nothing sent.
	notifyAt("2026-12-01 10:00", "e1", "ADU-AAAA-0001", domain.NotifyEscalation, domain.StatusAtPokja, "logistik")
	notifyAt("2026-12-01 10:00", "h1", "ADU-AAAA-0001", domain.NotifyEscalationHead, domain.StatusAtPokja, "logistik")
	sent = fake.take()
	if len(sent) != 1 || sent[0].Channel != "email" || sent[0].Recipient != "super-mail" || sent[0].Address != "super@mamujukab.go.id" {
		t.Fatalf("escalations: %+v", sent)
	}
	if r := rowsOf(t, db, "h1")["kadis"]; r.Channel != notify.ChannelLog || r.Address.Valid || r.SentVia.String != "log" {
		t.Errorf("console-only head: %+v", r)
	}

	// Tuesday 22:00: the reminder, a high-priority escalation and the question to the
	// complainant wait for Wednesday 08:00; the urgent escalation and the acknowledgement
	// go at once.
	morning := witaAt("2026-12-02 08:00")
	notifyAt("2026-12-01 22:00", "r2", "ADU-AAAA-0001", domain.NotifyReminder, domain.StatusAtPokja, "logistik")
	notifyAt("2026-12-01 22:00", "e2", "ADU-AAAA-0001", domain.NotifyEscalation, domain.StatusAtPokja, "logistik")
	q := notifyAt("2026-12-01 22:00", "q1", "ADU-AAAA-0005", domain.NotifyQuestion, domain.StatusAwaitingInfo, "")
	if len(fake.take()) != 0 {
		t.Fatal("something due at night was sent")
	}
	for key, who := range map[string]string{"r2": "pokja-wa", "e2": "super-mail", "q1": store.ComplainantRecipient} {
		r := rowsOf(t, db, key)[who]
		if r.SentAt != nil || r.HoldUntil == nil || !r.HoldUntil.Equal(morning) || r.Digest || r.Attempts != 0 {
			t.Errorf("%s to %s at night: sent %v hold %v digest %v attempts %d", key, who, r.SentAt, r.HoldUntil, r.Digest, r.Attempts)
		}
	}
	if !q.Reached || q.Channel != "email" {
		t.Errorf("a question held for the morning: outcome %+v, want reached by e-mail", q)
	}
	notifyAt("2026-12-01 22:00", "e3", "ADU-AAAA-0002", domain.NotifyEscalation, domain.StatusAtPokja, "logistik")
	notifyAt("2026-12-01 22:00", "a1", "ADU-AAAA-0005", domain.NotifyAck, domain.StatusReceived, "")
	sent = fake.take()
	if len(sent) != 2 || sent[0].Recipient != "super-mail" || sent[0].Kind != domain.NotifyEscalation ||
		sent[1].Recipient != store.ComplainantRecipient || sent[1].Kind != domain.NotifyAck {
		t.Errorf("urgent escalation and acknowledgement at night: %+v", sent)
	}

	// The digest: two reminders of the officer who wants one, Tuesday in office hours.
	notifyAt("2026-12-01 10:00", "d1", "ADU-AAAA-0003", domain.NotifyReminder, domain.StatusAtPokja, "hunian")
	notifyAt("2026-12-01 11:30", "d2", "ADU-AAAA-0004", domain.NotifyOverdueReminder, domain.StatusAtPokja, "hunian")
	if len(fake.take()) != 0 {
		t.Fatal("a digest reminder was sent on its own")
	}
	for _, key := range []string{"d1", "d2"} {
		if r := rowsOf(t, db, key)["pokja-ringkas"]; !r.Digest || r.HoldUntil == nil || !r.HoldUntil.Equal(morning) || r.Channel != "sms" {
			t.Errorf("%s: digest %v hold %v channel %s", key, r.Digest, r.HoldUntil, r.Channel)
		}
	}

	// Wednesday 07:59: nothing yet. 08:00: each held row goes, the digest as one message.
	c.t = morning.Add(-time.Minute)
	if k, err := n.SendLoose(ctx, 50); err != nil || k != 0 || len(fake.take()) != 0 {
		t.Fatalf("before the opening: %d handled, %v", k, err)
	}
	c.t = morning
	if k, err := n.SendLoose(ctx, 50); err != nil || k != 5 {
		t.Fatalf("at the opening: %d handled, %v; want 3 held rows and 2 in the digest", k, err)
	}
	sent = fake.take()
	byRecipient := map[string][]notify.Notification{}
	for _, s := range sent {
		byRecipient[s.Recipient] = append(byRecipient[s.Recipient], s)
	}
	if len(sent) != 4 || len(byRecipient["pokja-wa"]) != 1 || len(byRecipient["super-mail"]) != 1 ||
		len(byRecipient[store.ComplainantRecipient]) != 1 || len(byRecipient["pokja-ringkas"]) != 1 {
		t.Fatalf("at the opening: %+v", sent)
	}
	if w := byRecipient["pokja-wa"][0]; w.Mode != notify.ModeTemplate || w.Kind != domain.NotifyReminder {
		t.Errorf("held reminder to WhatsApp: %+v", w)
	}
	d := byRecipient["pokja-ringkas"][0]
	if d.Channel != "sms" || d.Address != "6281200000002" || !strings.HasPrefix(d.Text, "Ringkasan harian Aduan: 2 pengingat.") ||
		!strings.Contains(d.Text, "ADU-AAAA-0003") || !strings.Contains(d.Text, "ADU-AAAA-0004") ||
		!strings.HasSuffix(d.Text, "http://test/staf/notifikasi") || d.Code != "ADU-AAAA-0003, ADU-AAAA-0004" {
		t.Errorf("digest: %+v", d)
	}
	d1, d2 := rowsOf(t, db, "d1")["pokja-ringkas"], rowsOf(t, db, "d2")["pokja-ringkas"]
	if d1.SentAt == nil || !d1.SentAt.Equal(morning) || d1.ProviderRef.String == "" || d1.ProviderRef != d2.ProviderRef ||
		d1.SentVia.String != "fake:sms" || d2.SentAt == nil {
		t.Errorf("digest rows: %+v / %+v, want both sent with one receipt", d1, d2)
	}
	if r := rowsOf(t, db, "q1")[store.ComplainantRecipient]; r.SentAt == nil || !r.SentAt.Equal(morning) || r.HoldUntil == nil {
		t.Errorf("question after the night: sent %v hold %v (kept)", r.SentAt, r.HoldUntil)
	}
	// A provider's report on the digest reaches every row it carried.
	if k, err := db.RecordDelivery(ctx, "sms", d1.ProviderRef.String, "delivered", morning, ""); err != nil || k != 2 {
		t.Errorf("delivery report on the digest: %d rows, %v", k, err)
	}
	// Nothing goes twice.
	c.t = morning.Add(time.Hour)
	if k, err := n.SendLoose(ctx, 50); err != nil || k != 0 || len(fake.take()) != 0 {
		t.Errorf("a second pass: %d handled, %v", k, err)
	}
}

// TestQuietHoursOff: without quiet hours (tests, demos) a night's reminder goes at once;
// an officer's digest still waits for the morning.
func TestQuietHoursOff(t *testing.T) {
	db, n, fake, c := officeSetup(t)
	n.QuietHours = false
	ctx := context.Background()
	addComplaint(t, db, "ADU-BBBB-0001", "at_pokja", "logistik", "")
	addComplaint(t, db, "ADU-BBBB-0002", "at_pokja", "hunian", "")
	c.t = witaAt("2026-12-01 22:00")
	for _, req := range []domain.NotifyRequest{
		{Key: "r", Code: "ADU-BBBB-0001", Kind: domain.NotifyReminder, Status: domain.StatusAtPokja, Pokja: "logistik", Due: c.t},
		{Key: "d", Code: "ADU-BBBB-0002", Kind: domain.NotifyReminder, Status: domain.StatusAtPokja, Pokja: "hunian", Due: c.t},
	} {
		if _, err := n.Notify(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	if sent := fake.take(); len(sent) != 1 || sent[0].Recipient != "pokja-wa" {
		t.Errorf("quiet hours off: %+v", sent)
	}
	if r := rowsOf(t, db, "d")["pokja-ringkas"]; !r.Digest || r.HoldUntil == nil || !r.HoldUntil.Equal(witaAt("2026-12-02 08:00")) {
		t.Errorf("digest with quiet hours off: %+v", r)
	}
}

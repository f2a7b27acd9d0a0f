package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"aduan/activities"
	"aduan/domain"
	"aduan/notify"
	"aduan/store"
)

// flakySender fails its first `failures` sends, then records what it delivers.
type flakySender struct {
	mu       sync.Mutex
	failures int
	calls    int
	sent     []notify.Notification
}

func (f *flakySender) Send(_ context.Context, n notify.Notification) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.failures > 0 {
		f.failures--
		return errors.New("gateway down (fake)")
	}
	f.sent = append(f.sent, n)
	return nil
}

func (f *flakySender) delivered() []notify.Notification {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]notify.Notification(nil), f.sent...)
}

// runNotify runs the Notify activity as the worker registers it, in an activity context,
// once (no automatic retry: the test plays Temporal's retries itself).
func runNotify(t testing.TB, n *activities.Notifier, req domain.NotifyRequest) error {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(quiet)
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivityWithOptions(n.Notify, activity.RegisterOptions{Name: domain.ActivityNotify})
	_, err := env.ExecuteActivity(domain.ActivityNotify, req)
	return err
}

// outbox reads the rows of one notification occasion, by recipient.
func outbox(t testing.TB, key string) map[string]store.Notification {
	t.Helper()
	var rows []store.Notification
	if err := testDB.SelectContext(context.Background(), &rows, `SELECT id, dedupe_key, code, kind, recipient, channel,
			address, template, text, due_at, created_at, sent_at, attempts, last_error
		FROM notifications WHERE starts_with(dedupe_key, $1) ORDER BY id`, key+"/"); err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	out := map[string]store.Notification{}
	for _, r := range rows {
		if r.DedupeKey != key+"/"+r.Recipient {
			t.Errorf("dedupe key %q, want %q", r.DedupeKey, key+"/"+r.Recipient)
		}
		if _, dup := out[r.Recipient]; dup {
			t.Errorf("two rows for %s under %s", r.Recipient, key)
		}
		out[r.Recipient] = r
	}
	return out
}

func recipientsOf(rows map[string]store.Notification) []string {
	out := make([]string, 0, len(rows))
	for r := range rows {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

func wantRecipients(t testing.TB, what string, rows map[string]store.Notification, want ...string) {
	t.Helper()
	sort.Strings(want)
	if got := recipientsOf(rows); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s: recipients %v, want %v", what, got, want)
	}
}

func notifyKey(t testing.TB, code, what string) string {
	return fmt.Sprintf("e2e/%s/%s/%s", code, what, randomHex(3))
}

// TestNotifyRetryAndDedupe: a delivery that fails leaves its row unsent with the attempt
// counted and fails the activity (so Temporal retries it); the retry delivers it; a third
// run sends nothing; and each recipient has exactly one row whatever the retries.
func TestNotifyRetryAndDedupe(t *testing.T) {
	t.Parallel()
	code := newAtPokja(t)
	fake := &flakySender{failures: 1}
	n := &activities.Notifier{DB: testDB, Senders: notify.Senders{notify.ChannelLog: fake}, BaseURL: "http://test"}
	deadline := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	key := notifyKey(t, code, "reminder")
	req := domain.NotifyRequest{Key: key, Code: code, Kind: domain.NotifyReminder, Status: domain.StatusAtPokja,
		Pokja: "logistik", Deadline: &deadline, Due: time.Now().UTC().Truncate(time.Second)}

	// First attempt: the sender fails.
	err := runNotify(t, n, req)
	if err == nil {
		t.Fatalf("first run: want an error (delivery failed), got nil")
	}
	if strings.Contains(err.Error(), "gateway down") {
		t.Errorf("the activity's error (kept in workflow history) quotes the sender's error: %v", err)
	}
	rows := outbox(t, key)
	wantRecipients(t, "pokja reminder", rows, "pokja-logistik")
	r := rows["pokja-logistik"]
	if r.SentAt != nil || r.Attempts != 1 || r.LastError.String == "" {
		t.Errorf("after a failed delivery: sent_at %v attempts %d last_error %q; want unsent, 1, the error", r.SentAt, r.Attempts, r.LastError.String)
	}
	if r.Channel != notify.ChannelLog || r.Address.Valid {
		t.Errorf("pokja-logistik has no e-mail: want channel log without address, got %s %v", r.Channel, r.Address)
	}
	if r.Code != code || r.Kind != domain.NotifyReminder || r.Template != "reminder.staff" || !r.DueAt.Equal(req.Due) {
		t.Errorf("row %+v", r)
	}
	wantText := "Pengingat: aduan " + code + " (Ditangani pokja) harus ditindaklanjuti sebelum Senin, 07-12-2026 16:00 WITA."
	if !strings.HasPrefix(r.Text, wantText) || !strings.Contains(r.Text, "http://test/staf/aduan/"+code) ||
		!strings.Contains(r.Text, "Pokja Logistik dan Bantuan") {
		t.Errorf("text %q, want it to start with %q and link the staff view", r.Text, wantText)
	}
	if len(fake.delivered()) != 0 {
		t.Fatalf("delivered %d on the failed run", len(fake.delivered()))
	}

	// Temporal retries: the row is delivered.
	if err := runNotify(t, n, req); err != nil {
		t.Fatalf("second run: %v", err)
	}
	rows = outbox(t, key)
	wantRecipients(t, "after the retry", rows, "pokja-logistik")
	r = rows["pokja-logistik"]
	if r.SentAt == nil || r.Attempts != 2 {
		t.Errorf("after the retry: sent_at %v attempts %d; want sent, 2", r.SentAt, r.Attempts)
	}
	if d := fake.delivered(); len(d) != 1 || d[0].ID != r.ID || d[0].Recipient != "pokja-logistik" {
		t.Errorf("delivered %+v, want the one row", d)
	}

	// A third run (a duplicate schedule, a replayed retry) sends nothing new.
	if err := runNotify(t, n, req); err != nil {
		t.Fatalf("third run: %v", err)
	}
	if d := fake.delivered(); len(d) != 1 {
		t.Errorf("third run delivered again: %d deliveries", len(d))
	}
	rows = outbox(t, key)
	if len(rows) != 1 || rows["pokja-logistik"].Attempts != 2 || !rows["pokja-logistik"].SentAt.Equal(*r.SentAt) {
		t.Errorf("third run changed the outbox: %+v", rows)
	}
}

// TestNotifyRecipients checks who is told of what.
func TestNotifyRecipients(t *testing.T) {
	t.Parallel()
	fake := &flakySender{}
	n := &activities.Notifier{DB: testDB, Senders: notify.Senders{notify.ChannelLog: fake}, BaseURL: "http://test"}
	deadline := time.Now().Add(-time.Hour)
	run := func(code, what string, req domain.NotifyRequest) map[string]store.Notification {
		t.Helper()
		req.Key, req.Code, req.Deadline, req.Due = notifyKey(t, code, what), code, &deadline, time.Now()
		if err := runNotify(t, n, req); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		rows := outbox(t, req.Key)
		for who, r := range rows {
			if r.SentAt == nil || r.Attempts != 1 {
				t.Errorf("%s to %s: sent_at %v attempts %d, want sent on the first attempt", what, who, r.SentAt, r.Attempts)
			}
		}
		return rows
	}

	// The complainant gave a name, phone and e-mail: none of it may reach a staff text.
	name, phone, email := "Siti Rahmawati "+randomHex(2), "0812"+fmt.Sprint(time.Now().UnixNano()%100000000), "siti."+randomHex(3)+"@example.com"
	text := uniqueText(t)
	atPartner := submitBody(t, map[string]any{"text": text, "name": name, "phone": phone, "email": email,
		"kecamatan": "simboro", "desa": "botteng"}, nil)
	triage(t, atPartner, "logistik", "bantuan_logistik")
	forward(t, atPartner, "pokja-logistik", "ypii")
	atPokja := newAtPokja(t)
	received := submit(t, uniqueText(t))

	var staffRows []store.Notification
	keep := func(rows map[string]store.Notification) map[string]store.Notification {
		for _, r := range rows {
			staffRows = append(staffRows, r)
		}
		return rows
	}

	rows := keep(run(atPokja, "reminder", domain.NotifyRequest{Kind: domain.NotifyReminder, Status: domain.StatusAtPokja, Pokja: "logistik"}))
	wantRecipients(t, "reminder at_pokja", rows, "pokja-logistik")
	rows = keep(run(atPokja, "overdue", domain.NotifyRequest{Kind: domain.NotifyOverdueReminder, Status: domain.StatusPokjaReview, Pokja: "logistik"}))
	wantRecipients(t, "overdue reminder pokja_review", rows, "pokja-logistik")
	rows = keep(run(received, "reminder", domain.NotifyRequest{Kind: domain.NotifyReminder, Status: domain.StatusReceived}))
	wantRecipients(t, "reminder received", rows, "admin")
	rows = keep(run(atPartner, "reminder", domain.NotifyRequest{Kind: domain.NotifyReminder, Status: domain.StatusAtPartner,
		Pokja: "logistik", Partner: "ypii"}))
	wantRecipients(t, "reminder at_partner", rows, "mitra-ypii")
	rows = keep(run(atPartner, "escalation", domain.NotifyRequest{Kind: domain.NotifyEscalation, Status: domain.StatusAtPartner,
		Pokja: "logistik", Partner: "ypii"}))
	wantRecipients(t, "escalation at_partner", rows, "supervisor", "pokja-logistik")
	if r := rows["supervisor"]; r.Template != "escalation.staff" || !strings.HasPrefix(r.Text, "Eskalasi: aduan "+atPartner) {
		t.Errorf("escalation text: %s %q", r.Template, r.Text)
	}
	rows = keep(run(atPokja, "escalation", domain.NotifyRequest{Kind: domain.NotifyEscalation, Status: domain.StatusAtPokja, Pokja: "logistik"}))
	wantRecipients(t, "escalation at_pokja (the head of office is the second level)", rows, "supervisor")
	rows = keep(run(atPartner, "escalation_head", domain.NotifyRequest{Kind: domain.NotifyEscalationHead, Status: domain.StatusAtPartner,
		Pokja: "logistik", Partner: "ypii"}))
	wantRecipients(t, "escalation_head", rows, "kepala-dinas")
	rows = keep(run(atPartner, "overall_reminder", domain.NotifyRequest{Kind: domain.NotifyOverallReminder, Status: domain.StatusAtPartner,
		Pokja: "logistik", Partner: "ypii"}))
	wantRecipients(t, "overall_reminder", rows, "supervisor")
	rows = keep(run(atPartner, "overall_escalation", domain.NotifyRequest{Kind: domain.NotifyOverallEscalation, Status: domain.StatusAtPartner,
		Pokja: "logistik", Partner: "ypii"}))
	wantRecipients(t, "overall_escalation (a head of office is a supervisor too: one row)", rows, "supervisor", "kepala-dinas")
	if rows := run(atPokja, "published", domain.NotifyRequest{Kind: domain.NotifyReminder, Status: domain.StatusPublished}); len(rows) != 0 {
		t.Errorf("a reminder when nobody has the ball wrote %v", recipientsOf(rows))
	}

	for _, r := range staffRows {
		for _, personal := range []string{name, phone, email, text, "Siti"} {
			if strings.Contains(r.Text, personal) {
				t.Errorf("staff text for %s (%s) carries personal data %q: %q", r.Recipient, r.Template, personal, r.Text)
			}
		}
		if !strings.Contains(r.Text, "WITA") {
			t.Errorf("staff text without a WITA deadline: %q", r.Text)
		}
	}

	// The complainant, on their e-mail: no staff usernames.
	asked := submitBody(t, map[string]any{"text": uniqueText(t), "name": name, "email": email, "kecamatan": "simboro"}, nil)
	step(t, "admin", asked, "request_info", map[string]any{"question": "Di dusun mana tepatnya?"}, domain.StatusAwaitingInfo)
	rows = run(asked, "reminder", domain.NotifyRequest{Kind: domain.NotifyReminder, Status: domain.StatusAwaitingInfo})
	wantRecipients(t, "reminder awaiting_info", rows, store.ComplainantRecipient)
	c := rows[store.ComplainantRecipient]
	if c.Channel != notify.ChannelEmail || c.Address.String != email || c.Template != "reminder.pelapor" {
		t.Errorf("complainant with e-mail: channel %s address %q template %s", c.Channel, c.Address.String, c.Template)
	}
	for user := range roleOf {
		if strings.Contains(c.Text, user) {
			t.Errorf("complainant text names staff user %q: %q", user, c.Text)
		}
	}
	if strings.Contains(c.Text, "/staff/") || !strings.Contains(c.Text, "http://test/lacak/"+asked) {
		t.Errorf("complainant text should link the tracking view only: %q", c.Text)
	}

	// An anonymous complainant without contact: a log row, so the outbox shows it was due.
	anon := submitBody(t, map[string]any{"text": uniqueText(t), "anonymous": true, "kecamatan": "simboro"}, nil)
	rows = run(anon, "closed", domain.NotifyRequest{Kind: domain.NotifyNoReplyClosed, Status: domain.StatusClosed})
	wantRecipients(t, "no_reply_closed", rows, store.ComplainantRecipient)
	if c := rows[store.ComplainantRecipient]; c.Channel != notify.ChannelLog || c.Address.Valid || c.Template != "no_reply_closed.pelapor" {
		t.Errorf("anonymous complainant: channel %s address %v template %s", c.Channel, c.Address, c.Template)
	}

	// A WhatsApp complainant is answered on WhatsApp, at their phone. (Intake over
	// WhatsApp comes with its own issue; the test marks a web complaint as one.)
	wa := submitBody(t, map[string]any{"text": uniqueText(t), "phone": phone, "email": email, "kecamatan": "simboro"}, nil)
	if _, err := testDB.ExecContext(context.Background(), `UPDATE complaints SET channel = 'whatsapp', phone_confirmed_by = 'pesan'
		WHERE code = $1`, wa); err != nil {
		t.Fatal(err)
	}
	rows = run(wa, "reminder", domain.NotifyRequest{Kind: domain.NotifyReminder, Status: domain.StatusAwaitingInfo})
	if c := rows[store.ComplainantRecipient]; c.Channel != notify.ChannelWhatsApp || c.Address.String != domain.NormalizePhone(phone) {
		t.Errorf("whatsapp complainant: channel %s address %q", c.Channel, c.Address.String)
	}
}

// TestNotificationsEndpoint: a user lists their own notifications only, newest first,
// never with an address. Not parallel: it gives pokja-logistik an e-mail address for a
// while, which the other notify tests must not see.
func TestNotificationsEndpoint(t *testing.T) {
	ctx := context.Background()
	// pokja-logistik gets an e-mail address for this test, so its rows carry one.
	if _, err := testDB.ExecContext(ctx, `UPDATE staff SET email = 'pokja.logistik@example.go.id' WHERE username = 'pokja-logistik'`); err != nil {
		t.Fatal(err)
	}
	defer testDB.ExecContext(ctx, `UPDATE staff SET email = NULL WHERE username = 'pokja-logistik'`)
	fake := &flakySender{}
	n := &activities.Notifier{DB: testDB, Senders: notify.Senders{notify.ChannelLog: fake, notify.ChannelEmail: fake}, BaseURL: "http://test"}
	code := newAtPartner(t)
	deadline := time.Now().Add(time.Hour)
	mine := map[int64]bool{}
	others := map[int64]bool{}
	for _, kind := range []domain.NotifyKind{domain.NotifyEscalation, domain.NotifyOverdueReminder} {
		key := notifyKey(t, code, string(kind))
		req := domain.NotifyRequest{Key: key, Code: code, Kind: kind, Status: domain.StatusAtPartner, Pokja: "logistik",
			Partner: "ypii", Deadline: &deadline, Due: time.Now()}
		if err := runNotify(t, n, req); err != nil {
			t.Fatal(err)
		}
		for who, r := range outbox(t, key) {
			if who == "pokja-logistik" {
				mine[r.ID] = true
				if r.Channel != notify.ChannelEmail || r.Address.String != "pokja.logistik@example.go.id" {
					t.Errorf("pokja-logistik with an e-mail: channel %s address %q", r.Channel, r.Address.String)
				}
			} else {
				others[r.ID] = true
			}
		}
	}
	if len(mine) != 1 || len(others) == 0 {
		t.Fatalf("want one row for pokja-logistik (the escalation) and some for others, got %v and %v", mine, others)
	}

	wantKeys := map[string]bool{"id": true, "code": true, "kind": true, "channel": true, "template": true, "text": true,
		"due_at": true, "created_at": true, "sent_at": true, "attempts": true}
	var listed []int64
	total := -1
	for page := 1; ; page++ {
		r := do(t, "GET", fmt.Sprintf("/api/v1/staff/notifications?page=%d", page), "pokja-logistik", nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET notifications: %s", r)
		}
		if strings.Contains(string(r.Raw), "address") || strings.Contains(string(r.Raw), "@example.go.id") {
			t.Errorf("notifications list shows an address: %s", r.Raw)
		}
		var body struct {
			Items   []map[string]json.RawMessage `json:"items"`
			Page    int                          `json:"page"`
			PerPage int                          `json:"per_page"`
			Total   int                          `json:"total"`
		}
		r.decode(t, &body)
		if body.Page != page || body.PerPage <= 0 {
			t.Fatalf("page %d: page %d per_page %d", page, body.Page, body.PerPage)
		}
		if total < 0 {
			total = body.Total
		}
		var prev time.Time
		for i, it := range body.Items {
			for k := range it {
				if !wantKeys[k] {
					t.Errorf("unexpected key %q in %s", k, r.Raw)
				}
			}
			for k := range wantKeys {
				if _, ok := it[k]; !ok {
					t.Errorf("item without %q: %s", k, r.Raw)
				}
			}
			var item struct {
				ID        int64     `json:"id"`
				CreatedAt time.Time `json:"created_at"`
			}
			raw, _ := json.Marshal(it)
			_ = json.Unmarshal(raw, &item)
			if i > 0 && item.CreatedAt.After(prev) {
				t.Errorf("not newest first: %s after %s", item.CreatedAt, prev)
			}
			prev = item.CreatedAt
			listed = append(listed, item.ID)
		}
		if len(body.Items) < body.PerPage || page*body.PerPage >= body.Total {
			break
		}
	}
	// Every row listed is pokja-logistik's, and all of theirs are listed.
	var recipients []string
	if err := testDB.SelectContext(ctx, &recipients, `SELECT DISTINCT recipient FROM notifications WHERE id = ANY($1)`,
		pq.Array(listed)); err != nil {
		t.Fatal(err)
	}
	if len(recipients) != 1 || recipients[0] != "pokja-logistik" {
		t.Errorf("pokja-logistik's list holds rows of %v", recipients)
	}
	seen := map[int64]bool{}
	for _, id := range listed {
		seen[id] = true
	}
	for id := range mine {
		if !seen[id] {
			t.Errorf("own notification %d not listed (listed %v)", id, listed)
		}
	}
	for id := range others {
		if seen[id] {
			t.Errorf("someone else's notification %d listed", id)
		}
	}
	if total < len(mine) || total < len(listed) {
		t.Errorf("total %d, listed %d, own rows of this test %d", total, len(listed), len(mine))
	}

	// Another user does not see pokja-logistik's row; without a token, 401.
	r := do(t, "GET", "/api/v1/staff/notifications", "mitra-pmi", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET as mitra-pmi: %s", r)
	}
	var pmi struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	r.decode(t, &pmi)
	for _, it := range pmi.Items {
		if mine[it.ID] || others[it.ID] {
			t.Errorf("mitra-pmi sees notification %d", it.ID)
		}
	}
	wantError(t, do(t, "GET", "/api/v1/staff/notifications", "", nil, nil), http.StatusUnauthorized, "unauthenticated")
}

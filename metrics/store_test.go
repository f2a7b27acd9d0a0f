package metrics

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"

	"aduan/store"
)

// complaint records a complaint through intake, created ago, then puts it where a
// test wants it (as the projection would): status, pokja, deadline, overdue flag, and
// whether its workflow started and its acknowledgement went out.
func complaint(t *testing.T, db *store.DB, ago time.Duration, status, pokja string, deadline time.Time, overdue, started, acked bool) string {
	t.Helper()
	ctx := context.Background()
	res, err := db.InsertIntake(ctx, store.Intake{Channel: "web", Text: "Jalan rusak di depan sekolah.",
		CreatedAt: time.Now().Add(-ago)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE complaints SET status = $2, pokja = nullif($3, ''), deadline = $4, overdue = $5
		WHERE code = $1`, res.Code, status, pokja, deadline, overdue); err != nil {
		t.Fatal(err)
	}
	if started {
		if err := db.MarkWorkflowStarted(ctx, res.Code); err != nil {
			t.Fatal(err)
		}
	}
	if acked {
		if err := db.AckSent(ctx, res.Code); err != nil {
			t.Fatal(err)
		}
	}
	return res.Code
}

// notification writes one outbox row and returns its id; held rows wait until hold.
func notification(t *testing.T, db *store.DB, key, code, channel string, hold *time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	n := store.Notification{DedupeKey: key, Code: code, Kind: "reminder", Recipient: "admin1", Channel: channel,
		Template: "reminder", Text: "Pengingat: aduan menunggu tindakan.", DueAt: time.Now(), HoldUntil: hold}
	if channel != "log" {
		n.Address = sql.NullString{String: "admin1@example.go.id", Valid: true}
	}
	if err := db.EnqueueNotifications(ctx, []store.Notification{n}); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.GetContext(ctx, &id, `SELECT id FROM notifications WHERE dedupe_key = $1`, key); err != nil {
		t.Fatal(err)
	}
	return id
}

// series gathers c into name{labels} → value, labels in name order as Prometheus
// writes them.
func series(t *testing.T, c prometheus.Collector) map[string]float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(c); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			key := mf.GetName()
			if len(labels) > 0 {
				key += "{" + strings.Join(labels, ",") + "}"
			}
			out[key] = value(mf.GetType(), m)
		}
	}
	return out
}

func value(t dto.MetricType, m *dto.Metric) float64 {
	if t == dto.MetricType_COUNTER {
		return m.GetCounter().GetValue()
	}
	return m.GetGauge().GetValue()
}

// TestStoreCollector: the figures read from a real database: open complaints by status
// and pokja (empty statuses at 0), the overdue ones and the oldest passed deadline, the
// relay's, acknowledger's and announcer's backlogs, the outbox (new and retrying, held and call-back
// rows left out) and delivery failures as a counter by channel.
func TestStoreCollector(t *testing.T) {
	db := FreshDatabase(t)
	ctx := context.Background()
	now := time.Now()
	later := now.Add(48 * time.Hour)

	// Recorded 10 minutes ago, its workflow never started (the relay's), not
	// acknowledged, deadline passed an hour ago in received: overdue.
	a := complaint(t, db, 10*time.Minute, "received", "", now.Add(-time.Hour), false, false, false)
	// Just recorded: intake's starter still has time, but it waits for its acknowledgement.
	complaint(t, db, 10*time.Second, "received", "", later, false, false, false)
	complaint(t, db, time.Hour, "at_pokja", "kesehatan", later, false, true, true)
	// Marked overdue by its workflow two hours ago: the oldest passed deadline.
	complaint(t, db, 5*time.Hour, "at_pokja", "kesehatan", now.Add(-2*time.Hour), true, true, true)
	complaint(t, db, 3*time.Hour, "at_pokja", "pendidikan", later, false, true, true)
	// Waiting for the complainant: a passed deadline there is not staff's lateness.
	complaint(t, db, 2*time.Hour, "awaiting_info", "kesehatan", now.Add(-3*time.Hour), false, true, true)
	// Finished complaints are not open, overdue or not.
	complaint(t, db, 30*time.Hour, "closed", "kesehatan", now.Add(-20*time.Hour), true, true, true)
	complaint(t, db, 30*time.Hour, "published", "pendidikan", now.Add(-20*time.Hour), false, true, true)

	// The outbox: one new row waiting 20 minutes, one failed and retried, one sent then
	// reported failed by its provider, one held for the morning, one call-back task, one
	// sent.
	waiting := notification(t, db, "k/new", a, "email", nil)
	if _, err := db.ExecContext(ctx, `UPDATE notifications SET created_at = now() - interval '20 minutes' WHERE id = $1`, waiting); err != nil {
		t.Fatal(err)
	}
	retried := notification(t, db, "k/retry", a, "whatsapp", nil)
	if err := db.MarkNotificationFailed(ctx, retried, "whatsapp: HTTP 503"); err != nil {
		t.Fatal(err)
	}
	reported := notification(t, db, "k/reported", a, "sms", nil)
	if err := db.MarkNotificationSent(ctx, reported, now, "sms", "sms-ref-1"); err != nil {
		t.Fatal(err)
	}
	if n, err := db.RecordDelivery(ctx, "sms", "sms-ref-1", "failed", now, "nomor tidak aktif"); err != nil || n != 1 {
		t.Fatalf("record delivery: %d, %v", n, err)
	}
	morning := now.Add(10 * time.Hour)
	notification(t, db, "k/held", a, "email", &morning)
	callback := notification(t, db, "k/callback", a, "callback", nil)
	if err := db.MarkNotificationFailed(ctx, callback, "tidak diangkat"); err != nil {
		t.Fatal(err)
	}
	sent := notification(t, db, "k/sent", a, "email", nil)
	if err := db.MarkNotificationSent(ctx, sent, now, "smtp", ""); err != nil {
		t.Fatal(err)
	}

	// Two publications' announcements: one queued, one done.
	if _, err := db.ExecContext(ctx, `INSERT INTO announcements (code, seq, request, done_at)
		VALUES ($1, 5, '{}', NULL), ($1, 9, '{}', now())`, a); err != nil {
		t.Fatal(err)
	}

	c := NewStoreCollector(db)
	got := series(t, c)
	want := map[string]float64{
		"aduan_complaints_open{pokja=none,status=received}":           2,
		"aduan_complaints_open{pokja=kesehatan,status=at_pokja}":      2,
		"aduan_complaints_open{pokja=pendidikan,status=at_pokja}":     1,
		"aduan_complaints_open{pokja=kesehatan,status=awaiting_info}": 1,
		"aduan_complaints_open{pokja=none,status=at_partner}":         0,
		"aduan_complaints_open{pokja=none,status=pokja_review}":       0,
		"aduan_complaints_open{pokja=none,status=ready_to_publish}":   0,
		"aduan_complaints_overdue":                                    2,
		"aduan_relay_unstarted":                                       1,
		"aduan_ack_pending":                                           2,
		"aduan_announcements_pending":                                 1,
		"aduan_outbox_pending{state=new}":                             1,
		"aduan_outbox_pending{state=retrying}":                        1,
		"aduan_delivery_failures_total{channel=email}":                0,
		"aduan_delivery_failures_total{channel=log}":                  0,
		"aduan_delivery_failures_total{channel=sms}":                  1,
		"aduan_delivery_failures_total{channel=whatsapp}":             1,
		"aduan_store_up": 1,
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
		}
	}
	// Ages, within the slack of a slow machine.
	for _, c := range []struct {
		name     string
		min, max float64
	}{
		{"aduan_oldest_overdue_seconds", 2 * 3600, 2*3600 + 120},
		{"aduan_ack_oldest_pending_seconds", 600, 600 + 120},
		{"aduan_outbox_oldest_pending_seconds", 1200, 1200 + 120},
	} {
		if g := got[c.name]; g < c.min || g > c.max {
			t.Errorf("%s = %v, want %v..%v", c.name, g, c.min, c.max)
		}
	}
	if problems, err := testutil.CollectAndLint(c); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
	// Nothing else: no closed or published complaint, no call-back channel.
	if n := len(got); n != len(want)+3+1 { // the three ages and aduan_store_read_seconds
		t.Errorf("%d series, want %d: %v", n, len(want)+4, got)
	}
}

// TestStoreCollectorCacheAndFailures: a scrape within the cache's life reads nothing;
// delivery failures only grow, the rows older than two days counted at the hourly
// settling, newer ones at every read; a database that does not answer gives
// aduan_store_up 0 and leaves the figures out rather than showing stale ones.
func TestStoreCollectorCacheAndFailures(t *testing.T) {
	db := FreshDatabase(t)
	ctx := context.Background()
	code := complaint(t, db, time.Hour, "at_pokja", "kesehatan", time.Now().Add(time.Hour), false, true, true)
	old := notification(t, db, "k/old-1", code, "email", nil)
	old2 := notification(t, db, "k/old-2", code, "email", nil)
	// Three days ago: one failed once, then went; the other went at once.
	if err := db.MarkNotificationFailed(ctx, old, "smtp: 451 try later"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE notifications SET created_at = now() - interval '3 days', sent_at = now() - interval '3 days'`); err != nil {
		t.Fatal(err)
	}
	recent := notification(t, db, "k/recent", code, "email", nil)

	c := NewStoreCollector(db)
	failures := func() float64 { return series(t, c)["aduan_delivery_failures_total{channel=email}"] }
	if got := failures(); got != 1 {
		t.Fatalf("email failures %v, want 1", got)
	}

	// Within the cache's life nothing is read again.
	if err := db.MarkNotificationFailed(ctx, recent, "smtp: 451 try later"); err != nil {
		t.Fatal(err)
	}
	if got := failures(); got != 1 {
		t.Errorf("cached read: email failures %v, want still 1", got)
	}
	c.mu.Lock()
	c.ttl = 0
	c.mu.Unlock()
	if got := failures(); got != 2 {
		t.Errorf("a recent failure: %v, want 2", got)
	}
	// An old row failing now waits for the settling, and the count never drops.
	if _, err := db.ExecContext(ctx, `UPDATE notifications SET delivery_status = 'failed' WHERE id = $1`, old2); err != nil {
		t.Fatal(err)
	}
	if got := failures(); got != 2 {
		t.Errorf("before settling: %v, want 2", got)
	}
	c.mu.Lock()
	c.settleEvery = 0
	c.mu.Unlock()
	if got := failures(); got != 3 {
		t.Errorf("after settling: %v, want 3", got)
	}

	// The database goes away: up 0, no figures.
	broken, err := store.Open(ctx, dbURL(t, db))
	if err != nil {
		t.Fatal(err)
	}
	broken.Close()
	bc := NewStoreCollector(broken)
	got := series(t, bc)
	if got["aduan_store_up"] != 0 {
		t.Errorf("aduan_store_up %v on a closed database", got["aduan_store_up"])
	}
	for k := range got {
		if !strings.HasPrefix(k, "aduan_store_") {
			t.Errorf("%s shown without a database", k)
		}
	}
	if problems, err := testutil.CollectAndLint(bc); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}

// dbURL is the URL of db's database.
func dbURL(t *testing.T, db *store.DB) string {
	t.Helper()
	var name string
	if err := db.Get(&name, `SELECT current_database()`); err != nil {
		t.Fatal(err)
	}
	return databaseURL(t, name)
}

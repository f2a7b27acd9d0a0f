package bench

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aduan/demo"
	"aduan/domain"
	"aduan/media/mediatest"
	"aduan/store"
)

// TestLoadYear: a year of closed complaints is written as their projections would have
// left them: final, started, acknowledged; each with an unbroken audit trail ending in
// its status, its stage visits, its outbox rows; spread over channels, places,
// categories, pokja and the days of a past year, with Indonesian texts that a search
// finds at realistic rates; the same seed draws the same year; the report and the
// searches read it.
func TestLoadYear(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db, filepath.Join(t.TempDir(), "tokens.json")); err != nil {
		t.Fatal(err)
	}
	const n = 3000
	took, err := LoadYear(ctx, db, n, 42)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("LoadYear(%d) took %v", n, took)
	one := func(q string, args ...any) int {
		t.Helper()
		var v int
		if err := db.GetContext(ctx, &v, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return v
	}
	checks := []struct {
		what string
		q    string
		want func(int) bool
	}{
		{"complaints", `SELECT count(*) FROM complaints`, func(v int) bool { return v == n }},
		{"not final, not started, or acknowledgement pending",
			`SELECT count(*) FROM complaints WHERE status NOT IN ('closed', 'rejected') OR NOT workflow_started OR ack_pending
				OR closed_at IS NULL OR closed_at > now() OR deadline IS NOT NULL`, func(v int) bool { return v == 0 }},
		{"created outside the past year", `SELECT count(*) FROM complaints
			WHERE created_at < now() - interval '381 days' OR created_at > now() - interval '10 days'`, func(v int) bool { return v == 0 }},
		{"trails with a gap, out of order, or not ending in the status", `SELECT count(*) FROM complaints c
			WHERE (SELECT count(*) FROM complaint_events e WHERE e.code = c.code) <> c.last_seq
				OR (SELECT max(seq) FROM complaint_events e WHERE e.code = c.code) <> c.last_seq
				OR (SELECT status FROM complaint_events e WHERE e.code = c.code AND e.seq = c.last_seq) <> c.status
				OR EXISTS (SELECT 1 FROM complaint_events a JOIN complaint_events b ON b.code = a.code AND b.seq = a.seq + 1
					WHERE a.code = c.code AND b.at < a.at)
				OR (SELECT at FROM complaint_events e WHERE e.code = c.code AND e.seq = 1) <> c.created_at`,
			func(v int) bool { return v == 0 }},
		{"complaints without visits", `SELECT count(*) FROM complaints c
			WHERE NOT EXISTS (SELECT 1 FROM complaint_visits v WHERE v.code = c.code)`, func(v int) bool { return v == 0 }},
		{"channels", `SELECT count(DISTINCT channel) FROM complaints`, func(v int) bool { return v == len(domain.Channels) }},
		{"categories", `SELECT count(DISTINCT category) FROM complaints`, func(v int) bool { return v >= 10 }},
		{"pokja", `SELECT count(DISTINCT pokja) FROM complaints`, func(v int) bool { return v == len(demo.Pokja) }},
		{"partners", `SELECT count(DISTINCT partner) FROM complaints`, func(v int) bool { return v == len(demo.Partners) }},
		{"desa", `SELECT count(DISTINCT desa) FROM complaints`, func(v int) bool { return v >= 50 }},
		{"months", `SELECT count(DISTINCT date_trunc('month', created_at)) FROM complaints`, func(v int) bool { return v >= 12 }},
		{"rejected", `SELECT count(*) FROM complaints WHERE status = 'rejected'`, func(v int) bool { return v > n/20 && v < n/5 }},
		{"published", `SELECT count(*) FROM complaints WHERE published_at IS NOT NULL`, func(v int) bool { return v > n/2 }},
		{"confidential ones published", `SELECT count(*) FROM complaints WHERE confidential AND published_at IS NOT NULL`,
			func(v int) bool { return v == 0 }},
		{"feedback", `SELECT count(*) FROM complaint_feedback`, func(v int) bool { return v > n/5 }},
		{"acknowledgements", `SELECT count(*) FROM notifications WHERE kind = 'ack' AND sent_at IS NOT NULL`,
			func(v int) bool { return v == n }},
		{"the word banjir", `SELECT count(*) FROM complaints WHERE text ILIKE '%banjir%'`, func(v int) bool { return v > n/8 && v < n/2 }},
	}
	for _, c := range checks {
		if v := one(c.q); !c.want(v) {
			t.Errorf("%s: %d", c.what, v)
		}
	}

	// What the hot paths read of it.
	admin := domain.Actor{Username: "admin", Role: domain.RoleAdmin}
	rows, total, err := db.Search(ctx, admin, store.Filter{Q: "banjir", Page: 1, PerPage: 20})
	if err != nil || total < n/8 || len(rows) != 20 || !strings.Contains(strings.ToLower(rows[0].Text+rows[0].Title.String), "banjir") {
		t.Errorf("search banjir: %d rows, total %d, %v", len(rows), total, err)
	}
	now := time.Now()
	rep, err := db.Report(ctx, admin, now.AddDate(-1, 0, -20), now, 60*24*time.Hour)
	if err != nil || rep.Total != n || rep.Answered == 0 || rep.Published == 0 || rep.FeedbackCount == 0 {
		t.Errorf("report of the year: total %d answered %d published %d feedback %d, %v",
			rep.Total, rep.Answered, rep.Published, rep.FeedbackCount, err)
	}
	for _, st := range rep.Stages {
		if st.Visits == 0 || st.MedianSeconds == nil {
			t.Errorf("report stage %s: %+v", st.Stage, st)
		}
	}
	md, err := ExplainHot(ctx, db)
	if err != nil || !strings.Contains(md, "Execution Time") || !strings.Contains(md, "report: stage times") {
		t.Errorf("ExplainHot: %v\n%.500s", err, md)
	}

	// The same seed draws the same year (on the same directory, in another database).
	other := mediatest.Database(t)
	if _, err := demo.Seed(ctx, other, filepath.Join(t.TempDir(), "tokens.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadYear(ctx, other, 50, 42); err != nil {
		t.Fatal(err)
	}
	var a, b []string
	q := `SELECT code || ' ' || channel || ' ' || status || ' ' || text FROM complaints ORDER BY code`
	if err := db.SelectContext(ctx, &a, q); err != nil {
		t.Fatal(err)
	}
	if err := other.SelectContext(ctx, &b, q); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			t.Errorf("seed 42 drew %.60q in one database and not in the other", x)
			break
		}
	}
}

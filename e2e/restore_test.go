package e2e

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"aduan/demo"
	"aduan/domain"
	"aduan/store"
	"aduan/worker"
)

// restoreStage is where the drill leaves one complaint before the backup: the steps that
// bring it there, and the step that must still work after the restore.
type restoreStage struct {
	want  domain.Status
	steps []happyStep
	next  happyStep
}

type happyStep struct {
	user, action string
	body         map[string]any
	want         domain.Status
}

func stepsUntil(n int) []happyStep {
	var out []happyStep
	for _, s := range happyPath[:n] {
		out = append(out, happyStep{s.user, s.action, s.body, s.want})
	}
	return out
}

func stepAt(n int) happyStep {
	s := happyPath[n]
	return happyStep{s.user, s.action, s.body, s.want}
}

// TestRestoreDrill is docs/OPERATIONS.md's backup and restore, on the production profile:
// Aduan's database and Temporal's two databases on one PostgreSQL server of the test's
// own; complaints in every status, with deadlines pending; Aduan's processes stopped and
// the three databases dumped (pg_dump); the Temporal server stopped and all three dropped;
// a deadline falls due while nothing runs; the dumps restored (pg_restore) and everything
// started again. Every complaint carries on from where it was, the deadline that fell due
// fires, and verify reports no drift.
func TestRestoreDrill(t *testing.T) {
	if !clusterMode() {
		t.Skip("the drill restores the production profile's databases (ADUAN_E2E_TEMPORAL=cluster; scripts/test.sh runs it)")
	}
	start := time.Now()
	pg := startPostgres(t)
	ctx := context.Background()
	open := func() *store.DB {
		db, err := store.Open(ctx, pg.url("aduan"))
		if err != nil {
			t.Fatal(err)
		}
		db.UseKeys(e2eRing)
		return db
	}
	pg.createDatabase("aduan")
	db := open()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	toks, err := demo.Seed(ctx, db, filepath.Join(t.TempDir(), "tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	cl, err := startCluster("127.0.0.1", pg.port, pg.url("postgres"), "temporal", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.stop)
	c := dialTemporal(t, cl.hostPort)
	tq := "aduan-restore-" + randomHex(4)

	// A policy in seconds for the partner, hours elsewhere: the complaint at the partner
	// falls due while the system is down.
	sec := func(n int) domain.Span { return domain.Span{Dur: time.Duration(n) * time.Second} }
	hour := sec(3600)
	partnerDue := 10 * time.Second
	policy := &domain.SLAPolicy{
		Stages: map[domain.Status]domain.Span{
			domain.StatusReceived: hour, domain.StatusAwaitingInfo: hour, domain.StatusAtPokja: hour,
			domain.StatusAtPartner: {Dur: partnerDue}, domain.StatusPokjaReview: hour, domain.StatusReadyToPublish: hour,
		},
		Reminders: []float64{}, EscalateHeadAfter: hour, OverdueEvery: hour, OverdueMax: 1,
		Overall: sec(10 * 3600), FeedbackWindow: hour, ArchiveAfter: hour,
	}
	// up starts a worker (with its background loops) and an API on db; down stops both.
	up := func(db *store.DB) (base string, down func()) {
		w := worker.New(c, db, tq, nil)
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		bctx, cancel := context.WithCancel(ctx)
		bdone := make(chan struct{})
		go func() { defer close(bdone); worker.RunBackground(bctx, c, db, tq, nil, time.Second) }()
		deps := apiDeps
		deps.Temporal, deps.DB, deps.TaskQueue, deps.SLAOverride = c, db, tq, policy
		h, stopCore := buildRouter(deps)
		srv := httptest.NewServer(h)
		return srv.URL, func() { srv.Close(); stopCore(); cancel(); <-bdone; w.Stop() }
	}
	base, down := up(db)

	stages := []restoreStage{
		{domain.StatusReceived, nil, stepAt(0)},
		{domain.StatusAtPokja, stepsUntil(1), stepAt(1)},
		{domain.StatusAtPartner, stepsUntil(2), stepAt(2)},
		{domain.StatusPokjaReview, stepsUntil(3), stepAt(3)},
		{domain.StatusReadyToPublish, stepsUntil(4), stepAt(4)},
		{domain.StatusPublished, stepsUntil(5), happyStep{}},
		{domain.StatusAwaitingInfo, []happyStep{{"admin", "request_info", map[string]any{"question": "Di dusun mana?"},
			domain.StatusAwaitingInfo}}, stepAt(0)},
		{domain.StatusRejected, []happyStep{{"admin", "reject", map[string]any{"reason": "spam", "note": "uji"},
			domain.StatusRejected}}, happyStep{}},
	}
	d := newDriver(toks, base)
	codes := make([]string, len(stages))
	var partnerAt time.Time
	for i, st := range stages {
		cursor := 0
		code, err := d.submitFrom(&cursor, intakeBody(d.run, i), fmt.Sprintf("restore-%s-%d", d.run, i))
		if err != nil {
			t.Fatal(err)
		}
		codes[i] = code
		for _, s := range st.steps {
			if err := d.act(&cursor, code, s.user, s.action, s.body, s.want); err != nil {
				t.Fatal(err)
			}
		}
		if st.want == domain.StatusAtPartner {
			partnerAt = time.Now()
		}
	}
	checkNoDrift(t, db, c, len(codes), 30*time.Second)
	t.Logf("%d complaints in every status (%s)", len(codes), time.Since(start).Round(time.Millisecond))

	// Back up: Aduan's processes stopped (docs/OPERATIONS.md), the Temporal server running.
	down()
	db.Close()
	dumps := map[string]string{}
	for _, name := range []string{"aduan", "temporal", "temporal_visibility"} {
		dumps[name] = filepath.Join(pg.sockDir, name+".dump")
		if out, err := pg.run("pg_dump", "-h", "127.0.0.1", "-p", fmt.Sprint(pg.port), "-U", "postgres",
			"-Fc", "-f", dumps[name], name); err != nil {
			t.Fatalf("pg_dump %s: %v\n%s", name, err, out)
		}
	}
	t.Logf("backed up the three databases (%s)", time.Since(start).Round(time.Millisecond))

	// Disaster: the Temporal server stops and the three databases are gone.
	cl.stop()
	admin, err := sql.Open("postgres", pg.url("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	for name := range dumps {
		if _, err := admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`); err != nil {
			t.Fatal(err)
		}
	}
	// The partner's deadline falls due while nothing runs.
	if wait := partnerDue + time.Second - time.Since(partnerAt); wait > 0 {
		time.Sleep(wait)
	}

	// Restore, in the order of docs/OPERATIONS.md, and start again.
	for _, name := range []string{"temporal", "temporal_visibility", "aduan"} {
		owner := "temporal"
		if name == "aduan" {
			owner = "postgres"
		}
		if _, err := admin.Exec(`CREATE DATABASE ` + name + ` OWNER ` + owner); err != nil {
			t.Fatal(err)
		}
		if out, err := pg.run("pg_restore", "-h", "127.0.0.1", "-p", fmt.Sprint(pg.port), "-U", "postgres",
			"-d", name, dumps[name]); err != nil {
			t.Fatalf("pg_restore %s: %v\n%s", name, err, out)
		}
	}
	if err := cl.start(); err != nil {
		t.Fatal(err)
	}
	db = open()
	t.Cleanup(func() { db.Close() })
	base, down = up(db)
	t.Cleanup(down)
	t.Logf("restored and started again (%s)", time.Since(start).Round(time.Millisecond))

	// The deadline that fell due while everything was down fires.
	partner := codes[2]
	var v staffView
	if !eventually(60*time.Second, func() bool {
		r, err := tryAt(base, "GET", "/api/v1/staff/complaints/"+partner, toks["admin"], nil, nil)
		if err != nil || r.Status != http.StatusOK {
			return false
		}
		_ = json.Unmarshal(r.Raw, &v)
		return v.Overdue
	}) {
		t.Fatalf("the partner's deadline fell due during the outage but %s is not overdue after the restore: %+v", partner, v)
	}
	t.Logf("%s overdue after the restore, as its deadline passed while down", partner)

	// Every complaint that was not final carries on from where it was.
	d = newDriver(toks, base)
	for i, st := range stages {
		if st.next.action == "" {
			continue
		}
		cursor := 0
		if err := d.act(&cursor, codes[i], st.next.user, st.next.action, st.next.body, st.next.want); err != nil {
			t.Errorf("after the restore, %s (%s): %v", codes[i], st.want, err)
		}
	}
	checkNoDrift(t, db, c, len(codes), 60*time.Second)
	t.Logf("drill done in %s", time.Since(start).Round(time.Millisecond))
}

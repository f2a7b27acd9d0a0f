package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"

	"aduan/demo"
	"aduan/domain"
	"aduan/store"
	"aduan/verify"
	"aduan/worker"
)

// Fault tests: measured, not assumed. Each one breaks part of the running system in the
// middle of real lifecycles (SIGKILL of the worker and the API processes, a Temporal
// restart, PostgreSQL stopped) and then checks that every complaint reached its end, that
// every audit trail has each event exactly once, and that `verify` finds no drift between
// PostgreSQL and the workflows.
//
// `make test` runs the short versions (a few dozen lifecycles, about 45 s on 2 cores, as
// many side by side as -parallel allows); ADUAN_CHAOS=1 (`make chaos`) runs the long ones:
// hundreds of lifecycles, repeated kills, PostgreSQL down for 20 s.

// chaos reports whether the long versions were asked for.
func chaos() bool { return os.Getenv("ADUAN_CHAOS") == "1" }

// pick is short in `make test`, long under ADUAN_CHAOS=1.
func pick[T any](short, long T) T {
	if chaos() {
		return long
	}
	return short
}

// happyPath is the lifecycle every fault test drives: what each step is, who takes it and
// where it leaves the complaint.
var happyPath = []struct {
	user, action string
	body         map[string]any
	want         domain.Status
}{
	{"admin", "triage", map[string]any{"pokja": "logistik", "category": "bantuan_logistik", "priority": "normal",
		"title": "Uji gangguan"}, domain.StatusAtPokja},
	{"pokja-logistik", "forward", map[string]any{"partner": "ypii", "note": "Mohon dicek."}, domain.StatusAtPartner},
	{"mitra-ypii", "partner_answer", map[string]any{"answer": "Distribusi hari Jumat."}, domain.StatusPokjaReview},
	{"pokja-logistik", "approve", map[string]any{}, domain.StatusReadyToPublish},
	{"admin", "publish", map[string]any{"public_title": "Distribusi beras",
		"public_answer": "Distribusi dijadwalkan hari Jumat."}, domain.StatusPublished},
}

// happyActions is the audit trail of a published happy path, in order.
var happyActions = []string{"submit", "triage", "forward", "partner_answer", "approve", "publish"}

// TestFault runs the four fault scenarios side by side (each on a stack of its own), after
// building bin/aduan once for the ones that need child processes.
func TestFault(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes and stops servers of its own")
	}
	bin := buildAduan(t, t.TempDir())
	// Side by side on dev servers; one after the other on the production profile, whose
	// servers each keep a pool of PostgreSQL connections (the shared server has 100).
	parallel := func(t *testing.T) {
		if !clusterMode() {
			t.Parallel()
		}
	}
	t.Run("WorkerKill", func(t *testing.T) { parallel(t); testWorkerKill(t, bin) })
	t.Run("TemporalRestart", func(t *testing.T) { parallel(t); testTemporalRestart(t) })
	t.Run("PostgresDown", func(t *testing.T) { parallel(t); testPostgresDown(t) })
	t.Run("TwoOfEach", func(t *testing.T) { parallel(t); testTwoOfEach(t, bin) })
}

// testWorkerKill: the worker is a child process (`aduan worker`); it is SIGKILLed right
// after a batch of actions was sent (so with Updates and projection activities in flight)
// and started again. Every complaint still reaches published, once.
func testWorkerKill(t *testing.T, bin string) {
	n, kills := pick(10, 100), pick(1, 3)
	start := time.Now()
	db, toks := freshDatabase(t)
	dbURL := databaseURL(t, db)
	hostPort := ownTemporal(t, false).hostPort
	c := dialTemporal(t, hostPort)
	tq := "aduan-fault-" + randomHex(4)
	w := startWorkerProc(t, "worker", bin, dbURL, hostPort, tq)
	srv := inProcessAPI(t, c, db, tq)

	d := newDriver(toks, srv.URL)
	run := d.start(n, pick(n, 25))
	total := int64(n * len(happyPath))
	for k := 1; k <= kills; k++ {
		if !d.waitSent(total*int64(k)/int64(kills+1), run) {
			break
		}
		time.Sleep(50 * time.Millisecond) // the Updates are in the workflow, projections running
		w.kill()
		t.Logf("SIGKILLed the worker after %d actions sent (%s)", d.sent.Load(), time.Since(start).Round(time.Millisecond))
		time.Sleep(time.Second)
		w.restart()
	}
	codes := run.wait(t)
	t.Logf("%d lifecycles done in %s; HTTP answers %s", len(codes), time.Since(start).Round(time.Millisecond), d.tally())
	checkPublished(t, db, codes)
	logRetries(t, c, codes)
	checkNoDrift(t, db, c, len(codes), 30*time.Second)
}

// testTemporalRestart: the Temporal dev server (fixed port, SQLite file) is stopped with
// complaints in flight and started again on the same file; everything carries on.
func testTemporalRestart(t *testing.T) {
	n := pick(20, 100)
	start := time.Now()
	db, toks := freshDatabase(t)
	server := ownTemporal(t, true)
	c := dialTemporal(t, server.hostPort)
	tq := "aduan-fault-" + randomHex(4)
	w := worker.New(c, db, tq, nil)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	ctx, cancel := context.WithCancel(context.Background())
	relayDone := make(chan struct{})
	go func() { defer close(relayDone); worker.RunBackground(ctx, c, db, tq, nil, time.Second) }()
	t.Cleanup(func() { cancel(); <-relayDone })
	srv := inProcessAPI(t, c, db, tq)

	d := newDriver(toks, srv.URL)
	run := d.start(n, pick(n, 25))
	total := int64(n * len(happyPath))
	if d.waitSent(total/3, run) {
		time.Sleep(50 * time.Millisecond)
		if err := server.Stop(); err != nil {
			t.Fatalf("stop Temporal: %v", err)
		}
		t.Logf("stopped Temporal after %d actions sent (%s)", d.sent.Load(), time.Since(start).Round(time.Millisecond))
		time.Sleep(pick(2*time.Second, 10*time.Second))
		server.Start()
		t.Logf("Temporal is back (%s)", time.Since(start).Round(time.Millisecond))
	}
	codes := run.wait(t)
	t.Logf("%d lifecycles done in %s; HTTP answers %s", len(codes), time.Since(start).Round(time.Millisecond), d.tally())
	checkPublished(t, db, codes)
	logRetries(t, c, codes)
	checkNoDrift(t, db, c, len(codes), 30*time.Second)
}

// testPostgresDown: a PostgreSQL server of the test's own is stopped for 20 s, longer
// than one attempt of a projection may take (15 s), with actions and intake arriving. Every request succeeds or
// is answered 503 with nothing half-done: no complaint row without its first event, and
// no workflow transition whose projection never lands (the projection activity retries
// until PostgreSQL is back). Then every projection equals its workflow.
func testPostgresDown(t *testing.T) {
	n, down := pick(10, 50), 20*time.Second
	start := time.Now()
	pg := startPostgres(t)
	ctx := context.Background()
	db, err := store.Open(ctx, pg.createDatabase("aduan"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	toks, err := demo.Seed(ctx, db, filepath.Join(t.TempDir(), "tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	tq := "aduan-fault-" + randomHex(4)
	tc := tc
	if clusterMode() {
		// The production profile keeps Temporal's own databases on the same server, so the
		// outage stops Temporal's persistence too.
		cl, err := startCluster("127.0.0.1", pg.port, pg.url("postgres"), "temporal", t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cl.stop)
		tc = dialTemporal(t, cl.hostPort)
	}
	w := worker.New(tc, db, tq, nil)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	rctx, cancel := context.WithCancel(ctx)
	relayDone := make(chan struct{})
	go func() { defer close(relayDone); worker.RunBackground(rctx, tc, db, tq, nil, time.Second) }()
	t.Cleanup(func() { cancel(); <-relayDone })
	srv := inProcessAPI(t, tc, db, tq)

	d := newDriver(toks, srv.URL)
	run := d.start(n, n)
	var outageKeys []string
	var outageAnswers = map[int]int{}
	if d.waitSent(int64(n*len(happyPath))/3, run) {
		time.Sleep(50 * time.Millisecond)
		pg.stop()
		downAt := time.Now()
		t.Logf("stopped PostgreSQL after %d actions sent (%s)", d.sent.Load(), time.Since(start).Round(time.Millisecond))
		// Intake while it is down: one try each, 201 or 503 and nothing in between.
		for i := 0; time.Since(downAt) < down; i++ {
			key := fmt.Sprintf("pgdown-%s-%d", d.run, i)
			r, err := tryAt(srv.URL, "POST", "/api/v1/complaints", "", intakeBody(d.run, 1000+i), map[string]string{"Idempotency-Key": key})
			if err != nil {
				t.Errorf("intake while PostgreSQL is down: %v", err)
			} else {
				outageAnswers[r.Status]++
				if r.Status != http.StatusCreated && r.Status != http.StatusServiceUnavailable {
					t.Errorf("intake while PostgreSQL is down: want 201 or 503, got %s", r)
				}
			}
			outageKeys = append(outageKeys, key)
			time.Sleep(250 * time.Millisecond)
		}
		pg.start()
		t.Logf("PostgreSQL is back after %s; intake answers while down %v", time.Since(downAt).Round(time.Millisecond), outageAnswers)
	}
	codes := run.wait(t)
	t.Logf("%d lifecycles done in %s; HTTP answers %s", len(codes), time.Since(start).Round(time.Millisecond), d.tally())
	if d.count(http.StatusServiceUnavailable) == 0 && outageAnswers[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no request was answered 503 while PostgreSQL was down: the outage was not exercised")
	}
	if bad := d.unexpected(); len(bad) > 0 {
		t.Errorf("answers other than 200/201/503 (or a 409 for an action already applied): %v", bad)
	}
	// A client retries what was refused, with the same key: one complaint per key.
	for _, key := range outageKeys {
		i := 0
		_, _ = fmt.Sscanf(key[strings.LastIndex(key, "-")+1:], "%d", &i)
		code, err := d.submitKey(intakeBody(d.run, 1000+i), key)
		if err != nil {
			t.Errorf("intake %s after PostgreSQL came back: %v", key, err)
			continue
		}
		codes = append(codes, code)
	}
	var rows, orphans int
	_ = db.Get(&rows, `SELECT count(*) FROM complaints`)
	_ = db.Get(&orphans, `SELECT count(*) FROM complaints c
		WHERE NOT EXISTS (SELECT 1 FROM complaint_events e WHERE e.code = c.code AND e.seq = 1)`)
	if rows != len(codes) || orphans != 0 {
		t.Errorf("%d complaint rows for %d complaints taken (want equal); %d rows without their first event (want 0)",
			rows, len(codes), orphans)
	}
	checkPublished(t, db, codes[:n])
	logRetries(t, tc, codes[:n])
	checkNoDrift(t, db, tc, len(codes), 40*time.Second)
}

// testTwoOfEach: two `aduan worker` and two `aduan api` processes on one Temporal and one
// PostgreSQL; one of each is SIGKILLed mid-run. The client moves to the surviving API on a
// connection error and nothing stalls.
func testTwoOfEach(t *testing.T, bin string) {
	n := pick(10, 100)
	start := time.Now()
	db, toks := freshDatabase(t)
	dbURL := databaseURL(t, db)
	hostPort := ownTemporal(t, false).hostPort
	c := dialTemporal(t, hostPort)
	tq := "aduan-fault-" + randomHex(4)
	w1 := startWorkerProc(t, "worker-1", bin, dbURL, hostPort, tq)
	startWorkerProc(t, "worker-2", bin, dbURL, hostPort, tq)
	api1, base1 := startAPIProc(t, "api-1", bin, dbURL, hostPort, tq)
	_, base2 := startAPIProc(t, "api-2", bin, dbURL, hostPort, tq)
	t.Logf("two workers and two APIs up (%s)", time.Since(start).Round(time.Millisecond))

	d := newDriver(toks, base1, base2)
	run := d.start(n, pick(n, 25))
	if d.waitSent(int64(n*len(happyPath))/3, run) {
		time.Sleep(50 * time.Millisecond)
		w1.kill()
		api1.kill()
		t.Logf("SIGKILLed worker-1 and api-1 after %d actions sent (%s)", d.sent.Load(), time.Since(start).Round(time.Millisecond))
	}
	codes := run.wait(t)
	t.Logf("%d lifecycles done in %s; HTTP answers %s; %d switches to the other API",
		len(codes), time.Since(start).Round(time.Millisecond), d.tally(), d.switches.Load())
	checkPublished(t, db, codes)
	logRetries(t, c, codes)
	checkNoDrift(t, db, c, len(codes), 30*time.Second)
}

// dialTemporal is a client of the dev server at hostPort, closed when the test ends.
func dialTemporal(t *testing.T, hostPort string) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: hostPort, Namespace: "default", Logger: quiet, DataConverter: e2eDataConverter})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// inProcessAPI serves the API on db and task queue tq through c, closed when the test ends.
func inProcessAPI(t *testing.T, c client.Client, db *store.DB, tq string) *httptest.Server {
	t.Helper()
	deps := apiDeps
	deps.Temporal, deps.DB, deps.TaskQueue = c, db, tq
	deps.StartTimeout = time.Second
	srv := httptest.NewServer(newRouter(t, deps))
	t.Cleanup(srv.Close)
	return srv
}

// checkPublished checks that every complaint is published with the happy path's audit
// trail: numbered 1..n without a gap, each action exactly once, in order.
func checkPublished(t *testing.T, db *store.DB, codes []string) {
	t.Helper()
	bad := 0
	for _, code := range codes {
		var status string
		if err := db.Get(&status, `SELECT status FROM complaints WHERE code = $1`, code); err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		var evs []struct {
			Seq    int64  `db:"seq"`
			Action string `db:"action"`
		}
		if err := db.Select(&evs, `SELECT seq, action FROM complaint_events WHERE code = $1 ORDER BY seq`, code); err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		var actions []string
		gap := false
		for i, e := range evs {
			actions = append(actions, e.Action)
			gap = gap || e.Seq != int64(i+1)
		}
		if status != string(domain.StatusPublished) || gap || !slices.Equal(actions, happyActions) {
			if bad++; bad <= 10 {
				t.Errorf("%s: status %s, audit trail %+v; want published with %v numbered 1..%d",
					code, status, evs, happyActions, len(happyActions))
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d complaints are not published with a clean audit trail", bad, len(codes))
	}
}

// logRetries says, from the workflows' histories, what the fault did to them: activities
// that needed more than one attempt (a projection cut off by the kill or the outage) and
// workflow tasks that timed out (taken by a worker that died).
func logRetries(t *testing.T, c client.Client, codes []string) {
	t.Helper()
	retried, localRetried, timedOut, touched := 0, 0, 0, 0
	for _, code := range codes {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		it := c.GetWorkflowHistory(ctx, domain.WorkflowID(code), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		hit := false
		for it.HasNext() {
			e, err := it.Next()
			if err != nil {
				break
			}
			if a := e.GetActivityTaskStartedEventAttributes(); a != nil && a.GetAttempt() > 1 {
				retried++
				hit = true
			}
			if localAttempt(e) > 1 { // a projection retried inside its workflow task
				localRetried++
				hit = true
			}
			if e.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT || e.GetEventType() == enumspb.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT {
				timedOut++
				hit = true
			}
		}
		cancel()
		if hit {
			touched++
		}
	}
	t.Logf("histories: %d of %d workflows hit by the fault: %d activities and %d local activities (projections) retried, %d tasks timed out",
		touched, len(codes), retried, localRetried, timedOut)
}

// localAttempt is the attempt a local activity's marker records (0 for other events):
// more than 1 means the projection was retried before it landed.
func localAttempt(e *historypb.HistoryEvent) int32 {
	m := e.GetMarkerRecordedEventAttributes()
	if m == nil || m.GetMarkerName() != "LocalActivity" {
		return 0
	}
	data := m.GetDetails()["data"].GetPayloads()
	if len(data) == 0 {
		return 0
	}
	var marker struct{ Attempt int32 }
	if err := e2eDataConverter.FromPayload(data[0], &marker); err != nil { // sealed by the codec
		return 0
	}
	return marker.Attempt
}

// checkNoDrift waits (up to timeout, for retries to settle) until verify finds every
// complaint's projection equal to its workflow's state, and fails with the drift if not.
func checkNoDrift(t *testing.T, db *store.DB, c client.Client, want int, timeout time.Duration) {
	t.Helper()
	var r verify.Report
	var err error
	start := time.Now()
	ok := eventually(timeout, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		r, err = verify.Check(ctx, db, c, false)
		return err == nil && r.Drifted == 0 && r.NotStarted == 0 && r.Checked == want
	})
	if !ok {
		if len(r.Drifts) > 10 {
			r.Drifts = r.Drifts[:10]
		}
		t.Fatalf("verify after %s: err %v, checked %d (want %d), not started %d, drifted %d: %v",
			timeout, err, r.Checked, want, r.NotStarted, r.Drifted, r.Drifts)
	}
	t.Logf("verify: %d complaints checked, no drift (%s)", r.Checked, time.Since(start).Round(time.Millisecond))
}

// intakeBody is complaint i of run, as a web intake body.
func intakeBody(run string, i int) []byte {
	raw, _ := json.Marshal(map[string]any{
		"text":      fmt.Sprintf("Aduan uji gangguan %s nomor %d: bantuan beras belum sampai.", run, i),
		"kecamatan": "simboro", "desa": "botteng",
	})
	return raw
}

// driver runs lifecycles through the HTTP API like a patient client: it retries a request
// answered 503 or lost on the way (connection refused or reset) with the same
// Idempotency-Key, moving to the next API when one is gone.
type driver struct {
	bases    []string
	tokens   map[string]string
	run      string
	patience time.Duration

	sent     atomic.Int64 // actions sent, retries included
	switches atomic.Int64 // moves to another API after a connection error

	mu      sync.Mutex
	answers map[string]int // "200", "503", "conn" ...: how the API answered
	odd     []string       // answers that are neither success, 503 nor a lost connection
	waiters []sentWaiter
}

type sentWaiter struct {
	n  int64
	ch chan struct{}
}

func newDriver(tokens map[string]string, bases ...string) *driver {
	return &driver{bases: bases, tokens: tokens, run: randomHex(4), patience: pick(3*time.Minute, 10*time.Minute),
		answers: map[string]int{}}
}

// lifecycles is a set of lifecycles running in the background.
type lifecycles struct {
	done  chan struct{}
	codes []string
	errs  []error
}

// start runs n lifecycles, at most conc at a time, in the background.
func (d *driver) start(n, conc int) *lifecycles {
	l := &lifecycles{done: make(chan struct{})}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, conc)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			code, err := d.lifecycle(i)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				l.errs = append(l.errs, err)
				return
			}
			l.codes = append(l.codes, code)
		}()
	}
	go func() { wg.Wait(); sort.Strings(l.codes); close(l.done) }()
	return l
}

// wait waits for every lifecycle and fails the test with those that did not finish.
func (l *lifecycles) wait(t *testing.T) []string {
	t.Helper()
	<-l.done
	for i, err := range l.errs {
		if i == 10 {
			t.Errorf("... and %d more", len(l.errs)-10)
			break
		}
		t.Error(err)
	}
	if len(l.errs) > 0 {
		t.FailNow()
	}
	return l.codes
}

// waitSent waits until n actions were sent; false when the lifecycles ended first.
func (d *driver) waitSent(n int64, l *lifecycles) bool {
	ch := make(chan struct{})
	d.mu.Lock()
	if d.sent.Load() >= n {
		close(ch)
	} else {
		d.waiters = append(d.waiters, sentWaiter{n, ch})
	}
	d.mu.Unlock()
	select {
	case <-ch:
		return true
	case <-l.done:
		return false
	}
}

func (d *driver) noteSent() {
	n := d.sent.Add(1)
	d.mu.Lock()
	defer d.mu.Unlock()
	kept := d.waiters[:0]
	for _, w := range d.waiters {
		if n >= w.n {
			close(w.ch)
		} else {
			kept = append(kept, w)
		}
	}
	d.waiters = kept
}

// lifecycle submits complaint i and takes it along the happy path to published.
func (d *driver) lifecycle(i int) (string, error) {
	cursor := i % len(d.bases)
	code, err := d.submitFrom(&cursor, intakeBody(d.run, i), fmt.Sprintf("fault-%s-%d", d.run, i))
	if err != nil {
		return "", err
	}
	for _, s := range happyPath {
		if err := d.act(&cursor, code, s.user, s.action, s.body, s.want); err != nil {
			return code, err
		}
	}
	return code, nil
}

// submitKey takes one complaint in with Idempotency-Key key and returns its code.
func (d *driver) submitKey(body []byte, key string) (string, error) {
	cursor := 0
	return d.submitFrom(&cursor, body, key)
}

func (d *driver) submitFrom(cursor *int, body []byte, key string) (string, error) {
	r, err := d.retry(cursor, "POST", "/api/v1/complaints", "", body, key, http.StatusCreated)
	if err != nil {
		return "", fmt.Errorf("intake %s: %w", key, err)
	}
	var out struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(r.Raw, &out); err != nil || out.Code == "" {
		return "", fmt.Errorf("intake %s: %s", key, r)
	}
	return out.Code, nil
}

// act takes one action (with an Idempotency-Key of its own, so a retry is the same
// Update) and checks the complaint moved to want. A 409 is accepted when the complaint is
// in want already (the action was applied by an earlier try).
func (d *driver) act(cursor *int, code, user, action string, body map[string]any, want domain.Status) error {
	raw, _ := json.Marshal(body)
	path := "/api/v1/staff/complaints/" + code + "/actions/" + action
	r, err := d.retry(cursor, "POST", path, d.tokens[user], raw, "fault-"+code+"-"+action, http.StatusOK, http.StatusConflict)
	if err != nil {
		return fmt.Errorf("%s %s by %s: %w", action, code, user, err)
	}
	var v staffView
	if r.Status == http.StatusConflict {
		got, err := d.retry(cursor, "GET", "/api/v1/staff/complaints/"+code, d.tokens["admin"], nil, "", http.StatusOK)
		if err != nil {
			return fmt.Errorf("%s %s: 409 (%s), then reading it: %w", action, code, r.Raw, err)
		}
		_ = json.Unmarshal(got.Raw, &v)
		if v.Status != string(want) {
			return fmt.Errorf("%s %s by %s: 409 %s and the complaint is %s, not %s", action, code, user, r.Raw, v.Status, want)
		}
		return nil
	}
	if err := json.Unmarshal(r.Raw, &v); err != nil || v.Status != string(want) {
		return fmt.Errorf("%s %s by %s: answered %s, want status %s", action, code, user, r, want)
	}
	return nil
}

// retry sends a request until it is answered with one of the statuses in done, retrying
// a 503 or a lost connection (moving to the next API) until the driver's patience ends.
func (d *driver) retry(cursor *int, method, path, token string, body []byte, key string, done ...int) (response, error) {
	deadline := time.Now().Add(d.patience)
	headers := map[string]string{}
	if key != "" {
		headers["Idempotency-Key"] = key
	}
	var last string
	for time.Now().Before(deadline) {
		base := d.bases[*cursor%len(d.bases)]
		if method == "POST" && strings.Contains(path, "/actions/") {
			d.noteSent()
		}
		r, err := tryAt(base, method, path, token, body, headers)
		switch {
		case err != nil:
			d.note("conn", "")
			last = err.Error()
			if isConnErr(err) && len(d.bases) > 1 {
				*cursor++
				d.switches.Add(1)
			}
		case slices.Contains(done, r.Status):
			d.note(fmt.Sprint(r.Status), "")
			return r, nil
		case r.Status == http.StatusServiceUnavailable:
			d.note("503", "")
			last = r.String()
		default:
			d.note(fmt.Sprint(r.Status), fmt.Sprintf("%s %s: %s", method, path, r))
			return r, fmt.Errorf("answered %s", r)
		}
		time.Sleep(300 * time.Millisecond)
	}
	return response{}, fmt.Errorf("no answer within %s; last: %s", d.patience, last)
}

func (d *driver) note(answer, odd string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.answers[answer]++
	if odd != "" {
		d.odd = append(d.odd, odd)
	}
}

// tally is how the API answered, e.g. "200×50 201×10 503×7".
func (d *driver) tally() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var keys []string
	for k := range d.answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s×%d", k, d.answers[k]))
	}
	return strings.Join(parts, " ")
}

func (d *driver) count(status int) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.answers[fmt.Sprint(status)]
}

// unexpected lists the answers that were neither a success, a 503 nor a 409 for an
// action already applied.
func (d *driver) unexpected() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.odd)
}

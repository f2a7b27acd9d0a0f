package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"aduan/activities"
	"aduan/domain"
	"aduan/notify"
	"aduan/store"
	"aduan/worker"
)

// Several processes, safely: the loops that several workers share claim their work, so
// no acknowledgement, automatic reply or notification goes out twice, and no workflow is
// started twice, when two of each run against a slow provider.

const claimsSMSKey = "claims-sms-key"

// slowGateway is a stand-in of the generic SMS gateway that takes its time (between min
// and max a message, as a provider under load does) and records every message it
// receives, by the outbox row's dedupe key the sender passes as the reference.
type slowGateway struct {
	srv      *httptest.Server
	min, max time.Duration

	mu          sync.Mutex
	got         map[string]int
	total       int
	inFlight    int
	maxInFlight int
}

func newSlowGateway(t *testing.T, min, max time.Duration) *slowGateway {
	g := &slowGateway{min: min, max: max, got: map[string]int{}}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *slowGateway) serve(w http.ResponseWriter, r *http.Request) {
	var body struct {
		To, Text, Reference string
	}
	raw, _ := io.ReadAll(r.Body)
	if r.URL.Path != "/sms/send" || r.Header.Get("Authorization") != "Bearer "+claimsSMSKey ||
		json.Unmarshal(raw, &body) != nil || body.Reference == "" {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	g.got[body.Reference]++ // received counts, whatever the sender makes of the answer
	g.total++
	n := g.total
	g.inFlight++
	g.maxInFlight = max(g.maxInFlight, g.inFlight)
	g.mu.Unlock()
	time.Sleep(g.min + time.Duration(rand.Int64N(int64(g.max-g.min)+1)))
	g.mu.Lock()
	g.inFlight--
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"status":"queued","message_id":"slow-%d"}`, n)
}

// deliveries is how many messages arrived for each of keys, and in all.
func (g *slowGateway) deliveries(keys []string) (per map[string]int, total, maxInFlight int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	per = map[string]int{}
	for _, k := range keys {
		per[k] = g.got[k]
	}
	return per, g.total, g.maxInFlight
}

// checkOnce fails the test for every key that did not arrive exactly once, and returns
// how many keys arrived once, more than once and never.
func checkOnce(t *testing.T, what string, per map[string]int) (once, twice, never int) {
	t.Helper()
	keys := make([]string, 0, len(per))
	for k := range per {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch n := per[k]; {
		case n == 1:
			once++
		case n == 0:
			never++
			t.Errorf("%s %s: never arrived", what, k)
		default:
			twice++
			t.Errorf("%s %s: arrived %d times", what, k, n)
		}
	}
	return once, twice, never
}

// claimsComplaint inserts a complaint that came in by SMS from a mobile number (so its
// messages go by SMS), received a minute ago, its workflow started or not.
func claimsComplaint(t *testing.T, db *store.DB, code string, i int, started bool) {
	t.Helper()
	if _, err := db.Exec(`INSERT INTO complaints (code, channel, text, phone, phone_confirmed_by, created_at, status,
			updated_at, deadline, workflow_started)
		VALUES ($1, 'sms', 'Lampu jalan padam', $2, $3, now() - interval '1 minute', 'received', now() - interval '1 minute',
			now() + interval '3 days', $4)`,
		code, fmt.Sprintf("6281234500%03d", i), domain.ConfirmedByMessage, started); err != nil {
		t.Fatal(err)
	}
}

// claimsCode is the i-th complaint code of a test (prefix: 4 Crockford characters).
func claimsCode(prefix string, i int) string { return fmt.Sprintf("ADU-%s-%04d", prefix, i) }

// TestClaimsTwoWorkers: two `aduan worker` processes share 40 new complaints waiting for
// their acknowledgement and 20 automatic replies in the outbox, through an SMS gateway
// that takes 1 to 2.5 s a message (so one worker's batch outlasts a minute). Each message
// arrives exactly once, each row is recorded sent after one attempt, and both workers
// sent (the gateway had messages from both at once).
func TestClaimsTwoWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds bin/aduan and runs two workers against a slow gateway")
	}
	const acks, loose = 40, 20
	db, _ := freshDatabase(t)
	dbURL := databaseURL(t, db)
	gw := newSlowGateway(t, time.Second, 2500*time.Millisecond)

	var ackKeys, looseKeys []string
	for i := range acks {
		code := claimsCode("CK2W", i)
		claimsComplaint(t, db, code, i, true)
		ackKeys = append(ackKeys, code+"/ack/"+store.ComplainantRecipient)
	}
	for i := range loose {
		key := fmt.Sprintf("auto/claims-%02d/greeting", i)
		if _, err := db.Exec(`INSERT INTO notifications (dedupe_key, kind, recipient, channel, address, template, text, due_at)
			VALUES ($1, $2, $3, 'sms', $4, 'greeting', 'Halo, silakan kirim aduan Anda.', now())`,
			key, domain.NotifyAutoReply, store.ComplainantRecipient, fmt.Sprintf("6281234599%03d", i)); err != nil {
			t.Fatal(err)
		}
		looseKeys = append(looseKeys, key)
	}

	bin := buildAduan(t, t.TempDir())
	hostPort := ownTemporal(t, false).hostPort
	tq := "aduan-claims-" + randomHex(4)
	env := append(childEnv(dbURL, hostPort, tq, "127.0.0.1:0"),
		"ADUAN_SMS_GATEWAY_URL="+gw.srv.URL+"/sms/send", "ADUAN_SMS_API_KEY="+claimsSMSKey)
	start := time.Now()
	startChild(t, "worker-1", bin, env, "worker")
	startChild(t, "worker-2", bin, env, "worker")

	done := func() bool {
		var left int
		if err := db.Get(&left, `SELECT (SELECT count(*) FROM complaints WHERE ack_pending)
			+ (SELECT count(*) FROM notifications WHERE sent_at IS NULL)`); err != nil {
			t.Fatal(err)
		}
		return left == 0
	}
	if !eventually(4*time.Minute, done) {
		t.Fatal("the acknowledgements and automatic replies were not all sent within 4 minutes")
	}
	took := time.Since(start)
	// A second sender of a row would come at the latest when a claim passes; the rows'
	// records are checked now, the gateway's count once more after a while.
	var rows []struct {
		Key      string `db:"dedupe_key"`
		Attempts int    `db:"attempts"`
	}
	if err := db.Select(&rows, `SELECT dedupe_key, attempts FROM notifications ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(rows) != acks+loose {
		t.Errorf("outbox: %d rows, want %d", len(rows), acks+loose)
	}
	for _, r := range rows {
		if r.Attempts != 1 {
			t.Errorf("%s: %d attempts recorded, want 1", r.Key, r.Attempts)
		}
	}
	time.Sleep(5 * time.Second)
	perAck, total, peak := gw.deliveries(ackKeys)
	perLoose, _, _ := gw.deliveries(looseKeys)
	a1, a2, a0 := checkOnce(t, "acknowledgement", perAck)
	l1, l2, l0 := checkOnce(t, "automatic reply", perLoose)
	t.Logf("two workers, %s: acknowledgements: %d rows, %d delivered once, %d more than once, %d never; "+
		"automatic replies: %d rows, %d once, %d more than once, %d never; gateway received %d messages, "+
		"at most %d at once", took.Round(time.Millisecond), acks, a1, a2, a0, loose, l1, l2, l0, total, peak)
	if total != acks+loose {
		t.Errorf("the gateway received %d messages, want %d", total, acks+loose)
	}
	if peak < 2 {
		t.Errorf("the gateway never had two messages at once: one worker did all the work")
	}
}

// startCounter is a Temporal client whose workflow starts take their time (as a server
// that just came back from an outage does) and are counted by workflow ID.
type startCounter struct {
	client.Client
	mu     sync.Mutex
	starts map[string]int
	total  int
}

func (c *startCounter) ExecuteWorkflow(ctx context.Context, opts client.StartWorkflowOptions, wf any,
	args ...any) (client.WorkflowRun, error) {
	c.mu.Lock()
	c.starts[opts.ID]++
	c.total++
	c.mu.Unlock()
	select {
	case <-time.After(300*time.Millisecond + time.Duration(rand.Int64N(int64(700*time.Millisecond)))):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return c.Client.ExecuteWorkflow(ctx, opts, wf, args...)
}

// openPool is another connection pool to db's database: another process's view of it.
func openPool(t *testing.T, db *store.DB) *store.DB {
	t.Helper()
	p, err := store.Open(context.Background(), databaseURL(t, db))
	if err != nil {
		t.Fatal(err)
	}
	p.SetMaxOpenConns(4) // the PostgreSQL server is shared with other tests
	t.Cleanup(func() { p.Close() })
	return p
}

// TestClaimsRelay: two relays (each with its own connection pool and Temporal client,
// as two workers have) share 10 complaints whose workflows intake could not start,
// against a Temporal that takes up to a second a start. Each workflow is started once.
func TestClaimsRelay(t *testing.T) {
	const n = 10
	db, _ := freshDatabase(t)
	var codes []string
	for i := range n {
		code := claimsCode("CKRQ", i)
		claimsComplaint(t, db, code, i, false)
		codes = append(codes, code)
	}
	tq := "aduan-claims-relay-" + randomHex(4)
	t.Cleanup(func() {
		for _, code := range codes {
			_ = tc.TerminateWorkflow(context.Background(), domain.WorkflowID(code), "", "test over")
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	relays := []*startCounter{{Client: tc, starts: map[string]int{}}, {Client: tc, starts: map[string]int{}}}
	var wg sync.WaitGroup
	for _, r := range relays {
		pool := openPool(t, db)
		wg.Go(func() { worker.RunRelay(ctx, r, pool, tq, 200*time.Millisecond) })
	}
	start := time.Now()
	started := func() bool {
		var left int
		if err := db.Get(&left, `SELECT count(*) FROM complaints WHERE NOT workflow_started`); err != nil {
			t.Fatal(err)
		}
		return left == 0
	}
	ok := eventually(time.Minute, started)
	took := time.Since(start)
	time.Sleep(time.Second) // a few more passes of both relays
	cancel()
	wg.Wait()
	if !ok {
		t.Fatal("the relays did not start every workflow within a minute")
	}
	per := map[string]int{}
	for _, code := range codes {
		for _, r := range relays {
			per[code] += r.starts[domain.WorkflowID(code)]
		}
		if _, err := tc.DescribeWorkflow(context.Background(), domain.WorkflowID(code), ""); err != nil {
			t.Errorf("%s: no workflow: %v", code, err)
		}
	}
	once, twice, never := checkOnce(t, "workflow start of", per)
	t.Logf("two relays, %s: %d unstarted complaints, %d started once, %d more than once, %d never; "+
		"start requests: relay 1 %d, relay 2 %d", took.Round(time.Millisecond), n, once, twice, never,
		relays[0].total, relays[1].total)
}

// TestClaimsNotifyAttempts: two attempts of one Notify activity run at once (Temporal
// retried it on another worker while the first still sends: a start-to-close timeout, a
// worker cut off from Temporal), each with its own connection pool, for 10 occasions,
// through a gateway that takes up to 1.5 s a message. Each message arrives once: the
// second attempt finds it in flight and fails (ErrInFlight) for Temporal to retry, and
// that retry sends nothing more and reads the message as delivered.
func TestClaimsNotifyAttempts(t *testing.T) {
	const n = 10
	db, _ := freshDatabase(t)
	gw := newSlowGateway(t, 300*time.Millisecond, 1500*time.Millisecond)
	notifier := func() *activities.Notifier {
		pool := openPool(t, db)
		return &activities.Notifier{DB: pool, BaseURL: "http://test", Senders: notify.NewSenders(notify.Settings{
			SMS: notify.SMSConfig{URL: gw.srv.URL + "/sms/send", APIKey: claimsSMSKey}}, pool.LastInbound)}
	}
	first, second := notifier(), notifier()
	var keys []string
	var reqs []domain.NotifyRequest
	for i := range n {
		code := claimsCode("CKNA", i)
		claimsComplaint(t, db, code, i, true)
		req := domain.NotifyRequest{Key: code + "/claims", Code: code, Kind: domain.NotifyAck,
			Status: domain.StatusReceived, Due: time.Now()}
		reqs = append(reqs, req)
		keys = append(keys, req.Key+"/"+store.ComplainantRecipient)
	}
	ctx := context.Background()
	var mu sync.Mutex
	results := map[string]int{}
	count := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			results["ok"]++
		case errors.Is(err, activities.ErrInFlight):
			results["in flight"]++
		default:
			results["other"]++
			t.Errorf("notify: %v", err)
		}
	}
	var wg sync.WaitGroup
	for _, req := range reqs {
		wg.Go(func() { _, err := first.Notify(ctx, req); count(err) })
		wg.Go(func() {
			time.Sleep(100 * time.Millisecond) // the first attempt is at the gateway by now
			_, err := second.Notify(ctx, req)
			count(err)
		})
	}
	wg.Wait()
	// Temporal's retry of the attempts that found their message in flight.
	for _, req := range reqs {
		o, err := second.Notify(ctx, req)
		if err != nil || !o.Reached || o.Channel != domain.ReachSMS {
			t.Errorf("%s: retry: %+v %v", req.Key, o, err)
		}
	}
	per, total, _ := gw.deliveries(keys)
	once, twice, never := checkOnce(t, "notification", per)
	t.Logf("two attempts of Notify for %d occasions: %d delivered once, %d more than once, %d never; "+
		"attempts: %d ok, %d in flight (retried), %d other; gateway received %d messages",
		n, once, twice, never, results["ok"], results["in flight"], results["other"], total)
	if results["in flight"] == 0 {
		t.Error("no attempt found its message in flight: the attempts did not overlap")
	}
}

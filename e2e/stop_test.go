package e2e

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// holdingGateway is an SMS gateway that takes its time: each message is answered after
// delay, and the one numbered hold (1-based) is held longer, holdFor, with inFlight
// closed when it arrives, so a test can stop a worker in the middle of that send.
type holdingGateway struct {
	srv             *httptest.Server
	delay, holdFor  time.Duration
	hold            int
	inFlight        chan struct{}
	mu              sync.Mutex
	byCode          map[string]int
	received, ended int
}

func newHoldingGateway(delay time.Duration, hold int, holdFor time.Duration) *holdingGateway {
	g := &holdingGateway{delay: delay, hold: hold, holdFor: holdFor, inFlight: make(chan struct{}), byCode: map[string]int{}}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	return g
}

func (g *holdingGateway) serve(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Reference string `json:"reference"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Reference == "" {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	code, _, _ := strings.Cut(body.Reference, "/") // CODE/ack/complainant
	g.mu.Lock()
	g.received++
	n := g.received
	g.byCode[code]++
	g.mu.Unlock()
	wait := g.delay
	if n == g.hold {
		close(g.inFlight)
		wait = g.holdFor
	}
	time.Sleep(wait)
	g.mu.Lock()
	g.ended++
	g.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"queued","message_id":"sms-stop-` + randomHex(4) + `"}`))
}

// counts are the messages taken per complaint, and how many were received.
func (g *holdingGateway) counts() (map[string]int, int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string]int, len(g.byCode))
	for k, v := range g.byCode {
		out[k] = v
	}
	return out, g.received
}

// terminate sends SIGTERM to the child and waits for it to exit, at most within; it
// returns the exit code and how long the exit took (-1 and within when it did not).
func (c *child) terminate(within time.Duration) (int, time.Duration) {
	c.mu.Lock()
	cmd, done := c.cmd, c.done
	c.mu.Unlock()
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		c.t.Fatalf("SIGTERM %s: %v", c.name, err)
	}
	select {
	case <-done:
		return cmd.ProcessState.ExitCode(), time.Since(start)
	case <-time.After(within):
		return -1, within
	}
}

// TestWorkerGracefulStop: `aduan worker` is sent SIGTERM while its acknowledger is in
// the middle of sending an acknowledgement to a slow SMS gateway. It finishes that send
// and records it, takes no other, gives back the acknowledgements it had claimed, and
// exits 0 well within ADUAN_WORKER_STOP_TIMEOUT. A second worker then sends the rest:
// every complainant gets their acknowledgement exactly once.
func TestWorkerGracefulStop(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs aduan worker processes")
	}
	const n = 12
	bin := buildAduan(t, t.TempDir())
	db, _ := freshDatabase(t)
	dbURL := databaseURL(t, db)
	tq := "aduan-stop-" + randomHex(4)
	gw := newHoldingGateway(200*time.Millisecond, 3, 1500*time.Millisecond)
	t.Cleanup(gw.srv.Close)

	// The complaints wait for their acknowledgements: no worker runs yet.
	srv := inProcessAPI(t, tc, db, tq)
	codes := map[string]bool{}
	for range n {
		r := doAt(t, srv.URL, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t),
			"kecamatan": "simboro", "desa": "botteng", "phone": uniquePhone()}, nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("intake: %s", r)
		}
		codes[r.object(t)["code"].(string)] = true
	}

	env := append(childEnv(dbURL, devServerAddr, tq, "127.0.0.1:0"),
		"ADUAN_SMS_GATEWAY_URL="+gw.srv.URL+"/sms/send", "ADUAN_WORKER_STOP_TIMEOUT=10s", "ADUAN_LOG_FORMAT=json")
	first := startChild(t, "worker-1", bin, env, "worker")
	select {
	case <-gw.inFlight:
	case <-time.After(30 * time.Second):
		t.Fatalf("the first worker sent no third acknowledgement within 30 s (running: %v)", first.running())
	}
	code, took := first.terminate(15 * time.Second)
	if code != 0 || took > 10*time.Second {
		t.Fatalf("after SIGTERM the first worker exited with %d after %s; want 0 within the stop timeout (10s)", code, took)
	}
	t.Logf("first worker exited 0 %s after SIGTERM", took.Round(time.Millisecond))

	// It finished the send in hand and recorded every send it made; it started no other.
	_, received := gw.counts()
	var sent, held int
	if err := db.Get(&sent, `SELECT count(*) FROM complaints WHERE NOT ack_pending`); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&held, `SELECT count(*) FROM complaints WHERE ack_pending AND ack_claimed_until IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	if received != 3 || sent != 3 {
		t.Errorf("the gateway took %d messages and %d acknowledgements are recorded sent; want the 3 sent before and during the stop", received, sent)
	}
	if held != 0 {
		t.Errorf("%d acknowledgements still claimed by the stopped worker; want them given back", held)
	}
	checkJSONLog(t, first.log, "worker stopping; finishing the work in hand", "worker stopped")

	// A second worker sends the rest, each once.
	second := startChild(t, "worker-2", bin, append(childEnv(dbURL, devServerAddr, tq, "127.0.0.1:0"),
		"ADUAN_SMS_GATEWAY_URL="+gw.srv.URL+"/sms/send"), "worker")
	if !eventually(20*time.Second, func() bool {
		var pending int
		return db.Get(&pending, `SELECT count(*) FROM complaints WHERE ack_pending`) == nil && pending == 0
	}) {
		t.Fatalf("acknowledgements still pending 20 s after the second worker started")
	}
	if code, took := second.terminate(15 * time.Second); code != 0 {
		t.Errorf("the second worker exited with %d after %s", code, took)
	}
	byCode, received := gw.counts()
	if received != n {
		t.Errorf("the gateway took %d messages for %d complaints", received, n)
	}
	for c := range codes {
		if byCode[c] != 1 {
			t.Errorf("%s: acknowledged %d times, want once", c, byCode[c])
		}
	}
}

// checkJSONLog checks that every line of a child's log (after the test's own header
// line) is a JSON object, and that the messages msgs are among them.
func checkJSONLog(t *testing.T, path string, msgs ...string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "=== ") || strings.TrimSpace(line) == "" {
			continue
		}
		var rec struct {
			Msg string `json:"msg"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("ADUAN_LOG_FORMAT=json, yet a log line is not JSON: %q", line)
			continue
		}
		seen[rec.Msg] = true
	}
	for _, m := range msgs {
		if !seen[m] {
			t.Errorf("no %q in the worker's log", m)
		}
	}
}

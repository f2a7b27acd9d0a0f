package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
)

// seq numbers every complaint a process submits, so texts and phones never repeat.
var seq atomic.Int64

func complaintBody(tag string) map[string]any {
	n := seq.Add(1)
	return map[string]any{
		"text":  fmt.Sprintf("Bantuan beras untuk korban banjir belum tiba di dusun kami (%s %d). Mohon segera dicek.", tag, n),
		"name":  fmt.Sprintf("Pelapor Bench %d", n),
		"phone": fmt.Sprintf("+62 812 %04d %04d", (n/10000)%10000, n%10000),
	}
}

// submit posts one complaint to base and returns its code.
func submit(ctx context.Context, hc *http.Client, base, tag string) (string, error) {
	var out struct {
		Code string `json:"code"`
	}
	if err := call(ctx, hc, "POST", base+"/api/v1/complaints", "", complaintBody(tag), http.StatusCreated, &out); err != nil {
		return "", err
	}
	if out.Code == "" {
		return "", errors.New("intake answered without a code")
	}
	return out.Code, nil
}

// IntakeResult is one run of the intake figure.
type IntakeResult struct {
	Intake, Baseline Latency
	// ByChannel is the intake's latency per channel (web, whatsapp, sms).
	ByChannel map[Channel]Latency
	// Drain is how long the system took, after the intake burst, to start every
	// complaint's workflow, send its acknowledgement and work through the task queue.
	Drain time.Duration
}

// Intake submits n complaints on conc clients, the web form, WhatsApp and SMS in turn
// (every delivery signed as its provider signs it), then the same number of bare INSERTs
// through the baseline server on the same paths with the same clients.
func Intake(ctx context.Context, s *Stack, n, conc int) (IntakeResult, error) {
	hc := newClient(conc)
	defer hc.CloseIdleConnections()
	r := IntakeResult{ByChannel: map[Channel]Latency{}}
	reqs := s.mixedRequests(n, "intake-"+randomHex(3))
	base := s.mixedRequests(n, "baseline-"+randomHex(3))
	var mu sync.Mutex
	byCh := map[Channel][]time.Duration{}
	s.settle(ctx)
	var err error
	r.Intake, err = hammer(ctx, n, conc, func(ctx context.Context, i int) error {
		t0 := time.Now()
		_, err := send(ctx, hc, s.BaseURL, reqs[i])
		if err == nil {
			d := time.Since(t0)
			mu.Lock()
			byCh[reqs[i].channel] = append(byCh[reqs[i].channel], d)
			mu.Unlock()
		}
		return err
	})
	if err != nil && r.Intake.N == 0 {
		return r, fmt.Errorf("intake: %w", err)
	}
	for ch, d := range byCh {
		r.ByChannel[ch] = summarise(d, 0, 0)
	}
	if r.Drain, err = Quiesce(ctx, s); err != nil {
		return r, err
	}
	s.settle(ctx)
	r.Baseline, err = hammer(ctx, n, conc, func(ctx context.Context, i int) error {
		_, err := send(ctx, hc, s.ScratchURL, base[i])
		return err
	})
	if err != nil {
		return r, fmt.Errorf("intake baseline: %w", err)
	}
	return r, nil
}

// settle readies the stack for a timed phase. It collects the garbage of what came
// before, so that a phase does not pay for its predecessor's allocations (the bench
// process hosts the worker and the API as well as the load generator), and has
// PostgreSQL write a checkpoint, so that every phase starts at the same point of the
// checkpoint cycle: a checkpoint that PostgreSQL starts on its own (every 5 minutes, or
// after max_wal_size of WAL, which the bench's writes reach) spends the disk during
// whichever phase it falls in, and the first change to each page after one is written to
// the WAL whole. A failed checkpoint (a role that may not) leaves only the first.
func (s *Stack) settle(ctx context.Context) {
	if _, err := s.DB.ExecContext(ctx, `CHECKPOINT`); err != nil {
		slog.Warn("bench: CHECKPOINT before a phase failed", "err", err)
	}
	runtime.GC()
}

// Lifecycle actions, in order, with who does them and their bodies.
var happyPath = []struct {
	Action, User string
	Body         map[string]any
}{
	{"triage", "admin", map[string]any{"pokja": "logistik", "category": "bantuan_logistik", "priority": "normal",
		"title": "Beras belum tiba", "note": "Mohon dicek daftar penerima."}},
	{"forward", "pokja-logistik", map[string]any{"partner": "ypii", "note": "Mohon distribusi ulang."}},
	{"partner_answer", "mitra-ypii", map[string]any{"answer": "Beras 10 kg sudah dikirim ulang pada hari Senin."}},
	{"approve", "pokja-logistik", map[string]any{}},
	{"publish", "admin", map[string]any{"public_title": "Bantuan beras", "public_answer": "Beras sudah dikirim ulang."}},
}

// ActionNames lists the timed steps of a lifecycle: intake, then the happy path.
func ActionNames() []string {
	names := []string{"submit"}
	for _, a := range happyPath {
		names = append(names, a.Action)
	}
	return names
}

// LifecycleResult is one run of the lifecycle figure.
type LifecycleResult struct {
	Lifecycle Latency            // one call = a whole lifecycle
	Actions   map[string]Latency // per action (submit included)
	Baseline  Latency            // start and await a workflow that completes at once
	// BareUpdate is one Update of a workflow whose handler only returns, as many as the
	// lifecycle's actions, on as many clients.
	BareUpdate Latency
	// BareWalk is one workflow of the bare-Update kind started, sent the happy path's
	// Updates and awaited (BareLifecycles): the most a lifecycle's rate could be.
	BareWalk Latency
	// Steps are the happy path's actions timed one kind at a time, on complaints whose
	// workflows run already (Steps): the figure the staff-action goal is checked on.
	Steps    map[string]Latency
	Codes    []string // the complaints that went all the way through
	FirstErr error    // the first failed call, if any (counted in Lifecycle.Errors)
	// CPU is the CPU time the lifecycle walk took; BaselineCPU and BareCPU the baselines'.
	CPU, BaselineCPU, BareCPU CPUUse
}

func act(ctx context.Context, hc *http.Client, s *Stack, code, action, user string, body any) error {
	var out struct {
		Status string `json:"status"`
	}
	return call(ctx, hc, "POST", s.BaseURL+"/api/v1/staff/complaints/"+code+"/actions/"+action,
		s.Tokens[user], body, http.StatusOK, &out)
}

// walk is the lifecycle itself: m complaints through the happy path on conc clients.
func walk(ctx context.Context, s *Stack, m, conc int) LifecycleResult {
	hc := newClient(conc)
	defer hc.CloseIdleConnections()
	r := LifecycleResult{Actions: map[string]Latency{}}
	steps := make(map[string][]time.Duration)
	var mu sync.Mutex
	record := func(name string, d time.Duration) {
		mu.Lock()
		steps[name] = append(steps[name], d)
		mu.Unlock()
	}
	var err error
	r.Lifecycle, err = hammer(ctx, m, conc, func(ctx context.Context, i int) error {
		t0 := time.Now()
		code, err := submit(ctx, hc, s.BaseURL, "lifecycle")
		if err != nil {
			return err
		}
		record("submit", time.Since(t0))
		for _, a := range happyPath {
			t0 := time.Now()
			if err := act(ctx, hc, s, code, a.Action, a.User, a.Body); err != nil {
				return err
			}
			record(a.Action, time.Since(t0))
		}
		mu.Lock()
		r.Codes = append(r.Codes, code)
		mu.Unlock()
		return nil
	})
	for name, d := range steps {
		r.Actions[name] = summarise(d, 0, 0)
	}
	r.FirstErr = err
	return r
}

// Lifecycle walks m complaints through the happy path on conc clients; then, as its
// baselines, starts and awaits m workflows that complete at once, and sends as many bare
// Updates as the walk had actions, all on the same worker and task queue with as many
// clients; last, times each action on its own over m new complaints (Steps).
func Lifecycle(ctx context.Context, s *Stack, m, conc int) (LifecycleResult, error) {
	s.settle(ctx)
	before := s.cpuNow(ctx)
	r := walk(ctx, s, m, conc)
	r.CPU = s.cpuNow(ctx).since(before)
	if r.FirstErr != nil && r.Lifecycle.N == 0 {
		return r, fmt.Errorf("lifecycle: %w", r.FirstErr)
	}
	if _, err := Quiesce(ctx, s); err != nil {
		return r, err
	}
	s.settle(ctx)
	var err error
	before = s.cpuNow(ctx)
	r.Baseline, err = hammer(ctx, m, conc, func(ctx context.Context, i int) error {
		run, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: fmt.Sprintf("bench-noop/%s", randomHex(8)), TaskQueue: s.TaskQueue}, noopWorkflowName)
		if err != nil {
			return err
		}
		return run.Get(ctx, nil)
	})
	if err != nil {
		return r, fmt.Errorf("lifecycle baseline: %w", err)
	}
	r.BaselineCPU = s.cpuNow(ctx).since(before)
	if r.BareUpdate, r.BareCPU, err = BareUpdates(ctx, s, m, len(happyPath), conc); err != nil {
		return r, fmt.Errorf("bare update baseline: %w", err)
	}
	if r.BareWalk, err = BareLifecycles(ctx, s, m, len(happyPath), conc); err != nil {
		return r, fmt.Errorf("bare lifecycle: %w", err)
	}
	if r.Steps, err = Steps(ctx, s, m, conc); err != nil {
		return r, err
	}
	return r, nil
}

// Quiesce waits until the system has caught up with what it took in: every complaint's
// workflow started (intake answers before its starter has started it), its
// acknowledgement sent, every publication announced, and the worker through its task queue (a workflow that completes
// at once, queued behind any backlog, must come back within 500 ms). It returns how long
// that took.
func Quiesce(ctx context.Context, s *Stack) (time.Duration, error) {
	start := time.Now()
	for time.Since(start) < 10*time.Minute {
		var behind int
		if err := s.DB.GetContext(ctx, &behind, `SELECT (SELECT count(*) FROM complaints WHERE NOT workflow_started OR ack_pending) +
			(SELECT count(*) FROM announcements WHERE done_at IS NULL)`); err != nil {
			return 0, err
		}
		if behind > 0 {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		t0 := time.Now()
		run, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: "bench-quiesce/" + randomHex(8), TaskQueue: s.TaskQueue}, noopWorkflowName)
		if err != nil {
			return 0, err
		}
		if err := run.Get(ctx, nil); err != nil {
			return 0, err
		}
		if time.Since(t0) < 500*time.Millisecond {
			return time.Since(start), nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return time.Since(start), errors.New("the worker did not catch up with its task queue in 10 minutes")
}

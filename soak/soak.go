// Package soak runs Aduan for a long stretch of mixed traffic with faults thrown in, and
// then checks that nothing was lost, doubled or left drifting and that the processes did
// not grow: `make soak` (cmd/aduan-soak, 30 minutes) and TestSoak (2 minutes, in `make
// test`).
//
// The stack is the dev-server one, every part of its own: a Temporal dev server (Temporal
// CLI, SQLite file, a fixed port so it can be restarted), a fresh PostgreSQL database on
// DATABASE_URL's server (dropped at the end), `aduan worker` and `aduan api` as child
// processes (so a SIGKILL is real and /proc shows their memory and descriptors), and a
// stand-in for the WhatsApp Cloud API and the SMS gateway that records what complainants
// receive. Clients take complaints in on every channel and take them along the lifecycle
// the way staff and complainants do, under a deadline policy in seconds, while the worker
// is killed and Temporal restarted at seeded random moments.
package soak

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"sync"
	"time"
)

// Options say what to soak and for how long.
type Options struct {
	// AduanBin is the aduan binary the worker and API run from (bin/aduan).
	AduanBin string
	// TemporalCLI is the Temporal CLI (its dev server); empty: looked for on PATH and in
	// $(go env GOPATH)/bin.
	TemporalCLI string
	// DatabaseURL names the PostgreSQL server; the soak creates and drops its own database.
	DatabaseURL string
	// Duration is how long traffic runs (faults included); settling comes after.
	Duration time.Duration
	// Warmup is when the memory and descriptor baseline is taken; 0: a sixth of the
	// duration (5 minutes of 30), at least 30 s. By then the open workflows have levelled
	// off: every complaint of the soak ends its run within about four minutes.
	Warmup time.Duration
	// Seed makes the fault schedule and the traffic mix repeatable.
	Seed uint64
	// Clients is how many clients run lifecycles at once.
	Clients int
	// WorkerKills and TemporalRestarts are the faults to inject; 0: one of each per ten
	// minutes of traffic, at least one.
	WorkerKills, TemporalRestarts int
	// SettleTimeout bounds the wait, after traffic stops, for the system to catch up; 0:
	// 10 minutes.
	SettleTimeout time.Duration
	// WorkDir keeps the processes' logs and the dev server's file; empty: a temp dir,
	// removed when the soak passes.
	WorkDir string
	// Log receives progress lines; nil: none.
	Log io.Writer
}

func (o Options) withDefaults() Options {
	if o.DatabaseURL == "" {
		o.DatabaseURL = "postgres://postgres@127.0.0.1:5432/aduan?sslmode=disable"
	}
	if o.Duration <= 0 {
		o.Duration = 30 * time.Minute
	}
	if o.Warmup <= 0 {
		o.Warmup = max(o.Duration/6, 30*time.Second)
	}
	if o.Warmup > o.Duration/2 {
		o.Warmup = o.Duration / 2
	}
	if o.Clients <= 0 {
		o.Clients = 8
	}
	perTen := int(o.Duration / (10 * time.Minute))
	if o.WorkerKills <= 0 {
		o.WorkerKills = max(1, perTen)
	}
	if o.TemporalRestarts <= 0 {
		o.TemporalRestarts = max(1, perTen)
	}
	if o.SettleTimeout <= 0 {
		o.SettleTimeout = 10 * time.Minute
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return o
}

// Flatness bounds: a process's memory and descriptors at the end, against its values
// after warm-up.
const (
	MaxRSSGrowth = 0.20 // RSS at most 20 % above
	MaxFDGrowth  = 10   // descriptors of its own (PostgreSQL pool and accepted connections aside) at most 10 more
)

// Run starts the stack, drives traffic with faults for o.Duration, waits for the system
// to settle, checks it and reports. An error means the soak could not run; a soak that
// ran and found problems returns a report whose Failures say what.
func Run(ctx context.Context, o Options) (*Report, error) {
	o = o.withDefaults()
	if o.AduanBin == "" {
		return nil, errors.New("no aduan binary (build it with: go build -o bin/aduan ./cmd/aduan)")
	}
	keep := o.WorkDir != ""
	if !keep {
		dir, err := os.MkdirTemp("", "aduan-soak-")
		if err != nil {
			return nil, err
		}
		o.WorkDir = dir
	}
	lg := newLogger(o.Log)
	rep := &Report{Options: o, Started: time.Now(), Machine: machine()}
	lg.printf("soak: %s of traffic, %d clients, seed %d; work dir %s", o.Duration, o.Clients, o.Seed, o.WorkDir)

	s, err := startStack(ctx, o, lg)
	if err != nil {
		if !keep {
			_ = os.RemoveAll(o.WorkDir)
		}
		return nil, err
	}
	defer func() {
		s.close()
		if !keep && rep.Passed() {
			_ = os.RemoveAll(o.WorkDir)
		}
	}()
	rep.Setup = time.Since(rep.Started)
	lg.printf("soak: stack up in %s (Temporal %s, API %s)", rep.Setup.Round(time.Millisecond), s.temporal.hostPort, s.apiBase)

	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x5eed))
	sched := scheduleFaults(rng, o)
	for _, f := range sched {
		lg.printf("soak: fault planned at %s: %s, down %s", f.At.Round(time.Second), f.Kind, f.Down.Round(100*time.Millisecond))
	}

	tr := newTraffic(s, o, rng.Uint64(), ctx)
	sampler := newSampler(s)
	runCtx, stopTraffic := context.WithCancel(ctx)
	defer stopTraffic()
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); tr.run(runCtx) }()
	go func() { defer wg.Done(); rep.Faults = injectFaults(runCtx, s, tr, sched, start, lg) }()
	go func() {
		defer wg.Done()
		sampler.run(runCtx, start, o.Duration, o.Warmup, tr, lg)
	}()
	select {
	case <-time.After(o.Duration):
	case <-ctx.Done():
	}
	stopTraffic()
	lg.printf("soak: traffic stops after %s; waiting for the clients' last requests", time.Since(start).Round(time.Second))
	wg.Wait()
	rep.Traffic = time.Since(start)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	lg.printf("soak: %d lifecycles begun, %d requests; settling", tr.begun(), tr.http.tally.total())

	tr.closeIdle()
	settleStart := time.Now()
	rep.Settle, rep.Verify, rep.VerifyPasses, rep.SettleErr = settle(ctx, s, o.SettleTimeout, lg)
	if rep.SettleErr != nil {
		lg.printf("soak: %v", rep.SettleErr)
	} else {
		lg.printf("soak: settled in %s", time.Since(settleStart).Round(time.Millisecond))
	}
	rep.Samples = sampler.samples()
	if end, err := sampler.takeLeast(ctx, "end", time.Since(start), tr); err == nil {
		rep.Samples = append(rep.Samples, end)
	}
	check(ctx, s, tr, rep, lg)
	rep.Took = time.Since(rep.Started)
	if !rep.Passed() {
		lg.printf("soak: FAILED; logs in %s", o.WorkDir)
		s.logTails(lg)
	}
	return rep, nil
}

// logger writes progress lines with the time since the soak began.
type logger struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
}

func newLogger(w io.Writer) *logger { return &logger{w: w, start: time.Now()} }

func (l *logger) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "[%7s] %s\n", time.Since(l.start).Round(time.Second), fmt.Sprintf(format, args...))
}

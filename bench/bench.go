// Package bench measures Aduan on a whole stack it starts itself (Temporal dev server,
// fresh PostgreSQL database, worker, API): intake, the happy-path lifecycle, the Temporal
// actions a complaint costs, and memory, storage and inbox latency with many open
// complaints. Every figure comes with a baseline measured in the same run. `make bench`
// runs it through the aduan-bench command (cmd/aduan-bench); e2e/bench_smoke_test.go runs
// it tiny.
package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Config sizes a benchmark.
type Config struct {
	Runs        int // each figure is the median of this many runs
	Intake      int // complaints per intake run
	IntakeConc  int
	Lifecycle   int // complaints per lifecycle run
	LifeConc    int
	Histories   int // histories counted per run
	Scale       int // open complaints for figure 4
	InboxReqs   int // requests per inbox/search pass
	InboxConc   int
	StickyCache int // worker sticky cache size (0: the SDK's default, 10000)
	TemporalCLI string
	DatabaseURL string
	Command     string // as typed, for the report
}

// Defaults are the sizes of `make bench`.
func Defaults() Config {
	return Config{Runs: 3, Intake: 2000, IntakeConc: 16, Lifecycle: 200, LifeConc: 8, Histories: 3,
		Scale: 10000, InboxReqs: 200, InboxConc: 4}
}

// Report is everything measured.
type Report struct {
	Config    Config
	Started   time.Time
	Took      time.Duration
	CPUs      int
	MemTotal  string
	CPUModel  string
	GoVersion string
	Intakes   []IntakeResult
	Lifes     []LifecycleResult
	Costs     []Cost
	Scale     ScaleResult
}

// Run starts a stack, measures, stops the stack. progress gets one line per step.
func Run(ctx context.Context, cfg Config, progress io.Writer) (*Report, error) {
	if progress == nil {
		progress = io.Discard
	}
	say := func(format string, a ...any) {
		fmt.Fprintf(progress, "bench: "+format+"\n", a...)
	}
	rep := &Report{Config: cfg, Started: time.Now(), CPUs: runtime.NumCPU(), MemTotal: memTotal(),
		CPUModel: cpuModel(), GoVersion: runtime.Version()}
	say("starting the stack (Temporal dev server, PostgreSQL database, worker, API)")
	st, err := StartStack(ctx, StackOptions{TemporalCLI: cfg.TemporalCLI, DatabaseURL: cfg.DatabaseURL, StickyCache: cfg.StickyCache})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	// Warm-up, not counted: connections, caches and the lazily started parts of the stack.
	say("warming up")
	if _, err := Intake(ctx, st, min(cfg.Intake, 50), cfg.IntakeConc); err != nil {
		return nil, err
	}
	if _, err := Lifecycle(ctx, st, min(cfg.Lifecycle, cfg.LifeConc), cfg.LifeConc); err != nil {
		return nil, err
	}
	for i := range cfg.Runs {
		in, err := Intake(ctx, st, cfg.Intake, cfg.IntakeConc)
		if err != nil {
			return nil, err
		}
		rep.Intakes = append(rep.Intakes, in)
		say("run %d/%d intake: %.0f/s p99 %v (baseline %.0f/s p99 %v); worker caught up %v later", i+1, cfg.Runs,
			in.Intake.Rate, ms(in.Intake.P99), in.Baseline.Rate, ms(in.Baseline.P99), in.Drain.Round(time.Second/10))
		lc, err := Lifecycle(ctx, st, cfg.Lifecycle, cfg.LifeConc)
		if err != nil {
			return nil, err
		}
		rep.Lifes = append(rep.Lifes, lc)
		say("run %d/%d lifecycle: %.1f/s (baseline %.0f workflows/s)", i+1, cfg.Runs, lc.Lifecycle.Rate, lc.Baseline.Rate)
		if lc.FirstErr != nil {
			say("run %d/%d lifecycle: %d failed, the first: %v", i+1, cfg.Runs, lc.Lifecycle.Errors, lc.FirstErr)
		}
		costs, err := Costs(ctx, st, lc.Codes, cfg.Histories)
		if err != nil {
			return nil, err
		}
		rep.Costs = append(rep.Costs, costs...)
		if len(costs) > 0 {
			say("run %d/%d cost: %d actions, %d events, %d bytes", i+1, cfg.Runs, costs[0].Actions, costs[0].Events, costs[0].Bytes)
		}
	}
	say("scale: filling %d open complaints", cfg.Scale)
	rep.Scale, err = ScaleFill(ctx, st, cfg.Scale, func(s string) { say("%s", s) })
	if err != nil {
		return nil, err
	}
	for i := range cfg.Runs {
		if err := ScaleMeasure(ctx, st, &rep.Scale, cfg.InboxReqs, cfg.InboxConc); err != nil {
			return nil, err
		}
		say("scale pass %d/%d: inbox p99 %v, search p99 %v", i+1, cfg.Runs,
			ms(rep.Scale.Inbox[i].P99), ms(rep.Scale.Search[i].P99))
	}
	rep.Took = time.Since(rep.Started)
	return rep, nil
}

func memTotal() string {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	return "unknown"
}

func cpuModel() string {
	raw, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// ms rounds a duration for display.
func ms(d time.Duration) string {
	switch {
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.1f ms", float64(d)/1e6)
	}
}

func medianF(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianD(v []time.Duration) time.Duration {
	f := make([]float64, len(v))
	for i, d := range v {
		f[i] = float64(d)
	}
	return time.Duration(medianF(f))
}

// medianLatency takes the median of each statistic across runs.
func medianLatency(ls []Latency) Latency {
	var rate []float64
	var p50, p95, p99, el []time.Duration
	var m Latency
	for _, l := range ls {
		rate = append(rate, l.Rate)
		p50, p95, p99, el = append(p50, l.P50), append(p95, l.P95), append(p99, l.P99), append(el, l.Elapsed)
		m.N += l.N
		m.Errors += l.Errors
	}
	m.Rate, m.P50, m.P95, m.P99, m.Elapsed = medianF(rate), medianD(p50), medianD(p95), medianD(p99), medianD(el)
	return m
}

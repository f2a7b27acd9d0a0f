// Package bench measures Aduan on a whole stack it starts itself (Temporal dev server or
// the production profile's server, fresh PostgreSQL database, worker, API): intake over
// the web, WhatsApp and SMS, a disaster-day burst, the happy-path lifecycle and its staff
// actions, the Temporal actions a complaint costs, and memory, storage and page latency
// over a year of complaints with many open. Every ratio goal is against a baseline
// measured in the same run. `make bench` runs it through the aduan-bench command
// (cmd/aduan-bench); e2e/bench_smoke_test.go runs it tiny.
package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"
)

// Config sizes a benchmark.
type Config struct {
	Runs       int // each figure is the median of this many runs
	Intake     int // complaints per intake run (web, WhatsApp and SMS in turn)
	IntakeConc int
	Lifecycle  int // complaints per lifecycle run
	LifeConc   int // clients of the lifecycle and of both its baselines
	Histories  int // histories counted per run
	Scale      int // open complaints for the scale figures
	// Year is how many closed complaints of a past year are bulk-loaded (LoadYear) before
	// anything is measured, drawn from Seed; 0: none.
	Year      int
	Seed      int64
	InboxReqs int // requests per inbox/search pass
	InboxConc int
	// Burst is how many messages the disaster burst sends, spread over BurstOver, on up
	// to BurstConc clients at once; 0: no burst.
	Burst       int
	BurstOver   time.Duration
	BurstConc   int
	StickyCache int // worker sticky cache size (0: the SDK's default, 10000)
	// Temporal lists the profiles to run: ProfileDev runs every figure on the dev server,
	// ProfileCluster the intake and lifecycle figures on the production profile's server.
	Temporal []string
	// ServerBin and SQLTool are the cluster's binaries (empty: tempcluster.Binaries).
	ServerBin, SQLTool string
	// ProfileDir, when set, receives the CPU profile of one extra lifecycle walk.
	ProfileDir string
	// GRPCGzip turns the Temporal client's gzip on (an experiment: production's is off).
	GRPCGzip    bool
	TemporalCLI string
	DatabaseURL string
	Command     string // as typed, for the report
}

// Defaults are the sizes of `make bench` (which adds the cluster profile and a CPU
// profile: cmd/aduan-bench).
func Defaults() Config {
	return Config{Runs: 3, Intake: 2000, IntakeConc: 16, Lifecycle: 200, LifeConc: 8, Histories: 3,
		Scale: 10000, Year: 90000, Seed: 16, InboxReqs: 200, InboxConc: 4,
		Burst: 5000, BurstOver: 2 * time.Minute, BurstConc: 64, Temporal: []string{ProfileDev}}
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
	// LoadBefore and LoadAfter are the machine's load averages (/proc/loadavg) when the
	// bench began and ended: what else ran beside it.
	LoadBefore, LoadAfter string
	// YearLoaded is how many closed complaints LoadYear wrote, in YearTook.
	YearLoaded int
	YearTook   time.Duration
	Intakes    []IntakeResult
	Lifes      []LifecycleResult
	Costs      []Cost
	Scale      ScaleResult
	Burst      *BurstResult
	Profile    *ProfileResult
	// Plans are the hot queries' EXPLAIN (ANALYZE, BUFFERS) over the scale's data, as
	// markdown (ExplainHot).
	Plans string
	// Cluster holds the figures measured on the production profile (nil: not run).
	Cluster *ClusterReport
}

// ClusterReport is what ran on the production profile's Temporal server.
type ClusterReport struct {
	Intakes []IntakeResult
	Lifes   []LifecycleResult
	Costs   []Cost
}

// has says whether cfg runs a profile.
func (c Config) has(profile string) bool { return slices.Contains(c.Temporal, profile) }

// Run starts a stack per profile, measures, stops it. progress gets one line per step.
func Run(ctx context.Context, cfg Config, progress io.Writer) (*Report, error) {
	if progress == nil {
		progress = io.Discard
	}
	say := func(format string, a ...any) {
		fmt.Fprintf(progress, "bench: "+format+"\n", a...)
	}
	if len(cfg.Temporal) == 0 {
		cfg.Temporal = []string{ProfileDev}
	}
	rep := &Report{Config: cfg, Started: time.Now(), CPUs: runtime.NumCPU(), MemTotal: memTotal(),
		CPUModel: cpuModel(), GoVersion: runtime.Version(), LoadBefore: loadAvg()}
	if cfg.has(ProfileDev) {
		if err := runDev(ctx, cfg, rep, say); err != nil {
			return nil, err
		}
	}
	if cfg.has(ProfileCluster) {
		if err := runCluster(ctx, cfg, rep, say); err != nil {
			return nil, err
		}
	}
	rep.Took, rep.LoadAfter = time.Since(rep.Started), loadAvg()
	return rep, nil
}

// loadAvg is the 1, 5 and 15-minute load averages of /proc/loadavg.
func loadAvg() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(raw))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// stackOptions are the options of a stack of profile.
func (c Config) stackOptions(profile string) StackOptions {
	return StackOptions{TemporalCLI: c.TemporalCLI, DatabaseURL: c.DatabaseURL, StickyCache: c.StickyCache,
		Temporal: profile, ServerBin: c.ServerBin, SQLTool: c.SQLTool, GRPCGzip: c.GRPCGzip}
}

// runDev measures every figure on the dev server.
func runDev(ctx context.Context, cfg Config, rep *Report, say func(string, ...any)) error {
	say("starting the stack (Temporal dev server, PostgreSQL database, worker, API)")
	st, err := StartStack(ctx, cfg.stackOptions(ProfileDev))
	if err != nil {
		return err
	}
	defer st.Close()
	if rep.YearTook, err = loadYearInto(ctx, st, cfg, say); err != nil {
		return err
	}
	rep.YearLoaded = cfg.Year
	if err := warmUp(ctx, st, cfg, say); err != nil {
		return err
	}
	ins, lifes, costs, err := ratioRuns(ctx, st, cfg, say)
	rep.Intakes, rep.Lifes, rep.Costs = ins, lifes, costs
	if err != nil {
		return err
	}
	if cfg.ProfileDir != "" {
		say("profiling one more lifecycle walk (%d complaints, not counted) into %s", cfg.Lifecycle, cfg.ProfileDir)
		p, err := ProfileLifecycle(ctx, st, cfg.Lifecycle, cfg.LifeConc, cfg.ProfileDir)
		if err != nil {
			return err
		}
		rep.Profile = &p
	}
	say("scale: filling %d open complaints", cfg.Scale)
	rep.Scale, err = ScaleFill(ctx, st, cfg.Scale, func(s string) { say("%s", s) })
	if err != nil {
		return err
	}
	// What autovacuum does on its own, after the fill's inserts and updates (2 % of a
	// table: migration 00025), when this server does not run it.
	if on, err := st.DB.Autovacuum(ctx); err != nil {
		return err
	} else if !on {
		say("scale: the server runs without autovacuum; vacuuming the tables as it would")
		if err := st.DB.SettleBulk(ctx); err != nil {
			return err
		}
		rep.Scale.Vacuumed = true
	}
	for i := range cfg.Runs {
		if err := ScaleMeasure(ctx, st, &rep.Scale, cfg.InboxReqs, cfg.InboxConc); err != nil {
			return err
		}
		say("scale pass %d/%d over %d complaints: inbox p99 %v, search p99 %v, report p99 %v", i+1, cfg.Runs,
			rep.Scale.Complaints, ms(rep.Scale.Inbox[i].P99), ms(rep.Scale.Search[i].P99), ms(rep.Scale.Report[i].P99))
	}
	say("explaining the hot queries over %d complaints", rep.Scale.Complaints)
	if rep.Plans, err = ExplainHot(ctx, st.DB); err != nil {
		return err
	}
	if cfg.Burst > 0 {
		say("disaster burst: %d messages over %s", cfg.Burst, cfg.BurstOver)
		b, err := Burst(ctx, st, cfg.Burst, cfg.BurstOver, cfg.BurstConc)
		rep.Burst = &b
		if err != nil {
			return fmt.Errorf("burst: %w", err)
		}
		say("burst: %s", b.summary())
	}
	return nil
}

// runCluster measures the intake and lifecycle figures on the production profile.
func runCluster(ctx context.Context, cfg Config, rep *Report, say func(string, ...any)) error {
	say("starting the production profile's stack (Temporal server on PostgreSQL, worker, API)")
	st, err := StartStack(ctx, cfg.stackOptions(ProfileCluster))
	if err != nil {
		return err
	}
	defer st.Close()
	// The same database as the dev server's figures were taken over.
	if _, err := loadYearInto(ctx, st, cfg, say); err != nil {
		return err
	}
	if err := warmUp(ctx, st, cfg, say); err != nil {
		return err
	}
	rep.Cluster = &ClusterReport{}
	rep.Cluster.Intakes, rep.Cluster.Lifes, rep.Cluster.Costs, err = ratioRuns(ctx, st, cfg, say)
	return err
}

// loadYearInto loads cfg.Year closed complaints of a past year into the stack's database
// (none when 0) and returns how long that took.
func loadYearInto(ctx context.Context, st *Stack, cfg Config, say func(string, ...any)) (time.Duration, error) {
	if cfg.Year == 0 {
		return 0, nil
	}
	say("loading a year (%s): %d closed complaints", st.Profile, cfg.Year)
	took, err := loadYear(ctx, st.DB, cfg.Year, cfg.Seed)
	if err != nil {
		return 0, fmt.Errorf("load a year: %w", err)
	}
	say("loaded in %s", took.Round(time.Second/10))
	// What the load allocated is not the worker's: give it back before anything is
	// measured, memory included.
	debug.FreeOSMemory()
	return took, nil
}

// warmUp runs every measured path a little, not counted: connections, caches, the
// lazily started parts of the stack, and the first workflow tasks of each workflow type.
func warmUp(ctx context.Context, st *Stack, cfg Config, say func(string, ...any)) error {
	say("warming up (%s)", st.Profile)
	if _, err := Intake(ctx, st, min(cfg.Intake, 60), cfg.IntakeConc); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	if _, err := Lifecycle(ctx, st, min(cfg.Lifecycle, 2*cfg.LifeConc), cfg.LifeConc); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	_, err := Quiesce(ctx, st)
	return err
}

// ratioRuns measures the intake, lifecycle and cost figures cfg.Runs times.
func ratioRuns(ctx context.Context, st *Stack, cfg Config, say func(string, ...any)) ([]IntakeResult, []LifecycleResult, []Cost, error) {
	var (
		ins   []IntakeResult
		lifes []LifecycleResult
		costs []Cost
	)
	for i := range cfg.Runs {
		in, err := Intake(ctx, st, cfg.Intake, cfg.IntakeConc)
		if err != nil {
			return ins, lifes, costs, err
		}
		ins = append(ins, in)
		say("%s run %d/%d intake: %.0f/s p99 %v (baseline %.0f/s p99 %v); caught up %v later", st.Profile, i+1, cfg.Runs,
			in.Intake.Rate, ms(in.Intake.P99), in.Baseline.Rate, ms(in.Baseline.P99), in.Drain.Round(time.Second/10))
		lc, err := Lifecycle(ctx, st, cfg.Lifecycle, cfg.LifeConc)
		if err != nil {
			return ins, lifes, costs, err
		}
		lifes = append(lifes, lc)
		say("%s run %d/%d lifecycle: %.1f/s (baseline %.0f workflows/s); bare Update p99 %v", st.Profile, i+1, cfg.Runs,
			lc.Lifecycle.Rate, lc.Baseline.Rate, ms(lc.BareUpdate.P99))
		for _, a := range happyPath {
			say("%s run %d/%d %s on its own: p99 %v (in the walk %v)", st.Profile, i+1, cfg.Runs, a.Action,
				ms(lc.Steps[a.Action].P99), ms(lc.Actions[a.Action].P99))
		}
		if lc.FirstErr != nil {
			say("%s run %d/%d lifecycle: %d failed, the first: %v", st.Profile, i+1, cfg.Runs, lc.Lifecycle.Errors, lc.FirstErr)
		}
		c, err := Costs(ctx, st, lc.Codes, cfg.Histories)
		if err != nil {
			return ins, lifes, costs, err
		}
		costs = append(costs, c...)
		if len(c) > 0 {
			say("%s run %d/%d cost: %d actions, %d events, %d bytes", st.Profile, i+1, cfg.Runs, c[0].Actions, c[0].Events, c[0].Bytes)
		}
	}
	return ins, lifes, costs, nil
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

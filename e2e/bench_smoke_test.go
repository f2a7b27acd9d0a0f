package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"aduan/bench"
)

// TestBenchSmoke runs the benchmark (`make bench`) at tiny sizes on a stack of its own,
// every phase of it (a small year, intake on the three channels, the lifecycle with both
// its baselines, costs, the profiled walk, the pages and the report, the burst), so CI
// knows it still works; the figures themselves are only checked for sanity, the burst's
// accounting in full.
func TestBenchSmoke(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cfg := bench.Defaults()
	cfg.Runs, cfg.Intake, cfg.Lifecycle, cfg.Scale, cfg.Histories, cfg.InboxReqs = 1, 21, 3, 20, 2, 20
	cfg.Year, cfg.Burst, cfg.BurstOver, cfg.BurstConc = 300, 60, 3*time.Second, 8
	cfg.ProfileDir = t.TempDir()
	cfg.TemporalCLI = temporalCLI()
	cfg.DatabaseURL = baseDBURL
	cfg.Command = "go test ./e2e/ -run BenchSmoke"
	rep, err := bench.Run(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"inbox — GET /api/v1/staff/tasks as pokja-logistik", "search: page — ?q=banjir as admin",
		"report: stage times", "metrics: open complaints", "a publication's merged complaints", "Execution Time"} {
		if !strings.Contains(rep.Plans, want) {
			t.Errorf("the hot queries' plans have no %q:\n%s", want, rep.Plans)
		}
	}
	if len(rep.Scale.ReportComputed) != 1 || rep.Scale.ReportComputed[0].N == 0 || rep.Scale.ReportComputed[0].P99 <= 0 {
		t.Errorf("the report computed past the cache: %+v", rep.Scale.ReportComputed)
	}
	if rep.YearLoaded != 300 || rep.YearTook <= 0 {
		t.Errorf("year: %d loaded in %s", rep.YearLoaded, rep.YearTook)
	}
	in := rep.Intakes[0]
	if in.Intake.N != 21 || in.Intake.Errors != 0 || in.Intake.Rate <= 0 || in.Intake.P99 <= 0 ||
		in.Baseline.N != 21 || in.Baseline.Rate <= 0 || in.Baseline.P99 <= 0 {
		t.Errorf("intake %+v, baseline %+v", in.Intake, in.Baseline)
	}
	for _, ch := range bench.Channels {
		if l := in.ByChannel[ch]; l.N != 7 || l.P99 <= 0 {
			t.Errorf("intake over %s: %+v, want 7 timed calls", ch, l)
		}
	}
	lc := rep.Lifes[0]
	if lc.Lifecycle.N != 3 || lc.Lifecycle.Rate <= 0 || lc.Baseline.N != 3 || lc.Baseline.Rate <= 0 {
		t.Errorf("lifecycle %+v, baseline %+v", lc.Lifecycle, lc.Baseline)
	}
	if lc.BareUpdate.N != 15 || lc.BareUpdate.Errors != 0 || lc.BareUpdate.P99 <= 0 {
		t.Errorf("bare Update baseline %+v, want 15 timed Updates", lc.BareUpdate)
	}
	if lc.CPU.Wall <= 0 || lc.CPU.Process <= 0 || lc.CPU.Temporal <= 0 {
		t.Errorf("lifecycle CPU %+v", lc.CPU)
	}
	if w := lc.BareWalk; w.N != 3 || w.Errors != 0 || w.Rate <= 0 {
		t.Errorf("bare walk (the lifecycle's ceiling): %+v, want 3 walks", w)
	}
	for _, name := range bench.ActionNames() {
		if l := lc.Actions[name]; l.N != 3 || l.P99 <= 0 {
			t.Errorf("action %s: %+v, want 3 timed calls", name, l)
		}
	}
	for _, name := range bench.ActionNames()[1:] {
		if l := lc.Steps[name]; l.N != 3 || l.Errors != 0 || l.P99 <= 0 {
			t.Errorf("action %s on its own: %+v, want 3 timed calls", name, l)
		}
	}
	if len(rep.Costs) != 2 {
		t.Fatalf("%d histories counted, want 2", len(rep.Costs))
	}
	for _, c := range rep.Costs {
		if c.Actions <= 0 || c.Events < c.Actions || c.Bytes <= 0 || c.ByKind["workflow started"] != 1 ||
			c.ByKind["update publish"] != 1 || c.ByKind["marker LocalActivity"] != 5 {
			t.Errorf("cost %+v", c)
		}
	}
	if p := rep.Profile; p == nil || p.Lifecycles != 3 || len(p.Areas) == 0 || p.CPU.Process <= 0 {
		t.Errorf("profile %+v", p)
	}
	sc := rep.Scale
	if sc.Open != 20 || len(sc.Samples) != 4 || sc.Samples[3].Open != 20 || sc.Samples[3].ProcessRSS <= 0 ||
		sc.TemporalBytes <= 0 || sc.PGBytes <= 0 || sc.InboxItems < 20 || sc.SearchTotal < 20 ||
		len(sc.Inbox) != 1 || sc.Inbox[0].P99 <= 0 || len(sc.Complaint) != 1 || sc.Complaint[0].N != 20 ||
		len(sc.Report) != 1 || sc.Report[0].N == 0 || sc.ReportTotal < 300 || sc.Complaints < 300+20 {
		t.Errorf("scale %+v", sc)
	}
	b := rep.Burst
	if b == nil {
		t.Fatal("no burst")
	}
	if b.Messages != 60 || b.FollowUps == 0 || b.Again == 0 || b.Concurrent == 0 || b.Latency.Errors != 0 {
		t.Errorf("burst plan %+v", b)
	}
	if b.Lost != 0 || b.Doubled != 0 || b.Complaints+b.Attached != 60 || b.Attached != b.FollowUps {
		t.Errorf("burst: %d lost, %d doubled (%v), %d complaints and %d attached messages of %d messages (%d follow-ups)",
			b.Lost, b.Doubled, b.DoubledAs, b.Complaints, b.Attached, b.Messages, b.FollowUps)
	}
	if !b.CaughtUp || b.AcksSent != b.Complaints {
		t.Errorf("burst: caught up %v after %s, %d of %d acknowledged", b.CaughtUp, b.CatchUp, b.AcksSent, b.Complaints)
	}
	sum := rep.Summarise()
	var table, md strings.Builder
	sum.WriteTable(&table)
	rep.WriteMarkdown(&md, sum)
	for _, want := range []string{"intake p99", "lifecycle rate", "p99 triage", "p99 publish inside the lifecycle walk", "bare Update", "ceiling: a workflow that only takes", "lifecycle rate against that ceiling", "Temporal actions per lifecycle",
		"GET /api/v1/staff/tasks", "GET /api/v1/staff/reports", "burst: lost / doubled", "worker memory"} {
		if !strings.Contains(table.String(), want) || !strings.Contains(md.String(), want) {
			t.Errorf("table or report lacks %q:\n%s", want, table.String())
		}
	}
	if !strings.Contains(md.String(), "## Where the lifecycle waits") {
		t.Errorf("report lacks the profile's section")
	}
	t.Logf("bench smoke took %s\n%s", rep.Took.Round(time.Millisecond), table.String())
}

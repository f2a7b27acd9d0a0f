package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"aduan/bench"
)

// TestBenchSmoke runs the benchmark (`make bench`) at tiny sizes on a stack of its own,
// so CI knows it still works; the figures themselves are only checked for sanity.
func TestBenchSmoke(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	cfg := bench.Defaults()
	cfg.Runs, cfg.Intake, cfg.Lifecycle, cfg.Scale, cfg.Histories, cfg.InboxReqs = 1, 20, 3, 20, 2, 20
	cfg.TemporalCLI = temporalCLI()
	cfg.DatabaseURL = baseDBURL
	cfg.Command = "go test ./e2e/ -run BenchSmoke"
	rep, err := bench.Run(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	in := rep.Intakes[0]
	if in.Intake.N != 20 || in.Intake.Errors != 0 || in.Intake.Rate <= 0 || in.Intake.P99 <= 0 ||
		in.Baseline.N != 20 || in.Baseline.Rate <= 0 || in.Baseline.P99 <= 0 {
		t.Errorf("intake %+v, baseline %+v", in.Intake, in.Baseline)
	}
	lc := rep.Lifes[0]
	if lc.Lifecycle.N != 3 || lc.Lifecycle.Rate <= 0 || lc.Baseline.N != 3 || lc.Baseline.Rate <= 0 {
		t.Errorf("lifecycle %+v, baseline %+v", lc.Lifecycle, lc.Baseline)
	}
	for _, name := range bench.ActionNames() {
		if l := lc.Actions[name]; l.N != 3 || l.P99 <= 0 {
			t.Errorf("action %s: %+v, want 3 timed calls", name, l)
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
	sc := rep.Scale
	if sc.Open != 20 || len(sc.Samples) != 4 || sc.Samples[3].Open != 20 || sc.Samples[3].ProcessRSS <= 0 ||
		sc.TemporalBytes <= 0 || sc.PGBytes <= 0 || sc.InboxItems < 20 || sc.SearchTotal < 20 ||
		len(sc.Inbox) != 1 || sc.Inbox[0].P99 <= 0 {
		t.Errorf("scale %+v", sc)
	}
	sum := rep.Summarise()
	var table, md strings.Builder
	sum.WriteTable(&table)
	rep.WriteMarkdown(&md, sum)
	for _, want := range []string{"intake latency p99", "lifecycle rate", "Temporal actions per lifecycle", "GET /staff/tasks"} {
		if !strings.Contains(table.String(), want) || !strings.Contains(md.String(), want) {
			t.Errorf("table or report lacks %q:\n%s", want, table.String())
		}
	}
	t.Logf("bench smoke took %s\n%s", rep.Took.Round(time.Millisecond), table.String())
}

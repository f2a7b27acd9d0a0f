package bench

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Goals of issue 16 ("A year of complaints, a disaster-day burst"). Each ratio is against
// a baseline measured in the same run; the verdict is on the median of the runs.
const (
	GoalIntakeP99Factor = 1.5                    // intake p99 ≤ 1.5× the bare-INSERT p99
	GoalLifecycleShare  = 0.50                   // lifecycle rate ≥ 50% of the empty-workflow rate
	GoalActionFactor    = 3.0                    // every staff action's p99 ≤ 3× a bare Update's
	GoalActions         = 24                     // Temporal actions per happy-path lifecycle
	GoalMemoryGrowth    = 0.10                   // worker memory with the open complaints ≤ 10% above before
	GoalJSONP99         = 50 * time.Millisecond  // inbox, complaint page and search (JSON)
	GoalReportP99       = 500 * time.Millisecond // the evaluation report
	GoalPageBytes       = 50 << 10               // the largest console page
	passWord, failWord  = "PASS", "FAIL"
	infoWord            = ""
)

// Row is one line of the table.
type Row struct {
	Figure, Measured, Baseline, Goal, Result string
}

// ClusterRow is one figure on both profiles.
type ClusterRow struct {
	Figure, Dev, Cluster, Goal string
}

// Summary is the report reduced to medians, spreads and verdicts.
type Summary struct {
	Rows []Row
	// ClusterRows set the production profile's figures beside the dev server's.
	ClusterRows []ClusterRow
	// Pass is false when any goal failed.
	Pass bool
	// Failed names the figures that missed their goal.
	Failed []string
	// CostBreakdown says where a lifecycle's actions go; NotBilled what was left out.
	CostBreakdown, NotBilled string
	// Waits is the "Where the lifecycle waits" section (markdown).
	Waits string
}

func verdict(ok bool) string {
	if ok {
		return passWord
	}
	return failWord
}

// Summarise computes medians, spreads and goals.
func (r *Report) Summarise() Summary {
	s := Summary{Pass: true}
	add := func(row Row) {
		if strings.HasPrefix(row.Result, failWord) {
			s.Pass = false
			s.Failed = append(s.Failed, row.Figure)
		}
		s.Rows = append(s.Rows, row)
	}
	if len(r.Intakes) > 0 {
		for _, row := range intakeRows("1", r.Intakes) {
			add(row)
		}
	}
	if r.Burst != nil {
		for _, row := range burstRows(*r.Burst) {
			add(row)
		}
	}
	if len(r.Lifes) > 0 {
		for _, row := range lifecycleRows("3", "4", r.Lifes) {
			add(row)
		}
	}
	if len(r.Costs) > 0 {
		rows, breakdown, notBilled := costRows("5", r.Costs)
		for _, row := range rows {
			add(row)
		}
		s.CostBreakdown, s.NotBilled = breakdown, notBilled
	}
	if len(r.Scale.Samples) > 0 {
		for _, row := range memoryRows(r.Scale) {
			add(row)
		}
	}
	if len(r.Scale.Inbox) > 0 {
		for _, row := range pageRows(r) {
			add(row)
		}
	}
	if c := r.Cluster; c != nil {
		s.ClusterRows = clusterRows(r, c)
	}
	s.Waits = r.waits()
	return s
}

// intakeRows are the intake figure's rows.
func intakeRows(n string, ins []IntakeResult) []Row {
	var p99, base99, rate, baseRate, p50, p95, drain []float64
	chP99 := map[Channel][]float64{}
	errs := 0
	for _, x := range ins {
		p99, base99 = append(p99, float64(x.Intake.P99)), append(base99, float64(x.Baseline.P99))
		rate, baseRate = append(rate, x.Intake.Rate), append(baseRate, x.Baseline.Rate)
		p50, p95 = append(p50, float64(x.Intake.P50)), append(p95, float64(x.Intake.P95))
		drain = append(drain, float64(x.Drain))
		for ch, l := range x.ByChannel {
			chP99[ch] = append(chP99[ch], float64(l.P99))
		}
		errs += x.Intake.Errors + x.Baseline.Errors
	}
	ratio := ratios(p99, base99)
	ok := func(v float64) bool { return v <= GoalIntakeP99Factor }
	var byCh []string
	for _, ch := range Channels {
		byCh = append(byCh, fmt.Sprintf("%s %s", ch, ms(time.Duration(spreadOf(chP99[ch]).Med))))
	}
	rows := []Row{
		{n + ". intake rate (web, WhatsApp and SMS in turn)", spreadOf(rate).rate("complaints/s"), spreadOf(baseRate).rate("inserts/s"), "", infoWord},
		{n + ". intake latency p50 / p95", ms(time.Duration(spreadOf(p50).Med)) + " / " + ms(time.Duration(spreadOf(p95).Med)), "", "", infoWord},
		{n + ". intake p99 by channel", strings.Join(byCh, ", "), "", "", infoWord},
		{n + ". intake p99", spreadOf(p99).ms() + " = " + ratio.times(), spreadOf(base99).ms(),
			fmt.Sprintf("≤ %.1f× baseline", GoalIntakeP99Factor), goalResult(ok(ratio.Med), countOK(ratioValues(p99, base99), ok), ratio.N)},
		{n + ". catch-up after each intake run (workflows started, acknowledgements sent)", spreadOf(drain).secs(), "", "", infoWord},
	}
	if errs > 0 {
		rows = append(rows, Row{n + ". failed intake requests", fmt.Sprint(errs), "", "none", failWord})
	}
	return rows
}

// ratioValues is a/b run by run.
func ratioValues(a, b []float64) []float64 {
	var r []float64
	for i := range min(len(a), len(b)) {
		if b[i] > 0 {
			r = append(r, a[i]/b[i])
		}
	}
	return r
}

// secs is the median duration in seconds with its range.
func (s Spread) secs() string {
	f := func(v float64) string { return time.Duration(v).Round(time.Second / 10).String() }
	return f(s.Med) + s.rangeText(f)
}

// burstRows are the disaster burst's rows.
func burstRows(b BurstResult) []Row {
	var chs []string
	for _, ch := range []Channel{WhatsApp, SMS, Web} {
		chs = append(chs, fmt.Sprintf("%s %d", ch, b.ByChannel[ch]))
	}
	rows := []Row{
		{"2. disaster burst", fmt.Sprintf("%d messages over %s (%s; %d follow-ups from the same number); %d deliveries sent again, %d of them at the same moment",
			b.Messages, b.Over.Round(time.Second), strings.Join(chs, ", "), b.FollowUps, b.Again+b.Concurrent, b.Concurrent), "", "", infoWord},
		{"2. burst: taken", fmt.Sprintf("in %s, p99 %s from the planned moment (p50 %s)", b.Took.Round(time.Second/10), ms(b.Latency.P99), ms(b.Latency.P50)),
			"", "", infoWord},
		{"2. burst: lost / doubled", fmt.Sprintf("%d lost, %d doubled%s (%d complaints, %d attached messages)", b.Lost, b.Doubled, doubledText(b), b.Complaints, b.Attached),
			"", "0 lost, 0 doubled", verdict(b.Lost == 0 && b.Doubled == 0 && b.Latency.Errors == 0)},
		{"2. burst: every acknowledgement sent and every workflow started, after its end",
			fmt.Sprintf("%s (%d of %d complaints acknowledged in the outbox)", caughtUpText(b), b.AcksSent, b.Complaints),
			"", "≤ " + GoalBurstCatchUp.String(), verdict(b.CaughtUp && b.CatchUp <= GoalBurstCatchUp && b.AcksSent == b.Complaints)},
	}
	if b.Retries > 0 || b.Latency.Errors > 0 {
		rows = append(rows, Row{"2. burst: deliveries answered with an error (the provider sends them again)",
			fmt.Sprintf("%d, %d still failing after 5 tries", b.Retries, b.Latency.Errors), "", "", infoWord})
	}
	return rows
}

// doubledText says how the doubled messages were kept twice.
func doubledText(b BurstResult) string {
	if b.Doubled == 0 {
		return ""
	}
	var parts []string
	for k, n := range b.DoubledAs {
		parts = append(parts, fmt.Sprintf("%d kept as %s", n, k))
	}
	sort.Strings(parts)
	return ": " + strings.Join(parts, ", ")
}

func caughtUpText(b BurstResult) string {
	if !b.CaughtUp {
		return "not within " + b.CatchUp.Round(time.Second).String()
	}
	return b.CatchUp.Round(time.Second / 10).String()
}

// The lifecycle rate's ceiling (BareLifecycles) and the lifecycle rate as a share of it.
const (
	ceilingFigure        = "ceiling: a workflow that only takes the happy path's Updates (started, 5 Updates whose handler only returns, awaited)"
	againstCeilingFigure = "lifecycle rate against that ceiling"
)

// lifecycleRows are the lifecycle's rows (section n) and the staff actions' (section a).
func lifecycleRows(n, a string, lifes []LifecycleResult) []Row {
	var rate, baseRate, bare, ceiling []float64
	errs := 0
	var firstErr error
	for _, x := range lifes {
		rate, baseRate, bare = append(rate, x.Lifecycle.Rate), append(baseRate, x.Baseline.Rate), append(bare, float64(x.BareUpdate.P99))
		ceiling = append(ceiling, x.BareWalk.Rate)
		errs += x.Lifecycle.Errors
		if firstErr == nil {
			firstErr = x.FirstErr
		}
	}
	share := ratios(rate, baseRate)
	okShare := func(v float64) bool { return v >= GoalLifecycleShare }
	rows := []Row{
		{n + ". lifecycle rate (submit + 5 actions)", spreadOf(rate).rate("lifecycles/s") + " = " + share.percent(),
			spreadOf(baseRate).rate("workflows/s"), fmt.Sprintf("≥ %.0f%% of baseline", 100*GoalLifecycleShare),
			goalResult(okShare(share.Med), countOK(ratioValues(rate, baseRate), okShare), share.N)},
		{n + ". " + ceilingFigure,
			spreadOf(ceiling).rate("walks/s") + " = " + ratios(ceiling, baseRate).percent(), spreadOf(baseRate).rate("workflows/s"), "", infoWord},
		{n + ". " + againstCeilingFigure, spreadOf(rate).rate("lifecycles/s") + " = " + ratios(rate, ceiling).percent(),
			spreadOf(ceiling).rate("walks/s"), "", infoWord},
	}
	if errs > 0 {
		rows = append(rows, Row{n + ". failed lifecycle requests", fmt.Sprintf("%d (the first: %v)", errs, firstErr), "", "none", failWord})
	}
	okAct := func(v float64) bool { return v <= GoalActionFactor }
	p99Of := func(pick func(LifecycleResult) map[string]Latency, name string) []float64 {
		var p99 []float64
		for _, x := range lifes {
			p99 = append(p99, float64(pick(x)[name].P99))
		}
		return p99
	}
	steps := func(x LifecycleResult) map[string]Latency { return x.Steps }
	inWalk := func(x LifecycleResult) map[string]Latency { return x.Actions }
	for _, name := range ActionNames() {
		if name == "submit" {
			rows = append(rows, Row{a + ". p99 submit (web intake inside the lifecycle)", spreadOf(p99Of(inWalk, name)).ms(), "", "", infoWord})
			continue
		}
		p99 := p99Of(steps, name)
		r := ratios(p99, bare)
		rows = append(rows, Row{a + ". p99 " + name, spreadOf(p99).ms() + " = " + r.times(), "bare Update " + spreadOf(bare).ms(),
			fmt.Sprintf("≤ %.0f× bare Update", GoalActionFactor), goalResult(okAct(r.Med), countOK(ratioValues(p99, bare), okAct), r.N)})
	}
	// The same actions inside the walk, among its submits and the workflow starts they
	// bring (the walk's triage usually starts its workflow): shown, not judged, as the
	// bare Updates have nothing like them around.
	for _, name := range ActionNames()[1:] {
		p99 := p99Of(inWalk, name)
		rows = append(rows, Row{a + ". p99 " + name + " inside the lifecycle walk", spreadOf(p99).ms() + " = " + ratios(p99, bare).times(),
			"bare Update " + spreadOf(bare).ms(), "", infoWord})
	}
	return rows
}

// costRows are the cost figure's rows, with where the actions go.
func costRows(n string, costs []Cost) ([]Row, string, string) {
	// The median history by action count (they should all be the same).
	cs := append([]Cost(nil), costs...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].Actions < cs[j].Actions })
	c := cs[len(cs)/2]
	lo, hi := cs[0].Actions, cs[len(cs)-1].Actions
	rng := ""
	if lo != hi {
		rng = fmt.Sprintf(" (range %d–%d)", lo, hi)
	}
	var nb []string
	for k, v := range c.NotBilled {
		nb = append(nb, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(nb)
	return []Row{
		{n + ". Temporal actions per lifecycle", fmt.Sprintf("%d%s over %d histories", c.Actions, rng, len(cs)), "",
			fmt.Sprintf("≤ %d", GoalActions), verdict(hi <= GoalActions)},
		{n + ". history per lifecycle", fmt.Sprintf("%d events, %.1f KiB", c.Events, float64(c.Bytes)/1024), "", "", infoWord},
	}, c.Breakdown(), strings.Join(nb, ", ")
}

// memoryRows are the memory and storage rows.
func memoryRows(sc ScaleResult) []Row {
	var rows []Row
	for _, m := range sc.Samples {
		rows = append(rows, Row{fmt.Sprintf("6. memory with %d open at pokja", m.Open),
			fmt.Sprintf("process %s (Go heap %s), Temporal server %s", mib(m.ProcessRSS), mib(m.GoHeap), mib(m.ServerRSS)), "", "", infoWord})
	}
	first, last := sc.Samples[0], sc.Samples[len(sc.Samples)-1]
	growth := 0.0
	if first.ProcessRSS > 0 {
		growth = float64(last.ProcessRSS)/float64(first.ProcessRSS) - 1
	}
	rows = append(rows, Row{fmt.Sprintf("6. worker memory (process RSS) with %d open workflows", last.Open),
		fmt.Sprintf("%s = %+.1f%%", mib(last.ProcessRSS), 100*growth), mib(first.ProcessRSS) + " before the fill",
		fmt.Sprintf("≤ +%.0f%%", 100*GoalMemoryGrowth), verdict(growth <= GoalMemoryGrowth)})
	storage := fmt.Sprintf("PostgreSQL %s", mib(sc.PGBytes))
	if sc.TemporalBytes > 0 {
		storage = fmt.Sprintf("Temporal SQLite %s, ", mib(sc.TemporalBytes)) + storage
	}
	rows = append(rows, Row{fmt.Sprintf("6. storage with %d complaints (%d open)", sc.Complaints, sc.OpenAll), storage, "", "", infoWord})
	return rows
}

// pageRows are the scale figure's latencies: JSON, the report and the console's pages.
func pageRows(r *Report) []Row {
	sc := r.Scale
	over := fmt.Sprintf("%d complaints, %d open", sc.Complaints, sc.OpenAll)
	if r.YearLoaded > 0 {
		over += fmt.Sprintf("; %d of a past year loaded in %s", r.YearLoaded, r.YearTook.Round(time.Second))
	}
	if sc.Vacuumed {
		over += "; vacuumed after the fill, as autovacuum would have (this PostgreSQL runs without it)"
	}
	page := func(label string, ls []Latency, goal time.Duration) Row {
		var p99 []float64
		for _, l := range ls {
			p99 = append(p99, float64(l.P99))
		}
		sp := spreadOf(p99)
		ok := func(v float64) bool { return v < float64(goal) }
		return Row{label, sp.ms() + " (p50 " + ms(medianLatency(ls).P50) + ")", "", "< " + ms(goal), goalResult(ok(sp.Med), countOK(p99, ok), sp.N)}
	}
	rows := []Row{
		{"7. the data the pages are read over", over, "", "", infoWord},
		page(fmt.Sprintf("7. GET /api/v1/staff/tasks p99 (pokja-logistik, %d items returned)", sc.InboxItems), sc.Inbox, GoalJSONP99),
		page("7. GET /api/v1/staff/complaints/{code} p99 (pokja-logistik)", sc.Complaint, GoalJSONP99),
		page(fmt.Sprintf("7. GET /api/v1/staff/complaints?q=banjir p99 (admin, %d matches)", sc.SearchTotal), sc.Search, GoalJSONP99),
		page(fmt.Sprintf("7. GET /api/v1/staff/reports p99 (admin, last %d days: %d complaints)", ReportDays, sc.ReportTotal), sc.Report, GoalReportP99),
	}
	if len(sc.ReportComputed) > 0 {
		var p99 []float64
		for _, l := range sc.ReportComputed {
			p99 = append(p99, float64(l.P99))
		}
		rows = append(rows, Row{"7. the same report computed by PostgreSQL at every request (store.Report, past the cache of unchanged reports) p99",
			spreadOf(p99).ms() + " (p50 " + ms(medianLatency(sc.ReportComputed).P50) + ")", "", "", infoWord})
	}
	for i, p := range ConsolePages {
		if i >= len(sc.Console) {
			break
		}
		rows = append(rows, page("7. console GET "+p.Label+" p99 (HTML)", sc.Console[i], GoalPageP99))
	}
	rows = append(rows, Row{"7. largest console page served", fmt.Sprintf("%d KB", sc.PageBytes>>10), "",
		fmt.Sprintf("< %d KB", GoalPageBytes>>10), verdict(sc.PageBytes < GoalPageBytes)})
	return rows
}

// clusterRows set the ratio figures of both profiles side by side.
func clusterRows(r *Report, c *ClusterReport) []ClusterRow {
	pick := func(rows []Row, figure string) string {
		for _, row := range rows {
			if row.Figure == figure {
				m := row.Measured
				if row.Baseline != "" {
					m += " vs " + row.Baseline
				}
				if row.Result != "" {
					m += ": " + row.Result
				}
				return m
			}
		}
		return "not measured"
	}
	var devIn, clIn, devLife, clLife []Row
	if len(r.Intakes) > 0 {
		devIn = intakeRows("1", r.Intakes)
	}
	if len(c.Intakes) > 0 {
		clIn = intakeRows("1", c.Intakes)
	}
	if len(r.Lifes) > 0 {
		devLife = lifecycleRows("3", "4", r.Lifes)
	}
	if len(c.Lifes) > 0 {
		clLife = lifecycleRows("3", "4", c.Lifes)
	}
	out := []ClusterRow{
		{"intake p99 (web, WhatsApp, SMS)", pick(devIn, "1. intake p99"), pick(clIn, "1. intake p99"), fmt.Sprintf("≤ %.1f× baseline", GoalIntakeP99Factor)},
		{"intake rate", pick(devIn, "1. intake rate (web, WhatsApp and SMS in turn)"), pick(clIn, "1. intake rate (web, WhatsApp and SMS in turn)"), ""},
		{"lifecycle rate", pick(devLife, "3. lifecycle rate (submit + 5 actions)"), pick(clLife, "3. lifecycle rate (submit + 5 actions)"), fmt.Sprintf("≥ %.0f%% of baseline", 100*GoalLifecycleShare)},
		{ceilingFigure, pick(devLife, "3. "+ceilingFigure), pick(clLife, "3. "+ceilingFigure), ""},
		{againstCeilingFigure, pick(devLife, "3. "+againstCeilingFigure), pick(clLife, "3. "+againstCeilingFigure), ""},
	}
	for _, name := range ActionNames()[1:] {
		out = append(out, ClusterRow{"p99 " + name, pick(devLife, "4. p99 "+name), pick(clLife, "4. p99 "+name),
			fmt.Sprintf("≤ %.0f× bare Update", GoalActionFactor)})
	}
	for _, name := range ActionNames()[1:] {
		f := "4. p99 " + name + " inside the lifecycle walk"
		out = append(out, ClusterRow{"p99 " + name + " inside the lifecycle walk", pick(devLife, f), pick(clLife, f), ""})
	}
	if len(r.Costs) > 0 && len(c.Costs) > 0 {
		d, _, _ := costRows("5", r.Costs)
		k, _, _ := costRows("5", c.Costs)
		out = append(out, ClusterRow{"Temporal actions per lifecycle", d[0].Measured, k[0].Measured, fmt.Sprintf("≤ %d", GoalActions)})
	} else if len(c.Costs) > 0 {
		k, _, _ := costRows("5", c.Costs)
		out = append(out, ClusterRow{"Temporal actions per lifecycle", "not measured", k[0].Measured, fmt.Sprintf("≤ %d", GoalActions)})
	}
	return out
}

// WriteTable prints the tables for a terminal.
func (s Summary) WriteTable(w io.Writer) {
	if len(s.Rows) == 0 {
		fmt.Fprintln(w, "(no figures on the dev server: --temporal without dev)")
	}
	writeColumns(w, []string{"figure", "measured: median (min–max)", "baseline", "goal", "result"}, func(add func(...string)) {
		for _, r := range s.Rows {
			add(r.Figure, r.Measured, r.Baseline, r.Goal, r.Result)
		}
	})
	if len(s.ClusterRows) > 0 {
		fmt.Fprintln(w)
		writeColumns(w, []string{"production profile", "dev server", "cluster (Temporal server on PostgreSQL)", "goal"}, func(add func(...string)) {
			for _, r := range s.ClusterRows {
				add(r.Figure, r.Dev, r.Cluster, r.Goal)
			}
		})
	}
	if s.CostBreakdown != "" {
		fmt.Fprintf(w, "\nactions per lifecycle: %s\n", s.CostBreakdown)
		if s.NotBilled != "" {
			fmt.Fprintf(w, "not billed: %s\n", s.NotBilled)
		}
	}
	if s.Pass {
		fmt.Fprintln(w, "\nall goals met")
	} else {
		fmt.Fprintf(w, "\ngoals missed: %s\n", strings.Join(s.Failed, "; "))
	}
}

// writeColumns prints rows padded to their columns' widths.
func writeColumns(w io.Writer, head []string, rows func(add func(...string))) {
	var all [][]string
	rows(func(c ...string) { all = append(all, c) })
	width := make([]int, len(head))
	for _, r := range append([][]string{head}, all...) {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	pad := func(c string, n int) string { return c + strings.Repeat(" ", max(0, n-len([]rune(c)))) }
	total := 0
	for i, r := range append([][]string{head}, all...) {
		var line []string
		for j, c := range r {
			if j == len(r)-1 {
				line = append(line, c)
			} else {
				line = append(line, pad(c, width[j]))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(strings.Join(line, "  "), " "))
		if i == 0 {
			for _, x := range width {
				total += x + 2
			}
			fmt.Fprintln(w, strings.Repeat("-", total))
		}
	}
}

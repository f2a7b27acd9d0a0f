package bench

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Goals of the issue "Measured, not assumed".
const (
	GoalIntakeP99Factor = 2.0                    // intake p99 ≤ 2× baseline p99
	GoalLifecycleShare  = 0.25                   // lifecycle rate ≥ 25% of baseline rate
	GoalActionP99       = 250 * time.Millisecond // p99 per action
	GoalActions         = 25                     // Temporal actions per lifecycle
	GoalInboxP99        = 50 * time.Millisecond
	passWord, failWord  = "PASS", "FAIL"
	infoWord            = ""
)

// Row is one line of the table.
type Row struct {
	Figure, Measured, Baseline, Goal, Result string
}

// Summary is the report reduced to medians and verdicts.
type Summary struct {
	Rows []Row
	// Pass is false when any goal failed.
	Pass bool
	// CostBreakdown says where a lifecycle's actions go; NotBilled what was left out.
	CostBreakdown, NotBilled string
	Intake, IntakeBase       Latency
	Life, LifeBase           Latency
	Actions                  map[string]Latency
	Cost                     Cost
	InboxP99, SearchP99      time.Duration
}

func verdict(ok bool) string {
	if ok {
		return passWord
	}
	return failWord
}

// Summarise computes medians and goals.
func (r *Report) Summarise() Summary {
	s := Summary{Pass: true, Actions: map[string]Latency{}}
	add := func(row Row) {
		if row.Result == failWord {
			s.Pass = false
		}
		s.Rows = append(s.Rows, row)
	}
	var in, inBase, life, lifeBase []Latency
	for _, x := range r.Intakes {
		in, inBase = append(in, x.Intake), append(inBase, x.Baseline)
	}
	for _, x := range r.Lifes {
		life, lifeBase = append(life, x.Lifecycle), append(lifeBase, x.Baseline)
	}
	s.Intake, s.IntakeBase = medianLatency(in), medianLatency(inBase)
	s.Life, s.LifeBase = medianLatency(life), medianLatency(lifeBase)

	add(Row{"1. intake rate (POST /api/v1/complaints)", fmt.Sprintf("%.0f complaints/s", s.Intake.Rate),
		fmt.Sprintf("%.0f inserts/s", s.IntakeBase.Rate), "", infoWord})
	var drains []time.Duration
	for _, x := range r.Intakes {
		drains = append(drains, x.Drain)
	}
	add(Row{"1. catch-up after the intake burst (workflows started, acknowledgements sent)", medianD(drains).Round(time.Second / 10).String(), "", "", infoWord})
	add(Row{"1. intake latency p50 / p95", ms(s.Intake.P50) + " / " + ms(s.Intake.P95),
		ms(s.IntakeBase.P50) + " / " + ms(s.IntakeBase.P95), "", infoWord})
	add(Row{"1. intake latency p99", ms(s.Intake.P99), ms(s.IntakeBase.P99),
		fmt.Sprintf("≤ %.0f× baseline (%s)", GoalIntakeP99Factor, ms(time.Duration(GoalIntakeP99Factor*float64(s.IntakeBase.P99)))),
		verdict(float64(s.Intake.P99) <= GoalIntakeP99Factor*float64(s.IntakeBase.P99))})

	share := 0.0
	if s.LifeBase.Rate > 0 {
		share = s.Life.Rate / s.LifeBase.Rate
	}
	if s.Life.Errors > 0 || s.Intake.Errors > 0 {
		add(Row{"1–2. failed requests", fmt.Sprintf("intake %d, lifecycle %d", s.Intake.Errors, s.Life.Errors), "", "none", failWord})
	}
	add(Row{"2. lifecycle rate (submit + 5 actions)", fmt.Sprintf("%.2f lifecycles/s (%.0f%% of baseline)", s.Life.Rate, 100*share),
		fmt.Sprintf("%.1f workflows/s", s.LifeBase.Rate), fmt.Sprintf("≥ %.0f%% of baseline", 100*GoalLifecycleShare),
		verdict(share >= GoalLifecycleShare)})
	for _, name := range ActionNames() {
		var ls []Latency
		for _, x := range r.Lifes {
			ls = append(ls, x.Actions[name])
		}
		l := medianLatency(ls)
		s.Actions[name] = l
		add(Row{"2. p99 " + name, ms(l.P99), "", "< " + ms(GoalActionP99), verdict(l.P99 < GoalActionP99)})
	}

	if len(r.Costs) > 0 {
		// The median history by action count (they should all be the same).
		cs := append([]Cost(nil), r.Costs...)
		sort.Slice(cs, func(i, j int) bool { return cs[i].Actions < cs[j].Actions })
		s.Cost = cs[len(cs)/2]
		lo, hi := cs[0].Actions, cs[len(cs)-1].Actions
		rng := ""
		if lo != hi {
			rng = fmt.Sprintf(" (range %d–%d)", lo, hi)
		}
		s.CostBreakdown = s.Cost.Breakdown()
		var nb []string
		for k, v := range s.Cost.NotBilled {
			nb = append(nb, fmt.Sprintf("%s %d", k, v))
		}
		sort.Strings(nb)
		s.NotBilled = strings.Join(nb, ", ")
		add(Row{"3. Temporal actions per lifecycle", fmt.Sprintf("%d%s", s.Cost.Actions, rng), "",
			fmt.Sprintf("≤ %d", GoalActions), verdict(s.Cost.Actions <= GoalActions)})
		add(Row{"3. history per lifecycle", fmt.Sprintf("%d events, %.1f KiB", s.Cost.Events, float64(s.Cost.Bytes)/1024), "", "", infoWord})
	}

	sc := r.Scale
	for _, m := range sc.Samples {
		add(Row{fmt.Sprintf("4. memory with %d open", m.Open),
			fmt.Sprintf("process %s (Go heap %s), dev server %s", mib(m.ProcessRSS), mib(m.GoHeap), mib(m.ServerRSS)), "", "", infoWord})
	}
	add(Row{fmt.Sprintf("4. storage with %d open (%d complaints in all)", sc.Open, sc.Complaints),
		fmt.Sprintf("Temporal SQLite %s, PostgreSQL %s", mib(sc.TemporalBytes), mib(sc.PGBytes)), "", "", infoWord})
	var ip, sp []Latency
	ip, sp = append(ip, sc.Inbox...), append(sp, sc.Search...)
	inb, srch := medianLatency(ip), medianLatency(sp)
	s.InboxP99, s.SearchP99 = inb.P99, srch.P99
	add(Row{fmt.Sprintf("4. GET /staff/tasks p99 (pokja-logistik, %d items returned)", sc.InboxItems),
		fmt.Sprintf("%s (p50 %s)", ms(inb.P99), ms(inb.P50)), "", "< " + ms(GoalInboxP99), verdict(inb.P99 < GoalInboxP99)})
	add(Row{fmt.Sprintf("4. GET /staff/complaints?q=banjir p99 (admin, %d matches)", sc.SearchTotal),
		fmt.Sprintf("%s (p50 %s)", ms(srch.P99), ms(srch.P50)), "", "", infoWord})
	for i, p := range ConsolePages {
		if i >= len(sc.Console) {
			break
		}
		l := medianLatency(sc.Console[i])
		add(Row{"4. console GET " + p.Label + " p99 (HTML)",
			fmt.Sprintf("%s (p50 %s)", ms(l.P99), ms(l.P50)), "", "< " + ms(GoalPageP99), verdict(l.P99 < GoalPageP99)})
	}
	add(Row{"4. largest console page served", fmt.Sprintf("%d KB", sc.PageBytes>>10), "", "< 50 KB", verdict(sc.PageBytes < 50<<10)})
	return s
}

// WriteTable prints the table for a terminal.
func (s Summary) WriteTable(w io.Writer) {
	width := [4]int{}
	for _, r := range s.Rows {
		for i, c := range []string{r.Figure, r.Measured, r.Baseline, r.Goal} {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	pad := func(c string, n int) string { return c + strings.Repeat(" ", max(0, n-len([]rune(c)))) }
	head := Row{"figure", "measured", "baseline", "goal", "result"}
	for i, r := range append([]Row{head}, s.Rows...) {
		fmt.Fprintf(w, "%s  %s  %s  %s  %s\n", pad(r.Figure, width[0]), pad(r.Measured, width[1]),
			pad(r.Baseline, width[2]), pad(r.Goal, width[3]), r.Result)
		if i == 0 {
			fmt.Fprintln(w, strings.Repeat("-", width[0]+width[1]+width[2]+width[3]+16))
		}
	}
	if s.CostBreakdown != "" {
		fmt.Fprintf(w, "\nactions per lifecycle: %s\n", s.CostBreakdown)
		if s.NotBilled != "" {
			fmt.Fprintf(w, "not billed: %s\n", s.NotBilled)
		}
	}
}

// WriteMarkdown writes docs/PERFORMANCE.md.
func (r *Report) WriteMarkdown(w io.Writer, s Summary) {
	c := r.Config
	fmt.Fprintf(w, "# Performance\n\n")
	fmt.Fprintf(w, "Generated by `aduan-bench` (`make bench`): measured, not assumed. Every figure is the median of %d run(s), each with its baseline measured in the same run on the same stack.\n\n", c.Runs)
	fmt.Fprintf(w, "- date: %s (took %s)\n", r.Started.Format("2006-01-02 15:04 MST"), r.Took.Round(time.Second))
	fmt.Fprintf(w, "- machine: %d cores (runtime.NumCPU)%s, %s memory (/proc/meminfo MemTotal), %s\n", r.CPUs, cpuSuffix(r.CPUModel), r.MemTotal, r.GoVersion)
	fmt.Fprintf(w, "- command: `%s`\n", c.Command)
	fmt.Fprintf(w, "- sizes: intake %d complaints × %d clients; lifecycle %d complaints × %d clients; %d histories counted per run; scale %d open complaints, %d requests × %d clients per inbox/search pass; sticky cache %s\n\n",
		c.Intake, c.IntakeConc, c.Lifecycle, c.LifeConc, c.Histories, c.Scale, c.InboxReqs, c.InboxConc, stickyText(c.StickyCache))
	verdictText := "all goals met"
	if !s.Pass {
		verdictText = "**some goals missed** (FAIL rows)"
	}
	fmt.Fprintf(w, "Result: %s.\n\n", verdictText)
	fmt.Fprintf(w, "| figure | measured | baseline | goal | result |\n| --- | --- | --- | --- | --- |\n")
	for _, row := range s.Rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", row.Figure, row.Measured, row.Baseline, row.Goal, row.Result)
	}
	if s.CostBreakdown != "" {
		fmt.Fprintf(w, "\nWhere a happy-path lifecycle's Temporal actions go: %s.", s.CostBreakdown)
		if s.NotBilled != "" {
			fmt.Fprintf(w, " Not billed: %s.", s.NotBilled)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, methodNotes)
}

func cpuSuffix(model string) string {
	if model == "" {
		return ""
	}
	return " (" + model + ")"
}

func stickyText(n int) string {
	if n <= 0 {
		return "SDK default (10000 workflows)"
	}
	return fmt.Sprintf("%d workflows", n)
}

const methodNotes = `
## Method

Everything runs in one process, as ` + "`e2e/main_test.go`" + ` does: a Temporal dev server (Temporal CLI, SQLite
file in a temp directory so its size can be read), a fresh PostgreSQL database (dropped at the end), the worker
(` + "`worker.New`" + `, the intake relay) and the API (` + "`api.NewRouter`" + ` on a local listener, per-client and per-phone
rate limits set out of reach). Clients are Go HTTP clients with keep-alive in the same process, so the load
generator competes for the same cores as the system under test; on a 2-core machine this is pessimistic.

1. **Intake.** N web complaints (distinct text and phone) through ` + "`POST /api/v1/complaints`" + ` on 16 concurrent
   clients: validation, the place lookup and the PostgreSQL insert of the complaint; the response does not wait
   for the workflow, which the API's starter starts in the background (and the catch-up figure measures).
   Baseline: a gin engine with the API's
   middleware in the same order (recovery, access log, body limit: copies of the API's unexported ones) answering
   one bare ` + "`INSERT ... RETURNING id`" + ` into a scratch table on the same connection pool, driven by the same clients.
   Latency is per request (nearest-rank percentiles); the rate is successful requests over wall time.
2. **Lifecycle.** M complaints on 8 concurrent clients, each client doing submit, triage (admin), forward
   (pokja), partner_answer (partner), approve (pokja), publish (admin) through the API, every action a Workflow
   Update that returns after its projection is in PostgreSQL (a triage that arrives before the starter has started
   the workflow starts it in the same request, Update-with-Start). Baseline: a workflow that returns at once,
   registered on the same worker and task queue, started and awaited (` + "`ExecuteWorkflow` + `Get`" + `) by 8 concurrent
   clients on the same server.
3. **Cost.** After each lifecycle run the first few complaints' histories are fetched with
   ` + "`client.GetWorkflowHistory`" + ` once the workflow has no pending activity or workflow task (publish's notifications
   done). Actions are counted by Temporal Cloud's billing rules: workflow started 1; each accepted Update 1; each
   signal 1; each activity scheduled 1 (retries would count too; none happen here); each timer started 1; each
   search-attribute or memo upsert 1; each local-activity or side-effect marker 1; child workflows and external
   signals 1. Version markers (` + "`workflow.GetVersion`" + `) are not billed and are listed apart. Queries are billed but
   leave no trace in history; the API issues none on this path (it reads PostgreSQL). Workflow tasks are not
   billed. History size is ` + "`proto.Size`" + ` of the fetched history.
4. **Scale.** K complaints are submitted and triaged to pokja logistik through the API, so they sit in at_pokja
   waiting on their SLA timers (reminder, deadline, overall limit). Memory is sampled before, and at K/4, K/2 and K:
   the bench process's VmRSS from /proc/self/status (worker, API and load generator share this process, so it is
   an upper bound for either), the Go heap in use after a forced GC (` + "`runtime.ReadMemStats`" + `: the worker's sticky
   workflow cache lives there), and the dev server's VmRSS (its /proc entry as our child). The worker keeps up to
   the sticky cache size of workflows in memory (the production worker's ` + "`ADUAN_STICKY_CACHE`" + `, default 1000, set
   through ` + "`worker.SetStickyWorkflowCacheSize`" + `; ` + "`aduan-bench --sticky-cache N`" + ` measures another size). Sizes: the dev server's SQLite
   file (with -wal and -shm) and ` + "`pg_database_size`" + ` (all complaints of the run, not only the K). Then, once per
   run, inbox (` + "`GET /api/v1/staff/tasks`" + ` as pokja-logistik, whose pokja holds the K; the API returns at most 200)
   and search (` + "`GET /api/v1/staff/complaints?q=banjir`" + ` as admin, a word every bench complaint contains) are each
   requested on 4 concurrent clients, and so is every console page; the figure is the median of the passes' p99.
   The fill ends with ` + "`ANALYZE`" + `, as autovacuum would within a minute of such a change: plans are timed with
   statistics, as a running system has them.

Between phases the bench waits until the system has caught up: every complaint's workflow started (intake answers
once the complaint is committed to PostgreSQL and starts its workflow in the background), every acknowledgement
sent, and the worker through its task queue (a workflow that completes at once must come back within 500 ms), so
one phase's backlog does not land on the next; after the intake burst that wait is reported as "catch-up". Failed requests are counted and reported, never timed.

Percentiles of several runs are combined by taking the median of each run's percentile.
`

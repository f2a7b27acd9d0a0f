package bench

// waitsReading is how to read "Where the lifecycle waits", and what the profiles taken
// while issue 16's bench was written showed (the figures above are the current run's).
const waitsReading = `How to read it. A lifecycle is six HTTP requests in a row: a submit and five Workflow Updates, each
returning once its projection is in PostgreSQL; behind them the workflow starts, sets six timers, upserts its search
attributes five times and runs a publication activity. So one lifecycle is about eight empty workflows' worth of CPU
(the sentence above says how many in this run), and more than half of it is the Temporal server's, persisting
workflow tasks, timers and Updates. When the busy cores add up to about the machine's, the walk is bound by CPU, and
the lifecycle's rate is what the cores allow, shared with the Temporal server; below that it waits on round trips
(a workflow task's poll, the server's persistence, fsync), six of them in a row per lifecycle against one for an
empty workflow. Either way the lifecycle-rate goal, at least half the empty-workflow rate, asks a lifecycle to cost
no more than two empty workflows: that is out of reach while an action is a Workflow Update, whatever this
process does, and the figure is best read as the trend between runs. The ceiling row under the lifecycle rate
measures this in every run: a workflow that does nothing but take the happy path's five Updates (started, five
Updates whose handler only returns, awaited; no HTTP, no PostgreSQL, no timers, no search attributes) walked on the
same clients. No lifecycle can be faster than that walk, and on 2026-12-01 it ran at 46 to 50% of the
empty-workflow rate (a short bench of 3 runs: 32.6 to 34.8 walks a second against 65 to 76 empty workflows), so the
goal asks Aduan's lifecycle to be as fast as one that does nothing. The row beside it gives the lifecycle's rate
as a share of that ceiling: what Aduan's own work (the API, PostgreSQL, the timers, the search attributes) costs
on top of the Updates any design with Update actions pays for.

What the profiles taken for issue 16 showed in this process, and what came of them: the Temporal client gzipped every
gRPC request (the SDK's default), about a tenth of this process's CPU in a lifecycle, for payloads the payload codec
has already encrypted and which do not compress; it no longer does (` + "`ADUAN_TEMPORAL_GZIP`" + `, off;
` + "`aduan-bench --grpc-gzip`" + ` measures with it). SLA planning
(` + "`domain.SLAPolicy.Plans`" + ` at intake and in the projection) rebuilt the office calendar, holidays parsed with
` + "`time.Parse`" + `, at every step, about 6% (prepared calendars are now kept, below); a staff action reads the complaint from PostgreSQL before its Update
(` + "`complaints.(*Service).load`" + `), about 5%. The rest is the Go runtime and the network: goroutine scheduling,
system calls, the SDK's payload visitor growing stacks.

Where a staff action's time goes (a walk of 80 complaints timed inside the API and the projection, and one history's
event times, on 2026-12-01): on one client an action took about 20 ms, of which the Update 17 ms (its workflow task
about 10 ms, the projection inside it 4 ms) against about 6 ms for a bare Update; the reads around it (the complaint
before, the view after) 3 to 4 ms. On 8 clients the Update took about 100 ms against a bare Update's 26 ms (p50): the
workflow task waited 3 to 65 ms to be picked up and took 18 to 70 ms, the projection 15 ms of it, and the server
stamped the search-attribute upsert up to 50 ms after the marker. An action's workflow task does four things a bare
Update's does not (the projection's marker, a timer cancelled and another started, the search attributes, and the
projection itself in PostgreSQL).

Those four, measured one at a time (a scratch bench on 2026-12-01: the bare-Update workflow given each alone, on the
dev server, 8 clients, 160 workflows × 5 Updates, two rounds): Updates per second went from 147 to 217 with none to
130 to 184 with the projection's local activity and its PostgreSQL transaction, 116 to 128 with the search-attribute
upsert, 146 to 233 with the timer swap (no cost to be seen), and 101 with all four; p99 137 to 147 ms against 90 to
96 ms. So the workflow's own work is about 1.5× a bare Update at 8 clients; the rest of an action's ratio is around
it: the HTTP request (sign-in, the complaint read before, the view read after), the submits and workflow starts the
walk interleaves (a triage that starts its workflow pays for the start), and, on the dev server, its persistence.
The walks do not fill the machine (the busy cores above: about one of two in the runs of 2026-12-01), and the
CLI's dev server keeps every workflow's state in SQLite through a single connection (the server's SQLite plugin sets ` + "`SetMaxOpenConns(1)`" + `):
every read and write of every workflow waits for that one connection, and an action needs more of them than a bare
Update (its timer, its search attributes, its local-activity marker, and the starts around it). Measured on their
own, as the bare Update is (the figure the goal is judged on), triage, forward, partner_answer and approve came out
at 1.3 to 2.4× a bare Update on both servers in the runs of 2026-12-01, and at medians of 2.0 to 4.9× inside the
walk, among its submits and starts. Publish was the exception, 3.3 to 7.1× on its own, while it set off the
AnnouncePublication activity (the complainant's answer and the push to the websites): the server scheduled,
dispatched and recorded it, and its completion gave the workflow a second workflow task, for every publish. Eager
activity execution (the server's system.enableActivityEagerExecution) saved less than the spread between runs. Now
the publish's own projection queues the announcement in PostgreSQL, in the transaction of its event, and the
worker's announcer carries it out (worker/announcer.go): in short benches of 3 runs publish came out at 2.84×
(2.34 to 3.21) with the announcements running beside the publishes, 2.07× with no announcer at all, and 2.04× (1.95
to 2.92) once the announcer gives way to staff actions for at most 2 s, which is what runs. Until migration 00027
every announcement also read all the complaints to find the ones merged into it, 0.6 to 1.3 s each over 95,000
complaints with 8 at once, which slowed whatever ran beside it; PostgreSQL's slow-statement log during a bench run
found it.

Intake, profiled on 2026-12-01 (scratch benches of 3 runs of 2,000 intakes on 16 clients, a year loaded, the intake
under the CPU profiler and the CPU of this process and of PostgreSQL's backends counted per request). Four things
came of it. SLA planning parsed the calendar's holidays again for every deadline, a third of this process's CPU in an
intake: prepared calendars are now kept by their content (` + "`domain/calendar_cache.go`" + `). lib/pq sent every
statement with parameters in two round trips (parse and describe, then bind and execute): the store now sends
parameters in binary mode, one round trip each, which took this process's CPU per intake from 0.63 to 0.42 ms.
The pool kept 10 of its 20 connections idle, so under 16 clients a connection given back over that was closed and
the next request opened a new PostgreSQL backend: with the pool kept whole the intake's p99 went from 50 to 70 ms
to 27 to 32 ms, and the bare INSERT's from 18 to 28 ms to 6 to 9 ms. And a WhatsApp or SMS message that opens a
complaint took four statements (its number's open complaint, the delivery seen before, the insert, the earlier
messages attached), now two; the insert and the projection are prepared once per connection (intake p99 31 ms
against 37 ms planned at every request, in two benches side by side). What is left is the insert itself, and the
ratio: an intake costs PostgreSQL about 1 ms of CPU against 0.15 ms for the bare INSERT. The complaint's row feeds
18 indexes (the text's GIN among them), its first event the report's stage visits (a trigger) and the report
cache's change number (a sequence, twice). pgbench on a copy of the bench's database (16 clients, prepared): the
intake's statement 2,150 a second against the bare INSERT's 11,000; without the visits trigger and the change
number, and eight indexes fewer, 5,700. So every gain in the path both share (the pool, the round trips) raised the
bare INSERT as much as the intake, and the ratio grew while both got faster. An intake at 1.5 times a bare INSERT
would have to write about what a bare INSERT writes: a journal of what came in, answered at once, made into
complaints behind it. That is a change of design (what a tracking page shows meanwhile, a number's second message
before its first is a complaint), not made here.

The lifecycle rate's baseline, an empty workflow started and awaited, swings between runs on the dev server: 33 to
34 workflows a second in every run of one scratch bench, 79 to 118 in the next, with the lifecycles at 16 to 19 a
second in both. The ratio follows the baseline: 55% (PASS, 3 runs of 3) in the first, 18% in the second. Two
suspects were tried on 2026-12-01 and cleared (short benches of 3 runs, the dev server given the setting as a
` + "`--dynamic-config-value`" + `): one partition per task queue instead of four (an empty workflow's only task could wait in
a partition no poller was on), and search attributes read from the server's cache instead of from its database at
every read (the CLI turns that cache off). The empty-workflow rate came out at 31 to 64 a second as the dev server
starts, 59 to 75 with one partition and 54 to 62 with both; the lifecycle's share of it at 18 to 21%, 17 to 18% and
18 to 19%. Neither is kept.
`

const methodNotes = `
## Method

Everything runs in one process, as ` + "`e2e/main_test.go`" + ` does: a Temporal server (the CLI's dev server with its
SQLite file in a temp directory so its size can be read; with ` + "`--temporal cluster`" + ` also the production profile's
server, package ` + "`tempcluster`" + `), a fresh PostgreSQL database (dropped at the end), the worker (` + "`worker.New`" + `,
the intake relay, the acknowledger, the announcer and the outbox) and the API (` + "`api.New`" + ` on a local listener, the WhatsApp and
SMS webhooks with secrets of the run's own, per-client and per-phone rate limits set out of reach).

**Before anything is measured**, ` + "`bench.LoadYear`" + ` writes the closed complaints of a past year straight into
PostgreSQL (COPY; channels, kecamatan, desa, categories, pokja, partners, statuses and Indonesian texts spread as a
year spreads them; its outbox as a year leaves it: delivered, and the few deliveries that failed already dealt with by
the resender, so the worker finds none of it left to do), then vacuums and analyzes. Every figure is then taken over
that database.

**Stability.** The load generator shares the machine with the system under test, so what it does is kept small and
out of the timed path: every request's body and signature is built before its phase starts (no JSON or HMAC work
inside a measurement); clients keep their connections alive (one transport per phase, as many idle connections as
clients, every body read to the end); before each phase its predecessor's garbage is collected (` + "`runtime.GC`" + `)
and PostgreSQL writes a checkpoint (` + "`CHECKPOINT`" + `), so that a phase pays neither for what came before it nor for
a checkpoint PostgreSQL would start on its own in the middle of one phase and not of its baseline; the system
catches up between phases (below). Every measured path runs
once before the runs (warm-up: intake on the three channels and both baselines, a few lifecycles, empty workflows
and bare Updates), so connections, caches, templates and the first workflow tasks are not in the figures. GOGC and
GOMAXPROCS are left as production runs them: the worker and the API are in this process, and tuning its collector
would measure a system nobody runs. Pinning processes to cores does not help on 2 cores (the Temporal server,
PostgreSQL and this process each need both at moments). What cannot be pinned is shown instead: every figure is the
median of ` + "`--runs`" + ` runs with the smallest and largest in brackets, and each verdict says how many runs met the goal
on their own.

1. **Intake.** N complaints through the three doors in turn, on 16 concurrent clients: the web form's
   ` + "`POST /api/v1/complaints`" + `, the WhatsApp Cloud API's webhook and the SMS gateway's (each delivery signed with
   HMAC-SHA256 as the provider signs it), every one a new number: validation, the place lookup and the PostgreSQL
   insert of the complaint; the answer does not wait for the workflow, which the API's starter starts in the
   background, giving way to a burst of intake for up to 10 s (` + "`workflows.StartGiveWay`" + `; the catch-up figure
   says how long the starts took after the run). Baseline: a gin engine with the API's own middleware
   (` + "`api.Middleware`" + `: request id, recovery, deadlines, access log, body limit) answering, on the same
   three paths and with bodies of the same kind, one bare ` + "`INSERT ... RETURNING id`" + ` of the body into a scratch
   table on the same connection pool, driven by the same clients. Latency is per request (nearest-rank
   percentiles); the rate is successful requests over wall time.
2. **Disaster burst.** M messages spread evenly over the burst's time (open load: each is sent at its planned
   moment whether or not the earlier ones were answered; latency counts from that moment): half WhatsApp, three in
   ten SMS, two in ten web; one WhatsApp or SMS sender in eight writes a second message once the first is taken
   (it joins the complaint); one delivery in fifty is sent again after its answer and one in a hundred twice at the
   same moment (a provider's retries); the web form sends an Idempotency-Key. A delivery not taken is sent again
   after a second, as providers do. Then: every message's text carries a tag, and each tag must be found exactly
   once in PostgreSQL, as a complaint or as an attached message (lost: none; doubled: none); and from the last
   answer the bench times until every complaint of the burst has its workflow started and its acknowledgement sent
   (outbox). Acknowledgements go through the log sender (no provider is called), the rest of the path is real. The
   burst runs once, at the end, on the full database with the scale figure's open complaints.
3. **Lifecycle.** L complaints on 8 concurrent clients, each client doing submit, triage (admin), forward (pokja),
   partner_answer (partner), approve (pokja), publish (admin) through the API, every action a Workflow Update that
   returns after its projection is in PostgreSQL (a triage that arrives before the starter has started the
   workflow starts it in the same request, Update-with-Start). Baseline: a workflow that returns at once,
   registered on the same worker and task queue, started and awaited (` + "`ExecuteWorkflow` + `Get`" + `) by 8
   concurrent clients on the same server. Ceiling (shown, not judged): L workflows of the bare-Update kind
   (below), each started, sent five Updates one after another and awaited by the same 8 clients
   (` + "`bench.BareLifecycles`" + `): what any lifecycle whose five actions are Updates must do at least.
4. **Staff actions.** Each action measured on its own, against a **bare Update**: L workflows whose
   Update handler only returns, registered on the same worker and task queue, each sent five Updates one after
   another (as a lifecycle's five actions go to one complaint) by 8 concurrent clients through the same client,
   the way the core sends an action (` + "`UpdateWorkflow`" + ` waiting for the Completed stage, then ` + "`Get`" + `).
   The actions are measured the same way: L complaints are submitted and their workflows started first (not
   timed), then the 8 clients send each action of the happy path to all of them, one action per phase, so no
   submit or workflow start runs beside them, as none runs beside the bare Updates, and a triage finds its
   workflow running, as it does at a desk minutes after the complaint came in. The difference is ours: HTTP,
   sign-in, the reads around the Update, the validator, the projection to PostgreSQL, timers, search
   attributes, and what the action sets off (publish's announcement, queued in PostgreSQL and carried out by the
   worker's announcer beside the next actions). The same actions' p99 inside
   the lifecycle walk, among its submits and the starts they bring (the walk's triage usually starts its
   workflow), is shown beside them and not judged.
5. **Cost.** After each lifecycle run the first few complaints' histories are fetched with
   ` + "`client.GetWorkflowHistory`" + ` once the workflow has no pending activity or workflow task (publish's notifications
   done). Actions are counted by Temporal Cloud's billing rules: workflow started 1; each accepted Update 1; each
   signal 1; each activity scheduled 1 (retries would count too; none happen here); each timer started 1; each
   search-attribute or memo upsert 1; each local-activity or side-effect marker 1; child workflows and external
   signals 1. Version markers (` + "`workflow.GetVersion`" + `) are not billed and are listed apart. Queries are billed but
   leave no trace in history; the API issues none on this path (it reads PostgreSQL). Workflow tasks are not
   billed. History size is ` + "`proto.Size`" + ` of the fetched history. The goal holds when the largest history counted
   meets it.
6. **Memory.** K complaints are submitted and triaged to pokja logistik through the API, so they sit in at_pokja
   waiting on their SLA timers (reminder, deadline, overall limit). Memory is sampled before, and at K/4, K/2 and K:
   the bench process's VmRSS from /proc/self/status (worker, API and load generator share this process, so it is
   an upper bound for either; the goal compares K with before the fill), the Go heap in use after a forced GC
   (` + "`runtime.ReadMemStats`" + `: the worker's sticky workflow cache lives there), and the Temporal server's VmRSS
   (our child). The worker keeps up to the sticky cache size of workflows in memory (the production worker's
   ` + "`ADUAN_STICKY_CACHE`" + `, default 1000; ` + "`aduan-bench --sticky-cache N`" + ` measures another size). "Before the
   fill" is not an idle worker: the intake runs' complaints are open too. Sizes: the dev server's SQLite file
   (with -wal and -shm) and ` + "`pg_database_size`" + `.
7. **Pages.** Once per run, over the year and every complaint of the run: the inbox (` + "`GET /api/v1/staff/tasks`" + ` as
   pokja-logistik, whose pokja holds the K; the API returns at most 200), a complaint's page
   (` + "`GET /api/v1/staff/complaints/{code}`" + `), the text search (` + "`GET /api/v1/staff/complaints?q=banjir`" + ` as admin,
   a word of every bench complaint and of a fifth of the year's) and every console page are requested on 4
   concurrent clients; the evaluation report (` + "`GET /api/v1/staff/reports?from=`" + ` the last 380 days, as admin: the
   whole year) a tenth as often. The figure is the median of the passes' p99. The fill ends with ` + "`ANALYZE`" + `, as
   autovacuum would within a minute of such a change.

**Production profile** (` + "`--temporal dev,cluster`" + `, what ` + "`make bench`" + ` runs): after the dev server's stack is
stopped, a second stack on the Temporal server of the production profile (v1.29.1 on two PostgreSQL databases of the
run's own, deploy/temporal/production.yaml, started by package ` + "`tempcluster`" + ` as the e2e tests' cluster mode starts
it) loads the same year into its own database, runs the same warm-up and the intake, lifecycle, staff-action and
cost figures; they are set beside the dev server's. The burst and the pages are not repeated.

**Where the lifecycle waits** (` + "`--profile DIR`" + `, which ` + "`make bench`" + ` sets): after the runs, one more lifecycle walk
(not counted) under ` + "`runtime/pprof`" + `'s CPU profiler, summarised by area and by function; and for every measured
walk, the CPU time of this process, the Temporal server and the run's PostgreSQL backends, read from the kernel.

Between phases the bench waits until the system has caught up: every complaint's workflow started (intake answers
once the complaint is committed to PostgreSQL and starts its workflow in the background), every acknowledgement
sent, and the worker through its task queue (a workflow that completes at once must come back within 500 ms), so
one phase's backlog does not land on the next; after each intake run that wait is reported as "catch-up". Failed
requests are counted and reported, never timed.

Percentiles of several runs are combined by taking the median of each run's percentile; a ratio is taken run by
run (each run against its own baseline) and the median of those is judged.
`

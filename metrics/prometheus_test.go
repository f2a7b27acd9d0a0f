package metrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"aduan/api"
	"aduan/complaints"
	"aduan/metrics"
	"aduan/store"
	"aduan/worker"
)

// prometheusBin is Debian's Prometheus (apt-get install prometheus; scripts/lib.sh
// ensure_prometheus).
const prometheusBin = "/usr/bin/prometheus"

// TestPrometheusScrapes: a real Prometheus scrapes an API (its router with metrics) and
// a worker (its endpoint with the figures from PostgreSQL, a Temporal worker polling a
// dev server) every second, loads deploy/prometheus/alerts.yml and evaluates it, and
// its HTTP API answers with our series: the HTTP requests by route, the open complaints,
// the outbox, the relay's backlog, the Temporal SDK's series (a workflow task failing on
// a workflow type nobody registered among them) and up.
func TestPrometheusScrapes(t *testing.T) {
	if _, err := os.Stat(prometheusBin); err != nil {
		skipUnlessRequired(t, "no "+prometheusBin+" (Debian's prometheus package; scripts/lib.sh ensure_prometheus)")
	}
	cli := temporalCLI()
	if cli == "" {
		skipUnlessRequired(t, "no Temporal CLI (scripts/lib.sh ensure_temporal)")
	}
	db := metrics.FreshDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// One complaint recorded five minutes ago whose workflow never started and whose
	// acknowledgement has not gone out (no relay or acknowledger runs here), and one
	// outbox row waiting for its first try.
	res, err := db.InsertIntake(ctx, store.Intake{Channel: "web", Text: "Lampu jalan padam sejak minggu lalu.",
		CreatedAt: time.Now().Add(-5 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnqueueNotifications(ctx, []store.Notification{{DedupeKey: "metrics-test/admin1", Code: res.Code,
		Kind: "reminder", Recipient: "admin1", Channel: "log", Template: "reminder", Text: "Pengingat.", DueAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}

	// Temporal: a dev server of the test's own.
	server, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath: cli, LogLevel: "error", Stdout: io.Discard, Stderr: io.Discard,
		ClientOptions: &client.Options{HostPort: freeAddr(t), Namespace: "default", Logger: quietSDK},
	})
	if err != nil {
		t.Fatalf("start Temporal dev server: %v", err)
	}
	t.Cleanup(func() { _ = server.Stop() })
	dial := func(m *metrics.Metrics) client.Client {
		c, err := client.Dial(client.Options{HostPort: server.FrontendHostPort(), Namespace: "default",
			Logger: quietSDK, MetricsHandler: m.Temporal()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		return c
	}

	// The worker process, as runWorkerUntil wires it: its registry with the figures
	// from PostgreSQL, a Temporal worker, its endpoint.
	wm := metrics.New()
	t.Cleanup(func() { _ = wm.Close() })
	if err := wm.Register(metrics.NewStoreCollector(db)); err != nil {
		t.Fatal(err)
	}
	wtc := dial(wm)
	taskQueue := "aduan-metrics-test"
	w := worker.New(wtc, db, taskQueue, nil)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	hs, err := worker.ListenHealth("127.0.0.1:0", worker.HealthHandler(db, wtc, wm.Handler()))
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve(ctx) }()
	workerURL := "http://" + hs.Addr().String()

	// The API process, as serveAPI wires it.
	am := metrics.New()
	t.Cleanup(func() { _ = am.Close() })
	atc := dial(am)
	core := complaints.New(db, atc, complaints.Config{TaskQueue: taskQueue, PublicBaseURL: "http://aduan.test"})
	apiSrv := httptest.NewServer(api.New(core, api.Options{Metrics: am}))
	t.Cleanup(apiSrv.Close)

	for _, c := range []struct {
		url  string
		want int
	}{
		{apiSrv.URL + "/healthz", 200},
		{apiSrv.URL + "/healthz", 200},
		{apiSrv.URL + "/readyz", 200},
		{apiSrv.URL + "/lacak/ADU-TIDAKADA/rahasia", 404},
		{workerURL + "/healthz", 200},
		{workerURL + "/readyz", 200},
	} {
		if code := status(t, c.url); code != c.want {
			t.Fatalf("GET %s: %d, want %d", c.url, code, c.want)
		}
	}
	// A workflow of a type no worker registered: its workflow task fails, and the SDK
	// counts it (what the alert on temporal_workflow_task_execution_failed_total sees).
	run, err := atc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "metrics-test-unknown-type", TaskQueue: taskQueue},
		"JenisYangTidakTerdaftar")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = atc.TerminateWorkflow(context.Background(), run.GetID(), run.GetRunID(), "test over") })

	// Prometheus, scraping both every second and evaluating the alert rules.
	dir := t.TempDir()
	rules, err := filepath.Abs("../deploy/prometheus/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	config := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: [%q]
scrape_configs:
  - job_name: aduan-api
    static_configs: [{targets: [%q]}]
  - job_name: aduan-worker
    static_configs: [{targets: [%q]}]
`, rules, strings.TrimPrefix(apiSrv.URL, "http://"), hs.Addr().String())
	cfgFile := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgFile, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	promAddr := freeAddr(t)
	var promLog bytes.Buffer
	cmd := exec.Command(prometheusBin, "--config.file="+cfgFile, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+promAddr, "--log.level=warn")
	cmd.Stdout, cmd.Stderr = &promLog, &promLog
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("prometheus log:\n%s", promLog.String())
		}
	})
	prom := "http://" + promAddr

	// Every series below, once both targets were scraped after the requests above.
	checks := []struct {
		query string
		ok    func([]sample) bool
	}{
		{`up{job="aduan-api"}`, one(1)},
		{`up{job="aduan-worker"}`, one(1)},
		{`aduan_http_requests_total{job="aduan-api",route="/healthz",method="GET",status="200"}`, one(2)},
		{`aduan_http_requests_total{job="aduan-api",route="/readyz",status="200"}`, one(1)},
		{`aduan_http_requests_total{job="aduan-api",route="unmatched",status="404"}`, one(1)},
		{`aduan_http_request_duration_seconds_count{job="aduan-api",route="/healthz"}`, one(2)},
		{`aduan_complaints_open{job="aduan-worker",status="received",pokja="none"}`, one(1)},
		{`aduan_complaints_open{job="aduan-worker",status="at_pokja"}`, one(0)},
		{`aduan_outbox_pending{job="aduan-worker",state="new"}`, one(1)},
		{`aduan_relay_unstarted{job="aduan-worker"}`, one(1)},
		{`aduan_ack_pending{job="aduan-worker"}`, one(1)},
		{`aduan_delivery_failures_total{job="aduan-worker",channel="whatsapp"}`, one(0)},
		{`aduan_store_up{job="aduan-worker"}`, one(1)},
		{`go_goroutines{job="aduan-api"}`, positive},
		{`process_resident_memory_bytes{job="aduan-worker"}`, positive},
		{`sum(temporal_request_total{job="aduan-api"})`, positive},
		{`sum(temporal_long_request_total{job="aduan-worker"})`, positive},
		{`sum(temporal_worker_start_total{job="aduan-worker"})`, positive},
		{`sum(temporal_workflow_task_execution_failed_total{job="aduan-worker",workflow_type="JenisYangTidakTerdaftar"})`, positive},
		// The raw path of the 404 is nowhere.
		{`count({__name__=~"aduan_http_.*", route=~".*TIDAKADA.*"}) or vector(0)`, one(0)},
	}
	deadline := time.Now().Add(90 * time.Second)
	for _, c := range checks {
		for {
			got, err := query(prom, c.query)
			if err == nil && c.ok(got) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %v (err %v)", c.query, got, err)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}

	// Every query of the Grafana dashboard is one Prometheus accepts.
	for _, q := range dashboardQueries(t, "../deploy/grafana/aduan.json") {
		if _, err := query(prom, q); err != nil {
			t.Errorf("dashboard query %s: %v", q, err)
		}
	}

	// The alert rules load and evaluate against these series without an error.
	for {
		bad, evaluated, err := ruleHealth(prom)
		if err == nil && evaluated && len(bad) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("alert rules: unhealthy %v, evaluated %v, err %v", bad, evaluated, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// dashboardQueries reads a Grafana dashboard: its datasource is the variable every
// panel uses, and its queries come back with the variables filled in as Grafana would
// (the jobs of prometheus.yml, a one-minute rate interval).
func dashboardQueries(t *testing.T, file string) []string {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		UID        string `json:"uid"`
		Templating struct {
			List []struct {
				Name, Type, Query string
			} `json:"list"`
		} `json:"templating"`
		Panels []struct {
			Type       string `json:"type"`
			Title      string `json:"title"`
			Datasource struct {
				UID string `json:"uid"`
			} `json:"datasource"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	vars := map[string]string{}
	for _, v := range d.Templating.List {
		vars[v.Name] = v.Query
	}
	if vars["datasource"] != "prometheus" || d.UID == "" {
		t.Errorf("%s: no Prometheus datasource variable or no uid", file)
	}
	fill := strings.NewReplacer("$__rate_interval", "1m", "$api_job", vars["api_job"], "$worker_job", vars["worker_job"])
	var out []string
	for _, p := range d.Panels {
		if p.Type == "row" {
			continue
		}
		if p.Datasource.UID != "${datasource}" || len(p.Targets) == 0 {
			t.Errorf("%s: panel %q: datasource %q, %d queries", file, p.Title, p.Datasource.UID, len(p.Targets))
		}
		for _, tg := range p.Targets {
			out = append(out, fill.Replace(tg.Expr))
		}
	}
	return out
}

// sample is one element of a Prometheus instant vector.
type sample struct {
	Labels map[string]string
	Value  float64
}

func one(v float64) func([]sample) bool {
	return func(s []sample) bool { return len(s) == 1 && s[0].Value == v }
}

func positive(s []sample) bool { return len(s) > 0 && s[0].Value > 0 }

// query asks Prometheus's HTTP API for an instant vector.
func query(prom, q string) ([]sample, error) {
	res, err := http.Get(prom + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string `json:"resultType"`
			Result     []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		return nil, err
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("%s: %s", body.Status, body.Error)
	}
	out := []sample{}
	for _, r := range body.Data.Result {
		s, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, sample{Labels: r.Metric, Value: v})
	}
	return out, nil
}

// ruleHealth lists the alert rules Prometheus could not evaluate, and whether every rule
// was evaluated at least once.
func ruleHealth(prom string) (bad []string, evaluated bool, err error) {
	res, err := http.Get(prom + "/api/v1/rules")
	if err != nil {
		return nil, false, err
	}
	defer res.Body.Close()
	var body struct {
		Data struct {
			Groups []struct {
				Rules []struct {
					Name           string `json:"name"`
					Health         string `json:"health"`
					LastError      string `json:"lastError"`
					LastEvaluation string `json:"lastEvaluation"`
				} `json:"rules"`
			} `json:"groups"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		return nil, false, err
	}
	n := 0
	evaluated = true
	for _, g := range body.Data.Groups {
		for _, r := range g.Rules {
			n++
			if r.Health == "err" {
				bad = append(bad, r.Name+": "+r.LastError)
			}
			if r.Health == "unknown" || strings.HasPrefix(r.LastEvaluation, "0001-") {
				evaluated = false
			}
		}
	}
	if n == 0 {
		return nil, false, fmt.Errorf("no rules loaded")
	}
	return bad, evaluated, nil
}

func status(t *testing.T, u string) int {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// freeAddr is a local address nothing listens on (yet).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// temporalCLI finds the Temporal CLI as the e2e tests do: TEMPORAL_CLI, PATH, then
// GOPATH/bin.
func temporalCLI() string {
	if p := os.Getenv("TEMPORAL_CLI"); p != "" {
		return p
	}
	if p, err := exec.LookPath("temporal"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil && gopath == "" {
		gopath = strings.TrimSpace(string(out))
	}
	for _, p := range []string{filepath.Join(filepath.SplitList(gopath + ":")[0], "bin", "temporal"),
		filepath.Join(os.Getenv("HOME"), "go", "bin", "temporal")} {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

func skipUnlessRequired(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("ADUAN_REQUIRE_INTEGRATION") == "1" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// quietSDK keeps the SDK's warnings (a failing workflow task is one) out of the test's output.
var quietSDK = sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))

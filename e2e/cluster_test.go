package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"aduan/temporaladmin"
	"aduan/workflows"
)

// clusterMode says the run is on the production profile: every Temporal server of the
// tests is the Temporal server (go.temporal.io/server, the version make cluster runs) on
// PostgreSQL with SQL visibility, configured by deploy/temporal/, instead of the CLI's
// dev server. scripts/test.sh runs the lifecycle, SLA and fault tests this way too.
func clusterMode() bool { return os.Getenv("ADUAN_E2E_TEMPORAL") == "cluster" }

// repoRoot is the repository's top directory (the tests run in e2e/).
func repoRoot() string {
	wd, _ := os.Getwd()
	return filepath.Dir(wd)
}

// clusterBinaries finds the Temporal server and its SQL tool that scripts/lib.sh builds.
func clusterBinaries() (server, sqlTool string, err error) {
	if s := os.Getenv("TEMPORAL_SERVER_BIN"); s != "" {
		return s, os.Getenv("TEMPORAL_SQL_TOOL"), nil
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err != nil {
		return "", "", err
	}
	dir := filepath.Join(filepath.SplitList(string(trimNewline(out)))[0], "bin", "temporal-server-v1.29.1")
	server, sqlTool = filepath.Join(dir, "server"), filepath.Join(dir, "sql")
	for _, p := range []string{server, sqlTool} {
		if _, err := os.Stat(p); err != nil {
			return "", "", fmt.Errorf("no %s (make cluster or scripts/test.sh builds it)", p)
		}
	}
	return server, sqlTool, nil
}

// clusterServer is a Temporal server of the production profile, of one test's own: its
// two databases on a PostgreSQL server, its ports around a base of its own.
type clusterServer struct {
	hostPort string
	env      []string
	logFile  string
	cmd      *exec.Cmd
	done     chan struct{}
}

// clusterPorts picks a base port whose whole set (frontend, history, matching, worker,
// HTTP, membership and metrics, as deploy/temporal/production.yaml lays them out) is free.
func clusterPorts() (int, error) {
	offsets := []int{0, 1, 2, 6, 10, -300, -299, -298, -294, 20}
	for attempt := 0; attempt < 50; attempt++ {
		// Below 32,768: Temporal keeps membership ports in a smallint column (and the
		// kernel's ephemeral ports start above).
		base := 10300 + rand.IntN(22000)
		free := true
		for _, off := range offsets {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(base+off))
			if err != nil {
				free = false
				break
			}
			l.Close()
		}
		if free {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no free set of ports for a Temporal cluster")
}

// startCluster prepares the databases (scripts/temporal-db.sh: role, databases, schema
// with Temporal's SQL tool) on the PostgreSQL server adminURL reaches, starts the server,
// and registers the namespace and Aduan's search attributes (temporaladmin.Ensure, what
// `aduan setup-temporal` runs). stop ends it; the databases are the caller's to drop.
func startCluster(pgHost string, pgPort int, adminURL, dbPrefix, logDir string) (*clusterServer, error) {
	serverBin, sqlTool, err := clusterBinaries()
	if err != nil {
		return nil, err
	}
	base, err := clusterPorts()
	if err != nil {
		return nil, err
	}
	root := repoRoot()
	env := append(os.Environ(),
		"TEMPORAL_PG_HOST="+pgHost, "TEMPORAL_PG_PORT="+strconv.Itoa(pgPort),
		"TEMPORAL_PG_DB="+dbPrefix, "TEMPORAL_PG_VISIBILITY_DB="+dbPrefix+"_visibility",
		"PG_ADMIN_URL="+adminURL, "TEMPORAL_SERVER_BIN="+serverBin, "TEMPORAL_SQL_TOOL="+sqlTool,
		"TEMPORAL_PORT_BASE="+strconv.Itoa(base), "TEMPORAL_METRICS_ADDR=127.0.0.1:"+strconv.Itoa(base+20),
		"TEMPORAL_DYNAMIC_CONFIG="+filepath.Join(root, "deploy", "temporal", "dynamicconfig.yaml"),
		"TEMPORAL_LOG_LEVEL=error")
	setup := exec.Command("bash", filepath.Join(root, "scripts", "temporal-db.sh"))
	setup.Env = env
	if out, err := setup.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("temporal-db.sh: %v\n%s", err, out)
	}
	s := &clusterServer{hostPort: "127.0.0.1:" + strconv.Itoa(base), env: env,
		logFile: filepath.Join(logDir, dbPrefix+"-temporal.log")}
	if err := s.start(); err != nil {
		return nil, err
	}
	return s, nil
}

// start runs the server process and waits until its frontend answers and the namespace
// holds Aduan's search attributes.
func (s *clusterServer) start() error {
	serverBin, _, err := clusterBinaries()
	if err != nil {
		return err
	}
	log, err := os.OpenFile(s.logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(serverBin, "--root", repoRoot(), "--config", "deploy/temporal", "--env", "production",
		"--allow-no-auth", "start")
	cmd.Env, cmd.Stdout, cmd.Stderr = s.env, log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		log.Close()
		return err
	}
	s.cmd, s.done = cmd, make(chan struct{})
	go func() { _ = cmd.Wait(); log.Close(); close(s.done) }()
	attrs, err := temporaladmin.ParseAttributes(workflows.SearchAttributeTypes)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(90 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("the Temporal server exited at start:\n%s", logTail(s.logFile, 4000))
		default:
		}
		c, err := client.Dial(client.Options{HostPort: s.hostPort, Namespace: "default", Logger: quiet})
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
			_, err = temporaladmin.Ensure(ctx, c, "default", 24*time.Hour, attrs)
			cancel()
			c.Close()
			if err == nil {
				return nil
			}
		}
		last = err
		time.Sleep(500 * time.Millisecond)
	}
	s.stop()
	return fmt.Errorf("the Temporal server on %s did not come up: %v (log %s)", s.hostPort, last, s.logFile)
}

// stop ends the server (SIGTERM, then SIGKILL after 20 s) and waits for it.
func (s *clusterServer) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
}

// dropClusterDatabases drops a cluster's two databases through admin.
func dropClusterDatabases(exec func(string) error, dbPrefix string) {
	for _, db := range []string{dbPrefix, dbPrefix + "_visibility"} {
		_ = exec(`DROP DATABASE IF EXISTS ` + db + ` WITH (FORCE)`)
	}
}

// pgHostPort splits a postgres:// URL's host and port.
func pgHostPort(raw string) (string, int) {
	rest := raw[strings.Index(raw, "://")+3:]
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = rest[at+1:]
	}
	if slash := strings.IndexAny(rest, "/?"); slash >= 0 {
		rest = rest[:slash]
	}
	host, port, err := net.SplitHostPort(rest)
	if err != nil {
		return rest, 5432
	}
	p, _ := strconv.Atoi(port)
	return host, p
}

// ownServer is a Temporal server of one test's own, of either profile: the CLI's dev
// server, or in cluster mode the production profile's server.
type ownServer struct {
	t        *testing.T
	hostPort string
	// store is where its history lives, so that Start after Stop carries on: a SQLite file
	// for the dev server (empty: in memory), a database name prefix for the cluster.
	store   string
	dev     *testsuite.DevServer
	cluster *clusterServer
}

// ownTemporal starts a Temporal server of the test's own on a free address; with a
// non-empty keep the dev server keeps its history in a file there (the cluster always
// keeps it, in databases of the test's own). It is stopped and its databases dropped
// when the test ends.
func ownTemporal(t *testing.T, keep bool) *ownServer {
	t.Helper()
	o := &ownServer{t: t}
	if !clusterMode() {
		o.hostPort = freePort(t)
		if keep {
			o.store = filepath.Join(t.TempDir(), "temporal.db")
		}
		o.dev = ownDevServer(t, o.hostPort, o.store)
		t.Cleanup(func() { _ = o.Stop() })
		return o
	}
	o.store = "temporal_e2e_" + randomHex(4)
	t.Cleanup(func() {
		dropClusterDatabases(func(q string) error { _, err := adminConn.Exec(q); return err }, o.store)
	})
	host, port := pgHostPort(baseDBURL)
	admin, _ := withDatabase(baseDBURL, "postgres")
	s, err := startCluster(host, port, admin, o.store, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o.cluster, o.hostPort = s, s.hostPort
	t.Cleanup(func() { _ = o.Stop() })
	return o
}

// Stop ends the server; Start brings it back on the same address and history.
func (o *ownServer) Stop() error {
	if o.cluster != nil {
		o.cluster.stop()
		return nil
	}
	if o.dev == nil {
		return nil
	}
	err := o.dev.Stop()
	o.dev = nil
	if err != nil && !isInterruptExit(err) {
		return err
	}
	return nil
}

// Start brings a stopped server back on the same address and history.
func (o *ownServer) Start() {
	o.t.Helper()
	if o.cluster != nil {
		if err := o.cluster.start(); err != nil {
			o.t.Fatal(err)
		}
		return
	}
	o.dev = ownDevServer(o.t, o.hostPort, o.store)
}

// logTail is the end of a log file, for a failure message.
func logTail(file string, n int) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return err.Error()
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

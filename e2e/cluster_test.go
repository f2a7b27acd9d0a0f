package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/testsuite"

	"aduan/tempcluster"
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

// clusterBinaries finds the Temporal server and its SQL tool that scripts/lib.sh builds
// (TEMPORAL_SERVER_BIN and TEMPORAL_SQL_TOOL when set).
func clusterBinaries() (server, sqlTool string, err error) {
	if s := os.Getenv("TEMPORAL_SERVER_BIN"); s != "" {
		return s, os.Getenv("TEMPORAL_SQL_TOOL"), nil
	}
	return tempcluster.Binaries()
}

// clusterServer is a Temporal server of the production profile, of one test's own: its
// two databases on a PostgreSQL server, its ports around a base of its own
// (tempcluster.Server, which aduan-bench starts too).
type clusterServer struct {
	*tempcluster.Server
	hostPort string
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
	s, err := tempcluster.Start(tempcluster.Options{PGHost: pgHost, PGPort: pgPort, AdminURL: adminURL,
		DBPrefix: dbPrefix, LogDir: logDir, Root: repoRoot(), ServerBin: serverBin, SQLTool: sqlTool, Logger: quiet})
	if err != nil {
		return nil, err
	}
	return &clusterServer{Server: s, hostPort: s.HostPort()}, nil
}

// start runs the server process again and waits until its frontend answers and the
// namespace holds Aduan's search attributes.
func (s *clusterServer) start() error { return s.Restart() }

// stop ends the server (SIGTERM, then SIGKILL after 20 s) and waits for it.
func (s *clusterServer) stop() { s.Stop() }

// dropClusterDatabases drops a cluster's two databases through admin.
func dropClusterDatabases(exec func(string) error, dbPrefix string) {
	tempcluster.DropDatabases(exec, dbPrefix)
}

// pgHostPort splits a postgres:// URL's host and port.
func pgHostPort(raw string) (string, int) { return tempcluster.PGHostPort(raw) }

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

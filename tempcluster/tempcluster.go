// Package tempcluster starts a Temporal server of the production profile for the tools
// that measure or test against it (the e2e tests in cluster mode, aduan-bench --temporal
// cluster): the Temporal server (go.temporal.io/server, the version `make cluster` runs) on
// PostgreSQL with SQL visibility, configured by deploy/temporal/production.yaml, its two
// databases prepared by scripts/temporal-db.sh with Temporal's own SQL tool, and the
// namespace with Aduan's search attributes (temporaladmin.Ensure, what `aduan
// setup-temporal` runs). It is not part of the aduan binary: production starts its server
// with `make cluster` or its own service manager (docs/DEPLOY.md).
package tempcluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"aduan/temporaladmin"
	"aduan/workflows"
)

// Version is the Temporal server version scripts/lib.sh builds (TEMPORAL_SERVER_VERSION).
const Version = "v1.29.1"

// Options say where the server's databases live and where its files are.
type Options struct {
	// PGHost and PGPort are the PostgreSQL server of the two databases.
	PGHost string
	PGPort int
	// AdminURL is a superuser's URL on that server (temporal-db.sh creates the role and
	// the databases with it).
	AdminURL string
	// DBPrefix names the databases: DBPrefix and DBPrefix_visibility. They are the
	// caller's to drop (DropDatabases).
	DBPrefix string
	// LogDir receives the server's log, DBPrefix-temporal.log.
	LogDir string
	// Root is the repository (deploy/temporal, scripts/temporal-db.sh); empty: the first
	// directory upwards from the working directory that holds deploy/temporal.
	Root string
	// ServerBin and SQLTool are the server and its SQL tool; empty: Binaries().
	ServerBin, SQLTool string
	// Logger is the SDK logger of the clients that set up the namespace (nil: errors only).
	Logger sdklog.Logger
}

// Server is a running Temporal server of the production profile.
type Server struct {
	hostPort string
	env      []string
	logFile  string
	root     string
	bin      string
	logger   sdklog.Logger
	cmd      *exec.Cmd
	done     chan struct{}
}

// Binaries finds the Temporal server and its SQL tool where scripts/lib.sh
// (ensure_temporal_server) installs them: $(go env GOPATH)/bin/temporal-server-<Version>.
func Binaries() (server, sqlTool string, err error) {
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err != nil {
		return "", "", err
	}
	gopath := filepath.SplitList(strings.TrimSpace(string(out)))[0]
	dir := filepath.Join(gopath, "bin", "temporal-server-"+Version)
	server, sqlTool = filepath.Join(dir, "server"), filepath.Join(dir, "sql")
	for _, p := range []string{server, sqlTool} {
		if _, err := os.Stat(p); err != nil {
			return "", "", fmt.Errorf("no %s (make cluster or scripts/test.sh builds it)", p)
		}
	}
	return server, sqlTool, nil
}

// FindRoot is the first directory upwards from the working directory that holds
// deploy/temporal (the repository).
func FindRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if st, err := os.Stat(filepath.Join(dir, "deploy", "temporal", "production.yaml")); err == nil && !st.IsDir() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no deploy/temporal/production.yaml in the working directory or above it")
		}
		dir = parent
	}
}

// freeBase picks a base port whose whole set (frontend, history, matching, worker, HTTP,
// membership and metrics, as deploy/temporal/production.yaml lays them out) is free.
func freeBase() (int, error) {
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

// Start prepares the databases (scripts/temporal-db.sh: role, databases, schema with
// Temporal's SQL tool) on the PostgreSQL server AdminURL reaches, starts the server, and
// registers the namespace and Aduan's search attributes. Stop ends it; the databases are
// the caller's to drop.
func Start(o Options) (*Server, error) {
	if o.ServerBin == "" {
		var err error
		if o.ServerBin, o.SQLTool, err = Binaries(); err != nil {
			return nil, err
		}
	}
	if o.Root == "" {
		var err error
		if o.Root, err = FindRoot(); err != nil {
			return nil, err
		}
	}
	if o.Logger == nil {
		o.Logger = sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	}
	base, err := freeBase()
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"TEMPORAL_PG_HOST="+o.PGHost, "TEMPORAL_PG_PORT="+strconv.Itoa(o.PGPort),
		"TEMPORAL_PG_DB="+o.DBPrefix, "TEMPORAL_PG_VISIBILITY_DB="+o.DBPrefix+"_visibility",
		"PG_ADMIN_URL="+o.AdminURL, "TEMPORAL_SERVER_BIN="+o.ServerBin, "TEMPORAL_SQL_TOOL="+o.SQLTool,
		"TEMPORAL_PORT_BASE="+strconv.Itoa(base), "TEMPORAL_METRICS_ADDR=127.0.0.1:"+strconv.Itoa(base+20),
		"TEMPORAL_DYNAMIC_CONFIG="+filepath.Join(o.Root, "deploy", "temporal", "dynamicconfig.yaml"),
		"TEMPORAL_LOG_LEVEL=error")
	setup := exec.Command("bash", filepath.Join(o.Root, "scripts", "temporal-db.sh"))
	setup.Env = env
	if out, err := setup.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("temporal-db.sh: %v\n%s", err, out)
	}
	s := &Server{hostPort: "127.0.0.1:" + strconv.Itoa(base), env: env, root: o.Root, bin: o.ServerBin,
		logger: o.Logger, logFile: filepath.Join(o.LogDir, o.DBPrefix+"-temporal.log")}
	if err := s.Restart(); err != nil {
		return nil, err
	}
	return s, nil
}

// HostPort is the server's frontend address.
func (s *Server) HostPort() string { return s.hostPort }

// LogFile is the server's log.
func (s *Server) LogFile() string { return s.logFile }

// Pid is the server process's id while it runs (0 otherwise), for reading its CPU time
// and memory from /proc.
func (s *Server) Pid() int {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	select {
	case <-s.done:
		return 0
	default:
		return s.cmd.Process.Pid
	}
}

// Restart runs the server process (again, after Stop: on the same address and
// databases) and waits until its frontend answers and the namespace holds Aduan's search
// attributes.
func (s *Server) Restart() error {
	log, err := os.OpenFile(s.logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(s.bin, "--root", s.root, "--config", "deploy/temporal", "--env", "production",
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
			return fmt.Errorf("the Temporal server exited at start:\n%s", LogTail(s.logFile, 4000))
		default:
		}
		c, err := client.Dial(client.Options{HostPort: s.hostPort, Namespace: "default", Logger: s.logger})
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
	s.Stop()
	return fmt.Errorf("the Temporal server on %s did not come up: %v (log %s)", s.hostPort, last, s.logFile)
}

// Stop ends the server (SIGTERM to its process group, then SIGKILL after 20 s) and waits
// for it.
func (s *Server) Stop() {
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

// DropDatabases drops a cluster's two databases through exec (a statement on the
// maintenance database), ignoring errors: it cleans up.
func DropDatabases(exec func(string) error, dbPrefix string) {
	for _, db := range []string{dbPrefix, dbPrefix + "_visibility"} {
		_ = exec(`DROP DATABASE IF EXISTS ` + db + ` WITH (FORCE)`)
	}
}

// PGHostPort splits a postgres:// URL's host and port (5432 when it names none).
func PGHostPort(raw string) (string, int) {
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

// LogTail is the end of a log file, for a failure message.
func LogTail(file string, n int) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return err.Error()
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

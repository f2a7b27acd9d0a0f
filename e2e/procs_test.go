package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"aduan/store"
)

// Child processes for the fault tests: the real `aduan worker` and `aduan api` (so they
// can be SIGKILLed) and a PostgreSQL server of the test's own (so it can be stopped
// without touching the machine's shared server).

// buildAduan builds bin/aduan into dir with `go build` and returns its path.
func buildAduan(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "aduan")
	goCmd, err := exec.LookPath("go")
	if err != nil {
		skipUnlessRequired(t, "no go command to build bin/aduan with")
	}
	start := time.Now()
	cmd := exec.Command(goCmd, "build", "-o", bin, "./cmd/aduan")
	cmd.Dir = ".." // the module root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/aduan: %v\n%s", err, out)
	}
	t.Logf("built %s in %s", bin, time.Since(start).Round(time.Millisecond))
	return bin
}

// child is one `aduan` subcommand running as a child process; its output goes to a log
// file that is printed when the test fails.
type child struct {
	t    *testing.T
	name string
	bin  string
	args []string
	env  []string
	log  string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// startChild runs `bin args...` with env added to the test's environment, and kills it
// (SIGKILL) when the test ends.
func startChild(t *testing.T, name, bin string, env []string, args ...string) *child {
	t.Helper()
	c := &child{t: t, name: name, bin: bin, args: args, env: env,
		log: filepath.Join(t.TempDir(), name+".log")}
	c.start()
	t.Cleanup(func() {
		c.kill()
		if t.Failed() {
			raw, _ := os.ReadFile(c.log)
			if len(raw) > 6000 {
				raw = raw[len(raw)-6000:]
			}
			t.Logf("--- tail of %s's log ---\n%s", c.name, raw)
		}
	})
	return c
}

func (c *child) start() {
	c.t.Helper()
	f, err := os.OpenFile(c.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		c.t.Fatal(err)
	}
	fmt.Fprintf(f, "=== %s start %s\n", c.name, time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(c.bin, c.args...)
	cmd.Env = append(os.Environ(), c.env...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		c.t.Fatalf("start %s: %v", c.name, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		f.Close()
		close(done)
	}()
	c.mu.Lock()
	c.cmd, c.done = cmd, done
	c.mu.Unlock()
}

// kill sends SIGKILL (no shutdown, no drain: what a crash or the OOM killer does) and
// waits for the process to be gone. Killing a stopped child does nothing.
func (c *child) kill() {
	c.mu.Lock()
	cmd, done := c.cmd, c.done
	c.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
}

// restart starts the same command again (after a kill).
func (c *child) restart() {
	c.kill()
	c.start()
}

// running reports whether the process is still alive.
func (c *child) running() bool {
	c.mu.Lock()
	done := c.done
	c.mu.Unlock()
	select {
	case <-done:
		return false
	default:
		return true
	}
}

// childEnv is the environment of an `aduan worker` or `aduan api` child.
func childEnv(dbURL, temporalAddr, taskQueue, httpAddr string) []string {
	return []string{
		"DATABASE_URL=" + dbURL,
		"TEMPORAL_ADDRESS=" + temporalAddr,
		"TEMPORAL_NAMESPACE=default",
		"ADUAN_TASK_QUEUE=" + taskQueue,
		"ADUAN_HTTP_ADDR=" + httpAddr,
		// Two workers on one machine: each its own port for /metrics.
		"ADUAN_WORKER_ADDR=127.0.0.1:0",
		"ADUAN_PUBLIC_URL=http://test",
		"ADUAN_INTAKE_PER_MINUTE=60000",
		"ADUAN_INTAKE_BURST=10000",
		"ADUAN_PAYLOAD_KEYS=" + e2eKeys,
	}
}

// startWorkerProc runs `aduan worker` (worker and relay) as a child process.
func startWorkerProc(t *testing.T, name, bin, dbURL, temporalAddr, taskQueue string) *child {
	t.Helper()
	return startChild(t, name, bin, childEnv(dbURL, temporalAddr, taskQueue, "127.0.0.1:0"), "worker")
}

// startAPIProc runs `aduan api` as a child process and waits until its /readyz answers
// 200. It returns the child and the API's base URL.
func startAPIProc(t *testing.T, name, bin, dbURL, temporalAddr, taskQueue string) (*child, string) {
	t.Helper()
	addr := freePort(t)
	c := startChild(t, name, bin, childEnv(dbURL, temporalAddr, taskQueue, addr), "api")
	base := "http://" + addr
	if !eventually(60*time.Second, func() bool {
		res, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}) {
		t.Fatalf("%s at %s not ready within 60 s (running: %v)", name, base, c.running())
	}
	return c, base
}

// databaseURL is the URL of db's database on the shared server (freshDatabase's).
func databaseURL(t *testing.T, db *store.DB) string {
	t.Helper()
	var name string
	if err := db.Get(&name, `SELECT current_database()`); err != nil {
		t.Fatal(err)
	}
	u, err := withDatabase(baseDBURL, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// pgInstance is a PostgreSQL server of one test's own: initdb into a temp dir, started
// with pg_ctl on a free port, listening on 127.0.0.1 and a socket in its own dir, trust
// authentication. The machine's shared server is never touched.
type pgInstance struct {
	t       *testing.T
	binDir  string
	dataDir string
	sockDir string
	logFile string
	port    int
	runAs   *user.User // non-nil when we are root: initdb and postgres refuse to run as root
}

// postgresBinDir finds initdb and pg_ctl: $ADUAN_PG_BIN, Debian's newest
// /usr/lib/postgresql/*/bin, then PATH. "" when there are none.
func postgresBinDir() string {
	if d := os.Getenv("ADUAN_PG_BIN"); d != "" {
		return d
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	best, bestV := "", -1
	for _, m := range matches {
		v, err := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(m))))
		if err == nil && v > bestV {
			best, bestV = filepath.Dir(m), v
		}
	}
	if best != "" {
		return best
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("pg_ctl"); err == nil {
			return filepath.Dir(p)
		}
	}
	return ""
}

// startPostgres initdbs and starts a server of the test's own; it is stopped (immediate)
// and its directory removed when the test ends.
func startPostgres(t *testing.T) *pgInstance {
	t.Helper()
	binDir := postgresBinDir()
	if binDir == "" {
		skipUnlessRequired(t, "no initdb/pg_ctl found (ADUAN_PG_BIN, /usr/lib/postgresql/*/bin, PATH)")
	}
	root, err := os.MkdirTemp("", "aduan-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(root) })
	pg := &pgInstance{t: t, binDir: binDir, dataDir: filepath.Join(root, "data"), sockDir: root,
		logFile: filepath.Join(root, "postgres.log")}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			skipUnlessRequired(t, "running as root and there is no postgres user to run initdb as")
		}
		pg.runAs = u
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(root, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	_, port, _ := net.SplitHostPort(freePort(t))
	pg.port, _ = strconv.Atoi(port)
	start := time.Now()
	if out, err := pg.run("initdb", "-D", pg.dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--no-sync", "--locale=C"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := pg.run("pg_ctl", "-D", pg.dataDir, "-m", "immediate", "-w", "stop"); err != nil &&
			!strings.Contains(string(out), "Is server running?") {
			t.Logf("stop own PostgreSQL: %v\n%s", err, out)
		}
	})
	pg.start()
	t.Logf("own PostgreSQL on port %d ready in %s", pg.port, time.Since(start).Round(time.Millisecond))
	return pg
}

// run runs one of PostgreSQL's programs, as the postgres user when we are root.
func (pg *pgInstance) run(prog string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(pg.binDir, prog), args...)
	if pg.runAs != nil {
		uid, _ := strconv.Atoi(pg.runAs.Uid)
		gid, _ := strconv.Atoi(pg.runAs.Gid)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
		cmd.Env = append(os.Environ(), "HOME="+pg.runAs.HomeDir)
	}
	cmd.Dir = pg.sockDir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out // pg_ctl start gives the server its own log (-l)
	err := cmd.Run()
	return out.Bytes(), err
}

// start starts the server and waits until it accepts connections.
func (pg *pgInstance) start() {
	pg.t.Helper()
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c max_connections=200", pg.port, pg.sockDir)
	if out, err := pg.run("pg_ctl", "-D", pg.dataDir, "-l", pg.logFile, "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(pg.logFile)
		pg.t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// stop stops the server the way an outage does: connections cut, nothing answers.
func (pg *pgInstance) stop() {
	pg.t.Helper()
	if out, err := pg.run("pg_ctl", "-D", pg.dataDir, "-m", "fast", "-w", "stop"); err != nil {
		pg.t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

// url is the URL of database name on this server.
func (pg *pgInstance) url(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", pg.port, name)
}

// createDatabase creates database name and returns its URL.
func (pg *pgInstance) createDatabase(name string) string {
	pg.t.Helper()
	admin, err := sql.Open("postgres", pg.url("postgres"))
	if err != nil {
		pg.t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		pg.t.Fatal(err)
	}
	return pg.url(name)
}

// skipUnlessRequired skips the test, or fails it when integration is required.
func skipUnlessRequired(t *testing.T, msg string) {
	t.Helper()
	if required() {
		t.Fatalf("%s (ADUAN_REQUIRE_INTEGRATION=1)", msg)
	}
	t.Skip(msg)
}

// tryAt is doAt without failing the test: a transport error comes back as err.
func tryAt(base, method, path, token string, body []byte, headers map[string]string) (response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return response{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, err
	}
	return response{Status: res.StatusCode, Header: res.Header, Raw: raw}, nil
}

// isConnErr reports whether err means the API process is gone (refused, reset, EOF).
func isConnErr(err error) bool {
	return err != nil && (errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "connection"))
}

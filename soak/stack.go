package soak

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	_ "github.com/lib/pq" // the maintenance connection that creates and drops the database
	"go.temporal.io/sdk/client"

	"aduan/bench"
	"aduan/demo"
	"aduan/keyring"
	"aduan/payloadcodec"
	"aduan/store"
)

// Secrets of the soak's own stack: the webhooks' signing secrets and the stand-in
// providers' credentials.
const (
	waSecret   = "soak-wa-app-secret"
	smsSecret  = "soak-sms-secret"
	waPhoneID  = "soak-phone-id"
	waToken    = "soak-wa-token"
	smsAPIKey  = "soak-sms-key"
	publicBase = "http://soak"
)

// stack is everything a soak runs against.
type stack struct {
	o        Options
	db       *store.DB
	dbURL    string
	tokens   map[string]string
	temporal *devServer
	tc       client.Client
	prov     *providers
	worker   *proc
	api      *proc
	apiBase  string
	// workerMetrics is the worker's /metrics address.
	workerMetrics string
	pgPort        int
	cleanup       []func()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// freeAddr is a free 127.0.0.1 port.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// startStack brings everything up: database (migrated, demo directory and users, the
// soak's deadline policy set with `aduan policy set`), Temporal dev server, provider
// stand-in, worker and API.
func startStack(ctx context.Context, o Options, lg *logger) (_ *stack, err error) {
	s := &stack{o: o}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	u, err := url.Parse(o.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	s.pgPort = 5432
	if p := u.Port(); p != "" {
		s.pgPort, _ = strconv.Atoi(p)
	}
	if err := s.createDatabase(ctx); err != nil {
		return nil, err
	}
	keys := keyring.NewKey("soak")
	ring, err := keyring.Parse(keys)
	if err != nil {
		return nil, err
	}

	// Temporal first: the worker and the API connect to it at start.
	cli := o.TemporalCLI
	if cli == "" {
		cli = bench.FindTemporalCLI()
	}
	if cli == "" {
		return nil, errors.New("no Temporal CLI found (TEMPORAL_CLI, PATH, $(go env GOPATH)/bin); `make test` installs it")
	}
	hostPort, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s.temporal = &devServer{cli: cli, hostPort: hostPort, dbFile: filepath.Join(o.WorkDir, "temporal.db"),
		logPath: filepath.Join(o.WorkDir, "temporal.log")}
	if err := s.temporal.start(ctx); err != nil {
		return nil, err
	}
	s.cleanup = append(s.cleanup, func() { _ = s.temporal.stop() })
	s.tc, err = client.Dial(client.Options{HostPort: hostPort, Namespace: "default", Logger: quietSDK(),
		DataConverter: payloadcodec.DataConverter(ring)})
	if err != nil {
		return nil, fmt.Errorf("dial Temporal: %w", err)
	}
	s.cleanup = append(s.cleanup, s.tc.Close)

	s.prov = newProviders()
	s.cleanup = append(s.cleanup, s.prov.close)

	apiAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	if s.workerMetrics, err = freeAddr(); err != nil {
		return nil, err
	}
	env := []string{
		"DATABASE_URL=" + s.dbURL,
		"TEMPORAL_ADDRESS=" + hostPort,
		"TEMPORAL_NAMESPACE=default",
		"ADUAN_TASK_QUEUE=aduan-soak-" + randomHex(4),
		"ADUAN_PAYLOAD_KEYS=" + keys,
		"ADUAN_PUBLIC_URL=" + publicBase,
		// Every client is 127.0.0.1: the per-client intake limit would stop the soak, not
		// a citizen.
		"ADUAN_INTAKE_PER_MINUTE=600000",
		"ADUAN_INTAKE_BURST=100000",
		"ADUAN_WA_APP_SECRET=" + waSecret,
		"ADUAN_WA_PHONE_NUMBER_ID=" + waPhoneID,
		"ADUAN_WA_TOKEN=" + waToken,
		"ADUAN_WA_API_BASE=" + s.prov.url + "/wa",
		"ADUAN_SMS_SECRET=" + smsSecret,
		"ADUAN_SMS_GATEWAY_URL=" + s.prov.url + "/sms/send",
		"ADUAN_SMS_API_KEY=" + smsAPIKey,
		// Warnings and errors only: a 30-minute soak at info would write a line per request.
		"ADUAN_LOG_LEVEL=warn",
	}
	if err := s.setPolicy(ctx, env); err != nil {
		return nil, err
	}
	s.worker = newProc("worker", o.AduanBin, filepath.Join(o.WorkDir, "worker.log"),
		append(env, "ADUAN_WORKER_ADDR="+s.workerMetrics, "ADUAN_HTTP_ADDR=127.0.0.1:0"), "worker")
	if err := s.worker.start(); err != nil {
		return nil, err
	}
	s.cleanup = append(s.cleanup, func() { s.worker.stop(40 * time.Second) })
	s.api = newProc("api", o.AduanBin, filepath.Join(o.WorkDir, "api.log"),
		append(env, "ADUAN_HTTP_ADDR="+apiAddr, "ADUAN_WORKER_ADDR=127.0.0.1:0"), "api")
	if err := s.api.start(); err != nil {
		return nil, err
	}
	s.cleanup = append(s.cleanup, func() { s.api.stop(15 * time.Second) })
	s.apiBase = "http://" + apiAddr
	for _, ready := range []string{s.apiBase + "/readyz", "http://" + s.workerMetrics + "/readyz"} {
		if err := waitReady(ctx, ready, 90*time.Second); err != nil {
			return nil, err
		}
	}
	lg.printf("soak: worker (pid %d) and API (pid %d) ready", s.worker.pid(), s.api.pid())
	return s, nil
}

// createDatabase makes a fresh database on the server, migrates it and seeds the demo
// directory and users; it is dropped at close.
func (s *stack) createDatabase(ctx context.Context) error {
	adminURL, err := store.DatabaseURL(s.o.DatabaseURL, "postgres")
	if err != nil {
		return err
	}
	admin, err := sql.Open("postgres", adminURL)
	if err != nil {
		return err
	}
	name := "aduan_soak_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		admin.Close()
		return fmt.Errorf("create database: %w", err)
	}
	s.cleanup = append(s.cleanup, func() {
		_, _ = admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		admin.Close()
	})
	s.dbURL, _ = store.DatabaseURL(s.o.DatabaseURL, name)
	if s.db, err = store.Open(ctx, s.dbURL); err != nil {
		return err
	}
	s.cleanup = append(s.cleanup, func() { s.db.Close() })
	if _, err := s.db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	s.tokens, err = demo.Seed(ctx, s.db, filepath.Join(s.o.WorkDir, "tokens.json"))
	if err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	return nil
}

// setPolicy stores the soak's deadline policy with the real command, as an operator would.
func (s *stack) setPolicy(ctx context.Context, env []string) error {
	path := filepath.Join(s.o.WorkDir, "policy-soak.json")
	raw, err := json.MarshalIndent(soakPolicy, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, s.o.AduanBin, "policy", "set", "--note", "soak: every stage in seconds", path)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("aduan policy set: %v\n%s", err, out)
	}
	return nil
}

func waitReady(ctx context.Context, u string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		res, err := http.Get(u)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready within %s", u, within)
}

// close stops everything in reverse order and drops the database.
func (s *stack) close() {
	for i := len(s.cleanup) - 1; i >= 0; i-- {
		s.cleanup[i]()
	}
	s.cleanup = nil
}

// logTails prints the end of each process's log.
func (s *stack) logTails(lg *logger) {
	for _, p := range []*proc{s.worker, s.api} {
		if p != nil {
			lg.printf("--- tail of %s ---\n%s", p.logPath, p.tail(4000))
		}
	}
}

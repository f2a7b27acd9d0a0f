package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	_ "github.com/lib/pq" // the PostgreSQL driver of the maintenance connection
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"aduan/accounts"
	"aduan/activities"
	"aduan/api"
	"aduan/api/public"
	"aduan/api/staffpages"
	"aduan/api/webhooks"
	"aduan/complaints"
	"aduan/demo"
	"aduan/keyring"
	"aduan/payloadcodec"
	"aduan/store"
	"aduan/tempcluster"
	"aduan/worker"
	"aduan/workflows"
)

// noopWorkflowName is the baseline workflow: it starts and completes at once.
const noopWorkflowName = "AduanBenchNoop"

func noopWorkflow(workflow.Context) error { return nil }

// Stack is a whole Aduan started in-process for one benchmark: its own Temporal dev
// server (SQLite file in a temp dir), a fresh PostgreSQL database, the worker (with the
// baseline workflow registered beside the complaint workflow) and the API on a local
// listener.
type Stack struct {
	// consoleClients are the console's signed-in users, kept across passes: a second
	// login within the same TOTP step would be refused as a replayed code.
	consoleClients map[string]*http.Client
	Temporal       client.Client
	DB             *store.DB
	DBURL          string
	BaseURL        string
	TaskQueue      string
	Tokens         map[string]string
	// LoginsFile holds the demo users' passwords (demo.Seed writes it beside the tokens).
	LoginsFile string
	// TemporalDB is the dev server's SQLite file.
	TemporalDB string
	// Scratch is the baseline intake server (same gin middleware, one INSERT).
	ScratchURL string
	// DBName is the run's PostgreSQL database (its backends' CPU is counted).
	DBName string
	// WASecret and SMSSecret sign the WhatsApp and SMS webhooks' deliveries, as the
	// providers do; the API checks them.
	WASecret, SMSSecret string
	// Profile is the Temporal server's profile: ProfileDev or ProfileCluster.
	Profile string

	// temporalPID is the Temporal server's process (0 when unknown).
	temporalPID func() int
	cleanup     []func()
}

// The Temporal server a stack runs on.
const (
	// ProfileDev is the Temporal CLI's dev server (SQLite file), as make run and the tests.
	ProfileDev = "dev"
	// ProfileCluster is the production profile: the Temporal server on PostgreSQL with SQL
	// visibility, configured by deploy/temporal (package tempcluster).
	ProfileCluster = "cluster"
)

// StackOptions says where the stack's dependencies are.
type StackOptions struct {
	// TemporalCLI is the path of the Temporal CLI (dev server); empty: FindTemporalCLI.
	TemporalCLI string
	// DatabaseURL names the PostgreSQL server; the stack creates and drops its own database.
	DatabaseURL string
	// StickyCache, when > 0, sets the worker's sticky workflow cache size (process-wide).
	StickyCache int
	// Temporal is the server's profile: ProfileDev (empty) or ProfileCluster.
	Temporal string
	// ServerBin and SQLTool are the cluster's Temporal server and SQL tool (empty:
	// tempcluster.Binaries).
	ServerBin, SQLTool string
	// GRPCGzip turns on the Temporal client's gzip of its gRPC requests (the SDK's
	// default; production's, ADUAN_TEMPORAL_GZIP, is off), to measure what it costs.
	GRPCGzip bool
}

// Close stops everything the stack started and drops its database.
func (s *Stack) Close() {
	for i := len(s.cleanup) - 1; i >= 0; i-- {
		s.cleanup[i]()
	}
	s.cleanup = nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// FindTemporalCLI looks for the Temporal CLI: PATH, $(go env GOPATH)/bin, ~/go/bin. (The
// commands take TEMPORAL_CLI from their configuration and pass it in StackOptions.)
func FindTemporalCLI() string {
	if p, err := exec.LookPath("temporal"); err == nil {
		return p
	}
	var cands []string
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		cands = append(cands, filepath.Join(filepath.SplitList(string(trimNL(out)))[0], "bin", "temporal"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		cands = append(cands, filepath.Join(home, "go", "bin", "temporal"))
	}
	for _, p := range cands {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// StartStack starts a fresh stack. Close it.
func StartStack(ctx context.Context, o StackOptions) (_ *Stack, err error) {
	s := &Stack{}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if o.Temporal == "" {
		o.Temporal = ProfileDev
	}
	s.Profile = o.Temporal
	if o.TemporalCLI == "" {
		o.TemporalCLI = FindTemporalCLI()
	}
	if o.TemporalCLI == "" && o.Temporal == ProfileDev {
		return nil, errors.New("no Temporal CLI found (TEMPORAL_CLI, PATH, $(go env GOPATH)/bin, ~/go/bin); `make test` installs it")
	}
	if o.DatabaseURL == "" {
		o.DatabaseURL = "postgres://postgres@127.0.0.1:5432/aduan?sslmode=disable"
	}
	quiet := sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))

	// PostgreSQL: a fresh database, dropped at Close.
	adminURL, err := store.DatabaseURL(o.DatabaseURL, "postgres")
	if err != nil {
		return nil, err
	}
	admin, err := sql.Open("postgres", adminURL)
	if err != nil {
		return nil, err
	}
	s.cleanup = append(s.cleanup, func() { admin.Close() })
	dbName := "aduan_bench_" + randomHex(6)
	s.DBName = dbName
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+dbName); err != nil {
		return nil, fmt.Errorf("create database: %w", err)
	}
	s.cleanup = append(s.cleanup, func() {
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+dbName+` WITH (FORCE)`); err != nil {
			slog.Error("bench: drop database", "err", err)
		}
	})
	s.DBURL, _ = store.DatabaseURL(o.DatabaseURL, dbName)
	s.DB, err = store.Open(ctx, s.DBURL)
	if err != nil {
		return nil, err
	}
	s.cleanup = append(s.cleanup, func() { s.DB.Close() })
	if _, err := s.DB.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if _, err := s.DB.ExecContext(ctx, `CREATE TABLE bench_scratch (id bigserial PRIMARY KEY, text text NOT NULL,
		name text, phone text, created_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return nil, fmt.Errorf("scratch table: %w", err)
	}
	tmp, err := os.MkdirTemp("", "aduan-bench-")
	if err != nil {
		return nil, err
	}
	s.cleanup = append(s.cleanup, func() { os.RemoveAll(tmp) })
	s.Tokens, err = demo.Seed(ctx, s.DB, filepath.Join(tmp, "tokens.json"))
	s.LoginsFile = filepath.Join(tmp, demo.LoginsFileName)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}

	// Temporal: a dev server on a free port, its history in a SQLite file we can measure;
	// or the production profile's server on two databases of this run's own.
	switch o.Temporal {
	case ProfileDev:
		if err := s.startDevServer(ctx, o, tmp, quiet); err != nil {
			return nil, err
		}
	case ProfileCluster:
		if err := s.startCluster(o, admin, tmp, quiet); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown Temporal profile %q (%s or %s)", o.Temporal, ProfileDev, ProfileCluster)
	}

	// The worker, as the binary wires it, plus the baseline workflow on the same task queue.
	if o.StickyCache > 0 {
		sdkworker.SetStickyWorkflowCacheSize(o.StickyCache)
	}
	s.TaskQueue = "aduan-bench-" + randomHex(4)
	notifier := &activities.Notifier{DB: s.DB, BaseURL: "http://bench"}
	w := worker.New(s.Temporal, s.DB, s.TaskQueue, notifier)
	w.RegisterWorkflowWithOptions(noopWorkflow, workflow.RegisterOptions{Name: noopWorkflowName})
	w.RegisterWorkflowWithOptions(bareUpdateWorkflow, workflow.RegisterOptions{Name: bareUpdateWorkflowName})
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	s.cleanup = append(s.cleanup, w.Stop)
	rctx, rcancel := context.WithCancel(context.Background())
	relayDone := make(chan struct{})
	go func() {
		defer close(relayDone)
		worker.RunBackground(rctx, s.Temporal, s.DB, s.TaskQueue, notifier, worker.RelayEvery)
	}()
	s.cleanup = append(s.cleanup, func() { rcancel(); <-relayDone })

	// The API with rate limits out of the way (every client is 127.0.0.1).
	core := complaints.New(s.DB, s.Temporal, complaints.Config{TaskQueue: s.TaskQueue, PublicBaseURL: "http://bench",
		IntakePerMinute: 1e9, IntakeBurst: 1 << 30, PhonePerMinute: 1e9, PhoneBurst: 1 << 30})
	core.Start()
	s.cleanup = append(s.cleanup, core.Stop)
	s.WASecret, s.SMSSecret = randomHex(16), randomHex(16)
	srv := httptest.NewServer(api.New(core, api.Options{Public: public.Config{BaseURL: "http://bench"},
		Staff:    staffpages.Config{Accounts: accounts.New(s.DB, accounts.Config{})},
		Webhooks: webhooks.Config{WAAppSecret: s.WASecret, SMSSecret: s.SMSSecret, WAVerifyToken: randomHex(8)}}))
	s.cleanup = append(s.cleanup, srv.Close)
	s.BaseURL = srv.URL
	scratch := httptest.NewServer(scratchRouter(s.DB))
	s.cleanup = append(s.cleanup, scratch.Close)
	s.ScratchURL = scratch.URL
	return s, nil
}

// DevServerFlags are the flags a Temporal CLI dev server of ours starts with, the same
// as `aduan search-attribute-flags` prints for make run (see there why WAL): every
// search attribute of the complaint workflow (workflows.SearchAttributeTypes), and, when
// the server keeps its history in a file (dbFile), SQLite in write-ahead logging with
// synchronous=NORMAL. The e2e tests start theirs with these too.
func DevServerFlags(dbFile bool) []string {
	var flags []string
	for _, spec := range workflows.SearchAttributeTypes {
		flags = append(flags, "--search-attribute", spec)
	}
	if dbFile {
		flags = append(flags, "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal")
	}
	return flags
}

// newClient is an HTTP client keeping conc connections to one host.
func newClient(conc int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conc * 2
	t.MaxIdleConnsPerHost = conc * 2
	return &http.Client{Transport: t, Timeout: 60 * time.Second}
}

// benchDataConverter seals payloads as in production, with a random key of the run's own,
// so the figures include the payload codec.
func benchDataConverter() converter.DataConverter {
	ring, err := keyring.Parse(keyring.NewKey("bench"))
	if err != nil {
		panic(err) // a key NewKey made always parses
	}
	return payloadcodec.DataConverter(ring)
}

// clientOptions are the Temporal client's options (production's, as cmd/aduan dials).
func (o StackOptions) clientOptions(hostPort string, quiet sdklog.Logger) client.Options {
	opts := client.Options{HostPort: hostPort, Namespace: "default", Logger: quiet, DataConverter: benchDataConverter()}
	if !o.GRPCGzip {
		opts.ConnectionOptions.GrpcCompression = &client.GrpcCompressionNone{}
	}
	return opts
}

// startDevServer starts the Temporal CLI's dev server with its history in tmp/temporal.db.
func (s *Stack) startDevServer(ctx context.Context, o StackOptions, tmp string, quiet sdklog.Logger) error {
	cli := o.TemporalCLI
	s.TemporalDB = filepath.Join(tmp, "temporal.db")
	sctx, scancel := context.WithTimeout(ctx, 2*time.Minute)
	server, err := testsuite.StartDevServer(sctx, testsuite.DevServerOptions{
		ExistingPath:  cli,
		DBFilename:    s.TemporalDB,
		LogLevel:      "error",
		ExtraArgs:     DevServerFlags(true),
		Stdout:        io.Discard, // its banner
		Stderr:        os.Stderr,
		ClientOptions: ptr(o.clientOptions("", quiet)),
	})
	scancel()
	if err != nil {
		return fmt.Errorf("start Temporal dev server: %w", err)
	}
	s.cleanup = append(s.cleanup, func() { _ = server.Stop() })
	s.Temporal = server.Client()
	// The dev server is this process's child, the one whose command line names its file.
	pid := childWith(s.TemporalDB)
	s.temporalPID = func() int { return pid }
	return nil
}

// startCluster starts the production profile's Temporal server on two databases of the
// run's own (dropped at Close) and dials it.
func (s *Stack) startCluster(o StackOptions, admin *sql.DB, tmp string, quiet sdklog.Logger) error {
	prefix := "temporal_bench_" + randomHex(4)
	s.cleanup = append(s.cleanup, func() {
		tempcluster.DropDatabases(func(q string) error { _, err := admin.Exec(q); return err }, prefix)
	})
	host, port := tempcluster.PGHostPort(o.DatabaseURL)
	adminURL, err := store.DatabaseURL(o.DatabaseURL, "postgres")
	if err != nil {
		return err
	}
	cl, err := tempcluster.Start(tempcluster.Options{PGHost: host, PGPort: port, AdminURL: adminURL, DBPrefix: prefix,
		LogDir: tmp, ServerBin: o.ServerBin, SQLTool: o.SQLTool, Logger: quiet})
	if err != nil {
		return fmt.Errorf("start the Temporal cluster: %w", err)
	}
	s.cleanup = append(s.cleanup, cl.Stop)
	c, err := client.Dial(o.clientOptions(cl.HostPort(), quiet))
	if err != nil {
		return fmt.Errorf("dial the Temporal cluster: %w", err)
	}
	s.cleanup = append(s.cleanup, c.Close)
	s.Temporal = c
	s.temporalPID = cl.Pid
	return nil
}

func ptr[T any](v T) *T { return &v }

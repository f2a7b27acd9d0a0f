package e2e

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"aduan/accounts"
	"aduan/activities"
	"aduan/api"
	"aduan/bench"
	"aduan/complaints"
	"aduan/demo"
	"aduan/notify"
	"aduan/store"
	"aduan/worker"
)

// The running system every test talks to; TestMain sets it up once.
var (
	// baseURL is the API's address (an httptest server).
	baseURL string
	// tokens maps each demo username to a bearer token.
	tokens map[string]string
	// logins maps each demo username to their password (and TOTP secret) for /staf/masuk.
	logins map[string]demo.Login
	// testDB is the fresh database of this run.
	testDB *store.DB
	// tc is a Temporal client connected to the dev server.
	tc client.Client
	// taskQueue is this run's task queue.
	taskQueue string
	// apiDeps is what the API was built with, for tests that build a second server.
	apiDeps serverDeps
	// adminConn reaches the PostgreSQL server's maintenance database (to create more
	// databases), and baseDBURL is the server's URL.
	adminConn *sql.DB
	baseDBURL string
	// quiet logs the SDK's errors only (it warns about pollers at every shutdown).
	quiet = sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
)

// devServerFlags are the flags of the tests' Temporal dev servers: Aduan's search
// attributes and, with a history file (dbFile), SQLite's WAL settings; the same as the
// benchmark's and `aduan search-attribute-flags` (make run).
func devServerFlags(dbFile bool) []string { return bench.DevServerFlags(dbFile) }

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

// required says whether a missing dependency fails the run rather than skipping it.
func required() bool { return os.Getenv("ADUAN_REQUIRE_INTEGRATION") == "1" }

// skipOrFail ends a run whose dependencies are missing: a failure when integration is
// required, a skip otherwise.
func skipOrFail(format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	if required() {
		fmt.Fprintln(os.Stderr, "e2e: "+msg+" (ADUAN_REQUIRE_INTEGRATION=1)")
		return 1
	}
	fmt.Println("e2e: skipping integration tests: " + msg)
	return 0
}

// temporalCLI finds the Temporal CLI: $TEMPORAL_CLI, then PATH, then $GOPATH/bin.
func temporalCLI() string {
	if p := os.Getenv("TEMPORAL_CLI"); p != "" {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		return ""
	}
	if p, err := exec.LookPath("temporal"); err == nil {
		return p
	}
	candidates := []string{}
	if gp := os.Getenv("GOPATH"); gp != "" {
		candidates = append(candidates, filepath.Join(filepath.SplitList(gp)[0], "bin", "temporal"))
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		if gp := string(trimNewline(out)); gp != "" {
			candidates = append(candidates, filepath.Join(filepath.SplitList(gp)[0], "bin", "temporal"))
		}
	}
	candidates = append(candidates, filepath.Join(os.Getenv("HOME"), "go", "bin", "temporal"))
	for _, p := range candidates {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// withDatabase returns url with its path set to database name.
var withDatabase = store.DatabaseURL

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func run(m *testing.M) int {
	// The API logs every request at info level; the tests only want warnings.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	cli := temporalCLI()
	if cli == "" {
		return skipOrFail("no Temporal CLI found (TEMPORAL_CLI, PATH, $GOPATH/bin, ~/go/bin); run `make test` to install it")
	}

	// PostgreSQL: a fresh database on the server of DATABASE_URL.
	baseDB := os.Getenv("DATABASE_URL")
	if baseDB == "" {
		baseDB = "postgres://postgres@127.0.0.1:5432/aduan?sslmode=disable"
	}
	adminURL, err := withDatabase(baseDB, "postgres")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: bad DATABASE_URL:", err)
		return 1
	}
	admin, err := sql.Open("postgres", adminURL)
	if err == nil {
		pctx, pcancel := context.WithTimeout(ctx, 5*time.Second)
		err = admin.PingContext(pctx)
		pcancel()
	}
	if err != nil {
		return skipOrFail("PostgreSQL at %s does not answer: %v", adminURL, err)
	}
	defer admin.Close()
	adminConn, baseDBURL = admin, baseDB
	dbName := "aduan_e2e_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+dbName); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: create database:", err)
		return 1
	}
	defer func() {
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+dbName+` WITH (FORCE)`); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: drop database:", err)
		}
	}()
	dbURL, _ := withDatabase(baseDB, dbName)
	testDB, err = store.Open(ctx, dbURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: open database:", err)
		return 1
	}
	defer testDB.Close()
	testDB.UseKeys(e2eRing) // TOTP secrets sealed at rest, as in aduan's processes
	if _, err := testDB.Migrate(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: migrate:", err)
		return 1
	}
	tmp, err := os.MkdirTemp("", "aduan-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	tokens, logins, err = demo.SeedLogins(ctx, testDB, filepath.Join(tmp, "tokens.json"), filepath.Join(tmp, "logins.json"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: seed demo:", err)
		return 1
	}

	// Temporal: a dev server on a free port, with Aduan's search attributes; in cluster
	// mode the production profile's server on databases of this run.
	var stopTemporal func()
	tc, devServerAddr, stopTemporal, err = startSharedTemporal(ctx, cli)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: start Temporal:", err)
		return 1
	}
	defer stopTemporal()
	defer tc.Close()

	// The worker, the relay and the acknowledger, as runWorkerUntil wires them.
	taskQueue = "aduan-e2e-" + randomHex(4)
	// Its senders talk to a stand-in of the providers, so the tests see what a
	// complainant receives (automatic replies, resends, buttons).
	sink = newFakeProviders()
	defer sink.srv.Close()
	notifier := &activities.Notifier{DB: testDB, BaseURL: "http://test", Senders: notify.NewSenders(notify.Settings{
		WhatsApp: notify.WhatsAppConfig{APIBase: sink.srv.URL + "/wa/v21.0", PhoneNumberID: e2eWAPhoneID, Token: e2eWAToken},
		SMS:      notify.SMSConfig{URL: sink.srv.URL + "/sms/send", APIKey: e2eSMSKey},
	}, testDB.LastInbound)}
	w := worker.New(tc, testDB, taskQueue, notifier)
	if err := w.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: start worker:", err)
		return 1
	}
	defer w.Stop()
	rctx, rcancel := context.WithCancel(ctx)
	relayDone := make(chan struct{})
	go func() {
		defer close(relayDone)
		worker.RunBackground(rctx, tc, testDB, taskQueue, notifier, 5*time.Second,
			worker.WithWhatsAppMedia(sink.srv.URL+"/wa/v21.0", e2eWAToken))
	}()
	defer func() { rcancel(); <-relayDone }()

	// The API, as apiDeps wires it, with a generous intake limit (every test submits
	// from 127.0.0.1).
	apiDeps = serverDeps{Temporal: tc, DB: testDB, Config: complaints.Config{TaskQueue: taskQueue,
		PublicBaseURL: "http://test", IntakePerMinute: 6000, IntakeBurst: 1000}, Options: api.Options{Codec: e2eCodecEndpoint}}
	handler, stop := buildRouter(apiDeps)
	defer stop()
	srv := httptest.NewServer(handler)
	defer srv.Close()
	baseURL = srv.URL

	return m.Run()
}

// serverDeps is what an API server of the tests is built from: the connections, the
// core's configuration and the server's options, as cmd/aduan wires them.
type serverDeps struct {
	Temporal client.Client
	DB       *store.DB
	complaints.Config
	api.Options
}

// buildRouter builds the core (started) and the HTTP server over it; stop stops the core.
func buildRouter(d serverDeps) (http.Handler, func()) {
	core := complaints.New(d.DB, d.Temporal, d.Config)
	core.Start()
	if d.Public.BaseURL == "" {
		d.Public.BaseURL = d.PublicBaseURL
	}
	if d.Staff.Accounts == nil {
		d.Staff.Accounts = accounts.New(d.DB, accounts.Config{})
	}
	return api.New(core, d.Options), core.Stop
}

// newRouter is buildRouter for one test, its core stopped when the test ends.
func newRouter(t testing.TB, d serverDeps) http.Handler {
	h, stop := buildRouter(d)
	t.Cleanup(stop)
	return h
}

// isInterruptExit reports whether err is the dev server exiting on the interrupt Stop sent.
func isInterruptExit(err error) bool {
	var exit *exec.ExitError
	return errors.As(err, &exit)
}

package soak_test

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq"

	"aduan/bench"
	"aduan/soak"
)

// TestSoak is `make soak` in two minutes: mixed traffic on every channel with a worker
// SIGKILL and a Temporal restart at random moments (the seed is logged), then every
// complaint accounted for, no drift, and the worker's and API's memory and descriptors
// flat after warm-up. Its timeouts are generous so that a loaded 2-core machine passes:
// no figure is timed but the flatness bounds.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a 2-minute soak with processes and servers of its own")
	}
	cli := temporalCLI()
	if cli == "" {
		skipUnlessRequired(t, "no Temporal CLI found (TEMPORAL_CLI, PATH, $(go env GOPATH)/bin); `make test` installs it")
	}
	dbURL := os.Getenv("DATABASE_URL")
	if dbURL == "" {
		dbURL = "postgres://postgres@127.0.0.1:5432/aduan?sslmode=disable"
	}
	if err := ping(dbURL); err != nil {
		skipUnlessRequired(t, "PostgreSQL does not answer: "+err.Error())
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "aduan")
	build := exec.Command("go", "build", "-o", bin, "./cmd/aduan")
	build.Dir = ".." // the module root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/aduan: %v\n%s", err, out)
	}
	seed := rand.Uint64() % 1_000_000
	t.Logf("seed %d (the fault schedule and the traffic mix)", seed)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	rep, err := soak.Run(ctx, soak.Options{AduanBin: bin, TemporalCLI: cli, DatabaseURL: dbURL,
		Duration: 2 * time.Minute, Seed: seed, Clients: 4, WorkDir: filepath.Join(dir, "soak"), Log: testLog{t}})
	if err != nil {
		t.Fatal(err)
	}
	rep.Command = "go test ./soak/"
	t.Logf("\n%s", rep.Markdown())
	for _, f := range rep.Failures {
		t.Error(f)
	}
	// The soak must have exercised what it claims to, not only have found nothing wrong.
	if rep.Channels["web"] == 0 || rep.Channels["whatsapp"] == 0 || rep.Channels["sms"] == 0 {
		t.Errorf("complaints by channel %v: every channel must be used", rep.Channels)
	}
	for _, f := range rep.Faults {
		if !f.Injected {
			t.Errorf("%s planned at %s was not injected", f.Kind, f.At)
		}
	}
	if rep.SystemEvents["overdue"] == 0 || rep.SystemEvents["close"] == 0 {
		t.Errorf("timers that fired %v: want overdue and close at least", rep.SystemEvents)
	}
	if rep.Actions.Applied == 0 || rep.Statuses["closed"] == 0 {
		t.Errorf("%d actions applied, final statuses %v", rep.Actions.Applied, rep.Statuses)
	}
}

// testLog sends the soak's progress to the test log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func required() bool { return os.Getenv("ADUAN_REQUIRE_INTEGRATION") == "1" }

func skipUnlessRequired(t *testing.T, msg string) {
	t.Helper()
	if required() {
		t.Fatalf("%s (ADUAN_REQUIRE_INTEGRATION=1)", msg)
	}
	t.Skip(msg)
}

// temporalCLI is $TEMPORAL_CLI, or the CLI on PATH or in $(go env GOPATH)/bin; "" when
// there is none.
func temporalCLI() string {
	if p := os.Getenv("TEMPORAL_CLI"); p != "" {
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			return ""
		}
		return p
	}
	return bench.FindTemporalCLI()
}

func ping(dbURL string) error {
	u, err := url.Parse(dbURL)
	if err != nil {
		return err
	}
	u.Path = "/postgres"
	db, err := sql.Open("postgres", u.String())
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

package worker

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"aduan/media/mediatest"
)

// unreachableTemporal is a client of a Temporal frontend that is not there: a port
// nothing listens on.
func unreachableTemporal(t *testing.T) client.Client {
	t.Helper()
	c, err := client.NewLazyClient(client.Options{HostPort: freeAddr(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// readyBody is /readyz's answer.
type readyBody struct {
	Ready  bool              `json:"ready"`
	Checks map[string]string `json:"checks"`
}

func readyz(t *testing.T, base string) (int, readyBody) {
	t.Helper()
	code, body := get(t, base+"/readyz")
	var b readyBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		t.Fatalf("/readyz %d: %q: %v", code, body, err)
	}
	return code, b
}

// TestHealthServer: the worker's endpoint on a port of its own: /healthz answers while
// the process lives; /readyz is 503 naming the dependency that does not answer
// (Temporal unreachable; PostgreSQL closed), as JSON; /metrics is served when given;
// the server stops when its context ends.
func TestHealthServer(t *testing.T) {
	db := mediatest.Database(t)
	tc := unreachableTemporal(t)
	metrics := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "aduan_up 1\n") })
	hs, err := ListenHealth("127.0.0.1:0", HealthHandler(db, tc, metrics))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ctx) }()
	base := "http://" + hs.Addr().String()

	// The same address again is refused at once: a second worker with the same
	// ADUAN_WORKER_ADDR does not start.
	if _, err := ListenHealth(hs.Addr().String(), HealthHandler(db, tc, nil)); err == nil {
		t.Error("a taken address was listened on")
	}

	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	if code, body := get(t, base+"/metrics"); code != 200 || body != "aduan_up 1\n" {
		t.Errorf("/metrics: %d %q", code, body)
	}
	code, b := readyz(t, base)
	if code != http.StatusServiceUnavailable || b.Ready || b.Checks["postgres"] != "ok" || b.Checks["temporal"] != "unavailable" {
		t.Errorf("/readyz with Temporal away: %d %+v", code, b)
	}
	if code, _ := get(t, base+"/elsewhere"); code != 404 {
		t.Errorf("/elsewhere: %d", code)
	}

	// PostgreSQL away too: a client of a port nothing listens on.
	gone, err := sql.Open("postgres", "postgres://postgres@"+freeAddr(t)+"/aduan?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer gone.Close()
	hs2, err := ListenHealth("127.0.0.1:0", HealthHandler(gone, tc, nil))
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs2.Serve(ctx) }()
	code, b = readyz(t, "http://"+hs2.Addr().String())
	if code != http.StatusServiceUnavailable || b.Checks["postgres"] != "unavailable" || b.Checks["temporal"] != "unavailable" {
		t.Errorf("/readyz with both away: %d %+v", code, b)
	}
	if code, _ := get(t, "http://"+hs2.Addr().String()+"/metrics"); code != 404 {
		t.Errorf("/metrics without metrics: %d", code)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still answering after its context ended")
	}
}

// freeAddr is a local address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

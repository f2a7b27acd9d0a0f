package worker

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.temporal.io/sdk/client"
)

// The worker's own small HTTP server (ADUAN_WORKER_ADDR): Prometheus scrapes /metrics,
// and an orchestrator asks /healthz (the process is alive) and /readyz (it can work:
// PostgreSQL and Temporal both answer). The worker has no other HTTP.

// Pinger is PostgreSQL as readiness sees it (*store.DB).
type Pinger interface {
	PingContext(ctx context.Context) error
}

// HealthChecker is Temporal as readiness sees it (client.Client).
type HealthChecker interface {
	CheckHealth(ctx context.Context, request *client.CheckHealthRequest) (*client.CheckHealthResponse, error)
}

// readyTimeout bounds both readiness checks together.
const readyTimeout = 3 * time.Second

// HealthHandler serves GET /healthz (200 "ok"), GET /readyz (200 when db answers a ping
// and Temporal its health check, else 503; JSON naming each dependency "ok" or
// "unavailable", as the API's /readyz) and, when metrics is not nil, GET /metrics.
func HealthHandler(db Pinger, temporal HealthChecker, metrics http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ready, checks := readiness(r.Context(), db, temporal)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ready": ready, "checks": checks})
	})
	if metrics != nil {
		mux.Handle("GET /metrics", metrics)
	}
	return mux
}

// readiness asks both dependencies. Why one failed goes to the log only, like the API's.
func readiness(ctx context.Context, db Pinger, temporal HealthChecker) (bool, map[string]string) {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	ready, checks := true, map[string]string{"postgres": "ok", "temporal": "ok"}
	if err := db.PingContext(ctx); err != nil {
		slog.Warn("worker readiness: PostgreSQL does not answer", "err", err)
		ready, checks["postgres"] = false, "unavailable"
	}
	if _, err := temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		slog.Warn("worker readiness: Temporal does not answer", "err", err)
		ready, checks["temporal"] = false, "unavailable"
	}
	return ready, checks
}

// HealthServer is the worker's endpoint, listening from ListenHealth on.
type HealthServer struct {
	ln  net.Listener
	srv *http.Server
}

// healthShutdownGrace is how long a stopping worker lets a scrape in progress finish.
const healthShutdownGrace = 5 * time.Second

// ListenHealth listens on addr at once, so a taken port stops the worker before it
// starts, and returns the server to Serve.
func ListenHealth(addr string, h http.Handler) (*HealthServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &HealthServer{ln: ln, srv: &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute}}, nil
}

// Addr is where the server listens (the port chosen for ":0").
func (s *HealthServer) Addr() net.Addr { return s.ln.Addr() }

// Serve serves until ctx ends, then shuts down gracefully; it returns early only when
// serving fails.
func (s *HealthServer) Serve(ctx context.Context) error {
	errs := make(chan error, 1)
	go func() { errs <- s.srv.Serve(s.ln) }()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), healthShutdownGrace)
	defer cancel()
	if err := s.srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

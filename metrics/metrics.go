// Package metrics is what Prometheus scrapes from an Aduan process: one registry per
// process holding the Go runtime and process series, the Temporal SDK's series (through
// tally, see temporal.go), the HTTP requests the API served (Middleware) and, in the
// worker only, the operational figures read from PostgreSQL at scrape time
// (StoreCollector). No series carries personal data: labels are route patterns, methods,
// statuses, pokja ids and channels.
package metrics

import (
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"
)

// Metrics is one process's registry and the instruments that write into it. A nil
// *Metrics records nothing: its Temporal handler is nil (the SDK's no-op).
type Metrics struct {
	reg      *prometheus.Registry
	http     *httpMetrics
	temporal client.MetricsHandler
	// closer stops the tally scope's reporting loop.
	closer io.Closer
}

// New builds a process's registry with the Go runtime and process collectors, the HTTP
// request series and the Temporal SDK's handler. Close releases it.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &Metrics{reg: reg, http: newHTTPMetrics(reg)}
	m.temporal, m.closer = newTemporalHandler(reg)
	return m
}

// Registry is the process's registry (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Register adds a collector, such as the worker's StoreCollector.
func (m *Metrics) Register(c prometheus.Collector) error { return m.reg.Register(c) }

// Temporal is the handler for client.Options.MetricsHandler (nil for a nil Metrics).
func (m *Metrics) Temporal() client.MetricsHandler {
	if m == nil {
		return nil
	}
	return m.temporal
}

// scrapesInFlight bounds concurrent scrapes: a storm of them gets 503 instead of
// piling up (the StoreCollector's cache already spares PostgreSQL).
const scrapesInFlight = 4

// Handler serves the registry in Prometheus's text format (GET /metrics). A collector
// that fails leaves its series out; the rest is served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:            slogErrors{},
		ErrorHandling:       promhttp.ContinueOnError,
		Registry:            m.reg, // promhttp_metric_handler_errors_total
		MaxRequestsInFlight: scrapesInFlight,
		Timeout:             10 * time.Second,
	})
}

// Close flushes the SDK's last figures and stops tally's loop. Safe on nil.
func (m *Metrics) Close() error {
	if m == nil || m.closer == nil {
		return nil
	}
	return m.closer.Close()
}

// slogErrors sends promhttp's errors to the process log.
type slogErrors struct{}

func (slogErrors) Println(v ...any) { slog.Warn("metrics: serving /metrics", "err", v) }

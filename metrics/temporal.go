package metrics

import (
	"io"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	"go.temporal.io/sdk/client"
	sdktally "go.temporal.io/sdk/contrib/tally"
)

// tallyInterval is how often tally hands the SDK's counters and gauges to the registry:
// a scrape sees them at most this late.
const tallyInterval = time.Second

// newTemporalHandler is the Temporal SDK's metrics handler writing into reg, as
// Temporal's own metrics sample does it: a tally scope with Prometheus's naming
// (counters end in _total, timers in _seconds; temporal_request_total,
// temporal_workflow_task_execution_failed_total, temporal_activity_execution_latency_seconds)
// and timers as histograms, so they add up across processes. Label values are
// sanitised the same way: a task queue "aduan-uji" shows as task_queue="aduan_uji".
//
// The reporter is built with tallyprom.NewReporter rather than Configuration.NewReporter
// (whose ConfigurationOptions.Registry does the same), because the latter also mounts a
// handler on http.DefaultServeMux, which panics the second time (a second Metrics in a
// test) and would serve our metrics on whatever uses the default mux.
func newTemporalHandler(reg *prometheus.Registry) (client.MetricsHandler, io.Closer) {
	reporter := tallyprom.NewReporter(tallyprom.Options{
		Registerer:       reg,
		Gatherer:         reg,
		DefaultTimerType: tallyprom.HistogramTimerType,
		// The default panics. A series the SDK names twice with other tags is lost, not
		// the process.
		OnRegisterError: func(err error) {
			slog.Warn("metrics: a Temporal SDK series could not be registered", "err", err)
		},
	})
	scope, closer := tally.NewRootScope(tally.ScopeOptions{
		CachedReporter:  reporter,
		Separator:       tallyprom.DefaultSeparator,
		SanitizeOptions: &sdktally.PrometheusSanitizeOptions,
		// tally's own tally_internal_* series carry an "instance" label that would
		// clash with Prometheus's.
		OmitCardinalityMetrics: true,
	}, tallyInterval)
	return sdktally.NewMetricsHandler(sdktally.NewPrometheusNamingScope(scope)), closer
}

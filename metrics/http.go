package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics are the API's request series.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// durationBuckets reach 20 s: an action waits up to that long for its workflow.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	h := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aduan_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "aduan_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern and method.",
			Buckets: durationBuckets,
		}, []string{"route", "method"}),
	}
	reg.MustRegister(h.requests, h.duration)
	return h
}

// Unmatched is the route of a request no route matched (a 404): the path itself is never
// a label, so neither a scanner's guesses nor a code in a URL makes a series.
const Unmatched = "unmatched"

// Middleware counts and times every request by its route pattern (c.FullPath, such as
// /api/v1/complaints/:code), method and status. Put it first, before panic recovery, so
// a panic's 500 is counted too.
func (m *Metrics) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = Unmatched
		}
		method := methodLabel(c.Request.Method)
		m.http.requests.WithLabelValues(route, method, strconv.Itoa(c.Writer.Status())).Inc()
		m.http.duration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
	}
}

// methodLabel keeps the method label to the standard methods: anyone can send any word.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestMiddleware: requests are counted and timed by route pattern, method and status;
// the raw path never becomes a label (a 404 is "unmatched"), nor does an odd method; a
// panic's 500 is counted; GET /metrics serves the series.
func TestMiddleware(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	m := New()
	defer m.Close()
	r := gin.New()
	r.Use(m.Middleware(), gin.CustomRecovery(func(c *gin.Context, _ any) { c.AbortWithStatus(http.StatusInternalServerError) }))
	r.GET("/api/v1/complaints/:code", func(c *gin.Context) {
		if c.Param("code") == "ADU-BAD" {
			c.String(http.StatusBadRequest, "no")
			return
		}
		c.String(http.StatusOK, "ok")
	})
	r.POST("/api/v1/complaints", func(c *gin.Context) { c.Status(http.StatusCreated) })
	r.GET("/boom", func(*gin.Context) { panic("boom") })
	r.GET("/metrics", gin.WrapH(m.Handler()))

	do := func(method, path string) int {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(method, path, nil))
		return w.Code
	}
	for _, c := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/api/v1/complaints/ADU-111", 200},
		{"GET", "/api/v1/complaints/ADU-222", 200},
		{"GET", "/api/v1/complaints/ADU-BAD", 400},
		{"POST", "/api/v1/complaints", 201},
		{"GET", "/boom", 500},
		{"GET", "/lacak/ADU-333?nik=7306", 404},
		{"GET", "/wp-login.php", 404},
		{"BREW", "/api/v1/complaints/ADU-111", 404},
	} {
		if got := do(c.method, c.path); got != c.want {
			t.Fatalf("%s %s: %d, want %d", c.method, c.path, got, c.want)
		}
	}

	count := func(route, method, status string) float64 {
		return testutil.ToFloat64(m.http.requests.WithLabelValues(route, method, status))
	}
	for _, c := range []struct {
		route, method, status string
		want                  float64
	}{
		{"/api/v1/complaints/:code", "GET", "200", 2},
		{"/api/v1/complaints/:code", "GET", "400", 1},
		{"/api/v1/complaints", "POST", "201", 1},
		{"/boom", "GET", "500", 1},
		{Unmatched, "GET", "404", 2},
		{Unmatched, "other", "404", 1},
	} {
		if got := count(c.route, c.method, c.status); got != c.want {
			t.Errorf("requests{%s %s %s} = %v, want %v", c.route, c.method, c.status, got, c.want)
		}
	}
	// Exactly those six series: nothing keyed by a raw path or method.
	if n := testutil.CollectAndCount(m.http.requests); n != 6 {
		t.Errorf("%d request series, want 6", n)
	}
	if n := testutil.CollectAndCount(m.http.duration); n != 5 {
		t.Errorf("%d duration series, want 5 (route × method)", n)
	}

	// The histogram counted every request of its route.
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	body := w.Body.String()
	for _, want := range []string{
		`aduan_http_request_duration_seconds_count{method="GET",route="/api/v1/complaints/:code"} 3`,
		`aduan_http_requests_total{method="GET",route="unmatched",status="404"} 2`,
		`go_goroutines `,
		`process_cpu_seconds_total `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	for _, leak := range []string{"ADU-111", "wp-login", "nik", "BREW"} {
		if strings.Contains(body, leak) {
			t.Errorf("/metrics shows %q", leak)
		}
	}
}

// TestNilMetrics: a nil Metrics gives the SDK no handler and closes quietly.
func TestNilMetrics(t *testing.T) {
	var m *Metrics
	if m.Temporal() != nil {
		t.Error("nil Metrics has a Temporal handler")
	}
	if err := m.Close(); err != nil {
		t.Error(err)
	}
}

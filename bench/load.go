package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/api"
	"aduan/store"
)

// Latency summarises one series of timed calls.
type Latency struct {
	N        int
	Errors   int
	Elapsed  time.Duration
	Rate     float64 // successful calls per second of wall time
	P50, P95 time.Duration
	P99      time.Duration
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.999999) - 1 // nearest rank
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

func summarise(d []time.Duration, errs int, elapsed time.Duration) Latency {
	slices.Sort(d)
	l := Latency{N: len(d), Errors: errs, Elapsed: elapsed,
		P50: percentile(d, 0.50), P95: percentile(d, 0.95), P99: percentile(d, 0.99)}
	if elapsed > 0 {
		l.Rate = float64(len(d)) / elapsed.Seconds()
	}
	return l
}

// hammer runs fn(i) for i in [0, n) on conc goroutines and times each call. Calls that
// fail are counted, not timed; the first error is returned with the summary.
func hammer(ctx context.Context, n, conc int, fn func(ctx context.Context, i int) error) (Latency, error) {
	var (
		next     atomic.Int64
		mu       sync.Mutex
		d        = make([]time.Duration, 0, n)
		errs     int
		firstErr error
		wg       sync.WaitGroup
	)
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				t0 := time.Now()
				err := fn(ctx, i)
				el := time.Since(t0)
				mu.Lock()
				if err != nil {
					errs++
					if firstErr == nil {
						firstErr = err
					}
				} else {
					d = append(d, el)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	l := summarise(d, errs, time.Since(start))
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return l, firstErr
}

// call sends one JSON request and decodes the answer into out (when not nil); a status
// other than want is an error.
func call(ctx context.Context, hc *http.Client, method, url, token string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		if len(raw) > 300 {
			raw = raw[:300]
		}
		return fmt.Errorf("%s %s: status %d, want %d: %s", method, url, resp.StatusCode, want, raw)
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// scratchRouter is the intake baseline: a gin engine with the API's middleware
// (api.Middleware) answering, on the three intake paths the bench drives (the web
// form's JSON and the WhatsApp and SMS webhooks), one bare INSERT of the raw body into a
// scratch table of the same database pool.
func scratchRouter(db *store.DB) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	_ = r.SetTrustedProxies(nil)
	r.Use(api.Middleware()...)
	insert := func(status int) gin.HandlerFunc {
		return func(c *gin.Context) {
			raw, err := io.ReadAll(c.Request.Body)
			if err != nil || len(raw) == 0 {
				c.JSON(http.StatusBadRequest, gin.H{"error": "invalid"})
				return
			}
			var id int64
			if err := db.QueryRowContext(c.Request.Context(),
				`INSERT INTO bench_scratch (text) VALUES ($1) RETURNING id`, string(raw)).Scan(&id); err != nil {
				slog.Warn("bench baseline: insert failed", "err", err)
				c.JSON(http.StatusServiceUnavailable, gin.H{"error": "unavailable"})
				return
			}
			c.JSON(status, gin.H{"code": fmt.Sprint(id), "status": "received"})
		}
	}
	r.POST("/api/v1/complaints", insert(http.StatusCreated))
	r.POST("/webhooks/whatsapp", insert(http.StatusOK))
	r.POST("/webhooks/sms", insert(http.StatusOK))
	return r
}

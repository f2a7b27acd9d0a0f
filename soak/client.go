package soak

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// answer is how one request ended after its retries.
type answer struct {
	status int
	body   []byte
	// lost counts the tries before it that were answered 503 or lost on the way: the
	// request may have taken effect on one of them.
	lost int
}

// httpClient sends the soak's requests like a patient client: a 503, a 429 or a lost
// connection is tried again with the same body and Idempotency-Key until patience runs
// out; every answer is counted by request class and status.
type httpClient struct {
	hc       *http.Client
	base     string
	patience time.Duration
	tally    *tally
	// abort ends retries at once (the soak itself is being stopped).
	abort context.Context
	// lastAction is when an action was last answered 200 (unix nanos): faults measure
	// their recovery with it.
	lastAction atomic.Int64
	// lostAt lists when a try was answered 503 (or 429, 502, 504) or lost on the way, so
	// that each fault can count the ones around it.
	lostMu sync.Mutex
	lostAt []time.Time
}

func (c *httpClient) noteLost() {
	c.lostMu.Lock()
	c.lostAt = append(c.lostAt, time.Now())
	c.lostMu.Unlock()
}

// lostTimes copies lostAt.
func (c *httpClient) lostTimes() []time.Time {
	c.lostMu.Lock()
	defer c.lostMu.Unlock()
	return append([]time.Time(nil), c.lostAt...)
}

func newHTTPClient(base string, conns int, abort context.Context) *httpClient {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = conns, conns
	t.IdleConnTimeout = 30 * time.Second
	return &httpClient{hc: &http.Client{Transport: t, Timeout: 60 * time.Second}, base: base,
		patience: 5 * time.Minute, tally: newTally(), abort: abort}
}

// retryable says whether a status is the system being away for a moment.
func retryable(status int) bool {
	return status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests ||
		status == http.StatusBadGateway || status == http.StatusGatewayTimeout
}

// send sends one request until it is answered with something other than a retryable
// status. class names the request in the tally ("action", "intake web", ...).
func (c *httpClient) send(class, method, path string, body []byte, headers map[string]string) (answer, error) {
	deadline := time.Now().Add(c.patience)
	var a answer
	last := ""
	for {
		status, raw, err := c.once(method, path, body, headers)
		switch {
		case err != nil:
			c.tally.add(class, "lost connection")
			c.noteLost()
			last = err.Error()
		case retryable(status):
			c.tally.add(class, strconv.Itoa(status))
			c.noteLost()
			last = fmt.Sprintf("HTTP %d %s", status, bytes.TrimSpace(raw))
		default:
			c.tally.add(class, strconv.Itoa(status))
			a.status, a.body = status, raw
			if class == classAction && status == http.StatusOK {
				c.lastAction.Store(time.Now().UnixNano())
			}
			return a, nil
		}
		a.lost++
		if time.Now().After(deadline) {
			return a, fmt.Errorf("%s %s: no answer within %s (%d tries); last: %s", method, path, c.patience, a.lost, last)
		}
		select {
		case <-c.abort.Done():
			return a, c.abort.Err()
		case <-time.After(min(300*time.Millisecond*time.Duration(a.lost), 2*time.Second)):
		}
	}
}

func (c *httpClient) once(method, path string, body []byte, headers map[string]string) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(c.abort, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil && headers["Content-Type"] == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, err
	}
	return res.StatusCode, raw, nil
}

// signed is a provider's delivery signed as the webhook checks it.
func signed(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Request classes of the tally.
const (
	classIntakeWeb = "intake web"
	classWhatsApp  = "webhook whatsapp"
	classSMS       = "webhook sms"
	classAction    = "staff action"
	classPublic    = "reply and feedback"
	classRead      = "read"
)

// tally counts answers by request class and status ("200", "503", "lost connection").
type tally struct {
	mu sync.Mutex
	m  map[string]map[string]int
}

func newTally() *tally { return &tally{m: map[string]map[string]int{}} }

func (t *tally) add(class, status string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m[class] == nil {
		t.m[class] = map[string]int{}
	}
	t.m[class][status]++
}

func (t *tally) total() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, byStatus := range t.m {
		for _, k := range byStatus {
			n += k
		}
	}
	return n
}

// snapshot copies the counts.
func (t *tally) snapshot() map[string]map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]map[string]int{}
	for c, byStatus := range t.m {
		out[c] = map[string]int{}
		for s, n := range byStatus {
			out[c][s] = n
		}
	}
	return out
}

// byStatus is "200×812 201×97 409×3 503×41 lost connection×12" over every class.
func byStatus(m map[string]map[string]int) string {
	sum := map[string]int{}
	for _, s := range m {
		for k, n := range s {
			sum[k] += n
		}
	}
	return joinCounts(sum)
}

// joinCounts is "a×1 b×2", keys sorted.
func joinCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s×%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

// classes is the classes of m in a fixed order.
func classes(m map[string]map[string]int) []string {
	order := []string{classIntakeWeb, classWhatsApp, classSMS, classAction, classPublic, classRead}
	var out []string
	for _, c := range order {
		if m[c] != nil {
			out = append(out, c)
		}
	}
	for c := range m {
		if !slices.Contains(order, c) {
			out = append(out, c)
		}
	}
	return out
}

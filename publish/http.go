package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"aduan/httpcall"
)

// maxResponse bounds how much of a site's answer is read.
const maxResponse = 256 << 10

// DefaultTimeout bounds one request when a site sets none. A push to both sites makes
// at most three requests (WordPress looks up, then writes), so 45 s in all: within the
// PublishExternal activity's one-minute start-to-close timeout.
const DefaultTimeout = 15 * time.Second

// answer is a site's answer to one request.
type answer struct {
	status int
	body   []byte
}

// request sends one request with body (nil: none) and reads the answer. A request that
// gets no answer (network, timeout) is an error, always retryable.
func request(ctx context.Context, client *http.Client, timeout time.Duration, method, url string,
	header http.Header, body []byte) (answer, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("User-Agent", "aduan-publish/1")
	a, err := httpcall.Do(ctx, httpcall.Request{Client: client, Timeout: timeout, Method: method, URL: url,
		Header: h, Body: body, MaxAnswer: maxResponse})
	if err != nil {
		return answer{}, err
	}
	if a.ReadErr != nil && a.Status/100 == 2 {
		// A success whose body broke off: what it says (an id) is lost, so try again.
		return answer{}, fmt.Errorf("read answer (HTTP %d): %w", a.Status, a.ReadErr)
	}
	return answer{status: a.Status, body: a.Body}, nil
}

// statusError is the error of a non-2xx answer: permanent for a 4xx other than 408 and
// 429 (the site rejected this request, and sending it again cannot mend that), retryable
// for the rest (server errors, timeouts, slow down).
func statusError(what string, a answer, secrets ...string) error {
	err := fmt.Errorf("%s answered HTTP %d: %s", what, a.status, redact(strings.TrimSpace(string(a.body)), secrets...))
	if retryableStatus(a.status) {
		return err
	}
	return Permanent(err)
}

// retryableStatus says whether a non-2xx answer may pass when tried again.
func retryableStatus(status int) bool {
	if status == http.StatusRequestTimeout || status == http.StatusTooManyRequests {
		return true
	}
	return status < 400 || status >= 500
}

// redact removes the secrets from s (a site's error text) and bounds its length.
func redact(s string, secrets ...string) string { return httpcall.Redact(s, secrets...) }

// remoteID is the id in a site's JSON answer ("id", a string or a number), if any.
func remoteID(body []byte) string {
	var a struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(body, &a) != nil || len(a.ID) == 0 {
		return ""
	}
	var str string
	var num json.Number
	switch {
	case json.Unmarshal(a.ID, &str) == nil && str != "" && len(str) <= 200:
		return str
	case json.Unmarshal(a.ID, &num) == nil && num != "":
		return num.String()
	}
	return ""
}

package notify

// What the WhatsApp and SMS senders share: phone numbers, HTTP, failure classes and
// cutting a text to a provider's limit.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"aduan/httpcall"
)

// maxResponse bounds how much of a provider's answer is read.
const maxResponse = 64 << 10

// defaultHTTPTimeout bounds one request when the sender sets none: well within the
// Notify activity's one-minute start-to-close timeout.
const defaultHTTPTimeout = 20 * time.Second

// httpAnswer is a provider's answer.
type httpAnswer struct {
	status int
	body   []byte
}

// postJSON POSTs payload as JSON to url with the given headers and reads the answer. A
// request that gets no answer (network, timeout) is an error, always retryable.
func postJSON(ctx context.Context, client *http.Client, timeout time.Duration, url string, header http.Header,
	payload any) (httpAnswer, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return httpAnswer{}, err
	}
	if timeout <= 0 {
		timeout = defaultHTTPTimeout
	}
	a, err := httpcall.Do(ctx, httpcall.Request{Client: client, Timeout: timeout, Method: http.MethodPost, URL: url,
		Header: header, Body: raw, MaxAnswer: maxResponse})
	if err != nil {
		return httpAnswer{}, err
	}
	if a.ReadErr != nil && a.Status/100 != 2 {
		return httpAnswer{}, fmt.Errorf("read answer (HTTP %d): %w", a.Status, a.ReadErr)
	}
	return httpAnswer{status: a.Status, body: a.Body}, nil
}

// retryableStatus says whether a non-2xx answer may succeed when tried again: server
// errors, 429 (slow down), 408, and the answers about our credentials or account (401,
// 402, 403: the operator's to fix, and the message is still good once they have). Any
// other 4xx rejects this message, which trying again cannot mend.
func retryableStatus(status int) bool {
	switch {
	case status >= 500, status < 400:
		return true
	case status == http.StatusTooManyRequests, status == http.StatusRequestTimeout,
		status == http.StatusUnauthorized, status == http.StatusPaymentRequired, status == http.StatusForbidden:
		return true
	}
	return false
}

// redact removes the secrets from s (a provider's error text): it may quote the phone
// number or the message.
func redact(s string, secrets ...string) string { return httpcall.Redact(s, secrets...) }

// Ellipsis marks where a text was cut.
const Ellipsis = "…"

// CutKeepingLink cuts text to at most max characters (runes), ending the part kept with
// Ellipsis. When the text ends with a link (the tracking link of the complainant texts),
// the link's line is kept whole, or at least the link: a citizen can read the rest there.
// A text within max is returned as it is.
func CutKeepingLink(text string, max int) string {
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	ell := utf8.RuneCountInString(Ellipsis)
	if max <= ell {
		return string([]rune(text)[:max])
	}
	head, tail := text, ""
	trimmed := strings.TrimRight(text, " \n")
	if i := strings.LastIndexAny(trimmed, " \n"); i >= 0 {
		if last := trimmed[i+1:]; strings.HasPrefix(last, "https://") || strings.HasPrefix(last, "http://") {
			lineStart := strings.LastIndexByte(trimmed[:i+1], '\n') + 1
			line := trimmed[lineStart:]
			if lineStart > 0 && utf8.RuneCountInString(line)+1 <= max/2 {
				head, tail = trimmed[:lineStart-1], "\n"+line // the link with its label
			} else if utf8.RuneCountInString(last)+1 <= max/2 {
				head, tail = trimmed[:i], trimmed[i:i+1]+last // the link alone
			}
		}
	}
	budget := max - ell - utf8.RuneCountInString(tail)
	r := []rune(head)
	if len(r) <= budget {
		return head + tail
	}
	r = r[:budget]
	// End at a word when one ends near the cut.
	for j := len(r) - 1; j >= 0 && j >= len(r)-20; j-- {
		if r[j] == ' ' || r[j] == '\n' {
			r = r[:j]
			break
		}
	}
	return strings.TrimRight(string(r), " \n,;:") + Ellipsis + tail
}

// Package httpcall is what Aduan's outbound HTTP clients share (the WhatsApp and SMS
// senders, the regency-website publishers): one bounded request, and provider error
// texts made safe to keep.
package httpcall

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Answer is a remote server's answer. ReadErr is set when its body broke off: whether
// that matters depends on the caller (a success whose id is lost, say).
type Answer struct {
	Status  int
	Body    []byte
	ReadErr error
}

// Request is one call.
type Request struct {
	Client  *http.Client  // nil: http.DefaultClient
	Timeout time.Duration // bounds the whole call
	Method  string
	URL     string
	Header  http.Header
	// Body is sent as JSON when not nil.
	Body []byte
	// MaxAnswer bounds how much of the answer is read.
	MaxAnswer int64
}

// Do sends the request and reads the answer. A request that gets no answer (network,
// timeout) is an error, which a caller should treat as retryable.
func Do(ctx context.Context, r Request) (Answer, error) {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		// A malformed URL is the operator's to fix; the message itself is fine.
		return Answer{}, fmt.Errorf("build request: %w", err)
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	client := r.Client
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		return Answer{}, err
	}
	defer res.Body.Close()
	raw, readErr := io.ReadAll(io.LimitReader(res.Body, r.MaxAnswer))
	return Answer{Status: res.StatusCode, Body: raw, ReadErr: readErr}, nil
}

// Redact removes the secrets from s (a remote server's error text, which may quote a
// phone number, a message or a credential) and bounds its length.
func Redact(s string, secrets ...string) string {
	for _, x := range secrets {
		if len(x) >= 4 {
			s = strings.ReplaceAll(s, x, "[…]")
		}
	}
	s = strings.ToValidUTF8(s, "")
	if utf8.RuneCountInString(s) > 300 {
		s = string([]rune(s)[:300]) + "…"
	}
	return s
}

// PermanentError is a failure that trying again cannot mend, such as an address a
// provider rejects or a post a site refuses.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent marks err as a failure that trying again cannot mend.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

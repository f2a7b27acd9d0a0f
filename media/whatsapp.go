package media

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// DefaultWhatsAppAPIBase is the Graph API the Cloud API lives on (notify's pinned version).
const DefaultWhatsAppAPIBase = "https://graph.facebook.com/v21.0"

// WhatsAppConfig is how to reach the WhatsApp Business Cloud API (ADUAN_WA_API_BASE,
// ADUAN_WA_TOKEN: the same values the WhatsApp sender uses).
type WhatsAppConfig struct {
	// APIBase is the Graph API with its version (DefaultWhatsAppAPIBase when empty).
	APIBase string
	// Token is the (system user) access token; without it nothing is fetched.
	Token string
}

// userAgent names Aduan to the provider (its media host answers some clients without one
// with a page instead of the file).
const userAgent = "Aduan/1 (media fetcher)"

// waMeta is the Cloud API's answer to GET /{media-id}.
type waMeta struct {
	URL      string  `json:"url"`
	MimeType string  `json:"mime_type"`
	SHA256   string  `json:"sha256"`
	FileSize flexInt `json:"file_size"`
	ID       string  `json:"id"`
}

// flexInt is a number the API writes as a JSON number or a string.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("file_size %q: %w", s, err)
	}
	*n = flexInt(v)
	return nil
}

// graphError is the Graph API's error body, for its codes (its message is not kept).
type graphError struct {
	Error struct {
		Code    int `json:"code"`
		Subcode int `json:"error_subcode"`
	} `json:"error"`
}

// errURLExpired is a download URL the media host no longer honours (they live five
// minutes): a fresh one is asked for.
var errURLExpired = errors.New("download URL refused")

// whatsApp is the Cloud API's media calls.
type whatsApp struct {
	cfg    WhatsAppConfig
	client *http.Client
}

func (w whatsApp) get(ctx context.Context, rawURL string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+w.cfg.Token)
	req.Header.Set("User-Agent", userAgent)
	return w.client.Do(req)
}

// meta asks for a media id's download URL, type, hash and size.
func (w whatsApp) meta(ctx context.Context, ref string) (waMeta, error) {
	var m waMeta
	if strings.TrimSpace(ref) == "" {
		return m, permanent("the message names no media id")
	}
	base := w.cfg.APIBase
	if base == "" {
		base = DefaultWhatsAppAPIBase
	}
	res, err := w.get(ctx, strings.TrimRight(base, "/")+"/"+url.PathEscape(ref))
	if err != nil {
		return m, transient("media metadata: %s", netReason(err))
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err != nil {
		return m, transient("media metadata: reading the answer: %s", netReason(err))
	}
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, &m); err != nil {
			return m, transient("media metadata: unreadable answer: %v", err)
		}
		if m.URL == "" {
			return m, transient("media metadata: answer without a download URL")
		}
		return m, nil
	}
	var ge graphError
	_ = json.Unmarshal(body, &ge)
	what := fmt.Sprintf("media metadata: HTTP %d", res.StatusCode)
	if ge.Error.Code != 0 {
		what += fmt.Sprintf(" (Graph error %d/%d)", ge.Error.Code, ge.Error.Subcode)
	}
	switch {
	case res.StatusCode == http.StatusNotFound,
		res.StatusCode == http.StatusBadRequest && ge.Error.Code == 100:
		// Graph answers an unknown object with 400 and code 100 (subcode 33).
		return m, &fetchError{kind: idNotFound, msg: what + ": media id not found at the provider"}
	case res.StatusCode == http.StatusUnauthorized, res.StatusCode == http.StatusForbidden, ge.Error.Code == 190:
		return m, &fetchError{kind: credentials, msg: what + ": the provider refused our access token"}
	}
	return m, transient("%s", what)
}

// download reads the file at a download URL, at most limit bytes.
func (w whatsApp) download(ctx context.Context, rawURL string, limit int64) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, transient("media metadata: the download URL is not a web address")
	}
	res, err := w.get(ctx, rawURL)
	if err != nil {
		return nil, transient("download: %s", netReason(err))
	}
	defer res.Body.Close()
	switch res.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusGone:
		return nil, fmt.Errorf("%w (HTTP %d)", errURLExpired, res.StatusCode)
	default:
		return nil, transient("download: HTTP %d", res.StatusCode)
	}
	if ct, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); ct == "text/html" {
		return nil, transient("download: the media host answered a web page instead of the file")
	}
	if res.ContentLength > limit {
		return nil, refuse(RefusedTooLarge, permanent("the file is %d bytes, over the limit of %d", res.ContentLength, limit))
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		return nil, transient("download: interrupted: %s", netReason(err))
	}
	if int64(len(data)) > limit {
		return nil, refuse(RefusedTooLarge, permanent("the file is over the limit of %d bytes", limit))
	}
	return data, nil
}

// netReason is a transport error without its URL (a download URL is a short-lived
// credential, and addresses say nothing useful in last_error).
func netReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return err.Error()
}

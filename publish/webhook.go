package publish

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// WebhookSite pushes each published answer to a URL the receiver runs: one POST of
//
//	{"code": "ADU-…", "title": "…", "answer": "…", "category": "bantuan_logistik",
//	 "kecamatan": "simboro", "desa": "botteng", "published_at": "2026-…Z",
//	 "url": "https://…/publik/ADU-…"}
//
// (plus "category_name", "kecamatan_name" and "desa_name" for people), with the headers
//
//	X-Aduan-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret>
//	X-Aduan-Delivery: <code>
//
// The receiver checks the signature over the bytes it received, and keys what it stores
// by the delivery (the code), so a retried push updates rather than duplicates: a
// re-published answer arrives again under the same code with a later published_at. Any
// 2xx answer means accepted; a 4xx other than 408/429 is permanent; anything else, and
// no answer, is retried.
type WebhookSite struct {
	URL    string
	Secret string
	// Timeout bounds the request (DefaultTimeout when zero).
	Timeout time.Duration
	// Client makes the requests (http.DefaultClient when nil).
	Client *http.Client
	// Logger is where to log (slog.Default() when nil).
	Logger *slog.Logger
}

// WebhookPayload is the webhook's JSON body.
type WebhookPayload struct {
	Code          string    `json:"code"`
	Title         string    `json:"title"`
	Answer        string    `json:"answer"`
	Category      string    `json:"category"`
	CategoryName  string    `json:"category_name,omitempty"`
	Kecamatan     string    `json:"kecamatan"`
	KecamatanName string    `json:"kecamatan_name,omitempty"`
	Desa          string    `json:"desa"`
	DesaName      string    `json:"desa_name,omitempty"`
	PublishedAt   time.Time `json:"published_at"`
	URL           string    `json:"url"`
}

// Header names of the webhook.
const (
	SignatureHeader = "X-Aduan-Signature"
	DeliveryHeader  = "X-Aduan-Delivery"
)

// Sign is the X-Aduan-Signature value of body: "sha256=" and the hex HMAC-SHA256 of the
// raw body with secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Name is "webhook".
func (w *WebhookSite) Name() string { return "webhook" }

// Push POSTs r to the webhook.
func (w *WebhookSite) Push(ctx context.Context, r Record) (string, error) {
	lg := w.Logger
	if lg == nil {
		lg = slog.Default()
	}
	body, err := json.Marshal(WebhookPayload{Code: r.Code, Title: r.Title, Answer: r.Answer, Category: r.Category,
		CategoryName: r.CategoryName, Kecamatan: r.Kecamatan, KecamatanName: r.KecamatanName, Desa: r.Desa,
		DesaName: r.DesaName, PublishedAt: r.PublishedAt.UTC(), URL: r.URL})
	if err != nil {
		return "", Permanent(err)
	}
	h := http.Header{}
	h.Set(SignatureHeader, Sign(w.Secret, body))
	h.Set(DeliveryHeader, r.Code)
	a, err := request(ctx, w.Client, w.Timeout, http.MethodPost, w.URL, h, body)
	if err != nil {
		lg.WarnContext(ctx, "publish: no answer from the webhook; will retry", "code", r.Code)
		return "", err
	}
	if a.status/100 == 2 {
		lg.InfoContext(ctx, "publish: pushed to the webhook", "code", r.Code, "status", a.status)
		return remoteID(a.body), nil
	}
	err = statusError("webhook", a, w.Secret)
	lg.WarnContext(ctx, "publish: the webhook refused", "code", r.Code, "status", a.status, "retry", !IsPermanent(err))
	return "", err
}

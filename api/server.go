// Package api is Aduan's HTTP server: one gin engine with the middleware every door
// shares (trusted proxies, panic recovery, access log, body limit, the 404 of unknown
// addresses), on which the doors mount their routes. Each door is a thin package over
// the core (package complaints): rest (the JSON API of API.md), public (/lapor, /publik,
// /lacak), staffpages (/staf) and webhooks (the messaging providers).
package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/api/codec"
	"aduan/api/public"
	"aduan/api/respond"
	"aduan/api/rest"
	"aduan/api/staffpages"
	"aduan/api/webhooks"
	"aduan/complaints"
	"aduan/metrics"
	"aduan/reqid"
)

// Options configure the server beyond the core.
type Options struct {
	// TrustedProxies lists the reverse proxies whose X-Forwarded-For is believed; with
	// none, the client is the connection's peer and no header can dodge the rate limit.
	TrustedProxies []string
	// Webhooks holds the messaging providers' secrets.
	Webhooks webhooks.Config
	// Public configures the public pages (absolute links, who may frame the embed).
	Public public.Config
	// Staff configures the staff pages (accounts and sessions, Secure cookies).
	Staff staffpages.Config
	// Codec is the Temporal UI's codec endpoint under /staf (none without a codec).
	Codec codec.Config
	// Metrics counts every request and serves GET /metrics (nil: neither).
	Metrics *metrics.Metrics
}

// New builds the HTTP handler of every door over core.
func New(core *complaints.Service, opts Options) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(opts.TrustedProxies); err != nil {
		slog.Error("bad trusted proxy list; trusting none", "err", err)
		_ = r.SetTrustedProxies(nil)
	}
	if opts.Metrics != nil {
		r.Use(opts.Metrics.Middleware()) // first: a panic's 500 is counted too
	}
	r.Use(Middleware()...)
	r.NoRoute(func(c *gin.Context) { respond.NotFound(c, "Alamat tidak ditemukan.") })

	webhooks.Register(r, core, opts.Webhooks)
	rest.Register(r, core)
	pub := opts.Public
	if !pub.SecureCookies {
		pub.SecureCookies = opts.Staff.SecureCookies // one site, one setting
	}
	public.Register(r, core, pub)
	staffpages.Register(r, core, opts.Staff)
	codec.Register(r, opts.Codec, opts.Staff.Accounts)
	if opts.Metrics != nil {
		r.GET("/metrics", gin.WrapH(opts.Metrics.Handler()))
	}
	return r
}

// Middleware is what every request goes through before its door, in order: its request
// id, recovery from a panic (a 500), the connection's deadlines, the access log and the
// body's size limit. The bench's intake baseline runs the same.
func Middleware() []gin.HandlerFunc {
	return []gin.HandlerFunc{requestID, gin.CustomRecovery(func(c *gin.Context, err any) {
		slog.Error("panic in handler", "path", c.FullPath(), "err", err, reqid.LogKey, reqid.From(c.Request.Context()))
		respond.Fail(c, http.StatusInternalServerError, respond.CodeInternal, "Terjadi kesalahan di server.", nil)
	}), deadlines, accessLog, limitBody}
}

// accessLog logs method, route pattern, status, duration and request id: never query
// strings or bodies, which may carry personal data.
func accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	slog.Info("http", "method", c.Request.Method, "route", c.FullPath(), "status", c.Writer.Status(),
		"ms", time.Since(start).Milliseconds(), reqid.LogKey, reqid.From(c.Request.Context()))
}

// limitBody refuses oversize bodies up front and caps what a handler can read.
func limitBody(c *gin.Context) {
	if c.Request.ContentLength > respond.MaxBody {
		respond.TooLarge(c)
		return
	}
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, respond.MaxBody)
	}
	c.Next()
}

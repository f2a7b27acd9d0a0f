// Package api is Aduan's HTTP interface (API.md): it validates and authorises requests,
// turns staff actions into Workflow Updates, and reads lists and details from PostgreSQL.
// It writes complaint state only through Temporal (intake aside, which records the new
// complaint before starting its workflow).
package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"aduan/domain"
	"aduan/store"
)

// Deps is what the API needs.
type Deps struct {
	Temporal  client.Client
	DB        *store.DB
	TaskQueue string
	// SLAOverride, when set, replaces the regency's stored deadline policy for the
	// complaints this API takes in (tests and demos with deadlines of seconds).
	SLAOverride *domain.SLAPolicy
	// PublicBaseURL prefixes tracking links, e.g. https://aduan.mamujukab.go.id.
	PublicBaseURL string
	// IntakePerMinute and IntakeBurst limit public submissions per client.
	IntakePerMinute float64
	IntakeBurst     int
	// ActionTimeout bounds how long an action waits for its workflow.
	ActionTimeout time.Duration
	// WAVerifyToken answers WhatsApp's subscription challenge; WAAppSecret and SMSSecret
	// check the providers' signatures (a webhook without its secret refuses everything).
	WAVerifyToken string
	WAAppSecret   string
	SMSSecret     string
	// PhonePerMinute and PhoneBurst limit new complaints per phone number.
	PhonePerMinute float64
	PhoneBurst     int
	// StartTimeout bounds how long the starter tries to start a workflow before leaving
	// it to the relay.
	StartTimeout time.Duration
	// StartWorkers is how many workflow starts run at once behind intake (default 4).
	StartWorkers int
	// TrustedProxies lists the reverse proxies whose X-Forwarded-For is believed; with
	// none, the client is the connection's peer and no header can dodge the rate limit.
	TrustedProxies []string
}

type server struct {
	Deps
	limiter      *clientLimiter
	phoneLimiter *clientLimiter
	// starter starts new complaints' workflows behind intake (api/starter.go).
	starter *starter
	// policies keeps the current deadline policy for intake (api/policy_cache.go).
	policies policyCache
	// take routes one inbound message (takeMessage; tests of the webhooks stand in).
	take func(*gin.Context, inbound) (time.Duration, error)
}

// NewRouter builds the HTTP handler.
func NewRouter(d Deps) http.Handler {
	if d.IntakePerMinute <= 0 {
		d.IntakePerMinute = 20
	}
	if d.IntakeBurst <= 0 {
		d.IntakeBurst = 10
	}
	if d.ActionTimeout <= 0 {
		d.ActionTimeout = 20 * time.Second
	}
	if d.PhonePerMinute <= 0 {
		d.PhonePerMinute = 0.2 // twelve new complaints an hour
	}
	if d.PhoneBurst <= 0 {
		d.PhoneBurst = 5
	}
	if d.StartTimeout <= 0 {
		d.StartTimeout = 5 * time.Second
	}
	s := &server{Deps: d, limiter: newClientLimiter(d.IntakePerMinute, d.IntakeBurst),
		phoneLimiter: newClientLimiter(d.PhonePerMinute, d.PhoneBurst)}
	if d.StartWorkers <= 0 {
		d.StartWorkers = 4
		s.StartWorkers = 4
	}
	s.starter = newStarter(d.StartWorkers, 4096, d.StartTimeout, s.startQueued)
	s.take = s.takeMessage
	return s.router()
}

// router builds the routes of s.
func (s *server) router() http.Handler {
	d := s.Deps
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		slog.Error("bad trusted proxy list; trusting none", "err", err)
		_ = r.SetTrustedProxies(nil)
	}
	r.Use(gin.CustomRecovery(func(c *gin.Context, err any) {
		slog.Error("panic in handler", "path", c.FullPath(), "err", err)
		fail(c, http.StatusInternalServerError, codeInternal, "Terjadi kesalahan di server.", nil)
	}))
	r.Use(accessLog, limitBody)
	r.NoRoute(func(c *gin.Context) { notFound(c, "Alamat tidak ditemukan.") })

	r.GET("/webhooks/whatsapp", s.verifyWhatsApp)
	r.POST("/webhooks/whatsapp", s.whatsAppWebhook)
	r.POST("/webhooks/sms", s.smsWebhook)

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	s.registerWeb(r)         // the public web form, /lapor (api/web.go)
	s.registerPublicPages(r) // the public pages, /publik and /lacak (api/public_pages.go)

	v1 := r.Group("/api/v1")
	v1.POST("/complaints", s.rateLimited, s.submitComplaint)
	v1.GET("/complaints/:code", s.trackComplaint)
	v1.POST("/complaints/:code/info", s.rateLimited, s.replyInfo)
	v1.POST("/complaints/:code/feedback", s.rateLimited, s.submitFeedback)
	v1.GET("/publications", s.listPublications)
	v1.GET("/publications/:code", s.getPublication)
	v1.GET("/directory", s.directory)

	staff := v1.Group("", s.authenticate)
	staff.GET("/me", s.me)
	staff.POST("/staff/complaints", s.registerComplaint)
	staff.GET("/staff/tasks", s.tasks)
	staff.GET("/staff/notifications", s.notifications)
	staff.GET("/staff/complaints", s.searchComplaints)
	staff.GET("/staff/complaints/:code", s.staffComplaint)
	staff.POST("/staff/complaints/:code/actions/:action", s.act)
	s.registerReports(r, staff) // evaluation reports: API and /staf pages (api/reports.go)
	return r
}

// accessLog logs method, route pattern, status and duration: never query strings or
// bodies, which may carry personal data.
func accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	slog.Info("http", "method", c.Request.Method, "route", c.FullPath(), "status", c.Writer.Status(),
		"ms", time.Since(start).Milliseconds())
}

func logError(c *gin.Context, msg string, err error) {
	slog.Warn(msg, "route", c.FullPath(), "err", err)
}

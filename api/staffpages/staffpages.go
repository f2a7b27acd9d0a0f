// Package staffpages is the staff's pages in the browser (/staf). Staff log in with a
// username, password and (admins and supervisors always) a TOTP code at /staf/masuk; the
// session lives in PostgreSQL (package accounts) and the browser holds only its random id
// in the cookie aduan_sesi (HttpOnly, SameSite=Lax, path /staf, Secure when configured).
// Every POST under /staf carries a csrf_token field (csrf.go). Tokens never travel in a
// URL; bearer tokens are for the JSON API only.
package staffpages

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"aduan/accounts"
	"aduan/api/pages"
	"aduan/api/respond"
	"aduan/complaints"
)

const userKey = "aduan.staff-page-user"

// Config is what the staff pages need beyond the core.
type Config struct {
	// Accounts signs staff in (nil: the staff pages answer 503).
	Accounts *accounts.Service
	// SecureCookies marks the cookies Secure (the site is served over HTTPS).
	SecureCookies bool
	// TemporalUIURL is the Temporal Web UI (e.g. http://localhost:8233) the board links
	// to, TemporalNamespace the namespace of the complaint workflows.
	TemporalUIURL     string
	TemporalNamespace string
}

type handlers struct {
	cfg    Config
	core   *complaints.Service
	acc    *accounts.Service
	secure bool
	// home is where a login leads: the console's inbox (GET /staf) when it exists, else
	// the report.
	home string
}

// Register adds the staff pages' routes.
func Register(r *gin.Engine, core *complaints.Service, cfg Config) {
	if cfg.TemporalUIURL == "" {
		cfg.TemporalUIURL = "http://localhost:8233"
	}
	if cfg.TemporalNamespace == "" {
		cfg.TemporalNamespace = "default"
	}
	h := handlers{cfg: cfg, core: core, acc: cfg.Accounts, secure: cfg.SecureCookies, home: "/staf/laporan"}
	g := r.Group("/staf")
	pages.Chain(g, headers)
	g.Use(h.prepare, h.checkCSRF)
	g.GET("/laporan", h.signedIn, h.reportPage)
	g.GET("/laporan.csv", h.signedIn, h.reportCSV)
	h.registerConsole(g)
	h.registerProfile(g)
	for _, rt := range r.Routes() {
		if rt.Method == http.MethodGet && (rt.Path == "/staf" || rt.Path == "/staf/") {
			h.home = rt.Path
		}
	}
	h.registerLogin(g)
}

// staffCSP is the pages' policy, with data: images (the 2FA QR code is drawn here and
// embedded as a data: URI).
var staffCSP = strings.Replace(pages.NoFramingCSP, "img-src 'self'", "img-src 'self' data:", 1)

// headers sets the security headers of the staff pages: no scripts, not framed, never
// cached.
func headers(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", staffCSP)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "private, no-store")
	c.Next()
}

func user(c *gin.Context) complaints.User { return c.MustGet(userKey).(complaints.User) }

// signedIn resolves the session cookie to a staff user (set with userKey, so user(c)
// works), or sends the browser to /staf/masuk (no valid session) or to the 2FA enrolment
// (an admin or supervisor who has not enrolled yet).
func (h handlers) signedIn(c *gin.Context) {
	s, ok, err := h.currentSession(c)
	if err != nil {
		unavailable(c, err)
		return
	}
	if !ok {
		c.Redirect(http.StatusSeeOther, "/staf/masuk")
		c.Abort()
		return
	}
	if s.EnrolOnly {
		c.Redirect(http.StatusSeeOther, "/staf/akun/2fa")
		c.Abort()
		return
	}
	c.Set(userKey, complaints.User{Username: s.Username, Name: s.Name, Role: s.Role, Pokja: s.Pokja, Partner: s.Partner})
	c.Next()
}

func unavailable(c *gin.Context, err error) {
	slog.Warn("staff page: dependency unavailable", "route", c.FullPath(), "err", err)
	pages.Render(c, http.StatusServiceUnavailable, "laporan-pesan", gin.H{"Title": "Layanan terganggu",
		"Message": "Laporan tidak dapat dibuat sekarang. Silakan coba lagi sebentar lagi."})
}

// reportCSV is GET /staf/laporan.csv: the API's CSV for the signed-in browser.
func (h handlers) reportCSV(c *gin.Context) {
	rep, err := h.core.Report(c.Request.Context(), user(c).Actor(), c.Query("from"), c.Query("to"))
	if complaints.KindOf(err) == complaints.KindInvalid {
		pages.Render(c, http.StatusBadRequest, "laporan-pesan", gin.H{"Title": "Tanggal tidak valid",
			"Message": "Periksa tanggal laporan (format YYYY-MM-DD)."})
		return
	}
	if err != nil {
		unavailable(c, err)
		return
	}
	data, err := complaints.ReportCSV(rep)
	if err != nil {
		unavailable(c, err)
		return
	}
	respond.CSV(c, complaints.ReportFileName(rep), data)
}

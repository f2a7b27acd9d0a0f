// Package staffpages is the staff's pages in the browser (/staf), where an Authorization
// header cannot be sent from a link. /staf/masuk takes a staff token once and keeps it in
// a cookie (HttpOnly, SameSite=Strict, Secure over HTTPS, path /staf, 12 hours); the pages
// accept that cookie and nothing else. Tokens never travel in a URL.
package staffpages

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/api/respond"
	"aduan/complaints"
)

// cookieName holds a staff token for the /staf pages.
const cookieName = "aduan_staf"

// cookieAge is how long a login lasts.
const cookieAge = 12 * time.Hour

const userKey = "aduan.staff-page-user"

type handlers struct{ core *complaints.Service }

// Register adds the staff pages' routes.
func Register(r *gin.Engine, core *complaints.Service) {
	h := handlers{core: core}
	g := r.Group("/staf")
	pages.Chain(g, headers)
	g.GET("/masuk", h.loginPage)
	g.POST("/masuk", h.login)
	g.POST("/keluar", h.logout)
	g.GET("/laporan", h.signedIn, h.reportPage)
	g.GET("/laporan.csv", h.signedIn, h.reportCSV)
	h.registerConsole(g)
}

// headers sets the security headers of the staff pages: no scripts, not framed, never
// cached.
func headers(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", pages.NoFramingCSP)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "private, no-store")
	c.Next()
}

// secureRequest says whether the browser reached us over HTTPS (directly or through a
// proxy that says so), so the cookie is marked Secure.
func secureRequest(c *gin.Context) bool {
	return c.Request.TLS != nil || strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https")
}

func setCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: cookieName, Value: value, Path: "/staf", MaxAge: maxAge,
		HttpOnly: true, Secure: secureRequest(c), SameSite: http.SameSiteStrictMode,
	})
}

func user(c *gin.Context) complaints.User { return c.MustGet(userKey).(complaints.User) }

// loginPage is GET /staf/masuk.
func (h handlers) loginPage(c *gin.Context) {
	pages.Render(c, http.StatusOK, "laporan-masuk", gin.H{})
}

// login is POST /staf/masuk: a valid token becomes the cookie, then the report.
func (h handlers) login(c *gin.Context) {
	token := strings.TrimSpace(c.PostForm("token"))
	if token == "" {
		pages.Render(c, http.StatusBadRequest, "laporan-masuk", gin.H{"Problem": "Isi token staf Anda."})
		return
	}
	u, err := h.core.Authenticate(c.Request.Context(), token)
	switch complaints.KindOf(err) {
	case complaints.KindUnauthenticated:
		pages.Render(c, http.StatusUnauthorized, "laporan-masuk",
			gin.H{"Problem": "Token tidak dikenal atau sudah dicabut. Periksa lagi, atau minta token baru ke admin."})
		return
	case complaints.KindUnavailable:
		slog.Warn("staff login: lookup failed", "err", err)
		pages.Render(c, http.StatusServiceUnavailable, "laporan-masuk",
			gin.H{"Problem": "Layanan sedang terganggu. Silakan coba lagi sebentar lagi."})
		return
	}
	setCookie(c, token, int(cookieAge.Seconds()))
	slog.Info("staff page login", "username", u.Username)
	c.Redirect(http.StatusSeeOther, "/staf/laporan")
}

// logout is POST /staf/keluar: the cookie is forgotten.
func (h handlers) logout(c *gin.Context) {
	setCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/staf/masuk")
}

// signedIn resolves the cookie to a staff user, or sends the browser to /staf/masuk.
func (h handlers) signedIn(c *gin.Context) {
	ck, err := c.Cookie(cookieName)
	if err != nil || strings.TrimSpace(ck) == "" {
		c.Redirect(http.StatusSeeOther, "/staf/masuk")
		c.Abort()
		return
	}
	u, err := h.core.Authenticate(c.Request.Context(), ck)
	if complaints.KindOf(err) == complaints.KindUnauthenticated {
		setCookie(c, "", -1)
		c.Redirect(http.StatusSeeOther, "/staf/masuk")
		c.Abort()
		return
	}
	if err != nil {
		unavailable(c, err)
		return
	}
	c.Set(userKey, u)
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

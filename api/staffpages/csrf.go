package staffpages

import (
	"crypto/subtle"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"aduan/accounts"
	"aduan/api/pages"
)

// csrfField is the hidden field of every state-changing form under /staf.
const csrfField = "csrf_token"

// preLoginCookie binds the token of the forms shown before a session exists (login,
// invite) to the browser.
const preLoginCookie = "aduan_csrf"

const (
	preLoginKey    = "aduan.staff-prelogin-csrf"
	csrfCheckedKey = "aduan.staff-csrf-checked"
)

// csrfToken is the token a form of this page carries: the session's when the browser is
// signed in, else one bound to a pre-login cookie (set here when missing).
func csrfToken(c *gin.Context) string {
	if v, ok := c.Get(sessionKey); ok {
		return v.(accounts.Session).CSRF
	}
	return preLoginToken(c)
}

func preLoginToken(c *gin.Context) string {
	if v, ok := c.Get(preLoginKey); ok {
		return v.(string)
	}
	tok, err := c.Cookie(preLoginCookie)
	if err != nil || len(tok) < 32 {
		tok = accounts.RandomToken()
		setCookie(c, preLoginCookie, tok, 0)
	}
	c.Set(preLoginKey, tok)
	return tok
}

// preLoginRoutes accept the pre-login token: there is no session yet.
var preLoginRoutes = map[string]bool{"/staf/masuk": true, "/staf/undangan/:token": true}

// checkCSRF refuses a POST under /staf whose csrf_token is not the session's (or, on the
// login and invite forms, the pre-login cookie's) with a 403 page, before its handler
// runs, so nothing changes. Other methods pass. It runs for every route of the group.
func (h handlers) checkCSRF(c *gin.Context) {
	if c.Request.Method != http.MethodPost || c.GetBool(csrfCheckedKey) {
		c.Next()
		return
	}
	got := c.PostForm(csrfField)
	s, signed, err := h.currentSession(c)
	if err != nil {
		unavailable(c, err)
		return
	}
	ok := signed && equal(got, s.CSRF)
	if !ok && preLoginRoutes[c.FullPath()] {
		if tok, err := c.Cookie(preLoginCookie); err == nil {
			ok = equal(got, tok)
		}
	}
	if !ok && !signed && c.FullPath() == "/staf/keluar" {
		ok = true // logging out without a session changes nothing
	}
	if !ok {
		slog.Warn("staff page: CSRF token missing or wrong", "route", c.FullPath(), "signed_in", signed)
		pages.Render(c, http.StatusForbidden, "staf-terlarang", nil)
		return
	}
	c.Set(csrfCheckedKey, true)
	c.Next()
}

func equal(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

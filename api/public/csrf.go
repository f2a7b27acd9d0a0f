package public

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"github.com/gin-gonic/gin"
)

// The feedback form on /lacak carries a CSRF token: another site cannot make a visitor's
// browser post to it. There is no session on the citizens' pages, so the token is the
// value of a cookie the form's page sets (double submit): a page of another site can
// neither read the cookie nor set it, so it cannot post the matching field. The cookie
// is HttpOnly, SameSite=Strict and scoped to /lacak.

const (
	// csrfField is the form's hidden field.
	csrfField = "csrf_token"
	// csrfCookie holds the same value in the browser.
	csrfCookie = "aduan_lacak_csrf"
	// csrfMaxAge is how long a form stays usable (a citizen may read slowly).
	csrfMaxAge = 4 * 60 * 60
)

// csrfToken is the token of the browser's form: the cookie's when it has a good one, else
// a new one set in the cookie.
func (h handlers) csrfToken(c *gin.Context) string {
	if tok, err := c.Cookie(csrfCookie); err == nil && formTokenPattern.MatchString(tok) && len(tok) >= 32 {
		return tok
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(c.Writer, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/lacak", MaxAge: csrfMaxAge,
		HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	return tok
}

// csrfValid reports whether a posted form carries the token of its browser's cookie.
func csrfValid(c *gin.Context) bool {
	cookie, err := c.Cookie(csrfCookie)
	field := c.Request.PostForm.Get(csrfField)
	return err == nil && cookie != "" && field != "" && subtle.ConstantTimeCompare([]byte(cookie), []byte(field)) == 1
}

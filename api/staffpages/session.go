package staffpages

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/accounts"
	"aduan/api/pages"
)

// sessionCookie holds the id of the browser's session (only its hash is stored).
const sessionCookie = "aduan_sesi"

// sessionCookieAge is the cookie's lifetime: a session's absolute limit (the server ends
// it sooner when idle).
const sessionCookieAge = 7 * 24 * time.Hour

// Context keys of the request's session and of what was found.
const (
	sessionKey   = "aduan.staff-session"
	noSessionKey = "aduan.staff-no-session"
	secureKey    = "aduan.staff-secure-cookies"
)

// prepare refuses every staff page when no accounts service is wired, and notes whether
// cookies are Secure for csrfToken.
func (h handlers) prepare(c *gin.Context) {
	if h.acc == nil {
		pages.Render(c, http.StatusServiceUnavailable, "laporan-pesan", gin.H{"Title": "Layanan terganggu",
			"Message": "Halaman staf belum dapat dipakai. Silakan coba lagi nanti."})
		return
	}
	c.Set(secureKey, h.secure)
	c.Next()
}

// setCookie writes one of the staff pages' cookies (HttpOnly, SameSite=Lax, path /staf);
// a negative maxAge deletes it, 0 makes it last until the browser closes.
func setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/staf", MaxAge: maxAge,
		HttpOnly: true, Secure: c.GetBool(secureKey), SameSite: http.SameSiteLaxMode,
	})
}

// currentSession resolves the session cookie once per request: ok false when there is no
// live session (its cookie is then deleted).
func (h handlers) currentSession(c *gin.Context) (accounts.Session, bool, error) {
	if v, ok := c.Get(sessionKey); ok {
		return v.(accounts.Session), true, nil
	}
	if c.GetBool(noSessionKey) {
		return accounts.Session{}, false, nil
	}
	id, err := c.Cookie(sessionCookie)
	if err != nil || id == "" {
		c.Set(noSessionKey, true)
		return accounts.Session{}, false, nil
	}
	s, err := h.acc.Session(c.Request.Context(), id)
	switch accounts.KindOf(err) {
	case "":
		c.Set(sessionKey, s)
		return s, true, nil
	case accounts.KindNotFound:
		setCookie(c, sessionCookie, "", -1)
		c.Set(noSessionKey, true)
		return accounts.Session{}, false, nil
	}
	return accounts.Session{}, false, err
}

// startSession gives the browser the cookie of a new session.
func startSession(c *gin.Context, id string, s accounts.Session) {
	setCookie(c, sessionCookie, id, int(sessionCookieAge.Seconds()))
	c.Set(sessionKey, s)
	c.Set(noSessionKey, false)
}

package staffpages

import (
	"html/template"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"aduan/accounts"
	"aduan/api/pages"
	"aduan/domain"
)

// registerLogin adds login, logout, the invite and the 2FA enrolment.
func (h handlers) registerLogin(g *gin.RouterGroup) {
	g.GET("/masuk", h.loginPage)
	g.POST("/masuk", h.login)
	g.POST("/keluar", h.logout)
	g.GET("/undangan/:token", h.invitePage)
	g.POST("/undangan/:token", h.acceptInvite)
	g.GET("/akun/2fa", h.enrolPage)
	g.POST("/akun/2fa", h.enrol)
}

// loginForm is what masuk.html shows.
type loginForm struct {
	CSRF, Username, Problem string
	AskOTP                  bool
}

// loginPage is GET /staf/masuk.
func (h handlers) loginPage(c *gin.Context) {
	pages.Render(c, http.StatusOK, "staf-masuk", loginForm{CSRF: csrfToken(c)})
}

// login is POST /staf/masuk (username, password, otp): a new session, then the console
// (or the 2FA enrolment for an admin or supervisor without it). A refusal is the form
// again with a message that never says whether the username exists.
func (h handlers) login(c *gin.Context) {
	form := loginForm{CSRF: preLoginToken(c), Username: c.PostForm("username")}
	previous, _ := c.Cookie(sessionCookie)
	id, s, err := h.acc.Login(c.Request.Context(), form.Username, c.PostForm("password"), c.PostForm("otp"),
		c.ClientIP(), previous)
	if err != nil {
		e := accounts.AsError(err)
		form.Problem = e.Message
		status := http.StatusOK
		switch e.Kind {
		case accounts.KindTOTPRequired:
			form.AskOTP = true
		case accounts.KindLocked:
			status = http.StatusTooManyRequests
			c.Header("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())+1))
		case accounts.KindUnavailable:
			slog.Warn("staff login: unavailable", "err", err)
			status = http.StatusServiceUnavailable
		}
		pages.Render(c, status, "staf-masuk", form)
		return
	}
	startSession(c, id, s)
	setCookie(c, preLoginCookie, "", -1)
	if s.EnrolOnly {
		c.Redirect(http.StatusSeeOther, "/staf/akun/2fa")
		return
	}
	c.Redirect(http.StatusSeeOther, h.home)
}

// logout is POST /staf/keluar: the session ends on the server and its cookie goes.
func (h handlers) logout(c *gin.Context) {
	id, _ := c.Cookie(sessionCookie)
	if err := h.acc.Logout(c.Request.Context(), id); err != nil {
		unavailable(c, err)
		return
	}
	setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/staf/masuk")
}

// inviteForm is what undangan.html shows.
type inviteForm struct {
	CSRF, Username, Action, Problem string
	Errors                          map[string]string
}

func inviteGone(c *gin.Context, err error) {
	if accounts.KindOf(err) == accounts.KindNotFound {
		pages.Render(c, http.StatusNotFound, "laporan-pesan", gin.H{"Title": "Undangan tidak berlaku",
			"Message": accounts.AsError(err).Message})
		return
	}
	unavailable(c, err)
}

// invitePage is GET /staf/undangan/{token}: the form to set a password.
func (h handlers) invitePage(c *gin.Context) {
	username, err := h.acc.CheckInvite(c.Request.Context(), c.Param("token"))
	if err != nil {
		inviteGone(c, err)
		return
	}
	pages.Render(c, http.StatusOK, "staf-undangan", inviteForm{CSRF: csrfToken(c), Username: username,
		Action: "/staf/undangan/" + c.Param("token")})
}

// acceptInvite is POST /staf/undangan/{token} (password, confirm).
func (h handlers) acceptInvite(c *gin.Context) {
	username, err := h.acc.AcceptInvite(c.Request.Context(), c.Param("token"), c.PostForm("password"), c.PostForm("confirm"))
	if accounts.KindOf(err) == accounts.KindInvalid {
		e := accounts.AsError(err)
		pages.Render(c, http.StatusBadRequest, "staf-undangan", inviteForm{CSRF: preLoginToken(c), Username: username,
			Action: "/staf/undangan/" + c.Param("token"), Problem: e.Message, Errors: e.Fields})
		return
	}
	if err != nil {
		inviteGone(c, err)
		return
	}
	pages.Render(c, http.StatusOK, "staf-undangan-selesai", gin.H{"Username": username})
}

// enrolData is what akun_2fa.html shows.
type enrolData struct {
	CSRF, Secret, Problem, RoleName, Username, Home string
	QR                                              template.URL
	Required                                        bool
}

// enrolSession is the session of the enrolment pages (an enrol-only one is enough).
func (h handlers) enrolSession(c *gin.Context) (accounts.Session, bool) {
	s, ok, err := h.currentSession(c)
	if err != nil {
		unavailable(c, err)
		return s, false
	}
	if !ok {
		c.Redirect(http.StatusSeeOther, "/staf/masuk")
		c.Abort()
		return s, false
	}
	return s, true
}

// enrolPage is GET /staf/akun/2fa: the QR code of a new secret and the form to confirm it.
func (h handlers) enrolPage(c *gin.Context) {
	s, ok := h.enrolSession(c)
	if !ok {
		return
	}
	if s.HasTOTP && !s.EnrolOnly {
		pages.Render(c, http.StatusOK, "staf-2fa-aktif", enrolData{CSRF: s.CSRF, Username: s.Username, Home: h.home})
		return
	}
	h.renderEnrol(c, &s, http.StatusOK, "")
}

func (h handlers) renderEnrol(c *gin.Context, s *accounts.Session, status int, problem string) {
	e, err := h.acc.BeginEnrol(c.Request.Context(), s)
	if err != nil {
		unavailable(c, err)
		return
	}
	pages.Render(c, status, "staf-2fa", enrolData{CSRF: csrfToken(c), Secret: e.Secret, QR: template.URL(e.QR),
		Problem: problem, Required: accounts.NeedsTOTP(s.Role), RoleName: roleName(s.Role), Username: s.Username})
}

// enrol is POST /staf/akun/2fa (otp): 2FA on, the recovery codes shown once.
func (h handlers) enrol(c *gin.Context) {
	s, ok := h.enrolSession(c)
	if !ok {
		return
	}
	if s.HasTOTP && !s.EnrolOnly {
		c.Redirect(http.StatusSeeOther, "/staf/akun/2fa")
		return
	}
	codes, err := h.acc.FinishEnrol(c.Request.Context(), &s, c.PostForm("otp"))
	if accounts.KindOf(err) == accounts.KindInvalid {
		h.renderEnrol(c, &s, http.StatusOK, accounts.AsError(err).Fields["otp"])
		return
	}
	if err != nil {
		unavailable(c, err)
		return
	}
	c.Set(sessionKey, s)
	pages.Render(c, http.StatusOK, "staf-2fa-kode", gin.H{"Codes": codes, "Home": h.home})
}

func roleName(r domain.Role) string {
	if r == domain.RoleAdmin {
		return "admin"
	}
	return "supervisor"
}

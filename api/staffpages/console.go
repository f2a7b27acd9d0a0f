package staffpages

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/api/respond"
	"aduan/complaints"
	"aduan/domain"
)

// The console: the pages staff work complaints in all day. Every action goes through the
// core's Act, the same path as the JSON API's (the workflow's Update and its validators).
// Every POST under /staf is checked for its csrf_token before it reaches a handler
// (checkCSRF, csrf.go).

// registerConsole adds the console's pages (the inbox, search, a complaint with its action
// forms, registering a phone or desk complaint, the supervisor's board, notifications).
func (h handlers) registerConsole(g *gin.RouterGroup) {
	g.GET("", h.signedIn, h.inbox)
	g.GET("/cari", h.signedIn, h.search)
	g.GET("/aduan/:code", h.signedIn, h.complaint)
	g.GET("/aduan/:code/media/:id", h.signedIn, h.media)
	g.POST("/aduan/:code/aksi/:action", h.signedIn, h.act)
	g.POST("/aduan/:code/pratinjau", h.signedIn, h.preview)
	g.GET("/baru", h.signedIn, h.newComplaint)
	g.GET("/baru/:code", h.signedIn, h.registered)
	g.POST("/baru", h.signedIn, h.register)
	g.GET("/papan", h.signedIn, h.board)
	g.GET("/notifikasi", h.signedIn, h.notifications)
	g.POST("/telepon/:id", h.signedIn, h.recordCall)
	h.registerAdmin(g)
}

// Frame is what every console page shows around its content.
type Frame struct {
	Title string
	User  complaints.User
	CSRF  string
	// Nav says which entries the user's role has.
	Admin, Overseer bool
	Problem         string
	Notice          string
	Zone            *time.Location
	// FormID is this rendering's idempotency key for its forms.
	FormID string
}

// formIDPattern is what newFormID makes; anything else is ignored.
var formIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// newFormID is a random key for the forms of one rendering of a page.
func newFormID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func (h handlers) frame(c *gin.Context, title string) Frame {
	u := user(c)
	return Frame{Title: title, User: u, CSRF: csrfToken(c), Admin: u.Role == domain.RoleAdmin,
		Overseer: domain.SeesEverything(u.Actor()), Zone: h.core.Location(c.Request.Context()), FormID: newFormID()}
}

// fail shows the console's message page for an error of the core.
func (h handlers) fail(c *gin.Context, err error) {
	e := complaints.AsError(err)
	status, msg := respond.Status(e.Kind), e.Message
	if e.Kind == complaints.KindUnavailable {
		msg = "Layanan sedang terganggu. Silakan coba lagi sebentar lagi."
	}
	p := h.frame(c, "Tidak dapat ditampilkan")
	p.Problem = msg
	pages.Render(c, status, "console-message", p)
}

type inboxData struct {
	Frame
	Items []complaints.Summary
	// CallBacks are the admin's calls to make.
	CallBacks []complaints.CallBackTask
}

// inbox is GET /staf: the user's open work, soonest deadline first, overdue marked.
func (h handlers) inbox(c *gin.Context) {
	u := user(c)
	items, err := h.core.Tasks(c.Request.Context(), u.Actor())
	if err != nil {
		h.fail(c, err)
		return
	}
	d := inboxData{Frame: h.frame(c, "Kotak masuk"), Items: items, CallBacks: h.callBacksOf(c)}
	if c.Query("telepon") != "" {
		d.Notice = "Panggilan dicatat di jejak audit aduan."
	}
	pages.Render(c, http.StatusOK, "console-inbox", d)
}

type searchData struct {
	Frame
	Query      complaints.SearchQuery
	Result     complaints.Page[complaints.Summary]
	Errors     map[string]string
	Directory  complaints.Directory
	Statuses   []domain.Status
	Categories []domain.Category
	Channels   []string
	Prev, Next string
}

// search is GET /staf/cari: every complaint the user may see, filtered.
func (h handlers) search(c *gin.Context) {
	page, _ := strconv.Atoi(c.Query("page"))
	q := complaints.SearchQuery{Status: c.Query("status"), Pokja: c.Query("pokja"), Partner: c.Query("partner"),
		Category: c.Query("category"), Kecamatan: c.Query("kecamatan"), Channel: c.Query("channel"),
		Overdue: c.Query("overdue"), Q: c.Query("q"), WithGroup: c.Query("giliran") != "", Page: max(page, 1)}
	d := searchData{Frame: h.frame(c, "Cari aduan"), Query: q, Statuses: domain.AllStatuses,
		Categories: domain.Categories, Channels: domain.Channels}
	d.Directory, _ = h.core.Directory(c.Request.Context())
	res, err := h.core.Search(c.Request.Context(), user(c).Actor(), q)
	status := http.StatusOK
	switch complaints.KindOf(err) {
	case "":
		d.Result = res
		if q.Page > 1 {
			d.Prev = searchURL(c, q.Page-1)
		}
		if q.Page*res.PerPage < res.Total || (res.TotalCapped && len(res.Items) == res.PerPage) {
			d.Next = searchURL(c, q.Page+1)
		}
	case complaints.KindInvalid:
		d.Errors, status = complaints.AsError(err).Fields, http.StatusBadRequest
	default:
		h.fail(c, err)
		return
	}
	pages.Render(c, status, "console-search", d)
}

// searchURL is the current search at another page.
func searchURL(c *gin.Context, page int) string {
	v := url.Values{}
	for k, x := range c.Request.URL.Query() {
		if k != "page" && len(x) > 0 && x[0] != "" {
			v.Set(k, x[0])
		}
	}
	v.Set("page", strconv.Itoa(page))
	return "/staf/cari?" + v.Encode()
}

type notificationsData struct {
	Frame
	Result complaints.Page[complaints.Notification]
}

// notifications is GET /staf/notifikasi: the user's own reminders and escalations.
func (h handlers) notifications(c *gin.Context) {
	page, _ := strconv.Atoi(c.Query("page"))
	res, err := h.core.Notifications(c.Request.Context(), user(c).Username, page)
	if err != nil {
		h.fail(c, err)
		return
	}
	pages.Render(c, http.StatusOK, "console-notifications", notificationsData{Frame: h.frame(c, "Notifikasi"), Result: res})
}

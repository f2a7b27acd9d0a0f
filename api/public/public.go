// Package public is the citizens' pages: the complaint form (/lapor), the published
// answers (/publik, /publik/{code}, their Atom feed and a snippet for the regency
// website's <iframe>) and the complainant's tracking page (/lacak). Plain HTML in Bahasa
// Indonesia for cheap phones on slow networks: no script, inline CSS, nothing to load.
//
// They show only what the core's public views hold (complaints.TrackingView,
// complaints.Publication): what an admin wrote for the public and the code, category,
// kecamatan/desa, pokja and dates; never a name, phone, e-mail, the complaint's text, an
// internal note or a partner's own answer.
package public

import (
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/complaints"
	"aduan/domain"
)

// Config is what the public pages need beyond the core.
type Config struct {
	// BaseURL is the site's public address (ADUAN_PUBLIC_URL) for absolute links.
	BaseURL string
	// EmbedFrameAncestors are the origins allowed to frame /publik/embed (none: any).
	EmbedFrameAncestors []string
	// SecureCookies marks the feedback form's CSRF cookie Secure (the site is served over
	// HTTPS); api.New sets it as the staff pages' when it is not set.
	SecureCookies bool
}

type handlers struct {
	core *complaints.Service
	cfg  Config
}

const siteName = "Call Center Aduan Kabupaten Mamuju"

// Register adds the public pages' routes. Their chains start with pages.Headers (security
// headers, body limit) ahead of the shared middleware.
func Register(r *gin.Engine, core *complaints.Service, cfg Config) {
	h := handlers{core: core, cfg: cfg}

	lapor := r.Group("/lapor")
	pages.Chain(lapor, pages.Headers)
	lapor.GET("", h.form)
	lapor.POST("", h.submit)
	lapor.GET("/terkirim/:code", h.sent)

	publik := r.Group("/publik")
	pages.Chain(publik, pages.Headers, pages.Framing(pages.NoFramingCSP, true))
	publik.GET("", h.list)
	publik.GET("/:code", h.detail)
	r.GET("/publik/feed.atom", h.feed)
	embed := r.Group("/publik/embed")
	pages.Chain(embed, pages.Headers, pages.Framing(pages.CSP+"; frame-ancestors "+embedAncestors(cfg.EmbedFrameAncestors), false))
	embed.GET("", h.embed)

	lacak := r.Group("/lacak")
	pages.Chain(lacak, pages.Headers, pages.Framing(pages.NoFramingCSP, true))
	lacak.GET("", h.find)
	lacak.GET("/:code", h.track)
	lacak.GET("/:code/tanggapan/:token", h.feedbackForm)
	lacak.POST("/:code/tanggapan", h.feedback)
}

// ancestorPattern is one source of a frame-ancestors list: nothing that ends the directive.
var ancestorPattern = regexp.MustCompile(`^(\*|'self'|https?://[A-Za-z0-9.*-]+(:[0-9]+)?|https?:)$`)

// embedAncestors is the frame-ancestors list of /publik/embed: any site when none or not
// a valid list.
func embedAncestors(list []string) string {
	if len(list) == 0 {
		return "*"
	}
	for _, a := range list {
		if !ancestorPattern.MatchString(a) {
			return "*"
		}
	}
	return strings.Join(list, " ")
}

// meta is the head of a page: its <title> and Open Graph tags.
type meta struct {
	Title       string
	Description string
	Type        string // website, article
	URL         string // absolute
	Feed        string // absolute URL of the Atom feed
	NoIndex     bool
}

// baseURL is the public address of the site, without a trailing slash.
func (h handlers) baseURL(c *gin.Context) string {
	if b := strings.TrimRight(h.cfg.BaseURL, "/"); b != "" {
		return b
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

func (h handlers) meta(c *gin.Context, title, description, kind, path string) meta {
	b := h.baseURL(c)
	return meta{Title: title, Description: description, Type: kind, URL: b + path, Feed: b + "/publik/feed.atom"}
}

// names maps the directory's ids to names (a missing directory leaves the ids), and
// dates to the regency's zone.
type names struct {
	kecamatan, desa, pokja map[string]string
	dir                    complaints.Directory
	zone                   *time.Location
}

func (h handlers) names(c *gin.Context) names {
	ctx := c.Request.Context()
	n := names{kecamatan: map[string]string{}, desa: map[string]string{}, pokja: map[string]string{},
		zone: h.core.Location(ctx)}
	d, err := h.core.Directory(ctx)
	if err != nil {
		slog.Warn("public pages: directory unavailable", "err", err)
		return n
	}
	n.dir = d
	for _, k := range d.Kecamatan {
		n.kecamatan[k.ID] = k.Name
		for _, x := range k.Desa {
			n.desa[x.ID] = x.Name
		}
	}
	for _, g := range d.Pokja {
		n.pokja[g.ID] = g.Name
	}
	return n
}

func nameOf(m map[string]string, id string) string {
	if n, ok := m[id]; ok {
		return n
	}
	return id
}

// item is a published answer on a page.
type item struct {
	Code, Title, Answer, Summary string
	Category, Kecamatan, Desa    string
	Pokja                        string
	Date, Path                   string
}

func (n names) item(p complaints.Publication) item {
	it := item{Code: p.Code, Title: p.Title, Answer: p.Answer, Summary: pages.Shorten(p.Answer, 220),
		Category: pages.CategoryName(p.Category), Kecamatan: nameOf(n.kecamatan, p.Kecamatan), Desa: nameOf(n.desa, p.Desa),
		Pokja: nameOf(n.pokja, p.Pokja), Path: "/publik/" + p.Code}
	if it.Title == "" {
		it.Title = "Jawaban aduan " + p.Code
	}
	if p.PublishedAt != nil {
		it.Date = pages.Date(*p.PublishedAt, n.zone)
	}
	return it
}

// param is a query parameter, cleaned and bounded.
func param(c *gin.Context, name string) string {
	v := domain.CleanText(c.Query(name))
	if utf8.RuneCountInString(v) > 100 {
		v = string([]rune(v)[:100])
	}
	return v
}

// page reads ?page= (1 when absent or bad).
func page(c *gin.Context) int {
	p, err := strconv.Atoi(c.Query("page"))
	if err != nil || p < 1 {
		return 1
	}
	return p
}

type messageData struct {
	Meta           meta
	Heading        string
	Message        string
	Error          bool
	Back, BackText string
}

// message is a short page (not found, unavailable) with links to the public pages.
func (h handlers) message(c *gin.Context, status int, title, message string) {
	c.Header("Cache-Control", "no-store")
	pages.Render(c, status, "publik_pesan", messageData{Meta: h.meta(c, title+" – Kabupaten Mamuju", message, "website",
		c.Request.URL.Path), Heading: title, Message: message, Error: status >= 400, Back: "/publik", BackText: "Lihat jawaban aduan warga"})
}

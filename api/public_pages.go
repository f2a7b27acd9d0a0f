package api

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"aduan/domain"
	"aduan/store"
)

// The public pages: published answers (/publik, /publik/{code}), their Atom feed
// (/publik/feed.atom), a snippet for the regency website's <iframe> (/publik/embed) and
// the complainant's tracking page (/lacak/{code}) with its "did this solve it?" form.
// Plain HTML in Bahasa Indonesia like /lapor: no script, inline CSS, nothing to load.
//
// They show only what an admin wrote for the public (public title and answer) and the
// code, category, kecamatan/desa, pokja and dates: never a name, phone, e-mail, the
// complaint's text, an internal note or a partner's own answer. Every view is built
// from trackingViewOf or publicationOf, which hold nothing else.

//go:embed templates/publik/*.html
var publicTemplateFS embed.FS

var publicTemplates = template.Must(template.New("publik").ParseFS(publicTemplateFS, "templates/publik/*.html"))

const (
	siteName = "Call Center Aduan Kabupaten Mamuju"
	// publicPerPage answers per page of /publik.
	publicPerPage = 20
	// feedSize is how many answers the Atom feed carries.
	feedSize = 50
	// embedDefault and embedMax bound ?n= of /publik/embed.
	embedDefault, embedMax = 5, 20
)

// wita is the regency's time zone (UTC+8, no daylight saving).
var wita = time.FixedZone("WITA", 8*60*60)

var bulan = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
	"Oktober", "November", "Desember"}

// tanggal is a date and time in WITA as Indonesians write it: 5 Maret 2026, 14.05 WITA.
func tanggal(t time.Time) string {
	t = t.In(wita)
	return strconv.Itoa(t.Day()) + " " + bulan[t.Month()-1] + " " + strconv.Itoa(t.Year()) + ", " + t.Format("15.04") + " WITA"
}

// tanggalSaja is the date alone: 5 Maret 2026.
func tanggalSaja(t time.Time) string {
	t = t.In(wita)
	return strconv.Itoa(t.Day()) + " " + bulan[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// publicCSP is webCSP, and no other site may frame the page.
const publicCSP = webCSP + "; frame-ancestors 'none'"

// ancestorPattern is one source of a frame-ancestors list: nothing that ends the directive.
var ancestorPattern = regexp.MustCompile(`^(\*|'self'|https?://[A-Za-z0-9.*-]+(:[0-9]+)?|https?:)$`)

// embedAncestors is the frame-ancestors list of /publik/embed: ADUAN_EMBED_FRAME_ANCESTORS
// (space-separated, e.g. "https://mamujukab.go.id https://kominfo.mamujukab.go.id"), any
// site when unset or not a valid list.
func embedAncestors() string {
	list := strings.Fields(os.Getenv("ADUAN_EMBED_FRAME_ANCESTORS"))
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

// registerPublicPages adds the public pages' routes. Like /lapor, their chain starts with
// webPage (security headers, body limit) ahead of the shared middleware.
func (s *server) registerPublicPages(r *gin.Engine) {
	pages := gin.HandlersChain{webPage, framing(publicCSP, true)}
	embedCSP := webCSP + "; frame-ancestors " + embedAncestors()

	p := r.Group("/publik")
	p.Handlers = append(append(gin.HandlersChain{}, pages...), p.Handlers...)
	p.GET("", s.publikList)
	p.GET("/:code", s.publikDetail)
	r.GET("/publik/feed.atom", s.publikFeed)
	e := r.Group("/publik/embed")
	e.Handlers = append(gin.HandlersChain{webPage, framing(embedCSP, false)}, e.Handlers...)
	e.GET("", s.publikEmbed)

	l := r.Group("/lacak")
	l.Handlers = append(append(gin.HandlersChain{}, pages...), l.Handlers...)
	l.GET("", s.lacakFind)
	l.GET("/:code", s.lacakPage)
	l.POST("/:code/tanggapan", s.lacakFeedback)
}

// framing sets the page's Content-Security-Policy, and X-Frame-Options for browsers
// that know no frame-ancestors.
func framing(csp string, deny bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", csp)
		if deny {
			h.Set("X-Frame-Options", "DENY")
		}
		c.Next()
	}
}

// pageMeta is the head of a page: its <title> and Open Graph tags.
type pageMeta struct {
	Title       string
	Description string
	Type        string // website, article
	URL         string // absolute
	Feed        string // absolute URL of the Atom feed
	NoIndex     bool
}

// baseURL is the public address of the site, without a trailing slash.
func (s *server) baseURL(c *gin.Context) string {
	if b := strings.TrimRight(s.PublicBaseURL, "/"); b != "" {
		return b
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

func (s *server) meta(c *gin.Context, title, description, kind, path string) pageMeta {
	b := s.baseURL(c)
	return pageMeta{Title: title, Description: description, Type: kind, URL: b + path, Feed: b + "/publik/feed.atom"}
}

// names maps the directory's ids to names (a missing directory leaves the ids).
type names struct {
	kecamatan, desa, pokja map[string]string
	dir                    store.Directory
}

func (s *server) names(c *gin.Context) names {
	n := names{kecamatan: map[string]string{}, desa: map[string]string{}, pokja: map[string]string{}}
	d, err := s.DB.Directory(c.Request.Context())
	if err != nil {
		logError(c, "public pages: directory unavailable", err)
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

func categoryName(id string) string {
	if c, ok := domain.CategoryByID(id); ok {
		return c.Name
	}
	return id
}

// publicItem is a published answer on a page.
type publicItem struct {
	Code, Title, Answer, Summary string
	Category, Kecamatan, Desa    string
	Pokja                        string
	Date, Path                   string
}

func (n names) item(p publication) publicItem {
	it := publicItem{Code: p.Code, Title: p.Title, Answer: p.Answer, Summary: shorten(p.Answer, 220),
		Category: categoryName(p.Category), Kecamatan: nameOf(n.kecamatan, p.Kecamatan), Desa: nameOf(n.desa, p.Desa),
		Pokja: nameOf(n.pokja, p.Pokja), Path: "/publik/" + p.Code}
	if it.Title == "" {
		it.Title = "Jawaban aduan " + p.Code
	}
	if p.PublishedAt != nil {
		it.Date = tanggal(*p.PublishedAt)
	}
	return it
}

// shorten cuts text to at most n characters at a word boundary, with an ellipsis.
func shorten(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

type option struct {
	ID, Name string
	Selected bool
}

// publikFilter is what the /publik form asks for.
type publikFilter struct {
	Kecamatan, Category, Pokja, Q string
}

func (f publikFilter) query(page int) string {
	v := url.Values{}
	for k, x := range map[string]string{"kecamatan": f.Kecamatan, "kategori": f.Category, "pokja": f.Pokja, "q": f.Q} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/publik"
	}
	return "/publik?" + v.Encode()
}

type publikData struct {
	Meta                         pageMeta
	Items                        []publicItem
	Total, Page, Pages           int
	Prev, Next                   string
	Filter                       publikFilter
	Filtered                     bool
	Kecamatan, Categories, Pokja []option
}

// publikList is GET /publik: published answers, newest first, filtered by kecamatan,
// category (?kategori= or ?category=), pokja and free text.
func (s *server) publikList(c *gin.Context) {
	f := publikFilter{Kecamatan: param(c, "kecamatan"), Category: param(c, "kategori"), Pokja: param(c, "pokja"),
		Q: param(c, "q")}
	if f.Category == "" {
		f.Category = param(c, "category")
	}
	p := page(c)
	rows, total, err := s.DB.PublicPage(c.Request.Context(), store.PublicPageFilter{Pokja: f.Pokja,
		PublicFilter: store.PublicFilter{Kecamatan: f.Kecamatan, Category: f.Category, Q: f.Q, Page: p, PerPage: publicPerPage}})
	if err != nil {
		logError(c, "public list", err)
		publicMessage(c, s, http.StatusServiceUnavailable, "Layanan sedang terganggu",
			"Daftar jawaban tidak dapat dibuka saat ini. Silakan coba lagi sebentar lagi.")
		return
	}
	n := s.names(c)
	d := publikData{Total: total, Page: p, Pages: (total + publicPerPage - 1) / publicPerPage, Filter: f,
		Filtered: f != publikFilter{}}
	for _, r := range rows {
		d.Items = append(d.Items, n.item(publicationOf(r)))
	}
	if p > 1 {
		d.Prev = f.query(p - 1)
	}
	if p < d.Pages {
		d.Next = f.query(p + 1)
	}
	for _, k := range n.dir.Kecamatan {
		d.Kecamatan = append(d.Kecamatan, option{k.ID, k.Name, k.ID == f.Kecamatan})
	}
	for _, k := range domain.Categories {
		if !k.Sensitive { // never published
			d.Categories = append(d.Categories, option{k.ID, k.Name, k.ID == f.Category})
		}
	}
	for _, g := range n.dir.Pokja {
		d.Pokja = append(d.Pokja, option{g.ID, g.Name, g.ID == f.Pokja})
	}
	title := "Jawaban Aduan Warga – Kabupaten Mamuju"
	if p > 1 {
		title = "Jawaban Aduan Warga (halaman " + strconv.Itoa(p) + ") – Kabupaten Mamuju"
	}
	d.Meta = s.meta(c, title, "Jawaban resmi Pemerintah Kabupaten Mamuju atas aduan warga tentang bantuan dan layanan "+
		"setelah gempa, tanpa data pribadi pelapor.", "website", f.query(p))
	c.Header("Cache-Control", "public, max-age=60")
	publicRender(c, http.StatusOK, "publik", d)
}

// param is a query parameter, cleaned and bounded.
func param(c *gin.Context, name string) string {
	v := domain.CleanText(c.Query(name))
	if utf8.RuneCountInString(v) > 100 {
		v = string([]rune(v)[:100])
	}
	return v
}

type detailData struct {
	Meta pageMeta
	Item publicItem
}

// publikDetail is GET /publik/{code}: one published answer.
func (s *server) publikDetail(c *gin.Context) {
	code := domain.NormalizeCode(c.Param("code"))
	var row store.Complaint
	err := store.ErrNotFound
	if code != "" {
		row, err = s.DB.Publication(c.Request.Context(), code)
	}
	if errors.Is(err, store.ErrNotFound) {
		publicMessage(c, s, http.StatusNotFound, "Jawaban tidak ditemukan",
			"Belum ada jawaban yang diterbitkan dengan kode ini. Periksa kembali kodenya (contoh: ADU-7K3Q-XW2M). "+
				"Bila Anda pelapornya, pantau aduan Anda di halaman Lacak Aduan.")
		return
	}
	if err != nil {
		logError(c, "public detail", err)
		publicMessage(c, s, http.StatusServiceUnavailable, "Layanan sedang terganggu",
			"Jawaban tidak dapat dibuka saat ini. Silakan coba lagi sebentar lagi.")
		return
	}
	it := s.names(c).item(publicationOf(row))
	d := detailData{Item: it, Meta: s.meta(c, it.Title+" – Jawaban Aduan Kabupaten Mamuju", shorten(it.Answer, 200),
		"article", "/publik/"+code)}
	c.Header("Cache-Control", "public, max-age=60")
	publicRender(c, http.StatusOK, "publik_detail", d)
}

type embedData struct {
	Meta  pageMeta
	Items []publicItem
	Base  string
}

// publikEmbed is GET /publik/embed?n=5: the newest answers as a small page for an
// <iframe> on the regency's website. Its links open in a new tab.
func (s *server) publikEmbed(c *gin.Context) {
	n, err := strconv.Atoi(c.Query("n"))
	if err != nil || n < 1 {
		n = embedDefault
	}
	n = min(n, embedMax)
	rows, _, err := s.DB.Publications(c.Request.Context(), store.PublicFilter{Page: 1, PerPage: n})
	if err != nil {
		logError(c, "public embed", err)
		publicMessage(c, s, http.StatusServiceUnavailable, "Layanan sedang terganggu",
			"Jawaban aduan tidak dapat dimuat saat ini.")
		return
	}
	names := s.names(c)
	d := embedData{Base: s.baseURL(c), Meta: s.meta(c, "Jawaban Aduan Terbaru – Kabupaten Mamuju",
		"Jawaban terbaru atas aduan warga Kabupaten Mamuju.", "website", "/publik/embed")}
	for _, r := range rows {
		d.Items = append(d.Items, names.item(publicationOf(r)))
	}
	c.Header("Cache-Control", "public, max-age=300")
	publicRender(c, http.StatusOK, "embed", d)
}

// lacakFind is GET /lacak: a form for the code, or ?kode= to go to its page.
func (s *server) lacakFind(c *gin.Context) {
	raw := c.Query("kode")
	if code := domain.NormalizeCode(raw); code != "" {
		c.Redirect(http.StatusSeeOther, "/lacak/"+code)
		return
	}
	d := lacakData{Meta: s.meta(c, "Lacak Aduan – Kabupaten Mamuju",
		"Pantau perkembangan aduan Anda ke Call Center Aduan Kabupaten Mamuju dengan kode aduan.", "website", "/lacak")}
	status := http.StatusOK
	if strings.TrimSpace(raw) != "" {
		d.Problem = "Kode aduan tidak valid. Contoh kode: ADU-7K3Q-XW2M."
		status = http.StatusBadRequest
	}
	c.Header("Cache-Control", "no-cache")
	publicRender(c, status, "lacak_cari", d)
}

// lacakCase is one complaint as its tracking page shows it.
type lacakCase struct {
	Code, Status, StatusLabel, Explanation string
	Created, Deadline, Question            string
	Timeline                               []lacakStep
	Answer                                 *publicItem
}

type lacakStep struct {
	Date, Label string
	Current     bool
}

type lacakData struct {
	Meta     pageMeta
	Case     lacakCase
	Merged   *lacakCase // the complaint that carries this one (a duplicate)
	Feedback bool
	Problem  string
}

// statusExplanations say in plain words what happens now.
var statusExplanations = map[domain.Status]string{
	domain.StatusReceived:       "Aduan Anda sudah diterima dan sedang diperiksa oleh admin Call Center.",
	domain.StatusAwaitingInfo:   "Petugas memerlukan keterangan tambahan dari Anda. Lihat pertanyaan di bawah.",
	domain.StatusAtPokja:        "Aduan Anda sedang ditangani oleh kelompok kerja (pokja) yang berwenang.",
	domain.StatusAtPartner:      "Aduan Anda diteruskan kepada lembaga mitra yang menyalurkan bantuan dan sedang ditindaklanjuti.",
	domain.StatusPokjaReview:    "Jawaban lembaga mitra sedang ditinjau oleh pokja.",
	domain.StatusReadyToPublish: "Jawaban sudah disiapkan dan segera diterbitkan oleh admin Call Center.",
	domain.StatusPublished:      "Aduan Anda sudah dijawab. Jawabannya ada di bawah.",
	domain.StatusClosed:         "Penanganan aduan ini sudah selesai.",
	domain.StatusRejected:       "Aduan ini tidak ditindaklanjuti.",
}

var rejectExplanations = map[string]string{
	"spam":         "Aduan ini tidak ditindaklanjuti karena tidak berisi aduan.",
	"out_of_scope": "Aduan ini tidak ditindaklanjuti karena di luar kewenangan Pemerintah Kabupaten Mamuju.",
}

// lacakCaseOf builds the page's view of a complaint from its tracking view, the only
// public view of it. withQuestion is false for a complaint that is not the reader's own.
func (n names) lacakCaseOf(row store.Complaint, events []store.Event, withQuestion bool) lacakCase {
	v := trackingViewOf(row, events)
	lc := lacakCase{Code: v.Code, Status: string(v.Status), StatusLabel: v.StatusLabel,
		Explanation: statusExplanations[v.Status], Created: tanggal(v.CreatedAt)}
	if v.Status == domain.StatusRejected {
		if e, ok := rejectExplanations[str(row.RejectReason)]; ok {
			lc.Explanation = e
		}
	}
	if v.Deadline != nil {
		lc.Deadline = tanggal(*v.Deadline)
	}
	if withQuestion {
		lc.Question = v.Question
	}
	for i, e := range v.Timeline {
		lc.Timeline = append(lc.Timeline, lacakStep{Date: tanggal(e.At), Label: e.StatusLabel, Current: i == len(v.Timeline)-1})
	}
	if v.Answer != nil {
		it := n.item(publication{Code: v.Code, Title: v.Answer.Title, Answer: v.Answer.Text, PublishedAt: v.Answer.PublishedAt})
		lc.Answer = &it
	}
	return lc
}

// lacakPage is GET /lacak/{code}: the complainant's tracking page.
func (s *server) lacakPage(c *gin.Context) {
	code := domain.NormalizeCode(c.Param("code"))
	d, status, ok := s.lacakLoad(c, code)
	if !ok {
		return
	}
	c.Header("Cache-Control", "private, no-cache")
	publicRender(c, status, "lacak", d)
}

// lacakLoad reads a complaint (and the one it was merged into) for its tracking page,
// answering itself when it cannot.
func (s *server) lacakLoad(c *gin.Context, code string) (lacakData, int, bool) {
	ctx := c.Request.Context()
	var row store.Complaint
	err := store.ErrNotFound
	if code != "" {
		row, err = s.DB.Complaint(ctx, code)
	}
	if errors.Is(err, store.ErrNotFound) {
		publicMessage(c, s, http.StatusNotFound, "Kode tidak ditemukan",
			"Kode aduan ini tidak kami kenal. Periksa kembali kodenya (contoh: ADU-7K3Q-XW2M), atau hubungi Call Center.")
		return lacakData{}, 0, false
	}
	var events []store.Event
	if err == nil {
		events, err = s.DB.Events(ctx, code)
	}
	if err != nil {
		logError(c, "tracking page", err)
		publicMessage(c, s, http.StatusServiceUnavailable, "Layanan sedang terganggu",
			"Perkembangan aduan tidak dapat dibuka saat ini. Silakan coba lagi sebentar lagi.")
		return lacakData{}, 0, false
	}
	n := s.names(c)
	d := lacakData{Case: n.lacakCaseOf(row, events, true)}
	d.Feedback = row.Status == domain.StatusPublished
	if str(row.RejectReason) == "duplicate" {
		if dup := domain.NormalizeCode(str(row.DuplicateOf)); dup != "" && dup != code {
			d.Case.Explanation = "Aduan Anda digabung dengan " + dup + " karena membahas masalah yang sama. " +
				"Perkembangan dan jawabannya berlaku juga untuk aduan Anda."
			other, err := s.DB.Complaint(ctx, dup)
			var oe []store.Event
			if err == nil {
				oe, err = s.DB.Events(ctx, dup)
			}
			if err != nil {
				logError(c, "tracking page: merged complaint", err)
			} else {
				// Another complainant's question is theirs: not shown here.
				m := n.lacakCaseOf(other, oe, false)
				d.Merged = &m
			}
		}
	}
	d.Meta = s.meta(c, "Lacak Aduan "+code+" – Kabupaten Mamuju",
		"Perkembangan aduan "+code+" di Call Center Aduan Kabupaten Mamuju.", "website", "/lacak/"+code)
	d.Meta.NoIndex = true
	return d, http.StatusOK, true
}

// lacakFeedback is POST /lacak/{code}/tanggapan: the complainant says whether the
// published answer solved the problem (giveFeedback, api/feedback.go, decides).
func (s *server) lacakFeedback(c *gin.Context) {
	code := domain.NormalizeCode(c.Param("code"))
	if code == "" {
		publicMessage(c, s, http.StatusNotFound, "Kode tidak ditemukan", "Kode aduan ini tidak kami kenal.")
		return
	}
	back := "/lacak/" + code
	if err := c.Request.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			webTooLarge(c)
			return
		}
		feedbackMessage(c, s, http.StatusBadRequest, "Tanggapan tidak terbaca",
			"Isian tidak dapat dibaca. Silakan buka halaman aduan Anda lagi.", back)
		return
	}
	var satisfied bool
	switch c.Request.PostForm.Get("puas") {
	case "ya":
		satisfied = true
	case "tidak":
	default:
		feedbackMessage(c, s, http.StatusBadRequest, "Pilih jawaban",
			"Tekan \"Ya, masalah saya selesai\" atau \"Belum selesai\".", back)
		return
	}
	if ok, wait := s.limiter.allow(c.ClientIP(), time.Now()); !ok {
		secs := int(math.Ceil(wait.Seconds()))
		c.Header("Retry-After", strconv.Itoa(secs))
		feedbackMessage(c, s, http.StatusTooManyRequests, "Terlalu banyak pengiriman",
			"Tanggapan Anda BELUM terkirim. Tunggu "+waitText(secs)+", lalu kirim lagi.", back)
		return
	}
	comment := domain.CleanText(c.Request.PostForm.Get("komentar"))
	status, msg := s.giveFeedback(c, code, satisfied, comment)
	if status != http.StatusOK {
		if msg == "" {
			msg = "Tanggapan Anda belum dapat diterima. Silakan coba lagi."
		}
		feedbackMessage(c, s, status, "Tanggapan belum terkirim", msg, back)
		return
	}
	msg = "Tanggapan Anda sudah kami terima. Aduan Anda kami catat selesai."
	if !satisfied {
		msg = "Tanggapan Anda sudah kami terima. Aduan Anda dikembalikan kepada petugas untuk ditindaklanjuti lagi; " +
			"pantau perkembangannya di halaman aduan Anda."
		// After the last reopening a "no" closes the complaint instead.
		if row, err := s.DB.Complaint(c.Request.Context(), code); err == nil && row.Status.Final() {
			msg = "Tanggapan Anda sudah kami terima dan dicatat. Aduan ini sudah beberapa kali ditindaklanjuti ulang " +
				"dan kini ditutup; bila masalahnya belum selesai, sampaikan aduan baru atau hubungi Call Center."
		}
	}
	feedbackMessage(c, s, http.StatusOK, "Terima kasih", msg, back)
}

type messageData struct {
	Meta           pageMeta
	Heading        string
	Message        string
	Error          bool
	Back, BackText string
}

// publicMessage is a short page (not found, unavailable) with links to the public pages.
func publicMessage(c *gin.Context, s *server, status int, title, message string) {
	c.Header("Cache-Control", "no-store")
	publicRender(c, status, "publik_pesan", messageData{Meta: s.meta(c, title+" – Kabupaten Mamuju", message, "website",
		c.Request.URL.Path), Heading: title, Message: message, Error: status >= 400, Back: "/publik", BackText: "Lihat jawaban aduan warga"})
}

func feedbackMessage(c *gin.Context, s *server, status int, title, message, back string) {
	c.Header("Cache-Control", "no-store")
	m := s.meta(c, title+" – Kabupaten Mamuju", message, "website", back)
	m.NoIndex = true
	publicRender(c, status, "publik_pesan", messageData{Meta: m, Heading: title, Message: message, Error: status >= 400,
		Back: back, BackText: "Kembali ke aduan Anda"})
}

// publicRender executes a public page template into a buffer first, so that a template
// error gives a plain 500 rather than half a page.
func publicRender(c *gin.Context, status int, name string, data any) {
	var buf bytes.Buffer
	if err := publicTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		logError(c, "public template "+name, err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Terjadi kesalahan di server."))
		c.Abort()
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	c.Abort()
}

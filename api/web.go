package api

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"html/template"
	"log/slog"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"aduan/domain"
	"aduan/store"
)

// The public web form, /lapor: plain HTML for cheap phones on slow networks. It needs no
// JavaScript, loads nothing else (the CSS is inline) and takes complaints through takeIn,
// like every other channel.

//go:embed templates/*.html
var webTemplateFS embed.FS

var webTemplates = template.Must(template.New("web").Funcs(template.FuncMap{
	"kalimat": sentence,
}).ParseFS(webTemplateFS, "templates/*.html"))

// webCSP forbids every script; the pages only need their inline style.
const webCSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; img-src 'self'; base-uri 'none'"

// webFormFields are the fields the form shows a problem beside.
var webFormFields = map[string]bool{"text": true, "kecamatan": true, "desa": true, "category": true,
	"name": true, "phone": true, "email": true}

// formTokenPattern is what newFormToken makes; anything else is ignored.
var formTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// registerWeb adds the web form's routes. Their chain starts with webPage, ahead of the
// shared middleware, so that an oversize body gets a page rather than API.md's JSON.
func (s *server) registerWeb(r *gin.Engine) {
	g := r.Group("/lapor")
	g.Handlers = append(gin.HandlersChain{webPage}, g.Handlers...)
	g.GET("", s.webForm)
	g.POST("", s.webSubmit)
	g.GET("/terkirim/:code", s.webSent)
}

// webPage sets the security headers of every page and refuses a body over the limit
// (limitBody still caps what is read when there is no Content-Length).
func webPage(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", webCSP)
	if c.Request.ContentLength > maxJSONBody {
		webTooLarge(c)
		slog.Info("http", "method", c.Request.Method, "route", c.FullPath(), "status", c.Writer.Status())
		return
	}
	c.Next()
}

// webFormData is what the form template shows.
type webFormData struct {
	Form       intakeRequest
	Token      string
	Errors     map[string]string
	Problem    string // a message above the form
	Kecamatan  []store.Kecamatan
	Categories []domain.Category
}

// webForm is GET /lapor: an empty form with a fresh idempotency token.
func (s *server) webForm(c *gin.Context) {
	s.renderForm(c, http.StatusOK, webFormData{Token: newFormToken()})
}

// webSubmit is POST /lapor. Whatever goes wrong, the form comes back with what the
// citizen typed, so nothing has to be typed twice on a phone.
func (s *server) webSubmit(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			webTooLarge(c)
			return
		}
		renderPage(c, http.StatusBadRequest, "Formulir tidak terbaca",
			"Isian formulir tidak dapat dibaca. Silakan buka formulir lagi dan kirim ulang.")
		return
	}
	f := c.Request.PostForm
	req := intakeRequest{
		Channel: "web", Text: f.Get("text"), Name: f.Get("name"), Phone: f.Get("phone"), Email: f.Get("email"),
		Kecamatan: f.Get("kecamatan"), Desa: f.Get("desa"), Category: f.Get("category"),
		Anonymous: f.Get("anonymous") != "", Confidential: f.Get("confidential") != "",
	}
	req.normalize()
	data := webFormData{Form: req, Token: f.Get("token")}
	key := ""
	if formTokenPattern.MatchString(data.Token) {
		key = formKey(data.Token, req)
	} else {
		data.Token = newFormToken()
	}

	// The same limiter as the JSON intake (s.rateLimited), so a client shares one budget;
	// here the refusal keeps the form filled in.
	if ok, wait := s.limiter.allow(c.ClientIP(), time.Now()); !ok {
		secs := int(math.Ceil(wait.Seconds()))
		c.Header("Retry-After", strconv.Itoa(secs))
		data.Problem = "Terlalu banyak pengiriman dari perangkat ini. Aduan Anda BELUM terkirim. Tunggu " +
			waitText(secs) + ", lalu tekan \"Kirim aduan\" lagi; isian Anda masih ada di bawah."
		s.renderForm(c, http.StatusTooManyRequests, data)
		return
	}

	res, fields, err := s.takeIn(c, req, nil, key)
	var phoneLimit *phoneLimited
	switch {
	case errors.As(err, &phoneLimit):
		secs := int(math.Ceil(phoneLimit.wait.Seconds()))
		c.Header("Retry-After", strconv.Itoa(secs))
		data.Problem = "Terlalu banyak aduan baru dari nomor telepon ini. Aduan Anda BELUM terkirim. " +
			"Coba lagi " + waitText(secs) + ", atau gabungkan dengan aduan yang sudah Anda kirim."
		s.renderForm(c, http.StatusTooManyRequests, data)
	case err != nil:
		logError(c, "web intake: dependency unavailable", err)
		data.Problem = "Layanan sedang terganggu, aduan Anda BELUM terkirim. Isian Anda masih ada di bawah: " +
			"silakan coba lagi sebentar lagi dengan menekan \"Kirim aduan\"."
		s.renderForm(c, http.StatusServiceUnavailable, data)
	case len(fields) > 0:
		data.Errors = fields
		data.Problem = "Aduan belum terkirim. Periksa isian yang ditandai di bawah."
		for name, msg := range fields {
			if !webFormFields[name] { // shown beside no field, so above the form
				data.Problem += " " + sentence(msg) + "."
			}
		}
		s.renderForm(c, http.StatusBadRequest, data)
	default:
		// Redirect after POST: reloading the result page submits nothing again.
		c.Redirect(http.StatusSeeOther, "/lapor/terkirim/"+res.Code)
	}
}

// webSent is GET /lapor/terkirim/{code}: the code, large, and what to do with it. It
// shows nothing of the complaint but its code, which the address already holds.
func (s *server) webSent(c *gin.Context) {
	code := domain.NormalizeCode(c.Param("code"))
	if code != "" {
		_, err := s.DB.Complaint(c.Request.Context(), code)
		if errors.Is(err, store.ErrNotFound) {
			code = ""
		} else if err != nil {
			// The code is in the address: show it even when PostgreSQL is briefly away.
			logError(c, "web result: complaint lookup failed", err)
		}
	}
	if code == "" {
		renderPage(c, http.StatusNotFound, "Kode tidak ditemukan",
			"Kode aduan ini tidak kami kenal. Periksa kembali kodenya (contoh: ADU-7K3Q-XW2M).")
		return
	}
	c.Header("Cache-Control", "private, no-cache")
	render(c, http.StatusOK, "terkirim", gin.H{
		"Code": code, "Spelled": spellCode(code), "TrackURL": "/lacak/" + code,
	})
}

// renderForm shows the form with the directory's kecamatan and desa. Without the
// directory (PostgreSQL away) it falls back to text fields rather than failing.
func (s *server) renderForm(c *gin.Context, status int, data webFormData) {
	dir, err := s.DB.Directory(c.Request.Context())
	if err != nil {
		logError(c, "web form: directory unavailable", err)
	}
	data.Kecamatan = dir.Kecamatan
	data.Categories = domain.Categories
	// The page carries a one-time token: never cache it.
	c.Header("Cache-Control", "no-store")
	render(c, status, "lapor", data)
}

// renderPage shows a short message page (errors).
func renderPage(c *gin.Context, status int, title, message string) {
	c.Header("Cache-Control", "no-store")
	render(c, status, "pesan", gin.H{"Title": title, "Message": message})
}

func webTooLarge(c *gin.Context) {
	renderPage(c, http.StatusRequestEntityTooLarge, "Aduan terlalu panjang",
		"Isian formulir terlalu besar (lebih dari 64 KiB). Aduan Anda belum terkirim. "+
			"Persingkat isi aduan (paling banyak 4000 huruf), lalu kirim lagi.")
}

// render executes a page template into a buffer first, so that a template error gives a
// plain 500 rather than half a page.
func render(c *gin.Context, status int, name string, data any) {
	var buf bytes.Buffer
	if err := webTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		logError(c, "web template "+name, err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Terjadi kesalahan di server."))
		c.Abort()
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	c.Abort()
}

// newFormToken is a random idempotency token for one rendering of the form.
func newFormToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// formKey is the idempotency key of a form submission: the form's token and a digest of
// what was sent. A double submit or a retried POST repeats both and yields one complaint;
// a different complaint sent from the same rendering (the back button, then new text)
// is a new complaint, never silently folded into the first.
func formKey(token string, r intakeRequest) string {
	h := sha256.New()
	for _, v := range []string{r.Text, r.Name, r.Phone, r.Email, r.Kecamatan, r.Desa, r.Category,
		strconv.FormatBool(r.Anonymous), strconv.FormatBool(r.Confidential)} {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	return "form:" + token + "." + hex.EncodeToString(h.Sum(nil)[:12])
}

// waitText says how long to wait, in seconds or minutes.
func waitText(secs int) string {
	if secs <= 90 {
		return strconv.Itoa(secs) + " detik"
	}
	return strconv.Itoa((secs+59)/60) + " menit"
}

// sentence starts a message with a capital letter.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

var digitWords = [...]string{"nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"}

// spellCode spells a code for reading aloud in Indonesian: ADU-7K3Q-XW2M is
// "ADU – tujuh, K, tiga, Q – X, W, dua, M".
func spellCode(code string) string {
	groups := strings.Split(code, "-")
	for i, g := range groups {
		if i == 0 {
			continue
		}
		parts := make([]string, 0, len(g))
		for _, r := range g {
			if r >= '0' && r <= '9' {
				parts = append(parts, digitWords[r-'0'])
			} else {
				parts = append(parts, string(r))
			}
		}
		groups[i] = strings.Join(parts, ", ")
	}
	return strings.Join(groups, " – ")
}

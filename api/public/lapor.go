package public

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/api/respond"
	"aduan/complaints"
	"aduan/domain"
)

// The complaint form, /lapor: it posts to itself and goes through the core's intake like
// every other channel.

// formFields are the fields the form shows a problem beside.
var formFields = map[string]bool{"text": true, "kecamatan": true, "desa": true, "category": true,
	"name": true, "phone": true, "email": true}

// formTokenPattern is what newFormToken makes; anything else is ignored.
var formTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// formData is what the form template shows.
type formData struct {
	Form       complaints.IntakeRequest
	Token      string
	Errors     map[string]string
	Problem    string // a message above the form
	Kecamatan  []complaints.Kecamatan
	Categories []domain.Category
}

// form is GET /lapor: an empty form with a fresh idempotency token.
func (h handlers) form(c *gin.Context) {
	h.renderForm(c, http.StatusOK, formData{Token: newFormToken()})
}

// submit is POST /lapor. Whatever goes wrong, the form comes back with what the citizen
// typed, so nothing has to be typed twice on a phone.
func (h handlers) submit(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			pages.TooLarge(c)
			return
		}
		pages.Message(c, http.StatusBadRequest, "Formulir tidak terbaca",
			"Isian formulir tidak dapat dibaca. Silakan buka formulir lagi dan kirim ulang.")
		return
	}
	f := c.Request.PostForm
	req := complaints.IntakeRequest{
		Channel: "web", Text: f.Get("text"), Name: f.Get("name"), Phone: f.Get("phone"), Email: f.Get("email"),
		Kecamatan: f.Get("kecamatan"), Desa: f.Get("desa"), Category: f.Get("category"),
		Anonymous: f.Get("anonymous") != "", Confidential: f.Get("confidential") != "",
	}
	req.Normalize()
	data := formData{Form: req, Token: f.Get("token")}
	key := ""
	if formTokenPattern.MatchString(data.Token) {
		key = formKey(data.Token, req)
	} else {
		data.Token = newFormToken()
	}

	// The same budget as the JSON intake; here the refusal keeps the form filled in.
	if err := h.core.AllowClient(c.ClientIP()); err != nil {
		e := complaints.AsError(err)
		respond.RetryAfter(c, e)
		data.Problem = "Terlalu banyak pengiriman dari perangkat ini. Aduan Anda BELUM terkirim. Tunggu " +
			pages.WaitText(e.RetryAfter) + ", lalu tekan \"Kirim aduan\" lagi; isian Anda masih ada di bawah."
		h.renderForm(c, http.StatusTooManyRequests, data)
		return
	}
	res, err := h.core.Intake(c.Request.Context(), req, nil, key)
	if err == nil {
		// Redirect after POST: reloading the result page submits nothing again.
		// The complainant's own feedback key rides along once, in the address of the
		// result page (never logged: the access log has no query).
		target := "/lapor/terkirim/" + res.Code
		if res.FeedbackToken != "" {
			target += "?t=" + url.QueryEscape(res.FeedbackToken)
		}
		c.Redirect(http.StatusSeeOther, target)
		return
	}
	e := complaints.AsError(err)
	switch e.Kind {
	case complaints.KindRateLimited:
		respond.RetryAfter(c, e)
		data.Problem = "Terlalu banyak aduan baru dari nomor telepon ini. Aduan Anda BELUM terkirim. " +
			"Coba lagi " + pages.WaitText(e.RetryAfter) + ", atau gabungkan dengan aduan yang sudah Anda kirim."
		h.renderForm(c, http.StatusTooManyRequests, data)
	case complaints.KindInvalid:
		data.Errors = e.Fields
		data.Problem = "Aduan belum terkirim. Periksa isian yang ditandai di bawah."
		for name, msg := range e.Fields {
			if !formFields[name] { // shown beside no field, so above the form
				data.Problem += " " + pages.Sentence(msg) + "."
			}
		}
		h.renderForm(c, http.StatusBadRequest, data)
	default:
		slog.Warn("web intake: dependency unavailable", "err", e.Err)
		data.Problem = "Layanan sedang terganggu, aduan Anda BELUM terkirim. Isian Anda masih ada di bawah: " +
			"silakan coba lagi sebentar lagi dengan menekan \"Kirim aduan\"."
		h.renderForm(c, http.StatusServiceUnavailable, data)
	}
}

// sent is GET /lapor/terkirim/{code}: the code, large, and what to do with it. It shows
// nothing of the complaint but its code, which the address already holds.
func (h handlers) sent(c *gin.Context) {
	code := domain.NormalizeCode(c.Param("code"))
	if code != "" {
		exists, err := h.core.ExistsFor(c.Request.Context(), c.ClientIP(), code)
		if complaints.KindOf(err) == complaints.KindRateLimited {
			e := complaints.AsError(err)
			respond.RetryAfter(c, e)
			pages.Message(c, http.StatusTooManyRequests, "Terlalu banyak percobaan",
				"Terlalu banyak kode aduan yang tidak dikenal dari perangkat ini. Tunggu "+pages.WaitText(e.RetryAfter)+
					", lalu periksa kembali kode Anda.")
			return
		}
		if err != nil {
			// The code is in the address: show it even when PostgreSQL is briefly away.
			slog.Warn("web result: complaint lookup failed", "err", err)
		} else if !exists {
			code = ""
		}
	}
	if code == "" {
		pages.Message(c, http.StatusNotFound, "Kode tidak ditemukan",
			"Kode aduan ini tidak kami kenal. Periksa kembali kodenya (contoh: ADU-7K3Q-XW2M).")
		return
	}
	c.Header("Cache-Control", "private, no-store")
	feedbackURL := ""
	if t := c.Query("t"); t != "" && len(t) <= 64 {
		if ok, err := h.core.FeedbackTokenValid(c.Request.Context(), code, t); err == nil && ok {
			feedbackURL = "/lacak/" + code + "/tanggapan/" + url.PathEscape(t)
		}
	}
	pages.Render(c, http.StatusOK, "terkirim", gin.H{
		"Code": code, "Spelled": pages.SpellCode(code), "TrackURL": "/lacak/" + code, "FeedbackURL": feedbackURL,
	})
}

// renderForm shows the form with the directory's kecamatan and desa. Without the
// directory (PostgreSQL away) it falls back to text fields rather than failing.
func (h handlers) renderForm(c *gin.Context, status int, data formData) {
	dir, err := h.core.Directory(c.Request.Context())
	if err != nil {
		slog.Warn("web form: directory unavailable", "err", err)
	}
	data.Kecamatan = dir.Kecamatan
	data.Categories = domain.Categories
	// The page carries a one-time token: never cache it.
	c.Header("Cache-Control", "no-store")
	pages.Render(c, status, "lapor", data)
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
func formKey(token string, r complaints.IntakeRequest) string {
	h := sha256.New()
	for _, v := range []string{r.Text, r.Name, r.Phone, r.Email, r.Kecamatan, r.Desa, r.Category,
		strconv.FormatBool(r.Anonymous), strconv.FormatBool(r.Confidential)} {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	return "form:" + token + "." + hex.EncodeToString(h.Sum(nil)[:12])
}

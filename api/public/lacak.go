package public

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/api/respond"
	"aduan/complaints"
	"aduan/domain"
)

// The complainant's tracking page, /lacak/{code}, with its "did this solve it?" form.

// find is GET /lacak: a form for the code, or ?kode= to go to its page.
func (h handlers) find(c *gin.Context) {
	raw := c.Query("kode")
	if code := domain.NormalizeCode(raw); code != "" {
		c.Redirect(http.StatusSeeOther, "/lacak/"+code)
		return
	}
	d := trackData{Meta: h.meta(c, "Lacak Aduan – Kabupaten Mamuju",
		"Pantau perkembangan aduan Anda ke Call Center Aduan Kabupaten Mamuju dengan kode aduan.", "website", "/lacak")}
	status := http.StatusOK
	if strings.TrimSpace(raw) != "" {
		d.Problem = "Kode aduan tidak valid. Contoh kode: ADU-7K3Q-XW2M."
		status = http.StatusBadRequest
	}
	c.Header("Cache-Control", "no-cache")
	pages.Render(c, status, "lacak_cari", d)
}

// trackCase is one complaint as its tracking page shows it.
type trackCase struct {
	Code, Status, StatusLabel, Explanation string
	Created, Deadline, Question            string
	Timeline                               []trackStep
	Answer                                 *item
}

type trackStep struct {
	Date, Label string
	Current     bool
}

type trackData struct {
	Meta   meta
	Case   trackCase
	Merged *trackCase // the complaint that carries this one (a duplicate)
	// Feedback shows the form (the complainant's link), with its Token and CSRF token;
	// FeedbackHint says where the form is (a published answer opened by its code).
	Feedback     bool
	Token, CSRF  string
	FeedbackHint bool
	Problem      string
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

// caseOf builds the page's view of a complaint from its tracking view.
func (n names) caseOf(v complaints.TrackingView) trackCase {
	tc := trackCase{Code: v.Code, Status: string(v.Status), StatusLabel: v.Status.Label(),
		Explanation: statusExplanations[v.Status], Created: pages.Date(v.CreatedAt, n.zone), Question: v.Question}
	if v.Status == domain.StatusRejected {
		if e, ok := rejectExplanations[v.RejectReason]; ok {
			tc.Explanation = e
		}
	}
	if v.Deadline != nil {
		tc.Deadline = pages.Date(*v.Deadline, n.zone)
	}
	for i, e := range v.Timeline {
		tc.Timeline = append(tc.Timeline, trackStep{Date: pages.Date(e.At, n.zone), Label: e.Status.Label(), Current: i == len(v.Timeline)-1})
	}
	if v.Answer != nil {
		it := n.item(complaints.Publication{Code: v.Code, Title: v.Answer.Title, Answer: v.Answer.Answer, PublishedAt: v.Answer.PublishedAt})
		tc.Answer = &it
	}
	return tc
}

// track is GET /lacak/{code}: the complainant's tracking page. The code shows the status
// and the answer, never the feedback form: a published code is public, so the form opens
// only from the complainant's own link (feedbackForm).
func (h handlers) track(c *gin.Context) {
	code := domain.NormalizeCode(c.Param("code"))
	err := error(&complaints.Error{Kind: complaints.KindNotFound})
	var v complaints.TrackingView
	if code != "" {
		v, err = h.core.TrackingFor(c.Request.Context(), c.ClientIP(), code)
	}
	if !h.trackFailed(c, err) {
		h.renderTrack(c, http.StatusOK, code, v, "")
	}
}

// feedbackForm is GET /lacak/{code}/tanggapan/{token}: the tracking page of the link sent
// to the complainant with the answer, with the "did this solve it?" form while the
// answer waits for it. A token that is not the complainant's shows no form (403).
func (h handlers) feedbackForm(c *gin.Context) {
	code, token := domain.NormalizeCode(c.Param("code")), c.Param("token")
	err := error(&complaints.Error{Kind: complaints.KindNotFound})
	var v complaints.TrackingView
	if code != "" {
		v, err = h.core.FeedbackLink(c.Request.Context(), c.ClientIP(), code, token)
	}
	if complaints.KindOf(err) == complaints.KindForbidden {
		h.feedbackMessage(c, http.StatusForbidden, "Tautan tidak berlaku",
			"Tautan tanggapan ini tidak berlaku. Gunakan tautan yang kami kirimkan bersama jawaban aduan Anda, "+
				"atau balas pesan jawaban itu lewat WhatsApp/SMS.", "/lacak/"+code)
		return
	}
	if h.trackFailed(c, err) {
		return
	}
	h.renderTrack(c, http.StatusOK, code, v, token)
}

// trackFailed answers a failed tracking lookup with its page, and reports whether it did.
func (h handlers) trackFailed(c *gin.Context, err error) bool {
	switch complaints.KindOf(err) {
	case "":
		return false
	case complaints.KindNotFound:
		h.message(c, http.StatusNotFound, "Kode tidak ditemukan",
			"Kode aduan ini tidak kami kenal. Periksa kembali kodenya (contoh: ADU-7K3Q-XW2M), atau hubungi Call Center.")
	case complaints.KindRateLimited:
		e := complaints.AsError(err)
		respond.RetryAfter(c, e)
		h.message(c, http.StatusTooManyRequests, "Terlalu banyak percobaan",
			"Terlalu banyak kode aduan yang tidak dikenal dari perangkat ini. Tunggu "+pages.WaitText(e.RetryAfter)+
				", lalu periksa kembali kode Anda.")
	default:
		h.message(c, http.StatusServiceUnavailable, "Layanan sedang terganggu",
			"Perkembangan aduan tidak dapat dibuka saat ini. Silakan coba lagi sebentar lagi.")
	}
	return true
}

// renderTrack shows the tracking page of v; with the complainant's token it carries the
// feedback form while the published answer waits for it.
func (h handlers) renderTrack(c *gin.Context, status int, code string, v complaints.TrackingView, token string) {
	n := h.names(c)
	d := trackData{Case: n.caseOf(v)}
	published := v.Status == domain.StatusPublished
	if published && token != "" {
		d.Feedback, d.Token, d.CSRF = true, token, h.csrfToken(c)
	}
	d.FeedbackHint = published && token == ""
	if v.MergedIntoOther {
		d.Case.Explanation = "Aduan Anda digabung dengan aduan lain yang membahas masalah yang sama. " +
			"Perkembangan dan jawabannya berlaku juga untuk aduan Anda."
		if v.Merged != nil {
			m := n.caseOf(*v.Merged)
			d.Merged = &m
		}
	}
	d.Meta = h.meta(c, "Lacak Aduan "+code+" – Kabupaten Mamuju",
		"Perkembangan aduan "+code+" di Call Center Aduan Kabupaten Mamuju.", "website", "/lacak/"+code)
	d.Meta.NoIndex = true
	// The page of a feedback link holds the complainant's token: kept by no cache.
	c.Header("Cache-Control", "private, no-cache")
	if token != "" {
		c.Header("Cache-Control", "no-store")
	}
	pages.Render(c, status, "lacak", d)
}

// feedback is POST /lacak/{code}/tanggapan: the complainant says whether the published
// answer solved the problem, from the form of their feedback link (its token and the
// browser's CSRF token ride along as hidden fields).
func (h handlers) feedback(c *gin.Context) {
	code := domain.NormalizeCode(c.Param("code"))
	if code == "" {
		h.message(c, http.StatusNotFound, "Kode tidak ditemukan", "Kode aduan ini tidak kami kenal.")
		return
	}
	back := "/lacak/" + code
	if err := c.Request.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			pages.TooLarge(c)
			return
		}
		h.feedbackMessage(c, http.StatusBadRequest, "Tanggapan tidak terbaca",
			"Isian tidak dapat dibaca. Silakan buka halaman aduan Anda lagi.", back)
		return
	}
	token := c.Request.PostForm.Get("token")
	form := back
	if feedbackTokenShape.MatchString(token) {
		form = back + "/tanggapan/" + token // where the complainant tries again
	}
	if !csrfValid(c) {
		h.feedbackMessage(c, http.StatusForbidden, "Tanggapan belum terkirim",
			"Formulir ini sudah kedaluwarsa atau tidak berasal dari halaman aduan Anda. Buka lagi tautan tanggapan "+
				"yang kami kirimkan, lalu kirim tanggapan Anda.", form)
		return
	}
	var satisfied bool
	switch c.Request.PostForm.Get("puas") {
	case "ya":
		satisfied = true
	case "tidak":
	default:
		h.feedbackMessage(c, http.StatusBadRequest, "Pilih jawaban",
			"Tekan \"Ya, masalah saya selesai\" atau \"Belum selesai\".", form)
		return
	}
	if err := h.core.AllowClient(c.ClientIP()); err != nil {
		e := complaints.AsError(err)
		respond.RetryAfter(c, e)
		h.feedbackMessage(c, http.StatusTooManyRequests, "Terlalu banyak pengiriman",
			"Tanggapan Anda BELUM terkirim. Tunggu "+pages.WaitText(e.RetryAfter)+", lalu kirim lagi.", form)
		return
	}
	v, err := h.core.Feedback(c.Request.Context(), code, complaints.FeedbackInput{Satisfied: satisfied,
		Comment: c.Request.PostForm.Get("komentar"), Token: token})
	if err != nil {
		e := complaints.AsError(err)
		msg := e.Message
		switch e.Kind {
		case complaints.KindNotFound:
			msg = "Kode aduan tidak ditemukan."
		case complaints.KindUnavailable:
			msg = "Layanan sedang tidak tersedia; tanggapan Anda BELUM terkirim. Silakan coba lagi."
		case complaints.KindForbidden, complaints.KindInvalidTransition:
			form = back
		}
		h.feedbackMessage(c, respond.Status(e.Kind), "Tanggapan belum terkirim", msg, form)
		return
	}
	msg := "Tanggapan Anda sudah kami terima. Aduan Anda kami catat selesai."
	if !satisfied {
		msg = "Tanggapan Anda sudah kami terima. Aduan Anda dikembalikan kepada petugas untuk ditindaklanjuti lagi; " +
			"pantau perkembangannya di halaman aduan Anda."
		// After the last reopening a "no" closes the complaint instead.
		if v.Status.Final() {
			msg = "Tanggapan Anda sudah kami terima dan dicatat. Aduan ini sudah beberapa kali ditindaklanjuti ulang " +
				"dan kini ditutup; bila masalahnya belum selesai, sampaikan aduan baru atau hubungi Call Center."
		}
	}
	h.feedbackMessage(c, http.StatusOK, "Terima kasih", msg, back)
}

// feedbackTokenShape is what a feedback token looks like (the core checks its value).
var feedbackTokenShape = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

func (h handlers) feedbackMessage(c *gin.Context, status int, title, message, back string) {
	c.Header("Cache-Control", "no-store")
	m := h.meta(c, title+" – Kabupaten Mamuju", message, "website", "/lacak")
	m.NoIndex = true
	pages.Render(c, status, "publik_pesan", messageData{Meta: m, Heading: title, Message: message, Error: status >= 400,
		Back: back, BackText: "Kembali ke aduan Anda"})
}

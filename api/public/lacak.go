package public

import (
	"errors"
	"net/http"
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
	Meta     meta
	Case     trackCase
	Merged   *trackCase // the complaint that carries this one (a duplicate)
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

// track is GET /lacak/{code}: the complainant's tracking page.
func (h handlers) track(c *gin.Context) {
	code := domain.NormalizeCode(c.Param("code"))
	err := error(&complaints.Error{Kind: complaints.KindNotFound})
	var v complaints.TrackingView
	if code != "" {
		v, err = h.core.Tracking(c.Request.Context(), code)
	}
	switch complaints.KindOf(err) {
	case "":
	case complaints.KindNotFound:
		h.message(c, http.StatusNotFound, "Kode tidak ditemukan",
			"Kode aduan ini tidak kami kenal. Periksa kembali kodenya (contoh: ADU-7K3Q-XW2M), atau hubungi Call Center.")
		return
	default:
		h.message(c, http.StatusServiceUnavailable, "Layanan sedang terganggu",
			"Perkembangan aduan tidak dapat dibuka saat ini. Silakan coba lagi sebentar lagi.")
		return
	}
	n := h.names(c)
	d := trackData{Case: n.caseOf(v), Feedback: v.Status == domain.StatusPublished}
	if v.DuplicateOf != "" {
		d.Case.Explanation = "Aduan Anda digabung dengan " + v.DuplicateOf + " karena membahas masalah yang sama. " +
			"Perkembangan dan jawabannya berlaku juga untuk aduan Anda."
		if v.Merged != nil {
			m := n.caseOf(*v.Merged)
			d.Merged = &m
		}
	}
	d.Meta = h.meta(c, "Lacak Aduan "+code+" – Kabupaten Mamuju",
		"Perkembangan aduan "+code+" di Call Center Aduan Kabupaten Mamuju.", "website", "/lacak/"+code)
	d.Meta.NoIndex = true
	c.Header("Cache-Control", "private, no-cache")
	pages.Render(c, http.StatusOK, "lacak", d)
}

// feedback is POST /lacak/{code}/tanggapan: the complainant says whether the published
// answer solved the problem.
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
	var satisfied bool
	switch c.Request.PostForm.Get("puas") {
	case "ya":
		satisfied = true
	case "tidak":
	default:
		h.feedbackMessage(c, http.StatusBadRequest, "Pilih jawaban",
			"Tekan \"Ya, masalah saya selesai\" atau \"Belum selesai\".", back)
		return
	}
	if err := h.core.AllowClient(c.ClientIP()); err != nil {
		e := complaints.AsError(err)
		respond.RetryAfter(c, e)
		h.feedbackMessage(c, http.StatusTooManyRequests, "Terlalu banyak pengiriman",
			"Tanggapan Anda BELUM terkirim. Tunggu "+pages.WaitText(e.RetryAfter)+", lalu kirim lagi.", back)
		return
	}
	v, err := h.core.Feedback(c.Request.Context(), code, satisfied, c.Request.PostForm.Get("komentar"))
	if err != nil {
		e := complaints.AsError(err)
		msg := e.Message
		switch e.Kind {
		case complaints.KindNotFound:
			msg = "Kode aduan tidak ditemukan."
		case complaints.KindUnavailable:
			msg = "Layanan sedang tidak tersedia; silakan coba lagi."
		}
		h.feedbackMessage(c, respond.Status(e.Kind), "Tanggapan belum terkirim", msg, back)
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

func (h handlers) feedbackMessage(c *gin.Context, status int, title, message, back string) {
	c.Header("Cache-Control", "no-store")
	m := h.meta(c, title+" – Kabupaten Mamuju", message, "website", back)
	m.NoIndex = true
	pages.Render(c, status, "publik_pesan", messageData{Meta: m, Heading: title, Message: message, Error: status >= 400,
		Back: back, BackText: "Kembali ke aduan Anda"})
}

package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"aduan/domain"
)

// submitFeedback is POST /api/v1/complaints/{code}/feedback: {"satisfied": bool,
// "comment"?: text}. Answered with the tracking view.
func (s *server) submitFeedback(c *gin.Context) {
	code, ok := complaintCode(c)
	if !ok {
		return
	}
	var body struct {
		Satisfied *bool  `json:"satisfied"`
		Comment   string `json:"comment"`
	}
	if !readJSON(c, &body) {
		return
	}
	if body.Satisfied == nil {
		invalid(c, map[string]string{"satisfied": "wajib diisi (true atau false)"})
		return
	}
	status, message := s.giveFeedback(c, code, *body.Satisfied, body.Comment)
	if status != http.StatusOK {
		code := map[int]string{http.StatusBadRequest: codeInvalid, http.StatusNotFound: codeNotFound,
			http.StatusConflict: codeInvalidTransition}[status]
		if code == "" {
			code = codeUnavailable
		}
		fail(c, status, code, message, nil)
		return
	}
	s.respondTracking(c, code)
}

// giveFeedback records the complainant's feedback on a published complaint: satisfied
// closes it; not satisfied sends it back to its pokja (twice at most) with the comment.
// It returns the HTTP status and, unless 200, a message in Bahasa Indonesia; the web form
// and the messaging channels use it too.
func (s *server) giveFeedback(c *gin.Context, code string, satisfied bool, comment string) (int, string) {
	comment = domain.CleanText(comment)
	if len([]rune(comment)) > domain.MaxNote {
		return http.StatusBadRequest, "Komentar terlalu panjang."
	}
	row, err := s.DB.Complaint(c.Request.Context(), code)
	if err != nil {
		return http.StatusNotFound, "Kode aduan tidak ditemukan."
	}
	if row.Status != domain.StatusPublished {
		return http.StatusConflict, "Tanggapan hanya dapat diberikan setelah jawaban diterbitkan dan sebelum aduan selesai."
	}
	id, err := s.DB.AddFeedback(c.Request.Context(), code, row.Channel, satisfied, comment)
	if err != nil {
		return http.StatusServiceUnavailable, "Layanan sedang tidak tersedia; silakan coba lagi."
	}
	req := domain.ActionRequest{Satisfied: &satisfied, FeedbackID: id,
		Actor: domain.Actor{Username: "pelapor", Role: domain.RoleComplainant}}
	if err := s.sendUpdate(c.Request.Context(), code, domain.ActionFeedback, req, "feedback:"+strconv.FormatInt(id, 10)); err != nil {
		if isRejection(err) {
			return http.StatusConflict, "Aduan ini sudah tidak menunggu tanggapan."
		}
		return http.StatusServiceUnavailable, "Layanan sedang tidak tersedia; silakan coba lagi."
	}
	return http.StatusOK, ""
}

// feedbackWords reads a WhatsApp or SMS reply to "did this solve your problem?": ok is
// false when the text is neither a yes nor a no (it is then kept as a message).
func feedbackWords(text string) (satisfied, ok bool) {
	first := strings.ToLower(strings.Trim(strings.Fields(text + " x")[0], ".,!?"))
	switch first {
	case "ya", "iya", "yes", "sudah", "selesai", "puas", "ok", "oke", "terima":
		return true, true
	case "tidak", "belum", "blm", "gak", "nggak", "enggak", "tdk", "no", "bukan":
		return false, true
	}
	return false, false
}

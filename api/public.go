package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"aduan/domain"
	"aduan/store"
)

// complaintCode reads the :code parameter, answering 404 itself when it is no code.
func complaintCode(c *gin.Context) (string, bool) {
	code := domain.NormalizeCode(c.Param("code"))
	if code == "" {
		notFound(c, "Kode aduan tidak ditemukan.")
		return "", false
	}
	return code, true
}

// loadComplaint reads a complaint, answering 404 or 503 itself when it cannot.
func (s *server) loadComplaint(c *gin.Context, code string) (store.Complaint, bool) {
	row, err := s.DB.Complaint(c.Request.Context(), code)
	if errors.Is(err, store.ErrNotFound) {
		notFound(c, "Kode aduan tidak ditemukan.")
		return row, false
	}
	if err != nil {
		unavailable(c, err)
		return row, false
	}
	return row, true
}

// trackComplaint is the complainant's tracking view.
func (s *server) trackComplaint(c *gin.Context) {
	code, ok := complaintCode(c)
	if !ok {
		return
	}
	s.respondTracking(c, code)
}

// respondTracking answers with the tracking view of a complaint.
func (s *server) respondTracking(c *gin.Context, code string) {
	row, ok := s.loadComplaint(c, code)
	if !ok {
		return
	}
	events, err := s.DB.Events(c.Request.Context(), code)
	if err != nil {
		unavailable(c, err)
		return
	}
	c.JSON(http.StatusOK, trackingViewOf(row, events))
}

// replyInfo is the complainant answering the admin's question. The reply is kept in
// PostgreSQL (it may identify them); the workflow gets its id only.
func (s *server) replyInfo(c *gin.Context) {
	code, ok := complaintCode(c)
	if !ok {
		return
	}
	var body struct {
		Text string `json:"text"`
	}
	if !readJSON(c, &body) {
		return
	}
	reply := domain.ActionRequest{Text: domain.CleanText(body.Text)}
	if fields := domain.ValidateFields(domain.ActionInfo, reply); len(fields) > 0 {
		invalid(c, fields)
		return
	}
	row, ok := s.loadComplaint(c, code)
	if !ok {
		return
	}
	if row.Status != domain.StatusAwaitingInfo {
		fail(c, http.StatusConflict, codeInvalidTransition, "Aduan ini tidak sedang menunggu informasi dari pelapor.", nil)
		return
	}
	id, err := s.DB.AddMessage(c.Request.Context(), code, row.Channel, reply.Text)
	if err != nil {
		unavailable(c, err)
		return
	}
	info := domain.ActionRequest{MessageID: id, Actor: domain.Actor{Username: "pelapor", Role: domain.RoleComplainant}}
	if s.update(c, row, domain.ActionInfo, info) {
		s.respondTracking(c, code)
	}
}

// page reads ?page= (1 when absent or bad).
func page(c *gin.Context) int {
	p, err := strconv.Atoi(c.Query("page"))
	if err != nil || p < 1 {
		return 1
	}
	return p
}

const perPage = 20

func (s *server) listPublications(c *gin.Context) {
	p := page(c)
	rows, total, err := s.DB.Publications(c.Request.Context(), store.PublicFilter{
		Kecamatan: c.Query("kecamatan"), Category: c.Query("category"), Q: c.Query("q"), Page: p, PerPage: perPage,
	})
	if err != nil {
		unavailable(c, err)
		return
	}
	items := make([]publication, 0, len(rows))
	for _, r := range rows {
		items = append(items, publicationOf(r))
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "page": p, "per_page": perPage, "total": total})
}

func (s *server) getPublication(c *gin.Context) {
	code, ok := complaintCode(c)
	if !ok {
		return
	}
	row, err := s.DB.Publication(c.Request.Context(), code)
	if errors.Is(err, store.ErrNotFound) {
		notFound(c, "Jawaban yang diterbitkan tidak ditemukan.")
		return
	}
	if err != nil {
		unavailable(c, err)
		return
	}
	c.JSON(http.StatusOK, publicationOf(row))
}

func (s *server) directory(c *gin.Context) {
	d, err := s.DB.Directory(c.Request.Context())
	if err != nil {
		unavailable(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"pokja": d.Pokja, "partners": d.Partners, "categories": domain.Categories,
		"kecamatan": d.Kecamatan, "channels": domain.Channels, "priorities": domain.Priorities,
		"reject_reasons": domain.RejectReasons})
}

package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"aduan/domain"
	"aduan/store"
	"aduan/workflows"
)

// tasks is the caller's inbox, soonest deadline first.
func (s *server) tasks(c *gin.Context) {
	actor := currentActor(c)
	rows, err := s.DB.Tasks(c.Request.Context(), actor, 200)
	if err != nil {
		unavailable(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": summariesOf(actor, rows)})
}

// searchComplaints lists the complaints the caller may see that match the query.
func (s *server) searchComplaints(c *gin.Context) {
	f := store.Filter{Status: c.Query("status"), Pokja: c.Query("pokja"), Partner: c.Query("partner"),
		Category: c.Query("category"), Kecamatan: c.Query("kecamatan"), Q: c.Query("q"), Page: page(c), PerPage: perPage}
	fields := map[string]string{}
	if f.Status != "" && !domain.Status(f.Status).Valid() {
		fields["status"] = "status tidak dikenal"
	}
	if f.Category != "" {
		if _, ok := domain.CategoryByID(f.Category); !ok {
			fields["category"] = "kategori tidak dikenal"
		}
	}
	if v := c.Query("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fields["overdue"] = "harus true atau false"
		}
		f.Overdue = &b
	}
	if len(fields) > 0 {
		invalid(c, fields)
		return
	}
	actor := currentActor(c)
	rows, total, err := s.DB.Search(c.Request.Context(), actor, f)
	if err != nil {
		unavailable(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": summariesOf(actor, rows), "page": f.Page, "per_page": f.PerPage, "total": total})
}

// staffComplaint is the full staff view with the audit trail.
func (s *server) staffComplaint(c *gin.Context) {
	code, ok := complaintCode(c)
	if !ok {
		return
	}
	s.respondStaffView(c, code, false)
}

// respondStaffView reads the complaint as the caller may see it and answers with it.
// justActed skips the visibility check: an action such as return or decline hands the
// complaint away, and its author still gets the view the action produced.
func (s *server) respondStaffView(c *gin.Context, code string, justActed bool) {
	row, ok := s.loadComplaint(c, code)
	if !ok {
		return
	}
	actor := currentActor(c)
	if !justActed && !workflows.CanView(actor, row.CaseState()) {
		fail(c, http.StatusForbidden, codeForbidden, "Aduan ini tidak ditugaskan kepada Anda.", nil)
		return
	}
	s.writeStaffView(c, actor, row, http.StatusOK)
}

// writeStaffView answers with the staff view of row, audit trail and messages included.
func (s *server) writeStaffView(c *gin.Context, actor domain.Actor, row store.Complaint, status int) {
	ctx := c.Request.Context()
	events, err := s.DB.Events(ctx, row.Code)
	if err != nil {
		unavailable(c, err)
		return
	}
	messages, err := s.DB.Messages(ctx, row.Code)
	if err != nil {
		unavailable(c, err)
		return
	}
	v := staffViewOf(actor, row, events, messages)
	if r, ok := c.Get(redactionsKey); ok {
		v.Redactions = r.([]domain.Redaction)
	}
	c.JSON(status, v)
}

package rest

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
	"aduan/domain"
)

func (h handlers) me(c *gin.Context) {
	u := user(c)
	out := gin.H{"username": u.Username, "name": u.Name, "role": u.Role}
	if u.Pokja != "" {
		out["pokja"] = u.Pokja
	}
	if u.Partner != "" {
		out["partner"] = u.Partner
	}
	c.JSON(http.StatusOK, out)
}

// register is an admin recording a complaint taken by phone or at the desk.
func (h handlers) register(c *gin.Context) {
	actor := user(c).Actor()
	if actor.Role != domain.RoleAdmin {
		respond.Fail(c, http.StatusForbidden, string(complaints.KindForbidden), "Hanya admin Call Center yang dapat mencatat aduan.", nil)
		return
	}
	var body intakeBody
	if !respond.ReadJSON(c, &body) {
		return
	}
	v, err := h.core.Register(c.Request.Context(), actor, body.request(), c.GetHeader("Idempotency-Key"))
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.JSON(http.StatusCreated, staffViewOf(v))
}

// tasks is the caller's inbox, soonest deadline first.
func (h handlers) tasks(c *gin.Context) {
	list, err := h.core.Tasks(c.Request.Context(), user(c).Actor())
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": summariesOf(list)})
}

// search lists the complaints the caller may see that match the query.
func (h handlers) search(c *gin.Context) {
	p, err := h.core.Search(c.Request.Context(), user(c).Actor(), complaints.SearchQuery{Status: c.Query("status"),
		Pokja: c.Query("pokja"), Partner: c.Query("partner"), Category: c.Query("category"),
		Kecamatan: c.Query("kecamatan"), Channel: c.Query("channel"), Overdue: c.Query("overdue"), Q: c.Query("q"), Page: page(c)})
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, pageOf(p, summaryOf))
}

// staffView is the full staff view with the audit trail.
func (h handlers) staffView(c *gin.Context) {
	code, ok := code(c)
	if !ok {
		return
	}
	v, err := h.core.StaffView(c.Request.Context(), user(c).Actor(), code)
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, staffViewOf(v))
}

// actionBody is an action's JSON body; until is read as text so that a bad time is
// reported on its field rather than as broken JSON.
type actionBody struct {
	domain.ActionRequest
	Until string `json:"until"`
}

// act runs a staff action: POST /api/v1/staff/complaints/{code}/actions/{action}.
func (h handlers) act(c *gin.Context) {
	code, ok := code(c)
	if !ok {
		return
	}
	actor, action := user(c).Actor(), domain.Action(c.Param("action"))
	if err := complaints.CheckAction(actor, action); err != nil {
		respond.Error(c, err)
		return
	}
	var body actionBody
	if !respond.ReadJSON(c, &body) {
		return
	}
	in := complaints.ActionInput{ActionRequest: body.ActionRequest, Until: body.Until}
	v, err := h.core.Act(c.Request.Context(), actor, code, action, in, c.GetHeader("Idempotency-Key"))
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, staffViewOf(v))
}

// notifications lists the caller's own notifications, newest first.
func (h handlers) notifications(c *gin.Context) {
	p, err := h.core.Notifications(c.Request.Context(), user(c).Username, page(c))
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, pageOf(p, notificationOf))
}

// report is GET /api/v1/staff/reports.
func (h handlers) report(c *gin.Context) {
	rep, err := h.core.Report(c.Request.Context(), user(c).Actor(), c.Query("from"), c.Query("to"))
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, reportOf(rep))
}

// reportCSV is GET /api/v1/staff/reports.csv.
func (h handlers) reportCSV(c *gin.Context) {
	rep, err := h.core.Report(c.Request.Context(), user(c).Actor(), c.Query("from"), c.Query("to"))
	if err != nil {
		respond.Error(c, err)
		return
	}
	sendCSV(c, rep)
}

// sendCSV answers with the report as CSV.
func sendCSV(c *gin.Context, rep complaints.Report) {
	data, err := complaints.ReportCSV(rep)
	if err != nil {
		respond.Error(c, err)
		return
	}
	respond.CSV(c, complaints.ReportFileName(rep), data)
}

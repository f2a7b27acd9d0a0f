// Package rest is the JSON API of API.md (/api/v1, /healthz, /readyz): each handler
// reads its input, calls the core (package complaints) and writes the answer.
package rest

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
	"aduan/domain"
)

type handlers struct{ core *complaints.Service }

// Register adds the JSON API's routes.
func Register(r *gin.Engine, core *complaints.Service) {
	h := handlers{core: core}
	r.GET("/healthz", h.healthz)
	r.GET("/readyz", h.readyz)

	v1 := r.Group("/api/v1")
	v1.POST("/complaints", h.rateLimited, h.submit)
	v1.GET("/complaints/:code", h.track)
	v1.POST("/complaints/:code/info", h.rateLimited, h.reply)
	v1.POST("/complaints/:code/feedback", h.rateLimited, h.feedback)
	v1.GET("/publications", h.publications)
	v1.GET("/publications/:code", h.publication)
	v1.GET("/directory", h.directory)

	staff := v1.Group("", h.authenticate)
	staff.GET("/me", h.me)
	staff.POST("/staff/complaints", h.register)
	staff.GET("/staff/tasks", h.tasks)
	staff.GET("/staff/notifications", h.notifications)
	staff.GET("/staff/callbacks", h.callBacks)
	staff.POST("/staff/callbacks/:id", h.recordCallBack)
	staff.GET("/staff/complaints", h.search)
	staff.GET("/staff/complaints/:code", h.staffView)
	staff.GET("/staff/complaints/:code/media/:id", h.media)
	staff.POST("/staff/complaints/:code/actions/:action", h.act)
	staff.GET("/staff/reports", h.report)
	staff.GET("/staff/reports.csv", h.reportCSV)
}

const userKey = "aduan.user"

// authenticate resolves the bearer token to a staff user, or answers 401.
func (h handlers) authenticate(c *gin.Context) {
	token, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !ok {
		token = ""
	}
	u, err := h.core.Authenticate(c.Request.Context(), strings.TrimSpace(token))
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.Set(userKey, u)
	c.Next()
}

func user(c *gin.Context) complaints.User { return c.MustGet(userKey).(complaints.User) }

// rateLimited answers 429 with Retry-After when a client submits too often.
func (h handlers) rateLimited(c *gin.Context) {
	if err := h.core.AllowClient(c.ClientIP()); err != nil {
		respond.Error(c, err)
		return
	}
	c.Next()
}

// code reads the :code parameter, answering 404 itself when it is no code.
func code(c *gin.Context) (string, bool) {
	code := domain.NormalizeCode(c.Param("code"))
	if code == "" {
		respond.NotFound(c, "Kode aduan tidak ditemukan.")
		return "", false
	}
	return code, true
}

// page reads ?page= (1 when absent or bad).
func page(c *gin.Context) int {
	p, err := strconv.Atoi(c.Query("page"))
	if err != nil || p < 1 {
		return 1
	}
	return p
}

func (h handlers) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// readyz reports whether PostgreSQL and Temporal both answer.
func (h handlers) readyz(c *gin.Context) {
	ready, checks := h.core.Ready(c.Request.Context())
	status := http.StatusOK
	if !ready {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, gin.H{"ready": ready, "checks": checks})
}

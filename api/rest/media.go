package rest

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
)

// media is GET /api/v1/staff/complaints/{code}/media/{id}: a file a complainant's message
// carried, for a user who may read the complaint's text (complaints.Service.Media). The
// bytes go as the type they were checked and kept as, a document as an attachment; a
// Range request gets its part (an audio player asks for them).
func (h handlers) media(c *gin.Context) {
	code, ok := code(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		respond.NotFound(c, "Berkas tidak ditemukan.")
		return
	}
	f, err := h.core.Media(c.Request.Context(), user(c).Actor(), code, id)
	if err != nil {
		respond.Error(c, err)
		return
	}
	respond.File(c, f)
}

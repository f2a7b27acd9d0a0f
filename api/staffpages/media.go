package staffpages

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
	"aduan/domain"
)

// media is GET /staf/aduan/{code}/media/{id}: a file a complainant's message carried,
// for the signed-in user when they may read the complaint's text
// (complaints.Service.Media); the complaint's page shows pictures with img, plays voice
// notes with audio and links documents here. The bytes go as the type they were checked
// and kept as, a document as an attachment; a Range request gets its part.
func (h handlers) media(c *gin.Context) {
	code := domain.NormalizeCode(c.Param("code"))
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if code == "" || err != nil || id <= 0 {
		h.fail(c, &complaints.Error{Kind: complaints.KindNotFound, Message: "Berkas tidak ditemukan."})
		return
	}
	f, err := h.core.Media(c.Request.Context(), user(c).Actor(), code, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	respond.File(c, f)
}

package rest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
	"aduan/domain"
)

// callBackJSON is a call to make: the text to read out to the complainant.
type callBackJSON struct {
	ID        int64             `json:"id"`
	Code      string            `json:"code"`
	Kind      domain.NotifyKind `json:"kind"`
	Phone     string            `json:"phone,omitempty"`
	Text      string            `json:"text"`
	Tries     int               `json:"tries"`
	LastTry   string            `json:"last_try,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
}

// callBacks is GET /api/v1/staff/callbacks: the operators' calls to make.
func (h handlers) callBacks(c *gin.Context) {
	list, err := h.core.CallBacks(c.Request.Context(), user(c).Actor())
	if err != nil {
		respond.Error(c, err)
		return
	}
	out := make([]callBackJSON, 0, len(list))
	for _, t := range list {
		out = append(out, callBackJSON{ID: t.ID, Code: t.Code, Kind: t.Kind, Phone: t.Phone, Text: t.Text, Tries: t.Tries,
			LastTry: t.LastTry, CreatedAt: t.CreatedAt})
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// recordCallBack is POST /api/v1/staff/callbacks/{id} with {"outcome": "told" or
// "no_answer", "note": "..."}.
func (h handlers) recordCallBack(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		respond.Error(c, &complaints.Error{Kind: complaints.KindNotFound, Message: "Tugas telepon balik tidak ditemukan."})
		return
	}
	var body struct {
		Outcome string `json:"outcome"`
		Note    string `json:"note"`
	}
	if !respond.ReadJSON(c, &body) {
		return
	}
	if err := h.core.RecordCallBack(c.Request.Context(), user(c).Actor(), id, body.Outcome, body.Note); err != nil {
		respond.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

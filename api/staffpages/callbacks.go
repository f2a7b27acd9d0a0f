package staffpages

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/complaints"
	"aduan/domain"
)

// Call-back tasks on the operator's inbox: the text to read out to a complainant who can
// only be reached by telephone, and a form to record the call.

// callBacksOf lists the viewer's calls to make (none but for admins).
func (h handlers) callBacksOf(c *gin.Context) []complaints.CallBackTask {
	u := user(c)
	if u.Role != domain.RoleAdmin {
		return nil
	}
	list, err := h.core.CallBacks(c.Request.Context(), u.Actor())
	if err != nil {
		return nil // the inbox still shows its complaints; the list comes back next time
	}
	return list
}

// recordCall is POST /staf/telepon/{id} (outcome told or no_answer, note).
func (h handlers) recordCall(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(c, &complaints.Error{Kind: complaints.KindNotFound, Message: "Tugas telepon balik tidak ditemukan."})
		return
	}
	err = h.core.RecordCallBack(c.Request.Context(), user(c).Actor(), id, c.PostForm("outcome"), c.PostForm("note"))
	if complaints.KindOf(err) == complaints.KindInvalid {
		// The only field a person can get wrong here is the outcome: say so on the inbox.
		items, _ := h.core.Tasks(c.Request.Context(), user(c).Actor())
		d := inboxData{Frame: h.frame(c, "Kotak masuk"), Items: items, CallBacks: h.callBacksOf(c)}
		d.Problem = "Pilih hasil panggilan: disampaikan, atau tidak diangkat."
		pages.Render(c, http.StatusBadRequest, "console-inbox", d)
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/staf?telepon="+strconv.FormatInt(id, 10)+"#telepon")
}

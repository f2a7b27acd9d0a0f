package staffpages

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/complaints"
	"aduan/domain"
)

// newData is the form an operator logs a phone call or a desk visit with.
type newData struct {
	Frame
	Form       complaints.IntakeRequest
	Errors     map[string]string
	Directory  complaints.Directory
	Categories []domain.Category
	// Code, once registered: shown large to read back to the caller.
	Code, Spelled string
}

// newComplaint is GET /staf/baru.
func (h handlers) newComplaint(c *gin.Context) {
	h.showNew(c, http.StatusOK, newData{Form: complaints.IntakeRequest{Channel: "phone"}})
}

func (h handlers) showNew(c *gin.Context, status int, d newData) {
	if user(c).Role != domain.RoleAdmin {
		h.fail(c, &complaints.Error{Kind: complaints.KindForbidden, Message: "Hanya admin Call Center yang dapat mencatat aduan."})
		return
	}
	d.Frame = h.frame(c, "Catat aduan telepon atau meja layanan")
	d.Directory, _ = h.core.Directory(c.Request.Context())
	d.Categories = domain.Categories
	pages.Render(c, status, "console-new", d)
}

// register is POST /staf/baru: the complaint is taken (taken_by: the operator) and its
// code shown large, to read back to the caller.
func (h handlers) register(c *gin.Context) {
	req := complaints.IntakeRequest{Channel: c.PostForm("channel"), Text: c.PostForm("text"), Name: c.PostForm("name"),
		Phone: c.PostForm("phone"), Email: c.PostForm("email"), Kecamatan: c.PostForm("kecamatan"),
		Desa: c.PostForm("desa"), Category: c.PostForm("category"),
		Anonymous: c.PostForm("anonymous") != "", Confidential: c.PostForm("confidential") != ""}
	key := c.PostForm("form_id")
	if !formIDPattern.MatchString(key) {
		key = ""
	}
	v, err := h.core.Register(c.Request.Context(), user(c).Actor(), req, key)
	switch complaints.KindOf(err) {
	case "":
		c.Redirect(http.StatusSeeOther, "/staf/baru/"+v.Code)
	case complaints.KindInvalid:
		d := newData{Form: req, Errors: complaints.AsError(err).Fields}
		d.Frame.Problem = "Aduan belum tercatat. Periksa isian yang ditandai."
		h.showNew(c, http.StatusBadRequest, d)
	default:
		h.fail(c, err)
	}
}

// registered is GET /staf/baru/{code}: the new complaint's code, large and spelled out.
func (h handlers) registered(c *gin.Context) {
	code := domain.NormalizeCode(c.Param("code"))
	d := newData{Form: complaints.IntakeRequest{Channel: "phone"}, Code: code, Spelled: pages.SpellCode(code)}
	h.showNew(c, http.StatusOK, d)
}

// boardData is the supervisors' board of open work.
type boardData struct {
	Frame
	Pokja, Partners []boardRow
}

// boardRow is a group's open work with its links: to the console's search and to the
// same set in the Temporal UI (a visibility query on our search attributes).
type boardRow struct {
	complaints.BoardRow
	OpenURL, OverdueURL           string
	TemporalOpen, TemporalOverdue string
}

// board is GET /staf/papan.
func (h handlers) board(c *gin.Context) {
	pokja, partners, err := h.core.Board(c.Request.Context(), user(c).Actor())
	if err != nil {
		h.fail(c, err)
		return
	}
	d := boardData{Frame: h.frame(c, "Papan kerja")}
	for _, r := range pokja {
		d.Pokja = append(d.Pokja, h.boardRow(r, "pokja", "AduanPokja", domain.RolePokja))
	}
	for _, r := range partners {
		d.Partners = append(d.Partners, h.boardRow(r, "partner", "AduanPartner", domain.RolePartner))
	}
	pages.Render(c, http.StatusOK, "console-board", d)
}

func (h handlers) boardRow(r complaints.BoardRow, param, attr string, role domain.Role) boardRow {
	base := url.Values{param: {r.Group}, "giliran": {"1"}}
	over := url.Values{param: {r.Group}, "giliran": {"1"}, "overdue": {"true"}}
	statuses := ""
	for i, s := range domain.StatusesWithBall(role) {
		if i > 0 {
			statuses += ", "
		}
		statuses += "'" + string(s) + "'"
	}
	q := attr + "='" + r.Group + "' AND AduanStatus IN (" + statuses + ") AND ExecutionStatus='Running'"
	return boardRow{BoardRow: r, OpenURL: "/staf/cari?" + base.Encode(), OverdueURL: "/staf/cari?" + over.Encode(),
		TemporalOpen: h.temporalQueryURL(q), TemporalOverdue: h.temporalQueryURL(q + " AND AduanOverdue=true")}
}

// temporalQueryURL is the Temporal UI's list of complaint workflows matching query.
func (h handlers) temporalQueryURL(query string) string {
	return strings.TrimRight(h.cfg.TemporalUIURL, "/") + "/namespaces/" + url.PathEscape(h.cfg.TemporalNamespace) + "/workflows?" +
		url.Values{"query": {query}}.Encode()
}

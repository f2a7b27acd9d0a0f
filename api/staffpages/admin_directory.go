package staffpages

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/complaints"
)

// directoryData is /staf/admin/direktori: pokja and partners (add, rename, retire,
// restore), kecamatan and desa (rename, retire, restore; a whole list comes with `aduan
// directory import FILE`), the fixed categories.
type directoryData struct {
	Frame
	Tabs      []adminTab
	CanManage bool
	Listing   complaints.DirectoryListing
	// Failed is the form that came back ("pokja/add", "desa/<id>/ganti-nama"…) with Form
	// (what was typed) and Errors (by field).
	Failed string
	// Focus is the entry just changed ("desa/<id>"): its kecamatan starts unfolded.
	Focus string
	// Selected is the kecamatan whose desa are shown with their change forms (the page
	// carries those of one kecamatan at a time, to stay small).
	Selected string
	Form     map[string]string
	Errors   map[string]string
}

// Err is the problem of field in the form key, when that form came back.
func (d directoryData) Err(key, field string) string {
	if d.Failed == key {
		return d.Errors[field]
	}
	return ""
}

// Value is what was typed in field of the form key, when that form came back.
func (d directoryData) Value(key, field, otherwise string) string {
	if d.Failed == key {
		return d.Form[field]
	}
	return otherwise
}

var directoryNotices = map[string]string{"tambah": "ditambahkan", "ganti-nama": "diganti namanya",
	"pensiunkan": "dipensiunkan (aduannya tetap; tidak menerima aduan baru)", "pulihkan": "dipulihkan"}

var kindNames = map[string]string{"pokja": "Pokja", "partner": "Lembaga mitra", "kecamatan": "Kecamatan", "desa": "Desa/kelurahan"}

// adminDirectory is GET /staf/admin/direktori.
func (h handlers) adminDirectory(c *gin.Context) {
	d := directoryData{Selected: c.Query("kecamatan")}
	if n, ok := directoryNotices[c.Query("ok")]; ok && kindNames[c.Query("jenis")] != "" {
		d.Notice = kindNames[c.Query("jenis")] + " " + c.Query("id") + " " + n + "."
		d.Focus = c.Query("jenis") + "/" + c.Query("id")
	}
	h.showDirectory(c, http.StatusOK, d)
}

func (h handlers) showDirectory(c *gin.Context, status int, d directoryData) {
	actor := user(c).Actor()
	l, err := h.core.DirectoryListing(c.Request.Context(), actor)
	if err != nil {
		h.fail(c, err)
		return
	}
	notice, problem := d.Notice, d.Problem
	d.Frame = h.frame(c, "Admin: direktori")
	d.Notice, d.Problem = notice, problem
	d.Tabs, d.Listing, d.CanManage = adminTabs("/staf/admin/direktori"), l, complaints.MayManageDirectory(actor)
	pages.Render(c, status, "admin-directory", d)
}

// directoryDone sends the browser back to the list with a notice.
func directoryDone(c *gin.Context, kind, id, op string) {
	anchor := kind
	if kind == "desa" {
		anchor = "kecamatan"
	}
	c.Redirect(http.StatusSeeOther, "/staf/admin/direktori?"+url.Values{"ok": {op}, "jenis": {kind}, "id": {id}}.Encode()+
		"#"+anchor)
}

// directoryRefused shows the list again with a refused form's problems beside its fields.
func (h handlers) directoryRefused(c *gin.Context, err error, key string, form map[string]string) {
	switch complaints.KindOf(err) {
	case complaints.KindInvalid:
		e := complaints.AsError(err)
		d := directoryData{Failed: key, Form: form, Errors: e.Fields}
		d.Problem = "Belum tersimpan. Periksa isian yang ditandai."
		h.showDirectory(c, http.StatusBadRequest, d)
	default:
		h.fail(c, err)
	}
}

// adminAddGroup is POST /staf/admin/direktori/{pokja|partner} (id, name).
func (h handlers) adminAddGroup(c *gin.Context) {
	kind := c.Param("kind")
	form := map[string]string{"id": c.PostForm("id"), "name": c.PostForm("name")}
	err := h.core.AddGroup(c.Request.Context(), user(c).Actor(), kind, form["id"], form["name"])
	if err != nil {
		h.directoryRefused(c, err, kind+"/add", form)
		return
	}
	directoryDone(c, kind, form["id"], "tambah")
}

// adminDirectoryOp is POST /staf/admin/direktori/{kind}/{id}/{op}: ganti-nama (name),
// pensiunkan or pulihkan, for a pokja, partner, kecamatan or desa.
func (h handlers) adminDirectoryOp(c *gin.Context) {
	ctx, by := c.Request.Context(), user(c).Actor()
	kind, id, op := c.Param("kind"), c.Param("id"), c.Param("op")
	group := kind == "pokja" || kind == "partner"
	form := map[string]string{"name": c.PostForm("name")}
	var err error
	switch {
	case op == "ganti-nama" && group:
		err = h.core.RenameGroup(ctx, by, kind, id, form["name"])
	case op == "ganti-nama":
		err = h.core.RenamePlace(ctx, by, kind, id, form["name"])
	case (op == "pensiunkan" || op == "pulihkan") && group:
		err = h.core.RetireGroup(ctx, by, kind, id, op == "pulihkan")
	case op == "pensiunkan" || op == "pulihkan":
		err = h.core.RetirePlace(ctx, by, kind, id, op == "pulihkan")
	default:
		h.fail(c, &complaints.Error{Kind: complaints.KindNotFound, Message: "Perintah tidak dikenal."})
		return
	}
	if err != nil {
		h.directoryRefused(c, err, kind+"/"+id+"/"+op, form)
		return
	}
	directoryDone(c, kind, id, op)
}

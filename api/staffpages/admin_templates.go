package staffpages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/complaints"
	"aduan/notify"
)

// The page /staf/admin/templat: every text Aduan sends, its wording and version in
// force, and the WhatsApp template to register at Meta. An admin changes one text at a
// time (a new version, in force for the next message) or puts its default back; a
// supervisor reads.

// registerAdminTemplates adds the page's routes.
func (h handlers) registerAdminTemplates(g *gin.RouterGroup) {
	g.GET("/admin/templat", h.signedIn, h.adminTemplates)
	g.POST("/admin/templat/:name", h.signedIn, h.adminSetTemplate)
	g.POST("/admin/templat/:name/bawaan", h.signedIn, h.adminResetTemplate)
}

// templatesData is /staf/admin/templat.
type templatesData struct {
	Frame
	Tabs      []adminTab
	CanManage bool
	Listing   complaints.TemplateListing
	Groups    []templateGroup
}

// templateGroup is one heading of the page: the texts of one audience and form.
type templateGroup struct {
	ID, Title, Hint string
	Texts           []templateRow
}

// templateRow is one text with its form: Value is what the field holds (the text in
// force, or what was typed in a form that came back with Error), Open whether it starts
// unfolded.
type templateRow struct {
	complaints.TemplateText
	Anchor, OnWhatsApp string
	Fields             []notify.Field
	Value, Error       string
	Open               bool
}

// templateGroups are the page's headings, in order.
var templateGroups = []templateGroup{
	{ID: "pelapor", Title: "Pesan kepada pelapor", Hint: "Lewat WhatsApp, SMS atau e-mail, sesuai kontak pelapor; " +
		"dibacakan petugas bila pelapor hanya dapat ditelepon balik. Harus tetap memuat kode aduan dan tautan lacak."},
	{ID: "staf", Title: "Pesan kepada staf", Hint: "Pengingat dan eskalasi, lewat saluran yang dipilih tiap pengguna. " +
		"Tidak pernah memuat data pribadi pelapor atau teks yang ditulis untuk pelapor."},
	{ID: "balasan", Title: "Balasan otomatis", Hint: "Jawaban atas pesan WhatsApp atau SMS yang tidak membuka aduan."},
	{ID: "teks-aduan", Title: "Teks aduan dari berkas tanpa keterangan", Hint: "Tidak dikirim: ditulis sebagai teks " +
		"aduan yang dibuka oleh berkas saja, agar staf tahu harus mendengar atau melihat lampirannya."},
}

// groupOf is the heading a text goes under (an index of templateGroups).
func groupOf(s notify.Spec) int {
	switch {
	case s.Form == notify.FormReply:
		return 2
	case s.Form == notify.FormComplaintText:
		return 3
	case s.Audience == notify.AudienceStaff:
		return 1
	}
	return 0
}

// anchorOf is a text's id on the page ("ack.pelapor": "ack-pelapor").
func anchorOf(name string) string { return strings.ReplaceAll(name, ".", "-") }

var templateNotices = map[string]string{
	"ubah":   "Teks %s disimpan sebagai versi %s dan berlaku untuk pesan berikutnya.",
	"bawaan": "Teks bawaan %s dipakai lagi mulai versi %s.",
	"sama":   "Teks %s tidak berubah; tidak ada versi baru.",
}

// adminTemplates is GET /staf/admin/templat.
func (h handlers) adminTemplates(c *gin.Context) {
	notice := ""
	if n, ok := templateNotices[c.Query("ok")]; ok {
		notice = strings.Replace(strings.Replace(n, "%s", c.Query("t"), 1), "%s", c.Query("v"), 1)
	}
	h.showTemplates(c, http.StatusOK, notice, refusedForm{})
}

// refusedForm is a text's form that came back: its name, what was typed (Typed: a text;
// the reset form has none) and why.
type refusedForm struct {
	Name, Text string
	Typed      bool
	Err        *complaints.Error
}

// showTemplates renders the page, with the refused form's text and reason beside its
// field.
func (h handlers) showTemplates(c *gin.Context, status int, notice string, refused refusedForm) {
	actor := user(c).Actor()
	l, lerr := h.core.Templates(c.Request.Context(), actor)
	if lerr != nil {
		h.fail(c, lerr)
		return
	}
	d := templatesData{Frame: h.frame(c, "Admin: teks pesan"), Tabs: adminTabs("/staf/admin/templat"),
		CanManage: complaints.MayManageTemplates(actor), Listing: l}
	d.Notice = notice
	if refused.Err != nil {
		d.Problem = "Teks " + refused.Name + " belum disimpan. Periksa isian yang ditandai."
		if refused.Err.Fields["text"] == "" {
			d.Problem = refused.Err.Message
		}
	}
	d.Groups = groupTemplates(l, c.Query("t"), refused)
	pages.Render(c, status, "admin-templates", d)
}

// groupTemplates puts every text of l under its heading, with its form: focus starts
// unfolded, and refused holds what was typed and why.
func groupTemplates(l complaints.TemplateListing, focus string, refused refusedForm) []templateGroup {
	name := notify.WhatsAppConfig{}.TemplateName()
	if len(l.WhatsApp) > 0 {
		name = l.WhatsApp[0].Name
	}
	groups := append([]templateGroup(nil), templateGroups...)
	for _, t := range l.Texts {
		row := templateRow{TemplateText: t, Anchor: anchorOf(t.Name), OnWhatsApp: t.WhatsAppNote(name), Fields: t.FieldHelp(),
			Value: t.Text, Open: t.Name == focus}
		if t.Name == refused.Name {
			row.Open = true
			if refused.Typed {
				row.Value = refused.Text
			}
			if refused.Err != nil {
				row.Error = refused.Err.Fields["text"]
			}
		}
		g := &groups[groupOf(t.Spec)]
		g.Texts = append(g.Texts, row)
	}
	return groups
}

// adminSetTemplate is POST /staf/admin/templat/{name} (text, versi: the version of the
// text the form was made from).
func (h handlers) adminSetTemplate(c *gin.Context) {
	name, text := c.Param("name"), c.PostForm("text")
	seen, _ := strconv.Atoi(c.PostForm("versi"))
	version, err := h.core.SetTemplate(c.Request.Context(), user(c).Actor(), name, text, seen)
	h.templateDone(c, refusedForm{Name: name, Text: text, Typed: true}, "ubah", version, err)
}

// adminResetTemplate is POST /staf/admin/templat/{name}/bawaan (versi).
func (h handlers) adminResetTemplate(c *gin.Context) {
	name := c.Param("name")
	seen, _ := strconv.Atoi(c.PostForm("versi"))
	version, err := h.core.ResetTemplate(c.Request.Context(), user(c).Actor(), name, seen)
	h.templateDone(c, refusedForm{Name: name}, "bawaan", version, err)
}

// templateDone sends the browser back to the text with a notice, or shows the page again
// with the refusal beside the field.
func (h handlers) templateDone(c *gin.Context, form refusedForm, op string, version int, err error) {
	name := form.Name
	switch complaints.KindOf(err) {
	case "":
		if version == 0 {
			op = "sama"
		}
		q := url.Values{"ok": {op}, "t": {name}, "v": {strconv.Itoa(version)}}
		c.Redirect(http.StatusSeeOther, "/staf/admin/templat?"+q.Encode()+"#t-"+anchorOf(name))
	case complaints.KindInvalid:
		form.Err = complaints.AsError(err)
		h.showTemplates(c, http.StatusBadRequest, "", form)
	default:
		h.fail(c, err)
	}
}

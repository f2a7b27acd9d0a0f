package staffpages

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/complaints"
	"aduan/domain"
)

// caseData is a complaint's page: what the user may see of it, its audit trail, and one
// form per action the workflow allows the user now.
type caseData struct {
	Frame
	View       complaints.StaffView
	Directory  complaints.Directory
	Categories []domain.Category
	Priorities []string
	Reasons    []string
	// Failed is the action whose form came back with Errors, filled with Form.
	Failed  domain.Action
	Form    map[string]string
	Errors  map[string]string
	Preview *complaints.PublicationPreview
	// Upcoming is what the stage's clock does next (at most a few points).
	Upcoming []upcoming
}

// upcoming is one point of the stage's plan as the page shows it.
type upcoming struct {
	At   time.Time
	What string
}

// pointLabels say what each point of a plan does.
var pointLabels = map[domain.PointKind]string{
	domain.PointReminder:        "Pengingat kepada yang memegang giliran",
	domain.PointDeadline:        "Tenggat tahap ini; lewat dari itu aduan terlambat dan supervisor diberi tahu",
	domain.PointEscalateHead:    "Eskalasi ke kepala dinas bila masih terlambat",
	domain.PointOverdueReminder: "Pengingat keterlambatan",
	domain.PointClose:           "Aduan ditutup otomatis bila tidak ada tanggapan",
}

// upcomingOf keeps the first points of the plan that a person acts on.
func upcomingOf(points []domain.Point) []upcoming {
	var out []upcoming
	for _, p := range points {
		if label, ok := pointLabels[p.Kind]; ok && len(out) < 5 {
			out = append(out, upcoming{At: p.At, What: label})
		}
	}
	return out
}

// Has reports whether the user may take action a now (the form is shown).
func (d caseData) Has(a string) bool {
	for _, x := range d.View.AllowedActions {
		if string(x) == a {
			return true
		}
	}
	return false
}

// Value is the form's value of field for action a: what was typed when it failed.
func (d caseData) Value(a, field string) string {
	if string(d.Failed) == a {
		return d.Form[field]
	}
	return ""
}

// Err is the problem of field in action a's form.
func (d caseData) Err(a, field string) string {
	if string(d.Failed) == a {
		return d.Errors[field]
	}
	return ""
}

// PlaceName is the name of kecamatan (desa "") or of desa in the directory, its ID when
// the directory does not know it.
func (d caseData) PlaceName(kecamatan, desa string) string {
	for _, k := range d.Directory.Kecamatan {
		if desa == "" && k.ID == kecamatan {
			return k.Name
		}
		for _, x := range k.Desa {
			if desa != "" && x.ID == desa {
				return x.Name
			}
		}
	}
	if desa != "" {
		return desa
	}
	return kecamatan
}

// formFields are the fields an action's form may send.
var formFields = []string{"pokja", "partner", "category", "priority", "title", "note", "question", "reason",
	"duplicate_of", "answer", "public_title", "public_answer", "until"}

// complaint is GET /staf/aduan/{code}.
func (h handlers) complaint(c *gin.Context) {
	h.showCase(c, http.StatusOK, caseData{})
}

// showCase renders the complaint's page with d's form state.
func (h handlers) showCase(c *gin.Context, status int, d caseData) {
	code := domain.NormalizeCode(c.Param("code"))
	if code == "" {
		h.fail(c, &complaints.Error{Kind: complaints.KindNotFound, Message: "Kode aduan tidak ditemukan."})
		return
	}
	v, err := h.core.StaffView(c.Request.Context(), user(c).Actor(), code)
	if err != nil {
		h.fail(c, err)
		return
	}
	d.Frame = h.frame(c, "Aduan "+code)
	d.View = v
	d.Directory, _ = h.core.Directory(c.Request.Context())
	d.Categories, d.Priorities, d.Reasons = domain.Categories, domain.Priorities, domain.RejectReasons
	if points, err := h.core.Upcoming(c.Request.Context(), v); err == nil {
		d.Upcoming = upcomingOf(points)
	}
	if d.Notice == "" && c.Query("ok") != "" {
		d.Notice = "Tersimpan: " + actionLabels[domain.Action(c.Query("ok"))] + "."
	}
	pages.Render(c, status, "console-case", d)
}

// act is POST /staf/aduan/{code}/aksi/{action}: one action through the core. On success
// the browser goes back to the complaint's page (or to the inbox when the action handed
// the complaint away); a refused form comes back with each problem beside its field.
func (h handlers) act(c *gin.Context) {
	code := domain.NormalizeCode(c.Param("code"))
	action := domain.Action(c.Param("action"))
	form := map[string]string{}
	for _, f := range formFields {
		form[f] = c.PostForm(f)
	}
	in := complaints.ActionInput{ActionRequest: domain.ActionRequest{Pokja: form["pokja"], Partner: form["partner"],
		Category: form["category"], Priority: form["priority"], Title: form["title"], Note: form["note"],
		Question: form["question"], Reason: form["reason"], DuplicateOf: form["duplicate_of"], Answer: form["answer"],
		PublicTitle: form["public_title"], PublicAnswer: form["public_answer"]}}
	if u := strings.TrimSpace(form["until"]); u != "" {
		in.Until = localToRFC3339(u, h.core.Location(c.Request.Context()))
	}
	actor := user(c).Actor()
	// The page's form id makes a double tap or a resent form one action (one Update).
	key := c.PostForm("form_id")
	if !formIDPattern.MatchString(key) {
		key = ""
	}
	v, err := h.core.Act(c.Request.Context(), actor, code, action, in, key)
	switch complaints.KindOf(err) {
	case "":
		if !domain.CanView(actor, domain.CaseState{Pokja: v.Pokja, Partner: v.Partner}) {
			// Handed away (return, decline, forward by a partner…): back to the inbox.
			c.Redirect(http.StatusSeeOther, "/staf?ok="+string(action))
			return
		}
		c.Redirect(http.StatusSeeOther, "/staf/aduan/"+code+"?ok="+string(action))
	case complaints.KindInvalid:
		e := complaints.AsError(err)
		d := caseData{Failed: action, Form: form, Errors: e.Fields}
		if len(e.Fields) == 0 {
			d.Problem = e.Message
		} else {
			d.Problem = "Aksi belum tersimpan. Periksa isian yang ditandai."
		}
		h.showCase(c, http.StatusBadRequest, d)
	case complaints.KindForbidden, complaints.KindInvalidTransition:
		d := caseData{}
		d.Problem = complaints.AsError(err).Message
		h.showCase(c, http.StatusConflict, d)
	default:
		h.fail(c, err)
	}
}

// preview is POST /staf/aduan/{code}/pratinjau: what publish will make public, with the
// redactions it will make, before anything is published.
func (h handlers) preview(c *gin.Context) {
	p := complaints.PreviewPublication(c.PostForm("public_title"), c.PostForm("public_answer"))
	form := map[string]string{"public_title": c.PostForm("public_title"), "public_answer": c.PostForm("public_answer")}
	h.showCase(c, http.StatusOK, caseData{Preview: &p, Failed: domain.ActionPublish, Form: form})
}

// localToRFC3339 reads a datetime-local field ("2026-12-01T17:00") in the regency's zone.
// What does not parse is passed on as typed, so the core names the field's problem.
func localToRFC3339(s string, zone *time.Location) string {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t.Format(time.RFC3339)
		}
	}
	return s
}

// actionLabels name the actions on buttons and notices.
var actionLabels = map[domain.Action]string{
	domain.ActionTriage: "Teruskan ke pokja", domain.ActionRequestInfo: "Tanya pelapor", domain.ActionReject: "Tolak",
	domain.ActionReturn: "Kembalikan ke admin", domain.ActionForward: "Teruskan ke lembaga mitra",
	domain.ActionAnswer: "Jawab", domain.ActionPartnerAnswer: "Jawab (lembaga mitra)", domain.ActionDecline: "Tolak penugasan",
	domain.ActionApprove: "Setujui jawaban", domain.ActionSendBack: "Kembalikan ke mitra", domain.ActionPublish: "Terbitkan",
	domain.ActionClose: "Tutup (jawaban disampaikan langsung)", domain.ActionReassign: "Alihkan",
	domain.ActionExtend: "Perpanjang tenggat", domain.ActionNote: "Catatan internal",
}

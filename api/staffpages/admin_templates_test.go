package staffpages

import (
	"strings"
	"testing"
	"time"

	"aduan/complaints"
	"aduan/domain"
	"aduan/notify"
	"aduan/store"
)

// templateListing is the page's listing of the defaults, one text (ack.pelapor) changed
// at version 3.
func templateListing() complaints.TemplateListing {
	set, _ := notify.NewTemplates(3, map[string]string{"ack.pelapor": "Aduan <b>{{.Code}}</b> diterima. Lacak: {{.Link}}"})
	l := complaints.TemplateListing{Version: 3, CreatedBy: "admin", CreatedAt: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC),
		Note: "lebih singkat", WhatsApp: notify.WhatsAppTemplates(notify.WhatsAppConfig{}, set),
		History: []store.TemplateVersion{
			{Version: 3, CreatedBy: "admin", CreatedAt: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC), Note: "lebih singkat",
				Changed: []string{"ack.pelapor", "greeting"}, Texts: map[string]string{"ack.pelapor": "x"}},
			{Version: 2, CreatedBy: "cli:root", CreatedAt: time.Date(2026, 3, 1, 1, 0, 0, 0, time.UTC), Changed: []string{"greeting"},
				Texts: map[string]string{"greeting": "Halo."}}}}
	for _, s := range notify.Catalog() {
		text, custom := set.Text(s.Name)
		v := 0
		if custom {
			v = 3
		}
		l.Texts = append(l.Texts, complaints.TemplateText{Spec: s, Text: text, Custom: custom, Version: v,
			Example: notify.Example(set, s.Name)})
	}
	return l
}

// TestAdminTemplatesPageRender: every text with its wording and version, the WhatsApp
// template to register, a form per text for the admin (CSRF token, label, the refusal
// beside the field with what was typed), none for a supervisor.
func TestAdminTemplatesPageRender(t *testing.T) {
	l := templateListing()
	refused := refusedForm{Name: "reminder.staff", Text: "Pengingat {{.Answer}}", Typed: true,
		Err: &complaints.Error{Kind: complaints.KindInvalid, Fields: map[string]string{"text": "Templat reminder.staff untuk staf tidak boleh memakai {{.Answer}}: isi itu hanya untuk pelapor."}}}
	d := templatesData{Frame: frame(domain.RoleAdmin), Tabs: adminTabs("/staf/admin/templat"), CanManage: true, Listing: l,
		Groups: groupTemplates(l, "", refused)}
	out := render(t, "admin-templates", d)
	checkForms(t, "admin-templates", out)
	for _, want := range []string{
		`<b>Teks pesan</b>`, `<b id="templates-version">3</b>`, "dibuat oleh admin", "lebih singkat",
		`<code>aduan_pembaruan</code>`, `<code>UTILITY</code>`, "Kabar dari layanan Aduan:", "Contoh untuk {{1}}",
		`id="t-ack-pelapor"`, "diubah, versi 3", `Aduan &lt;b&gt;{{.Code}}&lt;/b&gt; diterima.`,
		`action="/staf/admin/templat/ack.pelapor/bawaan"`, `<input type="hidden" name="versi" value="3">`,
		`<label for="text-reminder-staff">Teks reminder.staff</label>`, `id="t-reminder-staff" open`,
		">Pengingat {{.Answer}}</textarea>", "tidak boleh memakai {{.Answer}}", "Selalu lewat templat aduan_pembaruan",
		"[Aduan] Aduan Anda diterima — kode aduan", "<code>{{.FeedbackLink}}</code>", "Balasan salam", "media_only.audio",
		"Aduan &lt;b&gt;ADU-7K3Q-XW2M&lt;/b&gt; diterima. Lacak: https://aduan.example.go.id/lacak/ADU-7K3Q-XW2M",
		"Riwayat versi", "<td>cli:root</td>", "<code>ack.pelapor</code>, <code>greeting</code> (kembali ke bawaan)</td><td>lebih singkat</td>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the templates page lacks %q", want)
		}
	}
	for _, s := range notify.Catalog() {
		if !strings.Contains(out, `<code>`+s.Name+`</code>`) {
			t.Errorf("the page does not list %s", s.Name)
		}
	}
	if strings.Count(out, `action="/staf/admin/templat/`) != len(notify.Catalog())+1 { // one reset form: ack.pelapor's
		t.Errorf("%d forms, want one per text and one reset", strings.Count(out, `action="/staf/admin/templat/`))
	}
	// Only the changed text may be put back; a text not sent says nothing of WhatsApp.
	if strings.Contains(out, `action="/staf/admin/templat/reminder.staff/bawaan"`) {
		t.Error("a default text offers to put the default back")
	}

	d.CanManage, d.Frame = false, frame(domain.RoleSupervisor)
	d.Groups = groupTemplates(l, "", refusedForm{})
	out = render(t, "admin-templates", d)
	if strings.Contains(out, `action="/staf/admin/templat/`) || strings.Contains(out, "<textarea") {
		t.Error("a supervisor is offered to change a text")
	}
	for _, want := range []string{"Hanya admin Call Center yang dapat mengubah teks.", `<dd id="text-ack-pelapor">Aduan &lt;b&gt;{{.Code}}`} {
		if !strings.Contains(out, want) {
			t.Errorf("the supervisor's page lacks %q", want)
		}
	}
}

// TestAdminTabsListTemplates: the texts' page is a tab beside the others.
func TestAdminTabsListTemplates(t *testing.T) {
	tabs := adminTabs("/staf/admin/templat")
	last := tabs[len(tabs)-1]
	if last.Path != "/staf/admin/templat" || last.Label != "Teks pesan" || !last.Current || tabs[0].Current {
		t.Errorf("tabs %+v", tabs)
	}
}

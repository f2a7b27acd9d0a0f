package staffpages

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/complaints"
	"aduan/domain"
	"aduan/store"
)

// render runs one console template with data and returns the page.
func render(t *testing.T, name string, data any) string {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, "/staf", nil)
	pages.Render(c, http.StatusOK, name, data)
	if w.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", name, w.Code, w.Body.String())
	}
	return w.Body.String()
}

func frame(role domain.Role) Frame {
	return Frame{Title: "Uji", User: complaints.User{Username: "u", Name: "Pengguna <Uji>", Role: role, Pokja: "logistik"},
		CSRF: "tok-csrf", Admin: role == domain.RoleAdmin, Overseer: role == domain.RoleAdmin || role == domain.RoleSupervisor,
		Zone: domain.ZoneAt(8), FormID: newFormID()}
}

func TestConsoleTemplatesRender(t *testing.T) {
	deadline := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	sum := complaints.Summary{Code: "ADU-7K3Q-XW2M", Status: domain.StatusAtPokja, Channel: "phone", Title: "Beras <b>belum</b> sampai",
		Pokja: "logistik", Deadline: &deadline, Overdue: true, CreatedAt: deadline.Add(-72 * time.Hour)}
	dir := complaints.Directory{Pokja: []store.Group{{ID: "logistik", Name: "Pokja Logistik"}},
		Partners:  []store.Group{{ID: "ypii", Name: "Yayasan Plan"}},
		Kecamatan: []store.Kecamatan{{ID: "simboro", Name: "Simboro", Desa: []store.Desa{{ID: "botteng", KecamatanID: "simboro", Name: "Botteng"}}}}}

	out := render(t, "console-inbox", inboxData{Frame: frame(domain.RolePokja), Items: []complaints.Summary{sum}})
	for _, want := range []string{`lang="id"`, "ADU-7K3Q-XW2M", "TERLAMBAT", "1 Desember 2026, 16.00 WITA", "Beras &lt;b&gt;belum&lt;/b&gt;", `name="csrf_token" value="tok-csrf"`} {
		if !strings.Contains(out, want) {
			t.Errorf("inbox lacks %q", want)
		}
	}
	if strings.Contains(out, `href="/staf/baru"`) {
		t.Error("a pokja member is offered to register complaints")
	}

	render(t, "console-search", searchData{Frame: frame(domain.RoleAdmin), Directory: dir, Statuses: domain.AllStatuses,
		Categories: domain.Categories, Channels: domain.Channels, Result: complaints.Page[complaints.Summary]{Items: []complaints.Summary{sum}, Total: 1}})
	render(t, "console-notifications", notificationsData{Frame: frame(domain.RoleAdmin)})
	render(t, "console-message", frame(domain.RoleAdmin))
	board := render(t, "console-board", boardData{Frame: frame(domain.RoleSupervisor),
		Pokja: []boardRow{{BoardRow: complaints.BoardRow{Group: "logistik", Name: "Pokja Logistik", Open: 3, Overdue: 1, OldestDeadline: &deadline},
			OpenURL: "/staf/cari?pokja=logistik", TemporalOpen: "http://localhost:8233/namespaces/default/workflows?query=x"}}})
	if !strings.Contains(board, "Pokja Logistik") || !strings.Contains(board, "localhost:8233") {
		t.Errorf("board: %s", board)
	}
	render(t, "console-new", newData{Frame: frame(domain.RoleAdmin), Directory: dir, Categories: domain.Categories,
		Errors: map[string]string{"text": "minimal 10 karakter"}})
	if out := render(t, "console-new", newData{Frame: frame(domain.RoleAdmin), Code: "ADU-7K3Q-XW2M", Spelled: "ADU – tujuh"}); !strings.Contains(out, `class="big"`) {
		t.Error("the registered code is not shown large")
	}

	view := complaints.StaffView{Summary: sum, Text: "Isi aduan", Events: []complaints.Event{{Seq: 1, At: deadline, Actor: "pelapor",
		Role: "complainant", Action: "submit", Status: domain.StatusReceived}},
		AllowedActions: domain.AllowedActions(domain.Actor{Role: domain.RoleAdmin}, domain.CaseState{Status: domain.StatusReceived})}
	for _, st := range domain.AllStatuses {
		for _, role := range []domain.Role{domain.RoleAdmin, domain.RolePokja, domain.RolePartner, domain.RoleSupervisor} {
			actor := domain.Actor{Role: role, Pokja: "logistik", Partner: "ypii"}
			view.Status = st
			view.AllowedActions = domain.AllowedActions(actor, domain.CaseState{Status: st, Pokja: "logistik", Partner: "ypii"})
			render(t, "console-case", caseData{Frame: frame(role), View: view, Directory: dir, Categories: domain.Categories,
				Priorities: domain.Priorities, Reasons: domain.RejectReasons})
		}
	}
	view.Status = domain.StatusReadyToPublish
	view.AllowedActions = []domain.Action{domain.ActionPublish, domain.ActionNote}
	p := complaints.PreviewPublication("Jawaban", "Hubungi 0812-3456-7890")
	out = render(t, "console-case", caseData{Frame: frame(domain.RoleAdmin), View: view, Directory: dir, Preview: &p,
		Failed: domain.ActionPublish, Form: map[string]string{"public_title": "Jawaban", "public_answer": "Hubungi 0812-3456-7890"}})
	if !strings.Contains(out, "1 nomor telepon") || !strings.Contains(out, "[nomor telepon disamarkan]") {
		t.Errorf("preview does not show the redaction: %s", out)
	}
	view.Status = domain.StatusReceived
	view.AllowedActions = []domain.Action{domain.ActionTriage}
	out = render(t, "console-case", caseData{Frame: frame(domain.RoleAdmin), View: view, Directory: dir, Categories: domain.Categories,
		Priorities: domain.Priorities, Failed: domain.ActionTriage, Form: map[string]string{"title": "Judul <x>"},
		Errors: map[string]string{"pokja": "wajib diisi"}})
	if !strings.Contains(out, "Wajib diisi") || !strings.Contains(out, `value="Judul &lt;x&gt;"`) {
		t.Errorf("a refused triage form lacks its error or its value")
	}
}

// A conversation as staff see it: a photo, a voice note, a document, a location and the
// messages sent back with their delivery states.
func TestConsoleCaseConversation(t *testing.T) {
	at := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	view := complaints.StaffView{Summary: complaints.Summary{Code: "ADU-AAAA-BBBB", Status: domain.StatusReceived, Channel: "whatsapp",
		CreatedAt: at}, Text: "(Pesan suara dari pelapor, tanpa teks. Dengarkan lampirannya.)"}
	view.Messages = []complaints.Message{
		{ID: 1, At: at, Channel: "whatsapp", Kind: domain.MessageImage, Text: "Foto beras <rusak>",
			Media: &complaints.MediaInfo{ID: 11, Kind: domain.MessageImage, State: "stored", MimeType: "image/jpeg", Size: 2048}},
		{ID: 2, At: at, Channel: "whatsapp", Kind: domain.MessageAudio,
			Media: &complaints.MediaInfo{ID: 12, Kind: domain.MessageAudio, State: "stored", MimeType: "audio/ogg", Voice: true}},
		{ID: 3, At: at, Channel: "whatsapp", Kind: domain.MessageDocument, Text: "Daftar",
			Media: &complaints.MediaInfo{ID: 13, Kind: domain.MessageDocument, State: "pending", Filename: "daftar.pdf"}},
		{ID: 4, At: at, Channel: "whatsapp", Kind: domain.MessageLocation,
			Location: &complaints.Location{Latitude: -2.6749, Longitude: 118.8885, Name: "Posko Bebanga"}},
	}
	view.Outbox = []complaints.Sent{
		{At: at, Kind: domain.NotifyAck, Channel: "whatsapp", SentVia: "whatsapp:text", DeliveryStatus: "failed",
			DeliveryError: "131047 Re-engagement message"},
		{At: at, Kind: domain.NotifyAck, Channel: "whatsapp", SentVia: "whatsapp:template:aduan_pembaruan", DeliveryStatus: "read", Resend: true},
	}
	out := render(t, "console-case", caseData{Frame: frame(domain.RoleAdmin), View: view})
	for _, want := range []string{`<img src="/staf/aduan/ADU-AAAA-BBBB/media/11"`, "Foto beras &lt;rusak&gt;",
		`<audio controls preload="none" src="/staf/aduan/ADU-AAAA-BBBB/media/12" aria-label="Pesan suara dari pelapor"`,
		"whatsapp · pesan suara", "Dokumen sedang diambil dari WhatsApp",
		`href="https://www.openstreetmap.org/?mlat=-2.674900&amp;mlon=118.888500#map=17/-2.674900/118.888500"`,
		"Lihat lokasi di peta: Posko Bebanga", "GAGAL</span>: 131047 Re-engagement message", "(dikirim ulang)", "dibaca", "tanda terima (kode aduan)"} {
		if !strings.Contains(out, want) {
			t.Errorf("complaint page lacks %q", want)
		}
	}
	list := render(t, "console-inbox", inboxData{Frame: frame(domain.RoleAdmin),
		Items: []complaints.Summary{{Code: "ADU-AAAA-BBBB", Status: domain.StatusReceived, NeedsReview: true}},
		CallBacks: []complaints.CallBackTask{{ID: 5, Code: "ADU-AAAA-BBBB", Kind: domain.NotifyQuestion, Phone: "62426123456",
			Text: "Kami memerlukan <keterangan>", Tries: 1, LastTry: "tidak diangkat", CreatedAt: at}}})
	checkForms(t, "console-inbox", list)
	for _, want := range []string{"perlu didengar/dilihat", "Telepon balik pelapor (1)", "telepon <b>62426123456</b>",
		"Kami memerlukan &lt;keterangan&gt;", `action="/staf/telepon/5"`, `value="told"`, `value="no_answer"`, "sudah dicoba 1 kali"} {
		if !strings.Contains(list, want) {
			t.Errorf("the admin's inbox lacks %q", want)
		}
	}
}

func TestLocalToRFC3339(t *testing.T) {
	if got := localToRFC3339("2026-12-01T17:00", domain.ZoneAt(8)); got != "2026-12-01T17:00:00+08:00" {
		t.Errorf("got %q", got)
	}
	if got := localToRFC3339("besok", domain.ZoneAt(8)); got != "besok" {
		t.Errorf("got %q", got)
	}
}

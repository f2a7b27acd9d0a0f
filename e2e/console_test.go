package e2e

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var formIDInput = regexp.MustCompile(`name="form_id" value="([^"]+)"`)

// maxPage is the console's page budget: usable on a slow phone connection.
const maxPage = 50 << 10

// consoleForm is a form of the page at path: its csrf_token and form_id with fields.
func consoleForm(t *testing.T, b *staffBrowser, path string, fields url.Values) url.Values {
	t.Helper()
	res, body := b.get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%.500s", path, res.StatusCode, body)
	}
	if len(body) > maxPage {
		t.Errorf("GET %s: %d bytes, over the %d-byte budget", path, len(body), maxPage)
	}
	m := formIDInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("GET %s: no form_id", path)
	}
	fields.Set("csrf_token", csrfOf(t, body))
	fields.Set("form_id", m[1])
	return fields
}

// consoleAct posts one action's form from the complaint's page and wants a redirect.
func consoleAct(t *testing.T, b *staffBrowser, code, action string, fields url.Values) string {
	t.Helper()
	form := consoleForm(t, b, "/staf/aduan/"+code, fields)
	res, body := b.post("/staf/aduan/"+code+"/aksi/"+action, form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s from the console: %d\n%.800s", action, res.StatusCode, body)
	}
	return res.Header.Get("Location")
}

// TestConsoleWalk: a phone call carried to a published answer in the console, by the
// four kinds of users, without the JSON API: the operator logs the call and triages it,
// the pokja forwards, the partner answers, the pokja approves, the operator previews the
// redaction and publishes; the supervisor's board and the role limits along the way.
func TestConsoleWalk(t *testing.T) {
	admin := loginAs(t, "admin")
	text := "Telepon: bantuan beras belum sampai di dusun kami sejak minggu lalu " + randomHex(4)

	// The operator logs a phone call; a missing text comes back beside its field.
	form := consoleForm(t, admin, "/staf/baru", url.Values{"channel": {"phone"}, "text": {"pendek"}})
	res, body := admin.post("/staf/baru", form)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Minimal 10 karakter") || !strings.Contains(body, ">pendek</textarea>") {
		t.Fatalf("a short text: %d, want the form back with its problem and what was typed\n%.600s", res.StatusCode, body)
	}
	form = consoleForm(t, admin, "/staf/baru", url.Values{"channel": {"phone"}, "text": {text},
		"kecamatan": {"simboro"}, "desa": {"botteng"}, "name": {"Ibu Rahma"}, "phone": {"0812 7777 1234"}})
	res, _ = admin.post("/staf/baru", form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/staf/baru/ADU-") {
		t.Fatalf("register: %d %q", res.StatusCode, loc)
	}
	code := strings.TrimPrefix(loc, "/staf/baru/")
	if res, body = admin.get(loc); res.StatusCode != 200 || !strings.Contains(body, `class="big">`+code) {
		t.Fatalf("the code is not shown large: %d", res.StatusCode)
	}
	v := view(t, "admin", code)
	if v.Channel != "phone" || v.TakenBy != "admin" || v.Text != text || v.Desa != "botteng" {
		t.Fatalf("registered: %+v", v)
	}

	// Triage: a form without its pokja comes back with the problem beside the field.
	res, body = admin.post("/staf/aduan/"+code+"/aksi/triage", consoleForm(t, admin, "/staf/aduan/"+code,
		url.Values{"category": {"bantuan_logistik"}, "priority": {"high"}, "title": {"Beras belum sampai di Botteng"}}))
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Wajib diisi") ||
		!strings.Contains(body, `value="Beras belum sampai di Botteng"`) {
		t.Fatalf("triage without pokja: %d\n%.800s", res.StatusCode, body)
	}
	consoleAct(t, admin, code, "triage", url.Values{"pokja": {"logistik"}, "category": {"bantuan_logistik"},
		"priority": {"high"}, "title": {"Beras belum sampai di Botteng"}})
	// The page says what the new stage's clock does next: reminders and the deadline.
	if _, body := admin.get("/staf/aduan/" + code); !strings.Contains(body, "Jadwal tahap ini") ||
		!strings.Contains(body, "Tenggat tahap ini; lewat") {
		t.Errorf("the complaint page shows no stage plan")
	}

	// The pokja finds it in its inbox and forwards it; another pokja may not open it.
	pokja := loginAs(t, "pokja-logistik")
	if res, body := pokja.get("/staf"); res.StatusCode != 200 || !strings.Contains(body, code) {
		t.Fatalf("pokja inbox: %d, lists %s: %v", res.StatusCode, code, strings.Contains(body, code))
	}
	other := loginAs(t, "pokja-hunian")
	if res, body := other.get("/staf/aduan/" + code); res.StatusCode != http.StatusForbidden || strings.Contains(body, text) ||
		strings.Contains(body, "Ibu Rahma") {
		t.Errorf("another pokja's complaint page: %d (must be 403 without its text)", res.StatusCode)
	}
	consoleAct(t, pokja, code, "forward", url.Values{"partner": {"ypii"}, "note": {"Mohon dicek jadwal distribusi"}})

	// The partner answers from a phone-sized page; the pokja approves.
	partner := loginAs(t, "mitra-ypii")
	if res, body := partner.get("/staf/aduan/" + code); res.StatusCode != 200 || strings.Contains(body, "Ibu Rahma") ||
		strings.Contains(body, "0812") {
		t.Errorf("partner's page: %d, shows the complainant's identity: %v", res.StatusCode, strings.Contains(body, "Ibu Rahma"))
	}
	consoleAct(t, partner, code, "partner_answer", url.Values{"answer": {"Distribusi beras ke Botteng hari Jumat."}})
	consoleAct(t, pokja, code, "approve", url.Values{})

	// The operator previews what publishing will redact, then publishes.
	answer := "Distribusi beras ke Botteng hari Jumat. Info: 0812-3456-7890."
	res, body = admin.post("/staf/aduan/"+code+"/pratinjau", consoleForm(t, admin, "/staf/aduan/"+code,
		url.Values{"public_title": {"Distribusi beras di Botteng"}, "public_answer": {answer}}))
	if res.StatusCode != 200 || !strings.Contains(body, "1 nomor telepon") || !strings.Contains(body, "[nomor telepon disamarkan]") {
		t.Fatalf("preview: %d\n%.800s", res.StatusCode, body)
	}
	if got := view(t, "admin", code); got.Status != "ready_to_publish" {
		t.Fatalf("the preview published: %s", got.Status)
	}
	consoleAct(t, admin, code, "publish", url.Values{"public_title": {"Distribusi beras di Botteng"}, "public_answer": {answer}})
	v = view(t, "admin", code)
	if v.Status != "published" || strings.Contains(v.PublicAnswer, "0812") {
		t.Fatalf("published: %s %q", v.Status, v.PublicAnswer)
	}
	var actions []string
	for _, e := range v.Events {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); got != "submit triage forward partner_answer approve publish" {
		t.Errorf("audit trail: %s", got)
	}

	// A form without its CSRF token changes nothing.
	res, _ = admin.post("/staf/aduan/"+code+"/aksi/note", url.Values{"note": {"tanpa token"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a note without csrf_token: %d, want 403", res.StatusCode)
	}
	if n := len(view(t, "admin", code).Events); n != len(v.Events) {
		t.Errorf("a refused form recorded an event: %d events, want %d", n, len(v.Events))
	}

	// The supervisor's board links each count to the console and the Temporal UI; a pokja
	// member has no board.
	sup := loginAs(t, "supervisor")
	res, body = sup.get("/staf/papan")
	if res.StatusCode != 200 || !strings.Contains(body, "Pokja") || !strings.Contains(body, "/namespaces/default/workflows?query=") ||
		!strings.Contains(body, "/staf/cari?giliran=1") {
		t.Errorf("board: %d\n%.600s", res.StatusCode, body)
	}
	if res, _ := pokja.get("/staf/papan"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a pokja member's board: %d, want 403", res.StatusCode)
	}
	if res, body := sup.get("/staf/cari?q=" + url.QueryEscape(code)); res.StatusCode != 200 || !strings.Contains(body, code) {
		t.Errorf("search by code: %d", res.StatusCode)
	}
}

package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aduan/activities"
	"aduan/complaints"
	"aduan/demo"
	"aduan/domain"
	"aduan/notify"
	"aduan/store"
)

// The outbound texts' page and its effect, on a database and API of the test's own: the
// shared database keeps its default texts, which the other tests read while they run.

// siteBrowser is a staffBrowser on another server than the shared API.
type siteBrowser struct {
	*staffBrowser
	base string
}

func (b siteBrowser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.base+path, nil)
	return b.do(req)
}

func (b siteBrowser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// postForm posts path with the CSRF token of the page it was on.
func (b siteBrowser) postForm(page, path string, fields url.Values) (*http.Response, string) {
	b.t.Helper()
	res, body := b.get(page)
	if res.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: %d\n%.500s", page, res.StatusCode, body)
	}
	fields.Set("csrf_token", csrfOf(b.t, body))
	return b.post(path, fields)
}

// templatesSite is a migrated database with the demo staff and their logins, and an API
// over it.
func templatesSite(t *testing.T) (*store.DB, string, map[string]demo.Login) {
	t.Helper()
	ctx := context.Background()
	name := "aduan_e2e_" + randomHex(6)
	if _, err := adminConn.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = adminConn.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	u, _ := withDatabase(baseDBURL, name)
	db, err := store.Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.UseKeys(e2eRing)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, logins, err := demo.SeedLogins(ctx, db, filepath.Join(dir, "tokens.json"), filepath.Join(dir, "logins.json"))
	if err != nil {
		t.Fatal(err)
	}
	// A task queue nobody polls: this page starts no workflow, and none may reach the
	// shared worker (its activities write to the shared database).
	srv := httptest.NewServer(newRouter(t, serverDeps{Temporal: tc, DB: db, Config: complaints.Config{
		TaskQueue: "aduan-e2e-templat-" + randomHex(3), PublicBaseURL: "http://test"}, Options: apiDeps.Options}))
	t.Cleanup(srv.Close)
	return db, srv.URL, logins
}

// signIn logs user in on the site at base.
func signIn(t *testing.T, base string, logins map[string]demo.Login, user string) siteBrowser {
	t.Helper()
	l := logins[user]
	otp := ""
	if l.TOTPSecret != nil {
		// Its own key: a code spent on the shared site's user of the same name is no
		// reason to wait here.
		otp = otpCode(t, user+"@templat", *l.TOTPSecret)
	}
	b := siteBrowser{newBrowser(t), base}
	res, body := b.get("/staf/masuk")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login page: %d", res.StatusCode)
	}
	res, body = b.post("/staf/masuk", url.Values{"csrf_token": {csrfOf(t, body)}, "username": {user}, "password": {l.Password},
		"otp": {otp}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s: %d %.400s", user, res.StatusCode, body)
	}
	return b
}

// TestAdminTemplates: the admin opens the texts' page, a text that drops the tracking
// link is refused beside its field, a good one becomes version 1 (made by the admin), in
// force for the very next acknowledgement the Notify activity writes; a form made before
// that change is refused; putting the default back is version 2, and the next
// acknowledgement is worded as before. A supervisor reads the page without forms; a
// pokja member may not open it.
func TestAdminTemplates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, base, logins := templatesSite(t)
	const page = "/staf/admin/templat"
	admin := signIn(t, base, logins, "admin")

	res, body := admin.get(page)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("page: %d %.500s", res.StatusCode, body)
	}
	for _, want := range []string{`<b>Teks pesan</b>`, `<b id="templates-version">0</b>`, "<code>aduan_pembaruan</code>",
		"<code>UTILITY</code>", `action="/staf/admin/templat/ack.pelapor"`, `<label for="text-question-pelapor">`, "Balasan salam"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}

	noLink := "Terima kasih, aduan {{.Code}} sudah kami terima."
	res, body = admin.postForm(page, page+"/ack.pelapor", url.Values{"text": {noLink}, "versi": {"0"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Templat ack.pelapor harus memuat tautan lacak") ||
		!strings.Contains(body, `id="t-ack-pelapor" open`) || !strings.Contains(body, ">"+noLink+"</textarea>") {
		t.Fatalf("a text without the link: %d\n%.3000s", res.StatusCode, body)
	}
	if v, _ := db.CurrentTemplates(ctx); v.Version != 0 {
		t.Fatalf("a refused text stored version %d", v.Version)
	}

	ack := "Aduan Anda tercatat dengan kode {{.Code}}.\r\n{{if .Reply}}Balas pesan ini untuk menambah keterangan. {{end}}Lacak: {{.Link}}\r\n"
	res, body = admin.postForm(page, page+"/ack.pelapor", url.Values{"text": {ack}, "versi": {"0"}})
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "ok=ubah") || !strings.Contains(loc, "v=1") {
		t.Fatalf("a good text: %d %s %.500s", res.StatusCode, loc, body)
	}
	v, err := db.CurrentTemplates(ctx)
	stored := "Aduan Anda tercatat dengan kode {{.Code}}.\n{{if .Reply}}Balas pesan ini untuk menambah keterangan. {{end}}Lacak: {{.Link}}"
	if err != nil || v.Version != 1 || v.CreatedBy != "admin" || v.Texts["ack.pelapor"] != stored || time.Since(v.CreatedAt) > time.Minute {
		t.Fatalf("version 1: %+v %v", v, err)
	}
	_, body = admin.get(loc)
	for _, want := range []string{"Teks ack.pelapor disimpan sebagai versi 1", `<b id="templates-version">1</b>`, "diubah, versi 1",
		`id="t-ack-pelapor" open`, "<tr><td>1</td><td>admin</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("after the change the page lacks %q", want)
		}
	}
	// A form made before the change (versi 0) is refused: it would overwrite unseen.
	res, body = admin.postForm(page, page+"/ack.pelapor", url.Values{"text": {"Aduan {{.Code}} diterima. {{.Link}}"}, "versi": {"0"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "sudah diubah orang lain") {
		t.Errorf("a stale form: %d", res.StatusCode)
	}

	// The next acknowledgement is worded as version 1 says; a staff text is not.
	fake := &flakySender{}
	n := &activities.Notifier{DB: db, Senders: notify.Senders{notify.ChannelLog: fake, notify.ChannelEmail: fake}, BaseURL: "http://test"}
	ackOf := func(what string) store.Notification {
		t.Helper()
		in, err := db.InsertIntake(ctx, store.Intake{Channel: "web", Text: uniqueText(t), Email: "warga." + randomHex(3) + "@example.com",
			Kecamatan: "simboro", Desa: "botteng", CreatedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		key := "e2e/templat/" + in.Code + "/" + what
		if err := runNotify(t, n, domain.NotifyRequest{Key: key, Code: in.Code, Kind: domain.NotifyAck, Status: domain.StatusReceived,
			Due: time.Now()}); err != nil {
			t.Fatalf("notify %s: %v", what, err)
		}
		var row store.Notification
		if err := db.GetContext(ctx, &row, `SELECT id, code, kind, recipient, channel, template, text, sent_at
			FROM notifications WHERE dedupe_key = $1`, key+"/"+store.ComplainantRecipient); err != nil {
			t.Fatal(err)
		}
		if row.SentAt == nil || row.Channel != notify.ChannelEmail || row.Template != "ack.pelapor" {
			t.Errorf("%s: %+v", what, row)
		}
		return row
	}
	row := ackOf("custom")
	if want := "Aduan Anda tercatat dengan kode " + row.Code + ".\nLacak: http://test/lacak/" + row.Code; row.Text != want {
		t.Errorf("the acknowledgement after the change:\n%q\nwant\n%q", row.Text, want)
	}
	if d := fake.delivered(); len(d) != 1 || d[0].Text != row.Text {
		t.Errorf("delivered %+v", d)
	}

	// A supervisor reads; a pokja member may not open the page.
	sup := signIn(t, base, logins, "supervisor")
	res, body = sup.get(page)
	if res.StatusCode != http.StatusOK || strings.Contains(body, "<textarea") || !strings.Contains(body, "Hanya admin Call Center yang dapat mengubah teks.") ||
		!strings.Contains(body, "Aduan Anda tercatat dengan kode {{.Code}}.") {
		t.Errorf("the supervisor's page: %d", res.StatusCode)
	}
	if res, _ := sup.postForm(page, page+"/ack.pelapor", url.Values{"text": {stored}, "versi": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a supervisor changing a text: %d, want 403", res.StatusCode)
	}
	pokja := signIn(t, base, logins, "pokja-logistik")
	if res, _ := pokja.get(page); res.StatusCode != http.StatusForbidden {
		t.Errorf("a pokja member: %d, want 403", res.StatusCode)
	}
	if res, _ := admin.post(page+"/ack.pelapor", url.Values{"text": {stored}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("without csrf_token: %d, want 403", res.StatusCode)
	}

	// The default back: version 2, and the next acknowledgement is worded as before.
	res, _ = admin.postForm(page, page+"/ack.pelapor/bawaan", url.Values{"versi": {"1"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "ok=bawaan") || !strings.Contains(loc, "v=2") {
		t.Fatalf("reset: %d %s", res.StatusCode, loc)
	}
	row = ackOf("default")
	if want := "Terima kasih, aduan Anda sudah kami terima dengan kode " + row.Code + ". Simpan kode ini. Pantau statusnya di http://test/lacak/" + row.Code; row.Text != want {
		t.Errorf("the acknowledgement after the reset:\n%q\nwant\n%q", row.Text, want)
	}
	if v, _ := db.CurrentTemplates(ctx); v.Version != 2 || len(v.Texts) != 0 || v.TextVersions["ack.pelapor"] != 2 {
		t.Errorf("version 2: %+v", v)
	}
}

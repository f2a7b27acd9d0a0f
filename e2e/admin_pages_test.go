package e2e

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"aduan/store"
)

var inviteLink = regexp.MustCompile(`/staf/undangan/([A-Za-z0-9_-]{20,})`)

// adminPost posts a form of the admin's pages with the browser's session CSRF token.
func adminPost(t *testing.T, b *staffBrowser, page, path string, fields url.Values) (*http.Response, string) {
	t.Helper()
	res, body := b.get(page)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%.500s", page, res.StatusCode, body)
	}
	fields.Set("csrf_token", csrfOf(t, body))
	return b.post(path, fields)
}

// acceptInvite sets password from the invite link in body, in a new browser.
func acceptInvite(t *testing.T, body, password string) {
	t.Helper()
	m := inviteLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no invite link in the page:\n%.1500s", body)
	}
	b := newBrowser(t)
	res, page := b.get("/staf/undangan/" + m[1])
	if res.StatusCode != http.StatusOK {
		t.Fatalf("invite page: %d %.300s", res.StatusCode, page)
	}
	res, page = b.post("/staf/undangan/"+m[1], url.Values{"csrf_token": {csrfOf(t, page)}, "password": {password},
		"confirm": {password}})
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "tersimpan") {
		t.Fatalf("accepting the invite: %d %.400s", res.StatusCode, page)
	}
}

func meStatus(t *testing.T, tok string) int {
	t.Helper()
	return doAt(t, baseURL, "GET", "/api/v1/me", tok, nil, nil).Status
}

// TestAdminUsers: the admin creates a user in the console and hands over the invite link;
// the user sets a password and signs in; the admin deactivates them (session and tokens
// end at once), activates them, revokes their tokens and resets their password. Others
// may not.
func TestAdminUsers(t *testing.T) {
	ctx := context.Background()
	admin := loginAs(t, "admin")
	if _, home := admin.get("/staf"); !strings.Contains(home, `href="/staf/admin/pengguna"`) {
		t.Errorf("the admin's nav has no Admin entry")
	}
	// The user's own pokja, so that no other test's notifications reach them.
	group := "uji-pengguna-" + randomHex(3)
	if err := testDB.AddGroup(ctx, store.KindPokja, group, "Pokja Uji Pengguna"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = testDB.RetireGroup(context.Background(), store.KindPokja, group, time.Now()) })
	username := "adm-" + randomHex(4)
	t.Cleanup(func() { _ = testDB.SetStaffActive(context.Background(), username, false) })

	// A bad form comes back with each problem beside its field and what was typed.
	res, body := adminPost(t, admin, "/staf/admin/pengguna", "/staf/admin/pengguna", url.Values{"username": {"Bukan Nama"},
		"name": {"Ibu Uji"}, "role": {"pokja"}, "group": {""}, "email": {"bukan-email"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Nama pengguna 2–50 karakter") ||
		!strings.Contains(body, "Pilih pokja") || !strings.Contains(body, "e-mail tidak valid") ||
		!strings.Contains(body, `value="Ibu Uji"`) {
		t.Fatalf("a bad form: %d\n%.3000s", res.StatusCode, body)
	}

	// Created: the one-time link is shown, and it works.
	res, body = adminPost(t, admin, "/staf/admin/pengguna", "/staf/admin/pengguna", url.Values{"username": {username},
		"name": {"Uji Pengguna Baru"}, "role": {"pokja"}, "group": {group}, "email": {username + "@contoh.go.id"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "dibuat") {
		t.Fatalf("create: %d\n%.1500s", res.StatusCode, body)
	}
	const pw = "kata-sandi-uji-admin-1"
	acceptInvite(t, body, pw)
	u := newBrowser(t)
	if res, page := u.submitLogin(username, pw, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login after the invite: %d %.300s", res.StatusCode, page)
	}
	if res, _ := u.get("/staf"); res.StatusCode != http.StatusOK {
		t.Fatalf("the new user's inbox: %d", res.StatusCode)
	}
	tok, err := testDB.IssueToken(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	if s := meStatus(t, tok); s != http.StatusOK {
		t.Fatalf("/api/v1/me with the new user's token: %d", s)
	}
	// The list shows them with their group and one live token.
	_, list := admin.get("/staf/admin/pengguna")
	row := list[strings.Index(list, `id="u-`+username+`"`):]
	row = row[:strings.Index(row, "</tr>")]
	for _, want := range []string{group, "<td>1</td>", "Pokja", "ada"} {
		if !strings.Contains(row, want) {
			t.Errorf("the user's row lacks %q: %s", want, row)
		}
	}
	// The same username again is refused beside its field.
	res, body = adminPost(t, admin, "/staf/admin/pengguna", "/staf/admin/pengguna", url.Values{"username": {username},
		"name": {"Lagi"}, "role": {"supervisor"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "sudah dipakai") {
		t.Errorf("the same username again: %d", res.StatusCode)
	}

	// Deactivated: the session ends and the token is refused at once.
	op := func(name string) *http.Response {
		t.Helper()
		res, body := adminPost(t, admin, "/staf/admin/pengguna", "/staf/admin/pengguna/"+username+"/"+name, url.Values{})
		if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %.600s", name, res.StatusCode, body)
		}
		return res
	}
	op("nonaktifkan")
	if res, _ := u.get("/staf"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staf/masuk" {
		t.Errorf("the deactivated user's session: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if s := meStatus(t, tok); s != http.StatusUnauthorized {
		t.Errorf("the deactivated user's token: %d, want 401", s)
	}
	if res, _ := newBrowser(t).submitLogin(username, pw, ""); res.StatusCode == http.StatusSeeOther {
		t.Errorf("a deactivated user signed in")
	}
	if _, page := admin.get("/staf/admin/pengguna?ok=nonaktifkan&u=" + username); !strings.Contains(page, "dinonaktifkan") {
		t.Errorf("no notice after deactivating")
	}

	// Active again: the password works, the old token stays revoked.
	op("aktifkan")
	u = newBrowser(t)
	if res, _ := u.submitLogin(username, pw, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("login after re-activation: %d", res.StatusCode)
	}
	if s := meStatus(t, tok); s != http.StatusUnauthorized {
		t.Errorf("the old token after re-activation: %d, want 401", s)
	}

	// Revoke every API token.
	tok2, err := testDB.IssueToken(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	if s := meStatus(t, tok2); s != http.StatusOK {
		t.Fatalf("a new token: %d", s)
	}
	op("cabut-token")
	if s := meStatus(t, tok2); s != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d, want 401", s)
	}

	// Reset password: a new link; the old password stops at once and the session ends.
	res, body = adminPost(t, admin, "/staf/admin/pengguna", "/staf/admin/pengguna/"+username+"/reset-sandi", url.Values{})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	if res, _ := u.get("/staf"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the session after a reset: %d", res.StatusCode)
	}
	if res, _ := newBrowser(t).submitLogin(username, pw, ""); res.StatusCode == http.StatusSeeOther {
		t.Errorf("the old password works after a reset")
	}
	const pw2 = "kata-sandi-uji-admin-2"
	acceptInvite(t, body, pw2)
	if _, list := admin.get("/staf/admin/pengguna"); inviteLink.MatchString(list) {
		t.Errorf("an invite link is shown again on the list")
	}
	if res, _ := newBrowser(t).submitLogin(username, pw2, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the new password: %d", res.StatusCode)
	}

	// The admin cannot lock themselves out; a form without its token changes nothing.
	res, body = adminPost(t, admin, "/staf/admin/pengguna", "/staf/admin/pengguna/admin/nonaktifkan", url.Values{})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "sendiri") {
		t.Errorf("deactivating oneself: %d", res.StatusCode)
	}
	if res, _ := admin.post("/staf/admin/pengguna/"+username+"/nonaktifkan", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("without csrf_token: %d, want 403", res.StatusCode)
	}

	// A pokja member may open none of it, and has no Admin entry.
	p := loginAs(t, "pokja-logistik")
	if _, home := p.get("/staf"); strings.Contains(home, `href="/staf/admin/pengguna"`) {
		t.Errorf("a pokja member's nav has the Admin entry")
	}
	for _, path := range []string{"/staf/admin/pengguna", "/staf/admin/kebijakan", "/staf/admin/direktori"} {
		if res, _ := p.get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("pokja member GET %s: %d, want 403", path, res.StatusCode)
		}
	}
	res, body = adminPost(t, p, "/staf", "/staf/admin/pengguna/"+username+"/nonaktifkan", url.Values{})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("pokja member deactivating: %d, want 403 %.300s", res.StatusCode, body)
	}
	// A supervisor sees the users, and may change nothing.
	s := loginAs(t, "supervisor")
	res, body = s.get("/staf/admin/pengguna")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, username) || strings.Contains(body, "Buat pengguna dan tautan") {
		t.Errorf("supervisor's list: %d", res.StatusCode)
	}
	res, _ = adminPost(t, s, "/staf/admin/pengguna", "/staf/admin/pengguna", url.Values{"username": {"x-" + randomHex(3)},
		"name": {"X"}, "role": {"admin"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("supervisor creating a user: %d, want 403", res.StatusCode)
	}
}

// TestAdminDirectory: the admin adds a pokja, renames it and retires it in the console
// (then triage to it is refused), restores it; renames, retires and restores a desa.
func TestAdminDirectory(t *testing.T) {
	ctx := context.Background()
	admin := loginAs(t, "admin")
	const page = "/staf/admin/direktori"
	id := "uji-dir-" + randomHex(3)
	t.Cleanup(func() { _ = testDB.RetireGroup(context.Background(), store.KindPokja, id, time.Now()) })
	// The whole regency's list stays within the page budget: the change forms of one
	// kecamatan's desa at a time.
	for _, path := range []string{page, page + "?kecamatan=simboro"} {
		if res, body := admin.get(path); res.StatusCode != http.StatusOK || len(body) > maxPage {
			t.Errorf("GET %s: %d, %d bytes (budget %d)", path, res.StatusCode, len(body), maxPage)
		} else if strings.Contains(path, "simboro") != strings.Contains(body, `action="/staf/admin/direktori/desa/botteng/ganti-nama"`) {
			t.Errorf("GET %s: the desa change forms are shown for the wrong kecamatan", path)
		}
	}

	res, body := adminPost(t, admin, page, page+"/pokja", url.Values{"id": {"Bukan ID"}, "name": {"Pokja Uji"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "huruf kecil") || !strings.Contains(body, `value="Bukan ID"`) {
		t.Fatalf("a bad ID: %d\n%.600s", res.StatusCode, body)
	}
	res, body = adminPost(t, admin, page, page+"/pokja", url.Values{"id": {id}, "name": {"Pokja  Uji Admin"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d %.600s", res.StatusCode, body)
	}
	pokjaNames := func() map[string]string {
		var d struct {
			Pokja []struct{ ID, Name string } `json:"pokja"`
		}
		do(t, "GET", "/api/v1/directory", "", nil, nil).decode(t, &d)
		out := map[string]string{}
		for _, p := range d.Pokja {
			out[p.ID] = p.Name
		}
		return out
	}
	if got := pokjaNames()[id]; got != "Pokja Uji Admin" {
		t.Errorf("after add: %q", got)
	}
	if res, body := adminPost(t, admin, page, page+"/pokja", url.Values{"id": {id}, "name": {"Lagi"}}); res.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "sudah dipakai") {
		t.Errorf("the same ID again: %d", res.StatusCode)
	}
	if res, body := adminPost(t, admin, page, page+"/pokja/"+id+"/ganti-nama", url.Values{"name": {" "}}); res.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "Isi nama") {
		t.Errorf("an empty name: %d", res.StatusCode)
	}
	if res, _ := adminPost(t, admin, page, page+"/pokja/"+id+"/ganti-nama", url.Values{"name": {"Pokja Uji Dinamai"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename: %d", res.StatusCode)
	}
	if got := pokjaNames()[id]; got != "Pokja Uji Dinamai" {
		t.Errorf("after rename: %q", got)
	}
	if res, _ := adminPost(t, admin, page, page+"/pokja/"+id+"/pensiunkan", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("retire: %d", res.StatusCode)
	}
	if _, ok := pokjaNames()[id]; ok {
		t.Errorf("the directory still lists the retired pokja")
	}
	code := submit(t, uniqueText(t))
	r := act(t, "admin", code, "triage", map[string]any{"pokja": id, "category": "hunian", "priority": "high", "title": "Uji"})
	wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "pokja")
	_, body = admin.get(page)
	if !strings.Contains(body, "dipensiunkan") || !strings.Contains(body, "Pokja Uji Dinamai") {
		t.Errorf("the page does not show the retired pokja")
	}
	if res, _ := adminPost(t, admin, page, page+"/pokja/"+id+"/pulihkan", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: %d", res.StatusCode)
	}
	if _, ok := pokjaNames()[id]; !ok {
		t.Errorf("the restored pokja is not in the directory")
	}

	// A desa of a kecamatan of this test alone (no code: imports leave it alone).
	kec, desa := "uji-kec-"+randomHex(3), "uji-desa-"+randomHex(3)
	if err := testDB.UpsertKecamatan(ctx, store.Kecamatan{ID: kec, Name: "Kecamatan Uji", Desa: []store.Desa{{ID: desa, Name: "Desa Uji"}}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = testDB.RetirePlace(context.Background(), store.KindKecamatan, kec, time.Now()) })
	if res, _ := adminPost(t, admin, page, page+"/desa/"+desa+"/ganti-nama", url.Values{"name": {"Desa Uji Baru"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename a desa: %d", res.StatusCode)
	}
	if _, d, _, ok, _ := testDB.ResolvePlace(ctx, kec, "Desa Uji Baru"); !ok || d != desa {
		t.Errorf("the renamed desa: %q %v", d, ok)
	}
	if res, _ := adminPost(t, admin, page, page+"/desa/"+desa+"/pensiunkan", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("retire a desa: %d", res.StatusCode)
	}
	if _, _, _, ok, _ := testDB.ResolvePlace(ctx, kec, desa); ok {
		t.Errorf("a retired desa is accepted")
	}
	if res, _ := adminPost(t, admin, page, page+"/desa/"+desa+"/pulihkan", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore a desa: %d", res.StatusCode)
	}
	if _, _, _, ok, _ := testDB.ResolvePlace(ctx, kec, desa); !ok {
		t.Errorf("a restored desa is refused")
	}
	_, body = admin.get(page + "?ok=pulihkan&jenis=desa&id=" + desa)
	for _, want := range []string{"aduan directory import FILE", "76.02.12", "Simboro", "bantuan_logistik", "Desa Uji Baru", `id="kec-` + kec + `" open`} {
		if !strings.Contains(body, want) {
			t.Errorf("the directory page lacks %q", want)
		}
	}
}

// TestAdminPolicy: the policy in force, read-only, with its version and zone.
func TestAdminPolicy(t *testing.T) {
	admin := loginAs(t, "admin")
	p, err := testDB.CurrentSLAPolicy(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res, body := admin.get("/staf/admin/kebijakan")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("policy page: %d", res.StatusCode)
	}
	for _, want := range []string{`<dd id="policy-version">` + strconv.Itoa(p.Version) + `</dd>`, "WITA", "aduan policy set", "Diterima"} {
		if !strings.Contains(body, want) {
			t.Errorf("the policy page lacks %q\n%.2000s", want, body)
		}
	}
	if strings.Contains(body, `method="post" action="/staf/admin/kebijakan`) {
		t.Errorf("the policy page has a form to change it")
	}
}

package staffpages

import (
	"database/sql"
	"regexp"
	"strings"
	"testing"
	"time"

	"aduan/accounts"
	"aduan/complaints"
	"aduan/domain"
	"aduan/store"
)

var (
	formPattern  = regexp.MustCompile(`(?s)<form[^>]*method="post".*?</form>`)
	fieldPattern = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	idPattern    = regexp.MustCompile(`\bid="([^"]+)"`)
)

// checkForms wants every POST form to carry the CSRF token and every visible field to
// have a label.
func checkForms(t *testing.T, name, page string) {
	t.Helper()
	forms := formPattern.FindAllString(page, -1)
	if len(forms) == 0 {
		t.Errorf("%s: no forms", name)
	}
	for _, f := range forms {
		if !strings.Contains(f, `name="csrf_token" value="tok-csrf"`) {
			t.Errorf("%s: a form without csrf_token: %.200s", name, f)
		}
	}
	for _, field := range fieldPattern.FindAllString(page, -1) {
		if strings.Contains(field, `type="hidden"`) {
			continue
		}
		m := idPattern.FindStringSubmatch(field)
		if m == nil || !strings.Contains(page, `<label for="`+m[1]+`"`) {
			t.Errorf("%s: a field without a label: %s", name, field)
		}
	}
}

func TestAdminTemplatesRender(t *testing.T) {
	users := usersData{Frame: frame(domain.RoleAdmin), Tabs: adminTabs("/staf/admin/pengguna"), CanManage: true,
		Roles: roleOptions, InviteURL: "http://x/staf/undangan/abc", InviteFor: "baru",
		Users: []accounts.Account{{Username: "admin", Name: "Admin", Role: domain.RoleAdmin, Active: true, HasTOTP: true, HasPassword: true},
			{Username: "pokja-x", Name: "P <X>", Role: domain.RolePokja, Group: "logistik", LiveTokens: 2, InvitePending: true}},
		Directory: complaints.Directory{Pokja: []store.Group{{ID: "logistik", Name: "Pokja Logistik"}},
			Partners: []store.Group{{ID: "ypii", Name: "YPII"}}},
		Form: accounts.NewAccount{Role: domain.RolePokja, Group: "logistik"}, Errors: map[string]string{"username": "salah"}}
	out := render(t, "admin-users", users)
	checkForms(t, "admin-users", out)
	for _, want := range []string{`href="/staf/admin/pengguna">Admin</a>`, "http://x/staf/undangan/abc", "P &lt;X&gt;",
		"menunggu undangan", "Cabut token API", "Salah", `<option value="logistik" selected>`} {
		if !strings.Contains(out, want) {
			t.Errorf("users page lacks %q", want)
		}
	}
	users.CanManage, users.Frame = false, frame(domain.RoleSupervisor)
	if out := render(t, "admin-users", users); strings.Contains(out, `/nonaktifkan"`) || strings.Contains(out, `href="/staf/admin/pengguna">Admin`) {
		t.Error("a supervisor is offered to change users, or has the Admin entry")
	}

	retired := sql.NullTime{Time: time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), Valid: true}
	dir := directoryData{Frame: frame(domain.RoleAdmin), Tabs: adminTabs("/staf/admin/direktori"), CanManage: true,
		Listing: complaints.DirectoryListing{Pokja: []store.Group{{ID: "logistik", Name: "Pokja Logistik"}, {ID: "lama", Name: "Lama", RetiredAt: retired}},
			Partners: []store.Group{{ID: "ypii", Name: "YPII"}},
			Kecamatan: []store.PlaceGroup{{PlaceEntry: store.PlaceEntry{ID: "simboro", Name: "Simboro", Code: "76.02.12"},
				Desa: []store.PlaceEntry{{ID: "botteng", KecamatanID: "simboro", Name: "Botteng", Code: "76.02.12.2003", RetiredAt: retired}}}},
			Categories: domain.Categories},
		Failed: "desa/botteng/ganti-nama", Form: map[string]string{"name": "Bot<"}, Errors: map[string]string{"name": "isi nama."}}
	out = render(t, "admin-directory", dir)
	checkForms(t, "admin-directory", out)
	for _, want := range []string{"76.02.12.2003", "dipensiunkan 2 Januari 2026", `action="/staf/admin/direktori/pokja/lama/pulihkan"`,
		`action="/staf/admin/direktori/partner"`, `id="kec-simboro" open`, `value="Bot&lt;"`, "Isi nama.", "aduan directory import FILE",
		"bantuan_logistik", `id="pokja-logistik-name" name="name" required maxlength="200" value="Pokja Logistik"`} {
		if !strings.Contains(out, want) {
			t.Errorf("directory page lacks %q", want)
		}
	}

	p := domain.DefaultSLAPolicy()
	p.Version = 7
	pol := policyData{Frame: frame(domain.RoleAdmin), Tabs: adminTabs("/staf/admin/kebijakan"), Version: 7, Calendar: p.Calendar,
		ZoneName: "WITA (UTC+8, Asia/Makassar)", Stages: []policyRow{{"Diterima", "3d"}}}
	out = render(t, "admin-policy", pol)
	for _, want := range []string{`<dd id="policy-version">7</dd>`, "WITA", "aduan policy set FILE", "Diterima", "3d"} {
		if !strings.Contains(out, want) {
			t.Errorf("policy page lacks %q", want)
		}
	}
}

package staffpages

import (
	"strings"
	"testing"

	"aduan/accounts"
	"aduan/domain"
)

// TestProfileTemplates: the profile page and the admin's per-user forms offer every
// channel with a label, carry the CSRF token, and bring a problem back beside its field
// with what was typed.
func TestProfileTemplates(t *testing.T) {
	d := profileData{Frame: frame(domain.RolePokja)}
	d.Channels = newChannelsForm(d.CSRF, "/staf/akun", "", accounts.Channels{Channel: domain.OfficerWhatsApp, Phone: "0812 <34>",
		Digest: true}, map[string]string{"phone": "nomor ponsel tidak valid."})
	out := render(t, "staf-akun", d)
	checkForms(t, "staf-akun", out)
	for _, want := range []string{`action="/staf/akun"`, `id="ch-whatsapp" name="channel" value="whatsapp" checked`,
		`id="ch-console" name="channel" value="console">`, "Hanya di konsol", `value="0812 &lt;34&gt;"`,
		`id="digest" name="digest" value="1" checked`, "Nomor ponsel tidak valid.", `href="/staf/akun/2fa"`,
		`href="/staf/akun">Akun saya</a>`, "Pengguna &lt;Uji&gt;"} {
		if !strings.Contains(out, want) {
			t.Errorf("profile page lacks %q", want)
		}
	}

	users := usersData{Frame: frame(domain.RoleAdmin), Tabs: adminTabs("/staf/admin/pengguna"), CanManage: true, Roles: roleOptions,
		Users: []accounts.Account{{Username: "pokja-x", Name: "P", Role: domain.RolePokja, Group: "logistik", Active: true},
			{Username: "lama", Name: "L", Role: domain.RolePokja, Group: "logistik"}},
		ChannelsFor: "pokja-x", ChannelsForm: accounts.Channels{Channel: "sms", Phone: "12"},
		ChannelsErrors: map[string]string{"phone": "salah."}}
	users.Channels = channelsOfUsers(users, map[string]accounts.Channels{
		"pokja-x": {Channel: domain.OfficerWhatsApp, Phone: "6281234567890", Digest: true}, "lama": {Email: "l@x.id"}})
	out = render(t, "admin-users", users)
	checkForms(t, "admin-users", out)
	for _, want := range []string{`<details id="notif-pokja-x" open>`, "pokja-x: WhatsApp, ringkasan harian",
		`action="/staf/admin/pengguna/pokja-x/notifikasi"`, `id="u-pokja-x-ch-sms" name="channel" value="sms" checked`,
		`id="u-pokja-x-phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" maxlength="24" value="12"`, "Salah.",
		"belum dipilih (e-mail)"} {
		if !strings.Contains(out, want) {
			t.Errorf("users page lacks %q", want)
		}
	}
	if strings.Contains(out, `id="notif-lama"`) {
		t.Error("a deactivated user's channels are offered to change")
	}
	users.CanManage, users.Frame = false, frame(domain.RoleSupervisor)
	users.Channels = channelsOfUsers(users, map[string]accounts.Channels{"pokja-x": {Channel: domain.OfficerSMS}})
	if out := render(t, "admin-users", users); strings.Contains(out, "/pengguna/pokja-x/notifikasi") || !strings.Contains(out, "<td>SMS</td>") {
		t.Errorf("a supervisor sees the channels without the forms: %s", out)
	}
}

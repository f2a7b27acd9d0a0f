package staffpages

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"aduan/accounts"
	"aduan/api/pages"
	"aduan/complaints"
	"aduan/domain"
)

// The system admin's pages under /staf/admin: staff users (admin_users), the deadline
// policy in force (admin_policy) and the directory (admin_directory). The core checks
// who may do what (accounts and complaints); these handlers read the form, call it and
// render. Supervisors may open them read-only; the nav shows "Admin" to admins.

// registerAdmin adds the admin's pages.
func (h handlers) registerAdmin(g *gin.RouterGroup) {
	g.GET("/admin", h.signedIn, func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/staf/admin/pengguna") })
	g.GET("/admin/pengguna", h.signedIn, h.adminUsers)
	g.POST("/admin/pengguna", h.signedIn, h.adminCreateUser)
	g.POST("/admin/pengguna/:username/:op", h.signedIn, h.adminUserOp)
	g.GET("/admin/kebijakan", h.signedIn, h.adminPolicy)
	g.GET("/admin/direktori", h.signedIn, h.adminDirectory)
	g.POST("/admin/direktori/:kind", h.signedIn, h.adminAddGroup)
	g.POST("/admin/direktori/:kind/:id/:op", h.signedIn, h.adminDirectoryOp)
	h.registerAdminTemplates(g)
}

// adminTabs is the admin pages' own menu.
type adminTab struct {
	Path, Label string
	Current     bool
}

func adminTabs(current string) []adminTab {
	tabs := []adminTab{{"/staf/admin/pengguna", "Pengguna", false}, {"/staf/admin/direktori", "Direktori", false},
		{"/staf/admin/kebijakan", "Kebijakan tenggat", false}, {"/staf/admin/templat", "Teks pesan", false}}
	for i := range tabs {
		tabs[i].Current = tabs[i].Path == current
	}
	return tabs
}

// accountsError is an error of package accounts as the core's, for h.fail.
func accountsError(err error) error {
	e := accounts.AsError(err)
	kind := map[accounts.Kind]complaints.Kind{accounts.KindForbidden: complaints.KindForbidden,
		accounts.KindInvalid: complaints.KindInvalid, accounts.KindNotFound: complaints.KindNotFound}[e.Kind]
	if kind == "" {
		kind = complaints.KindUnavailable
	}
	return &complaints.Error{Kind: kind, Message: e.Message, Fields: e.Fields, Err: e.Err}
}

// inviteURL is the invite link of token, as `aduan user invite` prints it.
func (h handlers) inviteURL(c *gin.Context, token string) string {
	base := strings.TrimRight(h.core.Config().PublicBaseURL, "/")
	if base == "" {
		scheme := "http"
		if c.Request.TLS != nil || h.secure {
			scheme = "https"
		}
		base = scheme + "://" + c.Request.Host
	}
	return base + "/staf/undangan/" + url.PathEscape(token)
}

// roleOption is a role the create form offers.
type roleOption struct {
	Role  domain.Role
	Label string
}

var roleOptions = []roleOption{{domain.RolePokja, "Pokja"}, {domain.RolePartner, "Lembaga mitra"},
	{domain.RoleSupervisor, "Supervisor"}, {domain.RoleAdmin, "Admin Call Center"}}

// usersData is /staf/admin/pengguna.
type usersData struct {
	Frame
	Tabs      []adminTab
	CanManage bool
	Users     []accounts.Account
	Directory complaints.Directory
	Roles     []roleOption
	// Form and Errors are the create form's (what was typed, each problem by field).
	Form   accounts.NewAccount
	Errors map[string]string
	// InviteURL is a one-time link just made for InviteFor (shown once, never stored).
	InviteURL, InviteFor string
	// Channels is how each user is reminded, by username: the list's label and, for
	// admins, the form (profile.go) that changes it.
	Channels map[string]userChannels
	// ChannelsFor is the user whose channel form came back with problems (shown open),
	// ChannelsForm what was typed and ChannelsErrors each problem by field.
	ChannelsFor    string
	ChannelsForm   accounts.Channels
	ChannelsErrors map[string]string
}

// userChannels is one user's notification channels on the admin's page.
type userChannels struct {
	Label string
	Form  channelsForm
	Open  bool
}

// channelShort names a channel in the users' list.
var channelShort = map[string]string{domain.OfficerWhatsApp: "WhatsApp", domain.OfficerSMS: "SMS",
	domain.OfficerEmail: "E-mail", domain.OfficerConsole: "hanya konsol", "": "belum dipilih"}

// channelsOfUsers builds each user's entry of d.Channels.
func channelsOfUsers(d usersData, all map[string]accounts.Channels) map[string]userChannels {
	out := make(map[string]userChannels, len(all))
	for username, ch := range all {
		label := channelShort[ch.Channel]
		if ch.Channel == "" && ch.Email != "" {
			label += " (e-mail)"
		}
		if ch.Digest && ch.Channel != domain.OfficerConsole {
			label += ", ringkasan harian"
		}
		u := userChannels{Label: label}
		if d.CanManage {
			form, errs := ch, map[string]string(nil)
			if username == d.ChannelsFor {
				form, errs, u.Open = d.ChannelsForm, d.ChannelsErrors, true
			}
			u.Form = newChannelsForm(d.CSRF, "/staf/admin/pengguna/"+username+"/notifikasi", "u-"+username+"-", form, errs)
		}
		out[username] = u
	}
	return out
}

var userNotices = map[string]string{
	"nonaktifkan": "Pengguna %s dinonaktifkan: sesinya berakhir dan semua token API-nya dicabut.",
	"aktifkan":    "Pengguna %s aktif lagi. Token lamanya tetap dicabut; buat token baru dengan aduan user token bila perlu.",
	"cabut-token": "Semua token API pengguna %s dicabut.",
	"notifikasi":  "Cara notifikasi pengguna %s disimpan.",
}

// adminUsers is GET /staf/admin/pengguna.
func (h handlers) adminUsers(c *gin.Context) {
	d := usersData{}
	if n, ok := userNotices[c.Query("ok")]; ok {
		d.Notice = strings.Replace(n, "%s", c.Query("u"), 1)
	}
	h.showUsers(c, http.StatusOK, d)
}

func (h handlers) showUsers(c *gin.Context, status int, d usersData) {
	u := user(c)
	list, err := h.acc.Accounts(c.Request.Context(), u.Actor())
	if err != nil {
		h.fail(c, accountsError(err))
		return
	}
	notice, problem := d.Notice, d.Problem
	d.Frame = h.frame(c, "Admin: pengguna")
	d.Notice, d.Problem = notice, problem
	d.Tabs, d.Users, d.Roles = adminTabs("/staf/admin/pengguna"), list, roleOptions
	d.CanManage = accounts.MayManageAccounts(u.Actor())
	d.Directory, _ = h.core.Directory(c.Request.Context())
	channels, err := h.acc.AllChannels(c.Request.Context(), u.Actor())
	if err != nil {
		h.fail(c, accountsError(err))
		return
	}
	d.Channels = channelsOfUsers(d, channels)
	pages.Render(c, status, "admin-users", d)
}

// adminCreateUser is POST /staf/admin/pengguna (username, name, role, group, email): the
// new user's one-time invite link is shown on the page (once; only its hash is stored).
func (h handlers) adminCreateUser(c *gin.Context) {
	in := accounts.NewAccount{Username: c.PostForm("username"), Name: c.PostForm("name"),
		Role: domain.Role(c.PostForm("role")), Group: c.PostForm("group"), Email: c.PostForm("email")}
	token, err := h.acc.CreateAccount(c.Request.Context(), user(c).Actor(), in)
	switch accounts.KindOf(err) {
	case "":
		d := usersData{InviteURL: h.inviteURL(c, token), InviteFor: strings.TrimSpace(in.Username)}
		d.Notice = "Pengguna " + d.InviteFor + " dibuat. Berikan tautan undangan di bawah kepadanya."
		h.showUsers(c, http.StatusOK, d)
	case accounts.KindInvalid:
		e := accounts.AsError(err)
		d := usersData{Form: in, Errors: e.Fields}
		d.Problem = e.Message
		h.showUsers(c, http.StatusBadRequest, d)
	default:
		h.fail(c, accountsError(err))
	}
}

// adminUserOp is POST /staf/admin/pengguna/{username}/{op}: nonaktifkan, aktifkan,
// reset-sandi (a new invite link; the old password stops working at once), cabut-token
// (every API token revoked) or notifikasi (channel, phone, email, digest: how the user
// is reminded).
func (h handlers) adminUserOp(c *gin.Context) {
	ctx, by, username, op := c.Request.Context(), user(c).Actor(), c.Param("username"), c.Param("op")
	var err error
	switch op {
	case "notifikasi":
		in := channelsOfForm(c)
		err = h.acc.SetChannels(ctx, by, username, in)
		if accounts.KindOf(err) == accounts.KindInvalid {
			e := accounts.AsError(err)
			d := usersData{ChannelsFor: username, ChannelsForm: in, ChannelsErrors: e.Fields}
			d.Problem = "Cara notifikasi " + username + " belum disimpan. Periksa isian yang ditandai."
			h.showUsers(c, http.StatusBadRequest, d)
			return
		}
	case "nonaktifkan", "aktifkan":
		err = h.acc.SetAccountActive(ctx, by, username, op == "aktifkan")
	case "cabut-token":
		_, err = h.acc.RevokeTokensOf(ctx, by, username)
	case "reset-sandi":
		var token string
		token, err = h.acc.ResetPassword(ctx, by, username)
		if err == nil {
			if username == by.Username {
				// The admin's own sessions ended with their password: the link is shown once
				// here, and they sign in again after setting the new password.
				pages.Render(c, http.StatusOK, "laporan-pesan", gin.H{"Title": "Kata sandi Anda direset",
					"Message": "Sesi Anda berakhir. Buat kata sandi baru di tautan ini (sekali pakai, 72 jam): " + h.inviteURL(c, token)})
				return
			}
			d := usersData{InviteURL: h.inviteURL(c, token), InviteFor: username}
			d.Notice = "Kata sandi lama " + username + " tidak berlaku lagi dan sesinya berakhir. Berikan tautan di bawah kepadanya."
			h.showUsers(c, http.StatusOK, d)
			return
		}
	default:
		h.fail(c, &complaints.Error{Kind: complaints.KindNotFound, Message: "Perintah tidak dikenal."})
		return
	}
	switch accounts.KindOf(err) {
	case "":
		c.Redirect(http.StatusSeeOther, "/staf/admin/pengguna?"+url.Values{"ok": {op}, "u": {username}}.Encode())
	case accounts.KindInvalid:
		d := usersData{}
		d.Problem = accounts.AsError(err).Message
		h.showUsers(c, http.StatusBadRequest, d)
	default:
		h.fail(c, accountsError(err))
	}
}

package staffpages

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"aduan/accounts"
	"aduan/api/pages"
	"aduan/domain"
)

// A staff user's own account page (/staf/akun, linked from the console's top bar): how
// reminders and escalations reach them (accounts.Channels), the same form the admin
// fills in per user on /staf/admin/pengguna.

func (h handlers) registerProfile(g *gin.RouterGroup) {
	g.GET("/akun", h.signedIn, h.profile)
	g.POST("/akun", h.signedIn, h.saveProfile)
}

// channelChoice is one radio button of the channel form.
type channelChoice struct {
	Value, Label string
	Checked      bool
}

// channelLabels name the channels as the forms and the admin's list show them.
var channelLabels = map[string]string{
	domain.OfficerWhatsApp: "WhatsApp (pesan templat resmi)",
	domain.OfficerSMS:      "SMS",
	domain.OfficerEmail:    "E-mail",
	domain.OfficerConsole:  "Hanya di konsol (tidak dikirim)",
}

// channelsForm is what the form template "staf-channels-form" reads.
type channelsForm struct {
	Action, ID, CSRF string
	Form             accounts.Channels
	Errors           map[string]string
	Choices          []channelChoice
}

// newChannelsForm builds a channel form: the choices in domain.OfficerChannels' order,
// the one in form checked.
func newChannelsForm(csrf, action, id string, form accounts.Channels, errs map[string]string) channelsForm {
	f := channelsForm{Action: action, ID: id, CSRF: csrf, Form: form, Errors: errs}
	for _, ch := range domain.OfficerChannels {
		f.Choices = append(f.Choices, channelChoice{Value: ch, Label: channelLabels[ch], Checked: ch == form.Channel})
	}
	return f
}

// profileData is /staf/akun.
type profileData struct {
	Frame
	Channels channelsForm
}

// showProfile renders the page with the form as typed (and its problems).
func (h handlers) showProfile(c *gin.Context, status int, d profileData, form accounts.Channels, errs map[string]string) {
	d.Channels = newChannelsForm(d.CSRF, "/staf/akun", "", form, errs)
	pages.Render(c, status, "staf-akun", d)
}

// profile is GET /staf/akun.
func (h handlers) profile(c *gin.Context) {
	u := user(c)
	ch, err := h.acc.ChannelsOf(c.Request.Context(), u.Actor(), u.Username)
	if err != nil {
		h.fail(c, accountsError(err))
		return
	}
	d := profileData{Frame: h.frame(c, "Akun saya")}
	if c.Query("ok") == "1" {
		d.Notice = "Cara notifikasi disimpan."
	}
	h.showProfile(c, http.StatusOK, d, ch, nil)
}

// saveProfile is POST /staf/akun (channel, phone, email, digest): a problem comes back
// beside its field with what was typed.
func (h handlers) saveProfile(c *gin.Context) {
	u := user(c)
	in := channelsOfForm(c)
	err := h.acc.SetChannels(c.Request.Context(), u.Actor(), u.Username, in)
	switch accounts.KindOf(err) {
	case "":
		c.Redirect(http.StatusSeeOther, "/staf/akun?ok=1")
	case accounts.KindInvalid:
		e := accounts.AsError(err)
		d := profileData{Frame: h.frame(c, "Akun saya")}
		d.Problem = e.Message
		h.showProfile(c, http.StatusBadRequest, d, in, e.Fields)
	default:
		h.fail(c, accountsError(err))
	}
}

// channelsOfForm reads the channel form.
func channelsOfForm(c *gin.Context) accounts.Channels {
	return accounts.Channels{Channel: c.PostForm("channel"), Phone: c.PostForm("phone"), Email: c.PostForm("email"),
		Digest: c.PostForm("digest") != ""}
}

package webhooks

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
	"aduan/domain"
)

// The generic SMS gateway's webhook: from, text and id, as JSON or form fields, signed
// with X-Aduan-Signature.

// sms takes the SMS gateway's deliveries.
func (h handlers) sms(c *gin.Context) {
	body, ok := readSigned(c, "X-Aduan-Signature", h.cfg.SMSSecret)
	if !ok {
		return
	}
	msg, err := parseSMS(c.GetHeader("Content-Type"), body)
	if err != nil {
		respond.Fail(c, http.StatusBadRequest, string(complaints.KindInvalid),
			"Format webhook SMS tidak dikenal: from, text dan id wajib ada.", nil)
		return
	}
	h.takeAll(c, []complaints.InboundMessage{msg})
}

// smsPayload is what the SMS gateway posts, as JSON or as a form.
type smsPayload struct {
	From string `json:"from"`
	Text string `json:"text"`
	ID   string `json:"id"`
}

// parseSMS reads an SMS gateway's post: from, text and id, as JSON or form fields.
func parseSMS(contentType string, body []byte) (complaints.InboundMessage, error) {
	var p smsPayload
	media, _, _ := mime.ParseMediaType(contentType)
	if media == "application/json" || (media == "" && len(body) > 0 && body[0] == '{') {
		if err := json.Unmarshal(body, &p); err != nil {
			return complaints.InboundMessage{}, errMalformed
		}
	} else {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return complaints.InboundMessage{}, errMalformed
		}
		p = smsPayload{From: form.Get("from"), Text: form.Get("text"), ID: form.Get("id")}
	}
	if p.From == "" || p.ID == "" {
		return complaints.InboundMessage{}, errMalformed
	}
	return complaints.InboundMessage{Channel: "sms", ID: p.ID, From: p.From, Type: domain.MessageText, Text: p.Text}, nil
}

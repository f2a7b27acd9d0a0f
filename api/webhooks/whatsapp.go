package webhooks

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
)

// The WhatsApp Business Cloud API's webhook: Meta's subscription challenge, and the
// deliveries of messages and status callbacks.

// verifyWhatsApp answers Meta's subscription challenge.
func (h handlers) verifyWhatsApp(c *gin.Context) {
	if h.cfg.WAVerifyToken == "" || c.Query("hub.mode") != "subscribe" || c.Query("hub.verify_token") != h.cfg.WAVerifyToken {
		respond.Fail(c, http.StatusForbidden, string(complaints.KindForbidden), "Token verifikasi tidak cocok.", nil)
		return
	}
	c.String(http.StatusOK, c.Query("hub.challenge"))
}

// whatsApp takes the WhatsApp Business Cloud API's deliveries.
func (h handlers) whatsApp(c *gin.Context) {
	body, ok := readSigned(c, "X-Hub-Signature-256", h.cfg.WAAppSecret)
	if !ok {
		return
	}
	msgs, statuses, err := parseWhatsApp(body)
	if err != nil {
		respond.Fail(c, http.StatusBadRequest, string(complaints.KindInvalid), "Format webhook WhatsApp tidak dikenal.", nil)
		return
	}
	for _, st := range statuses {
		if err := h.take.TakeStatus(c.Request.Context(), st); err != nil {
			respond.Error(c, complaints.AsError(err))
			return
		}
	}
	h.takeAll(c, msgs)
}

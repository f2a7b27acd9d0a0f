package webhooks

import (
	"crypto/subtle"
	"net/http"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
)

// The WhatsApp Business Cloud API's webhook: Meta's subscription challenge, and the
// deliveries of messages and status callbacks.

// verifyWhatsApp answers Meta's subscription challenge. The token is a secret compared
// in constant time, so the answer's timing tells nothing of how much of a guess was right.
func (h handlers) verifyWhatsApp(c *gin.Context) {
	got, want := []byte(c.Query("hub.verify_token")), []byte(h.cfg.WAVerifyToken)
	if len(want) == 0 || c.Query("hub.mode") != "subscribe" || subtle.ConstantTimeCompare(got, want) != 1 {
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

// Package webhooks takes the messaging providers' deliveries: the WhatsApp Business Cloud
// API's webhook and the SMS gateway's. It checks each delivery's signature, reads the
// provider's format and hands every message to the core's routing. A provider is
// answered 200 once its messages are safely stored, 503 when they could not be (so it
// retries), 429 with Retry-After for a number sending too many, 401 for a bad signature
// and 400 for a body that is not its format.
package webhooks

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
)

// MessageTaker routes one inbound message (the core's TakeMessage) and keeps a provider's
// report on a message we sent (TakeStatus).
type MessageTaker interface {
	TakeMessage(ctx context.Context, m complaints.InboundMessage) error
	TakeStatus(ctx context.Context, st complaints.DeliveryStatus) error
}

// Config holds the providers' secrets. A webhook without its secret refuses everything.
type Config struct {
	// WAVerifyToken answers WhatsApp's subscription challenge; WAAppSecret and SMSSecret
	// check the providers' signatures.
	WAVerifyToken string
	WAAppSecret   string
	SMSSecret     string
	// SMSAndroidSigningKey checks SMS Gateway for Android's signatures (X-Signature,
	// X-Timestamp) at AndroidSMSPath.
	SMSAndroidSigningKey string
	// TwilioAuthToken checks X-Twilio-Signature at TwilioSMSPath and TwilioStatusPath,
	// over TwilioPublicURL (ADUAN_PUBLIC_URL) and the route's path; both are needed.
	TwilioAuthToken string
	TwilioPublicURL string
}

type handlers struct {
	take MessageTaker
	cfg  Config
}

// Register adds the webhooks' routes.
func Register(r *gin.Engine, take MessageTaker, cfg Config) {
	h := handlers{take: take, cfg: cfg}
	r.GET("/webhooks/whatsapp", h.verifyWhatsApp)
	r.POST("/webhooks/whatsapp", h.whatsApp)
	r.POST("/webhooks/sms", h.sms)
	r.POST(AndroidSMSPath, h.androidSMS)
	r.POST(TwilioSMSPath, h.twilioSMS)
	r.POST(TwilioStatusPath, h.twilioStatus)
}

// takeAll routes each message and answers the provider once for all of them.
func (h handlers) takeAll(c *gin.Context, msgs []complaints.InboundMessage) {
	for _, m := range msgs {
		if err := h.take.TakeMessage(c.Request.Context(), m); err != nil {
			e := complaints.AsError(err)
			if e.Kind == complaints.KindRateLimited {
				respond.RetryAfter(c, e)
				respond.Fail(c, http.StatusTooManyRequests, string(e.Kind), "Terlalu banyak aduan baru dari nomor ini.", nil)
				return
			}
			respond.Error(c, complaints.AsError(err))
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "messages": len(msgs)})
}

// readSigned reads the raw body and checks its HMAC signature, answering itself when it
// cannot.
func readSigned(c *gin.Context, header, secret string) ([]byte, bool) {
	body, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		respond.Fail(c, http.StatusRequestEntityTooLarge, respond.CodeTooLarge, "Isi permintaan terlalu besar.", nil)
		return nil, false
	}
	if err != nil {
		respond.Fail(c, http.StatusBadRequest, string(complaints.KindInvalid), "Isi permintaan tidak dapat dibaca.", nil)
		return nil, false
	}
	if !validSignature(c.GetHeader(header), body, secret) {
		respond.Fail(c, http.StatusUnauthorized, string(complaints.KindUnauthenticated), "Tanda tangan webhook tidak valid.", nil)
		return nil, false
	}
	return body, true
}

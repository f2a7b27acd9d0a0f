package webhooks

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
	"aduan/domain"
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
		slog.Info("whatsapp status callback", "status", st)
	}
	h.takeAll(c, msgs)
}

// waPayload is the part of a WhatsApp Business Cloud API webhook Aduan reads.
type waPayload struct {
	Object string `json:"object"`
	Entry  []struct {
		Changes []struct {
			Field string `json:"field"`
			Value struct {
				Contacts []struct {
					WaID    string `json:"wa_id"`
					Profile struct {
						Name string `json:"name"`
					} `json:"profile"`
				} `json:"contacts"`
				Messages []struct {
					From string `json:"from"`
					ID   string `json:"id"`
					Type string `json:"type"`
					Text *struct {
						Body string `json:"body"`
					} `json:"text"`
				} `json:"messages"`
				Statuses []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
				} `json:"statuses"`
			} `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

// errMalformed means a body that is not the provider's format at all.
var errMalformed = errors.New("malformed webhook body")

// parseWhatsApp reads the messages of a WhatsApp webhook, and counts its status callbacks
// (delivered, read…), which need no action.
func parseWhatsApp(body []byte) (msgs []complaints.InboundMessage, statuses []string, err error) {
	var p waPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, nil, errMalformed
	}
	for _, e := range p.Entry {
		for _, ch := range e.Changes {
			names := map[string]string{}
			for _, c := range ch.Value.Contacts {
				names[c.WaID] = c.Profile.Name
			}
			for _, m := range ch.Value.Messages {
				if m.ID == "" || m.From == "" {
					continue
				}
				in := complaints.InboundMessage{Channel: "whatsapp", ID: m.ID, From: m.From, Name: names[m.From], Type: domain.MessageKind(m.Type)}
				if m.Type == "text" && m.Text != nil {
					in.Text = m.Text.Body
				}
				msgs = append(msgs, in)
			}
			for _, st := range ch.Value.Statuses {
				statuses = append(statuses, st.Status)
			}
		}
	}
	return msgs, statuses, nil
}

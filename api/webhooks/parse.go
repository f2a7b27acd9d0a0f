package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"mime"
	"net/url"
	"strings"

	"aduan/complaints"
)

// validSignature checks "sha256=<hex HMAC-SHA256 of body with secret>" in constant time.
// An empty secret accepts nothing: a webhook without its secret configured is closed.
func validSignature(header string, body []byte, secret string) bool {
	if secret == "" {
		return false
	}
	hexSum, ok := strings.CutPrefix(strings.TrimSpace(header), "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
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
				in := complaints.InboundMessage{Channel: "whatsapp", ID: m.ID, From: m.From, Name: names[m.From], Type: m.Type}
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
	return complaints.InboundMessage{Channel: "sms", ID: p.ID, From: p.From, Type: "text", Text: p.Text}, nil
}

package webhooks

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"aduan/complaints"
	"aduan/domain"
)

// The WhatsApp Cloud API's webhook payload ("messages" field), as documented at
// developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples: every message
// type a citizen can send, and the status callbacks of the messages we sent.

type waMedia struct {
	ID       string `json:"id"`
	MimeType string `json:"mime_type"`
	SHA256   string `json:"sha256"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
	Voice    bool   `json:"voice"`
}

type waMessage struct {
	From      string `json:"from"`
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
	Context   *struct {
		ID string `json:"id"`
	} `json:"context"`
	Text *struct {
		Body string `json:"body"`
	} `json:"text"`
	Image    *waMedia `json:"image"`
	Video    *waMedia `json:"video"`
	Document *waMedia `json:"document"`
	Audio    *waMedia `json:"audio"`
	Sticker  *waMedia `json:"sticker"`
	Location *struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
		Name      string  `json:"name"`
		Address   string  `json:"address"`
	} `json:"location"`
	Contacts []struct {
		Name struct {
			FormattedName string `json:"formatted_name"`
		} `json:"name"`
		Phones []struct {
			Phone string `json:"phone"`
		} `json:"phones"`
	} `json:"contacts"`
	Interactive *struct {
		Type        string   `json:"type"`
		ButtonReply *waReply `json:"button_reply"`
		ListReply   *waReply `json:"list_reply"`
	} `json:"interactive"`
	Button *struct {
		Payload string `json:"payload"`
		Text    string `json:"text"`
	} `json:"button"`
}

type waReply struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type waStatus struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	Timestamp string `json:"timestamp"`
	Errors    []struct {
		Code  int    `json:"code"`
		Title string `json:"title"`
	} `json:"errors"`
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
				Messages []waMessage `json:"messages"`
				Statuses []waStatus  `json:"statuses"`
			} `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

// errMalformed means a body that is not the provider's format at all.
var errMalformed = errors.New("malformed webhook body")

// parseWhatsApp reads the messages and the status callbacks of a WhatsApp webhook. One
// delivery may carry several messages from several numbers.
func parseWhatsApp(body []byte) (msgs []complaints.InboundMessage, statuses []complaints.DeliveryStatus, err error) {
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
				in := waInbound(m)
				in.Name = names[m.From]
				msgs = append(msgs, in)
			}
			for _, st := range ch.Value.Statuses {
				if st.ID == "" {
					continue
				}
				ds := complaints.DeliveryStatus{Channel: "whatsapp", Ref: st.ID, Status: st.Status, At: unixTime(st.Timestamp)}
				if len(st.Errors) > 0 {
					ds.ErrorCode, ds.ErrorTitle = strconv.Itoa(st.Errors[0].Code), st.Errors[0].Title
				}
				statuses = append(statuses, ds)
			}
		}
	}
	return msgs, statuses, nil
}

// waInbound is one WhatsApp message as the core takes it.
func waInbound(m waMessage) complaints.InboundMessage {
	in := complaints.InboundMessage{Channel: "whatsapp", ID: m.ID, From: m.From, Type: domain.MessageOther, OtherType: m.Type}
	if m.Context != nil {
		in.Context = m.Context.ID
	}
	media := func(kind domain.MessageKind, x *waMedia) {
		if x == nil || x.ID == "" {
			return
		}
		in.Type, in.OtherType, in.Text = kind, "", x.Caption
		in.Media = &complaints.InboundMedia{Ref: x.ID, MimeType: x.MimeType, SHA256: x.SHA256, Filename: x.Filename, Voice: x.Voice}
	}
	switch m.Type {
	case "text":
		if m.Text != nil {
			in.Type, in.OtherType, in.Text = domain.MessageText, "", m.Text.Body
		}
	case "image":
		media(domain.MessageImage, m.Image)
	case "video":
		media(domain.MessageVideo, m.Video)
	case "document":
		media(domain.MessageDocument, m.Document)
	case "audio":
		media(domain.MessageAudio, m.Audio)
	case "sticker":
		media(domain.MessageSticker, m.Sticker)
	case "location":
		if l := m.Location; l != nil {
			in.Type, in.OtherType = domain.MessageLocation, ""
			in.Location = &complaints.Location{Latitude: l.Latitude, Longitude: l.Longitude, Name: l.Name, Address: l.Address}
		}
	case "contacts":
		in.Type, in.OtherType = domain.MessageContacts, ""
		var parts []string
		for _, c := range m.Contacts {
			p := c.Name.FormattedName
			for _, ph := range c.Phones {
				p += " " + ph.Phone
			}
			parts = append(parts, strings.TrimSpace(p))
		}
		in.Text = strings.Join(parts, "; ")
	case "interactive":
		if it := m.Interactive; it != nil {
			r := it.ButtonReply
			if r == nil {
				r = it.ListReply
			}
			if r != nil {
				in.Type, in.OtherType, in.Button, in.Text = domain.MessageButton, "", r.ID, r.Title
			}
		}
	case "button":
		if b := m.Button; b != nil {
			in.Type, in.OtherType, in.Button, in.Text = domain.MessageButton, "", b.Payload, b.Text
		}
	}
	return in
}

// unixTime reads WhatsApp's timestamp (seconds since 1970 as a string); zero when absent.
func unixTime(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0)
}

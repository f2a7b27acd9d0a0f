package soak

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"sync/atomic"
)

// providers stands in for the WhatsApp Cloud API and the SMS gateway: it accepts every
// message the worker sends and keeps its text by recipient, so the soak's complainants
// can read their acknowledgement (their code) and their feedback link as a phone would.
type providers struct {
	srv *httptest.Server
	url string
	n   atomic.Int64

	mu    sync.Mutex
	inbox map[string][]string // recipient (international digits) → texts, in order
}

func newProviders() *providers {
	p := &providers{inbox: map[string][]string{}}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	p.url = p.srv.URL
	return p
}

func (p *providers) close() { p.srv.Close() }

// sentMessage is what either provider is sent: the WhatsApp Cloud API's text,
// interactive and template messages, and the gateway's {"to", "text"}.
type sentMessage struct {
	To   string `json:"to"`
	Text any    `json:"text"` // WhatsApp: {"body": ...}; SMS gateway: a string
	// WhatsApp's interactive message (the published answer with its YA/BELUM buttons).
	Interactive *struct {
		Body struct {
			Text string `json:"text"`
		} `json:"body"`
	} `json:"interactive"`
	// WhatsApp's template, outside the 24-hour window: the text is its parameter.
	Template *struct {
		Components []struct {
			Parameters []struct {
				Text string `json:"text"`
			} `json:"parameters"`
		} `json:"components"`
	} `json:"template"`
}

func (m sentMessage) body() string {
	switch t := m.Text.(type) {
	case string:
		return t
	case map[string]any:
		if b, ok := t["body"].(string); ok {
			return b
		}
	}
	if m.Interactive != nil {
		return m.Interactive.Body.Text
	}
	if m.Template != nil {
		for _, c := range m.Template.Components {
			for _, p := range c.Parameters {
				return p.Text
			}
		}
	}
	return ""
}

func (p *providers) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var m sentMessage
	if r.Method != http.MethodPost || json.Unmarshal(raw, &m) != nil || m.To == "" {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	id := p.n.Add(1)
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/wa/" + waPhoneID + "/messages":
		if r.Header.Get("Authorization") != "Bearer "+waToken {
			http.Error(w, `{"error":{"code":190,"message":"Invalid OAuth access token"}}`, http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, `{"messaging_product":"whatsapp","contacts":[{"input":%q,"wa_id":%q}],"messages":[{"id":"wamid.soak%d"}]}`,
			m.To, m.To, id)
	case "/sms/send":
		if r.Header.Get("Authorization") != "Bearer "+smsAPIKey {
			http.Error(w, `{"error":"unauthorised"}`, http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, `{"status":"queued","message_id":"sms-soak-%d"}`, id)
	default:
		http.Error(w, `{"error":"no such endpoint"}`, http.StatusNotFound)
		return
	}
	p.mu.Lock()
	p.inbox[m.To] = append(p.inbox[m.To], m.body())
	p.mu.Unlock()
}

// received lists the texts sent to a number so far.
func (p *providers) received(to string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.inbox[to]...)
}

// find is the first submatch of re in a text sent to a number, or "".
func (p *providers) find(to string, re *regexp.Regexp) string {
	for _, text := range p.received(to) {
		if m := re.FindStringSubmatch(text); m != nil {
			return m[len(m)-1]
		}
	}
	return ""
}

// sent counts the messages accepted.
func (p *providers) sent() int64 { return p.n.Load() }

package e2e

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// fakeProviders stands in for the WhatsApp Cloud API (messages and media) and an SMS
// gateway on one local server, recording every request. TestMain runs one for the
// worker's own senders (sink); a test may start its own.
type fakeProviders struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []providerCall
	// media maps a WhatsApp media id to the file the Cloud API serves for it.
	media map[string]fakeMedia
}

type fakeMedia struct {
	Mime string
	Data []byte
}

type providerCall struct {
	Path          string
	Authorization string
	Body          map[string]any
	Ref           string
}

const (
	e2eWAPhoneID = "109876543210"
	e2eWAToken   = "e2e-wa-token"
	e2eSMSKey    = "e2e-sms-key"
)

// sink is the providers the e2e worker's senders talk to.
var sink *fakeProviders

func newFakeProviders() *fakeProviders {
	f := &fakeProviders{media: map[string]fakeMedia{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

// addMedia makes the Cloud API serve data as media id and returns the sha256 its
// webhook announces (base64).
func (f *fakeProviders) addMedia(id, mime string, data []byte) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.media[id] = fakeMedia{Mime: mime, Data: data}
	sum := sha256.Sum256(data)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func (f *fakeProviders) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		f.serveMedia(w, r)
		return
	}
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	if r.Method != http.MethodPost || json.Unmarshal(raw, &body) != nil {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	call := providerCall{Path: r.URL.Path, Authorization: r.Header.Get("Authorization"), Body: body}
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/wa/v21.0/" + e2eWAPhoneID + "/messages":
		call.Ref = fmt.Sprintf("wamid.e2e%d-%s", len(f.reqs)+1, randomHex(3))
		fmt.Fprintf(w, `{"messaging_product":"whatsapp","contacts":[{"input":%q,"wa_id":%q}],"messages":[{"id":%q}]}`,
			body["to"], body["to"], call.Ref)
	case "/sms/send":
		call.Ref = fmt.Sprintf("sms-e2e-%d-%s", len(f.reqs)+1, randomHex(3))
		fmt.Fprintf(w, `{"status":"queued","message_id":%q}`, call.Ref)
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"no such endpoint"}`)
	}
	f.reqs = append(f.reqs, call)
}

// serveMedia is the Cloud API's media: GET /wa/v21.0/{id} answers the file's URL, GET
// /media/{id} the file, both only with the access token.
func (f *fakeProviders) serveMedia(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+e2eWAToken {
		http.Error(w, `{"error":{"code":190,"message":"Invalid OAuth access token"}}`, http.StatusUnauthorized)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, ok := strings.CutPrefix(r.URL.Path, "/media/"); ok {
		m, found := f.media[id]
		if !found {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", m.Mime)
		_, _ = w.Write(m.Data)
		return
	}
	id := strings.TrimPrefix(r.URL.Path, "/wa/v21.0/")
	m, found := f.media[id]
	if !found {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":{"code":100,"message":"Unsupported get request"}}`)
		return
	}
	sum := sha256.Sum256(m.Data)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"messaging_product": "whatsapp", "url": f.srv.URL + "/media/" + id,
		"mime_type": m.Mime, "sha256": base64.StdEncoding.EncodeToString(sum[:]), "file_size": len(m.Data), "id": id})
}

func (f *fakeProviders) calls() []providerCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]providerCall(nil), f.reqs...)
}

// callsTo lists the requests that sent something to phone.
func (f *fakeProviders) callsTo(phone string) []providerCall {
	var out []providerCall
	for _, c := range f.calls() {
		if c.Body["to"] == phone {
			out = append(out, c)
		}
	}
	return out
}

package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"aduan/domain"
)

// providerRequest is one request a fake provider received.
type providerRequest struct {
	Method, Path string
	Header       http.Header
	Body         []byte
}

func (r providerRequest) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("request body is not a JSON object: %q", r.Body)
	}
	return m
}

// fakeProvider stands in for the WhatsApp Cloud API or an SMS gateway: it records every
// request and answers each with the next of its answers (the last one repeats).
type fakeProvider struct {
	*httptest.Server
	mu       sync.Mutex
	requests []providerRequest
	answers  []fakeAnswer
}

type fakeAnswer struct {
	status int
	body   string
}

func startProvider(t *testing.T, answers ...fakeAnswer) *fakeProvider {
	t.Helper()
	f := &fakeProvider{answers: answers}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.requests = append(f.requests, providerRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
		a := fakeAnswer{http.StatusOK, `{}`}
		if len(f.answers) > 0 {
			a = f.answers[0]
			if len(f.answers) > 1 {
				f.answers = f.answers[1:]
			}
		}
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeProvider) received() []providerRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]providerRequest(nil), f.requests...)
}

const (
	waPhoneID   = "109876543210"
	waToken     = "EAAG-wa-token-rahasia"
	rawPhone    = "0812-3456-7890"
	intlPhone   = "6281234567890"
	waMessageOK = `{"messaging_product":"whatsapp","contacts":[{"input":"6281234567890","wa_id":"6281234567890"}],"messages":[{"id":"wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ1"}]}`
)

// complainantRow is an outbox row for a WhatsApp or SMS complainant.
func complainantRow(channel string) Notification {
	return Notification{
		ID: 7, DedupeKey: "ADU-7K3Q-XW2M/awaiting_info/3/question/pelapor", Code: "ADU-7K3Q-XW2M",
		Kind: domain.NotifyQuestion, Recipient: "pelapor", Channel: channel,
		Address:  rawPhone,
		Template: "question.pelapor",
		Text: "Kami memerlukan keterangan tambahan untuk aduan Anda ADU-7K3Q-XW2M:\nDi dusun mana tepatnya Bu Siti tinggal?\n" +
			"Silakan balas pesan ini dengan jawaban Anda.\nLacak aduan Anda: https://aduan.example.go.id/api/v1/complaints/ADU-7K3Q-XW2M",
		DueAt: time.Now(),
	}
}

// logCapture is a JSON logger and what it wrote.
func logCapture() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}

// assertNoSecrets fails when the log holds the phone number (as given or normalised),
// any part of the text, or a credential.
func assertNoSecrets(t testing.TB, logs string, n Notification, credentials ...string) {
	t.Helper()
	secrets := append([]string{rawPhone, intlPhone, "81234567890", "812-3456", "dusun", "Siti", "keterangan tambahan"}, credentials...)
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("log carries %q: %s", s, logs)
		}
	}
	if n.Code != "" && !strings.Contains(logs, n.Code) {
		t.Errorf("log does not even name the complaint %s: %s", n.Code, logs)
	}
}

func waSender(f *fakeProvider, last LastInboundFunc, lg *slog.Logger, now time.Time) *WhatsAppSender {
	return &WhatsAppSender{
		Config:      WhatsAppConfig{APIBase: f.URL + "/v21.0", PhoneNumberID: waPhoneID, Token: waToken},
		LastInbound: last, Logger: lg, Now: func() time.Time { return now },
	}
}

func lastAt(at time.Time) LastInboundFunc {
	return func(context.Context, string) (time.Time, bool, error) { return at, true, nil }
}

func TestWhatsAppTextWithin24h(t *testing.T) {
	f := startProvider(t, fakeAnswer{http.StatusOK, waMessageOK})
	lg, logs := logCapture()
	now := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	var asked []string
	last := func(_ context.Context, code string) (time.Time, bool, error) {
		asked = append(asked, code)
		return now.Add(-23 * time.Hour), true, nil
	}
	n := complainantRow(ChannelWhatsApp)
	rc, err := waSender(f, last, lg, now).SendReceipt(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Via != "whatsapp:text" || rc.Ref != "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ1" {
		t.Errorf("receipt %+v", rc)
	}
	if len(asked) != 1 || asked[0] != n.Code {
		t.Errorf("LastInbound asked for %v, want [%s]", asked, n.Code)
	}
	reqs := f.received()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/v21.0/"+waPhoneID+"/messages" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+waToken {
		t.Errorf("Authorization %q", got)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q", got)
	}
	want := map[string]any{
		"messaging_product": "whatsapp", "recipient_type": "individual", "to": intlPhone, "type": "text",
		"text": map[string]any{"preview_url": false, "body": n.Text},
	}
	if got := r.json(t); !reflect.DeepEqual(got, want) {
		t.Errorf("body\n%v\nwant\n%v", got, want)
	}
	assertNoSecrets(t, logs.String(), n, waToken)
}

func TestWhatsAppTemplateAfter24h(t *testing.T) {
	now := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	never := func(context.Context, string) (time.Time, bool, error) { return time.Time{}, false, nil }
	for name, last := range map[string]LastInboundFunc{
		"25 hours ago":                   lastAt(now.Add(-25 * time.Hour)),
		"two days ago":                   lastAt(now.Add(-48 * time.Hour)),
		"23h55m ago (within the margin)": lastAt(now.Add(-23*time.Hour - 55*time.Minute)),
		"never":                          never,
		"no LastInbound":                 nil,
	} {
		t.Run(name, func(t *testing.T) {
			f := startProvider(t, fakeAnswer{http.StatusOK, waMessageOK})
			lg, logs := logCapture()
			n := complainantRow(ChannelWhatsApp)
			rc, err := waSender(f, last, lg, now).SendReceipt(context.Background(), n)
			if err != nil {
				t.Fatal(err)
			}
			if rc.Via != "whatsapp:template:aduan_pembaruan" || rc.Ref == "" {
				t.Errorf("receipt %+v", rc)
			}
			reqs := f.received()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			if reqs[0].Path != "/v21.0/"+waPhoneID+"/messages" || reqs[0].Header.Get("Authorization") != "Bearer "+waToken {
				t.Errorf("request %s auth %q", reqs[0].Path, reqs[0].Header.Get("Authorization"))
			}
			flat := "Kami memerlukan keterangan tambahan untuk aduan Anda ADU-7K3Q-XW2M: Di dusun mana tepatnya Bu Siti tinggal? " +
				"Silakan balas pesan ini dengan jawaban Anda. Lacak aduan Anda: https://aduan.example.go.id/api/v1/complaints/ADU-7K3Q-XW2M"
			want := map[string]any{
				"messaging_product": "whatsapp", "to": intlPhone, "type": "template",
				"template": map[string]any{
					"name": "aduan_pembaruan", "language": map[string]any{"code": "id"},
					"components": []any{map[string]any{"type": "body", "parameters": []any{
						map[string]any{"type": "text", "text": flat},
					}}},
				},
			}
			if got := reqs[0].json(t); !reflect.DeepEqual(got, want) {
				t.Errorf("body\n%v\nwant\n%v", got, want)
			}
			assertNoSecrets(t, logs.String(), n, waToken)
		})
	}
}

func TestWhatsAppFailures(t *testing.T) {
	now := time.Now()
	recent := lastAt(now.Add(-time.Hour))
	metaError := func(code int, msg string) string {
		return `{"error":{"message":"` + msg + `","type":"OAuthException","code":` + itoa(code) +
			`,"error_data":{"messaging_product":"whatsapp","details":"` + msg + `"},"fbtrace_id":"AbC"}}`
	}
	cases := []struct {
		name      string
		answer    fakeAnswer
		permanent bool
	}{
		{"400 invalid parameter", fakeAnswer{400, metaError(100, "Invalid parameter for 6281234567890")}, true},
		{"400 recipient not allowed", fakeAnswer{400, metaError(131030, "Recipient phone number not in allowed list")}, true},
		{"404 template missing", fakeAnswer{404, metaError(132001, "Template name does not exist in the translation")}, true},
		{"400 without a body", fakeAnswer{400, ``}, true},
		{"500", fakeAnswer{500, `{"error":{"message":"An unknown error occurred","code":1}}`}, false},
		{"503 HTML", fakeAnswer{503, `<html>down</html>`}, false},
		{"429", fakeAnswer{429, metaError(130429, "Rate limit hit")}, false},
		{"400 pair rate limit", fakeAnswer{400, metaError(131056, "Pair rate limit hit")}, false},
		{"401 token expired", fakeAnswer{401, metaError(190, "Error validating access token")}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := startProvider(t, c.answer)
			lg, logs := logCapture()
			n := complainantRow(ChannelWhatsApp)
			_, err := waSender(f, recent, lg, now).SendReceipt(context.Background(), n)
			if err == nil {
				t.Fatalf("want an error")
			}
			if IsPermanent(err) != c.permanent {
				t.Errorf("permanent %v, want %v: %v", IsPermanent(err), c.permanent, err)
			}
			var we *WhatsAppError
			if !errors.As(err, &we) || we.Status != c.answer.status {
				t.Errorf("error %v, want a WhatsAppError with status %d", err, c.answer.status)
			}
			if strings.Contains(err.Error(), intlPhone) || strings.Contains(err.Error(), waToken) {
				t.Errorf("error quotes the phone number or token: %v", err)
			}
			if len(f.received()) != 1 {
				t.Errorf("%d requests, want 1", len(f.received()))
			}
			assertNoSecrets(t, logs.String(), n, waToken)
		})
	}

	t.Run("network", func(t *testing.T) {
		f := startProvider(t)
		f.Close()
		lg, logs := logCapture()
		n := complainantRow(ChannelWhatsApp)
		_, err := waSender(f, recent, lg, now).SendReceipt(context.Background(), n)
		if err == nil || IsPermanent(err) {
			t.Errorf("provider down: got %v, want a retryable error", err)
		}
		assertNoSecrets(t, logs.String(), n, waToken)
	})
	t.Run("invalid phone", func(t *testing.T) {
		f := startProvider(t)
		lg, logs := logCapture()
		n := complainantRow(ChannelWhatsApp)
		n.Address = "tanya pak RT"
		_, err := waSender(f, recent, lg, now).SendReceipt(context.Background(), n)
		if !IsPermanent(err) || len(f.received()) != 0 {
			t.Errorf("invalid phone: got %v after %d requests, want permanent without a request", err, len(f.received()))
		}
		if strings.Contains(logs.String(), "tanya") {
			t.Errorf("log quotes the address: %s", logs)
		}
	})
	t.Run("LastInbound fails", func(t *testing.T) {
		f := startProvider(t)
		lg, _ := logCapture()
		broken := func(context.Context, string) (time.Time, bool, error) {
			return time.Time{}, false, errors.New("db down")
		}
		_, err := waSender(f, broken, lg, now).SendReceipt(context.Background(), complainantRow(ChannelWhatsApp))
		if err == nil || IsPermanent(err) || len(f.received()) != 0 {
			t.Errorf("got %v after %d requests, want a retryable error and no message", err, len(f.received()))
		}
	})
}

// TestWhatsAppReengagement: when the Cloud API refuses free-form text because the window
// has closed after all (131047), the template goes at once.
func TestWhatsAppReengagement(t *testing.T) {
	f := startProvider(t,
		fakeAnswer{400, `{"error":{"message":"Re-engagement message","code":131047,"error_data":{"details":"More than 24 hours have passed"}}}`},
		fakeAnswer{200, waMessageOK})
	lg, logs := logCapture()
	n := complainantRow(ChannelWhatsApp)
	rc, err := waSender(f, lastAt(time.Now().Add(-time.Hour)), lg, time.Now()).SendReceipt(context.Background(), n)
	if err != nil || rc.Via != "whatsapp:template:aduan_pembaruan" {
		t.Fatalf("receipt %+v err %v", rc, err)
	}
	reqs := f.received()
	if len(reqs) != 2 || reqs[0].json(t)["type"] != "text" || reqs[1].json(t)["type"] != "template" {
		t.Errorf("requests %d, want text then template", len(reqs))
	}
	assertNoSecrets(t, logs.String(), n, waToken)
}

// TestWhatsAppLongText: a text over the Cloud API's limits is cut, keeping the link.
func TestWhatsAppLongText(t *testing.T) {
	n := complainantRow(ChannelWhatsApp)
	link := "https://aduan.example.go.id/api/v1/complaints/ADU-7K3Q-XW2M"
	n.Text = "Berikut jawaban atas aduan Anda ADU-7K3Q-XW2M:\n" + strings.Repeat("Distribusi beras dijadwalkan ulang. ", 200) +
		"\nLacak aduan Anda: " + link
	for _, last := range []LastInboundFunc{lastAt(time.Now().Add(-time.Hour)), nil} {
		f := startProvider(t, fakeAnswer{200, waMessageOK})
		lg, _ := logCapture()
		if _, err := waSender(f, last, lg, time.Now()).SendReceipt(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		var body struct {
			Type string `json:"type"`
			Text struct {
				Body string `json:"body"`
			} `json:"text"`
			Template struct {
				Components []struct {
					Parameters []struct {
						Text string `json:"text"`
					} `json:"parameters"`
				} `json:"components"`
			} `json:"template"`
		}
		if err := json.Unmarshal(f.received()[0].Body, &body); err != nil {
			t.Fatal(err)
		}
		got, max := body.Text.Body, 4096
		if body.Type == "template" {
			got, max = body.Template.Components[0].Parameters[0].Text, 900
			if strings.ContainsAny(got, "\n\t") || strings.Contains(got, "  ") {
				t.Errorf("template parameter with new lines or runs of spaces: %q", got)
			}
		}
		if utf8.RuneCountInString(got) > max || !strings.HasSuffix(got, "Lacak aduan Anda: "+link) || !strings.Contains(got, "…") {
			t.Errorf("%s: %d characters (max %d), ends %q", body.Type, utf8.RuneCountInString(got), max, got[len(got)-80:])
		}
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

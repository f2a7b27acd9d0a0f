package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
)

const (
	androidUser     = "sms"
	androidPassword = "kata-sandi-ponsel"
)

// fakePhone stands in for SMS Gateway for Android's API as documented
// (https://docs.sms-gate.app/features/sending-messages/ and the OpenAPI of POST /messages
// in the app's swagger.json): basic authentication, a JSON smsgateway.Message, 202 with
// the message's state, 409 for an id it already has, 400 for a request it cannot take,
// each error as {"message": "..."}.
type fakePhone struct {
	*httptest.Server
	prefix string // "" for the phone's local server, "/3rdparty/v1" for the cloud server

	mu       sync.Mutex
	requests []providerRequest
	messages map[string]json.RawMessage // by id
	// fail answers the next requests with this status and body instead (0: none).
	fail     int
	failBody string
	// drop stores the next message, then closes the connection without an answer.
	drop bool
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

func startPhone(t *testing.T, prefix string) *fakePhone {
	t.Helper()
	f := &fakePhone{prefix: prefix, messages: map[string]json.RawMessage{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakePhone) answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakePhone) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, providerRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	if r.Method != http.MethodPost || r.URL.Path != f.prefix+"/messages" {
		f.answer(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	if u, p, ok := r.BasicAuth(); !ok || u != androidUser || p != androidPassword {
		f.answer(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized"})
		return
	}
	if f.fail != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.fail)
		_, _ = io.WriteString(w, f.failBody)
		return
	}
	var m struct {
		ID          string  `json:"id"`
		Message     *string `json:"message"`
		TextMessage *struct {
			Text string `json:"text"`
		} `json:"textMessage"`
		PhoneNumbers       []string `json:"phoneNumbers"`
		WithDeliveryReport *bool    `json:"withDeliveryReport"`
	}
	if err := json.Unmarshal(body, &m); err != nil || r.Header.Get("Content-Type") != "application/json" {
		f.answer(w, http.StatusBadRequest, map[string]string{"message": "invalid request body"})
		return
	}
	switch {
	case m.TextMessage == nil || m.TextMessage.Text == "" || m.Message != nil:
		f.answer(w, http.StatusBadRequest, map[string]string{"message": "Must specify exactly one of: textMessage, dataMessage, or message"})
		return
	case len(m.PhoneNumbers) == 0:
		f.answer(w, http.StatusBadRequest, map[string]string{"message": "Empty phone numbers list"})
		return
	case len(m.ID) > 36:
		f.answer(w, http.StatusBadRequest, map[string]string{"message": "id: the length must be no more than 36"})
		return
	}
	for _, p := range m.PhoneNumbers {
		if !e164.MatchString(p) {
			f.answer(w, http.StatusBadRequest, map[string]string{"message": fmt.Sprintf("invalid phone number %s: not E.164", p)})
			return
		}
	}
	if m.ID == "" {
		m.ID = fmt.Sprintf("gen-%d", len(f.messages)+1)
	}
	if _, dup := f.messages[m.ID]; dup {
		f.answer(w, http.StatusConflict, map[string]string{"message": "message with the same ID already exists"})
		return
	}
	f.messages[m.ID] = body
	if f.drop {
		f.drop = false
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
	}
	recipients := []map[string]string{}
	for _, p := range m.PhoneNumbers {
		recipients = append(recipients, map[string]string{"phoneNumber": p, "state": "Pending"})
	}
	w.Header().Set("Location", f.prefix+"/messages/"+m.ID)
	f.answer(w, http.StatusAccepted, map[string]any{"id": m.ID, "deviceId": "PyDmBQZZXYmyxMwED8Fzy", "state": "Pending",
		"isHashed": false, "isEncrypted": false, "recipients": recipients, "states": map[string]string{}})
}

func (f *fakePhone) received() []providerRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]providerRequest(nil), f.requests...)
}

func (f *fakePhone) stored() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.messages)
}

func androidSender(f *fakePhone, url, password string) (*AndroidSMSSender, func() string) {
	lg, logs := logCapture()
	return &AndroidSMSSender{Config: AndroidSMSConfig{URL: url, User: androidUser, Password: password}, Logger: lg}, logs.String
}

func TestAndroidSMSRequest(t *testing.T) {
	for _, mode := range []struct{ name, prefix, suffix string }{
		{"local server", "", ""},
		{"cloud server", "/3rdparty/v1", "/"},
	} {
		t.Run(mode.name, func(t *testing.T) {
			f := startPhone(t, mode.prefix)
			s, logs := androidSender(f, f.URL+mode.prefix+mode.suffix, androidPassword)
			n := complainantRow(ChannelSMS)
			rc, err := s.SendReceipt(context.Background(), n)
			if err != nil {
				t.Fatal(err)
			}
			id := AndroidMessageID(n)
			if rc.Via != "sms:android" || rc.Ref != id || !regexp.MustCompile(`^aduan-[0-9a-f]{30}$`).MatchString(id) {
				t.Errorf("receipt %+v (id %s)", rc, id)
			}
			reqs := f.received()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != mode.prefix+"/messages" {
				t.Errorf("request %s %s", r.Method, r.Path)
			}
			if got := r.Header.Get("Authorization"); got != "Basic "+basicAuth(androidUser, androidPassword) {
				t.Errorf("Authorization %q", got)
			}
			want := map[string]any{"id": id, "textMessage": map[string]any{"text": n.Text},
				"phoneNumbers": []any{"+" + intlPhone}, "withDeliveryReport": true}
			if got := r.json(t); !reflect.DeepEqual(got, want) {
				t.Errorf("body\n%v\nwant\n%v", got, want)
			}
			assertNoSecrets(t, logs(), n, androidPassword)
		})
	}
}

// The id is the outbox row's: the same on every attempt, another for another row.
func TestAndroidMessageID(t *testing.T) {
	n := complainantRow(ChannelSMS)
	other := n
	other.ID++
	again := n
	again.Attempts = 3
	if AndroidMessageID(n) != AndroidMessageID(again) || AndroidMessageID(n) == AndroidMessageID(other) || len(AndroidMessageID(n)) > 36 {
		t.Errorf("ids %s %s %s", AndroidMessageID(n), AndroidMessageID(again), AndroidMessageID(other))
	}
}

// An answer lost after the phone took the message: the retry is refused as a duplicate
// (409), which counts as sent, and the phone has the message once.
func TestAndroidSMSLostAnswerSendsOnce(t *testing.T) {
	f := startPhone(t, "")
	f.drop = true
	s, logs := androidSender(f, f.URL, androidPassword)
	n := complainantRow(ChannelSMS)
	if _, err := s.SendReceipt(context.Background(), n); err == nil || IsPermanent(err) {
		t.Fatalf("lost answer: %v, want a retryable error", err)
	}
	rc, err := s.SendReceipt(context.Background(), n)
	if err != nil || rc.Ref != AndroidMessageID(n) || rc.Via != "sms:android" {
		t.Fatalf("retry: %+v %v", rc, err)
	}
	if f.stored() != 1 || len(f.received()) != 2 {
		t.Errorf("the phone has %d messages after %d requests, want 1 after 2", f.stored(), len(f.received()))
	}
	assertNoSecrets(t, logs(), n, androidPassword)
}

func TestAndroidSMSFailures(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		body      string
		password  string
		permanent bool
	}{
		{"400 rejected", 400, `{"message":"invalid phone number +6281234567890: not E.164"}`, androidPassword, true},
		{"401 wrong password", 0, "", "salah", false},
		{"403", 403, `{"message":"Forbidden"}`, androidPassword, false},
		{"429", 429, `{"message":"Too Many Requests"}`, androidPassword, false},
		{"500", 500, `{"message":"failed to enqueue message"}`, androidPassword, false},
		{"503 queue full", 503, `{"message":"queue limit exceeded"}`, androidPassword, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := startPhone(t, "")
			f.fail, f.failBody = c.status, c.body
			s, logs := androidSender(f, f.URL, c.password)
			n := complainantRow(ChannelSMS)
			err := s.Send(context.Background(), n)
			if err == nil {
				t.Fatal("want an error")
			}
			if IsPermanent(err) != c.permanent {
				t.Errorf("permanent %v, want %v: %v", IsPermanent(err), c.permanent, err)
			}
			if strings.Contains(err.Error(), intlPhone) || strings.Contains(err.Error(), androidPassword) {
				t.Errorf("error %q carries the number or password", err)
			}
			assertNoSecrets(t, logs(), n, androidPassword)
		})
	}
	t.Run("network", func(t *testing.T) {
		f := startPhone(t, "")
		f.Close()
		s, logs := androidSender(f, f.URL, androidPassword)
		n := complainantRow(ChannelSMS)
		if err := s.Send(context.Background(), n); err == nil || IsPermanent(err) {
			t.Errorf("phone offline: got %v, want a retryable error", err)
		}
		assertNoSecrets(t, logs(), n, androidPassword)
	})
	t.Run("invalid phone", func(t *testing.T) {
		f := startPhone(t, "")
		s, _ := androidSender(f, f.URL, androidPassword)
		n := complainantRow(ChannelSMS)
		n.Address = "12"
		if err := s.Send(context.Background(), n); !IsPermanent(err) || len(f.received()) != 0 {
			t.Errorf("got %v after %d requests, want permanent without a request", err, len(f.received()))
		}
	})
}

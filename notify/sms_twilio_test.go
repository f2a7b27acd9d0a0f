package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

const (
	twilioAccount  = "AC0123456789abcdef0123456789abcdef"
	twilioToken    = "twilio-auth-token-rahasia"
	twilioFrom     = "+15005550006"
	twilioService  = "MG0123456789abcdef0123456789abcdef"
	twilioCallback = "https://aduan.mamujukab.go.id/webhooks/sms/twilio/status"
	// twilioInvalid is the number Twilio's test credentials answer 21211 for
	// (https://www.twilio.com/docs/iam/test-credentials).
	twilioInvalid = "+15005550001"
)

// fakeTwilio stands in for Twilio's Message resource
// (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource):
// POST /2010-04-01/Accounts/{AccountSid}/Messages.json, a form, basic authentication with
// the account SID and auth token; 201 with the Message (sid SM…, status queued), or an
// error as {"code", "message", "more_info", "status"}
// (https://www.twilio.com/docs/usage/twilios-response).
type fakeTwilio struct {
	*httptest.Server
	mu       sync.Mutex
	requests []providerRequest
	sids     []string
	// fail answers with this Twilio error (0: none) and HTTP status.
	failCode, failStatus int
}

func startTwilio(t *testing.T) *fakeTwilio {
	t.Helper()
	f := &fakeTwilio{}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeTwilio) fail(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code), "status": status})
}

func (f *fakeTwilio) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, providerRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/"+twilioAccount+"/Messages.json" {
		f.fail(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
		return
	}
	if u, p, ok := r.BasicAuth(); !ok || u != twilioAccount || p != twilioToken {
		f.fail(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if f.failCode != 0 {
		f.fail(w, f.failStatus, f.failCode, "error "+fmt.Sprint(f.failCode))
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		f.fail(w, http.StatusBadRequest, 20001, "Invalid request body")
		return
	}
	to, from, svc, text := form.Get("To"), form.Get("From"), form.Get("MessagingServiceSid"), form.Get("Body")
	switch {
	case !e164.MatchString(to) || to == twilioInvalid:
		f.fail(w, http.StatusBadRequest, 21211, "The 'To' number "+to+" is not a valid phone number.")
		return
	case from == "" && svc == "":
		f.fail(w, http.StatusBadRequest, 21603, "A 'From' phone number is required.")
		return
	case text == "":
		f.fail(w, http.StatusBadRequest, 21602, "Message body is required.")
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	sid := "SM" + hex.EncodeToString(b)
	f.sids = append(f.sids, sid)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"account_sid": twilioAccount, "api_version": "2010-04-01", "body": text,
		"direction": "outbound-api", "error_code": nil, "error_message": nil, "from": from, "messaging_service_sid": svc,
		"num_media": "0", "num_segments": "1", "price": nil, "sid": sid, "status": "queued", "to": to,
		"uri": "/2010-04-01/Accounts/" + twilioAccount + "/Messages/" + sid + ".json"})
}

func (f *fakeTwilio) received() []providerRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]providerRequest(nil), f.requests...)
}

func twilioSender(f *fakeTwilio, cfg TwilioSMSConfig) (*TwilioSMSSender, func() string) {
	lg, logs := logCapture()
	cfg.APIBase, cfg.AccountSID = f.URL, twilioAccount
	if cfg.AuthToken == "" {
		cfg.AuthToken = twilioToken
	}
	return &TwilioSMSSender{Config: cfg, Logger: lg}, logs.String
}

func TestTwilioSMSRequest(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  TwilioSMSConfig
		want url.Values // besides To and Body
	}{
		{"from a number", TwilioSMSConfig{From: twilioFrom, StatusCallback: twilioCallback},
			url.Values{"From": {twilioFrom}, "StatusCallback": {twilioCallback}}},
		{"through a messaging service, no callback", TwilioSMSConfig{MessagingServiceSID: twilioService},
			url.Values{"MessagingServiceSid": {twilioService}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := startTwilio(t)
			s, logs := twilioSender(f, tc.cfg)
			n := complainantRow(ChannelSMS)
			rc, err := s.SendReceipt(context.Background(), n)
			if err != nil {
				t.Fatal(err)
			}
			reqs := f.received()
			if len(reqs) != 1 || len(f.sids) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			if rc.Via != "sms:twilio" || rc.Ref != f.sids[0] {
				t.Errorf("receipt %+v, want the sid %s", rc, f.sids[0])
			}
			r := reqs[0]
			if got := r.Header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type %q", got)
			}
			got, _ := url.ParseQuery(string(r.Body))
			want := url.Values{"To": {"+" + intlPhone}, "Body": {n.Text}}
			for k, v := range tc.want {
				want[k] = v
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("form\n%v\nwant\n%v", got, want)
			}
			assertNoSecrets(t, logs(), n, twilioToken)
		})
	}
}

func TestTwilioSMSLongTextCut(t *testing.T) {
	f := startTwilio(t)
	s, _ := twilioSender(f, TwilioSMSConfig{From: twilioFrom})
	n := complainantRow(ChannelSMS)
	n.Text = strings.Repeat("Bantuan beras sudah dijadwalkan. ", 40) + "\nLacak aduan Anda: https://aduan.example.go.id/lacak/ADU-7K3Q-XW2M"
	if err := s.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	got, _ := url.ParseQuery(string(f.received()[0].Body))
	if body := got.Get("Body"); utf8.RuneCountInString(body) > SMSMaxChars || !strings.HasSuffix(body, "ADU-7K3Q-XW2M") {
		t.Errorf("body of %d characters: %q", utf8.RuneCountInString(body), body)
	}
}

func TestTwilioSMSFailures(t *testing.T) {
	cases := []struct {
		name         string
		code, status int
		token        string
		permanent    bool
	}{
		{"21211 invalid number", 21211, 400, "", true},
		{"21610 unsubscribed", 21610, 400, "", true},
		{"21606 From not ours", 21606, 400, "", false},
		{"21408 region not enabled", 21408, 400, "", false},
		{"20003 wrong token", 0, 0, "salah", false},
		{"20429 too many requests", 20429, 429, "", false},
		{"500", 20500, 500, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := startTwilio(t)
			f.failCode, f.failStatus = c.code, c.status
			s, logs := twilioSender(f, TwilioSMSConfig{From: twilioFrom, AuthToken: c.token})
			n := complainantRow(ChannelSMS)
			err := s.Send(context.Background(), n)
			if err == nil {
				t.Fatal("want an error")
			}
			if IsPermanent(err) != c.permanent {
				t.Errorf("permanent %v, want %v: %v", IsPermanent(err), c.permanent, err)
			}
			if c.code != 0 && !strings.Contains(err.Error(), fmt.Sprintf("error %d", c.code)) {
				t.Errorf("error %q does not name Twilio's code", err)
			}
			if strings.Contains(err.Error(), intlPhone) || strings.Contains(err.Error(), twilioToken) {
				t.Errorf("error %q carries the number or token", err)
			}
			assertNoSecrets(t, logs(), n, twilioToken)
		})
	}
	t.Run("the number in Twilio's message is removed", func(t *testing.T) {
		f := startTwilio(t)
		s, _ := twilioSender(f, TwilioSMSConfig{From: twilioFrom})
		n := complainantRow(ChannelSMS)
		n.Address = twilioInvalid
		err := s.Send(context.Background(), n)
		if !IsPermanent(err) || !strings.Contains(err.Error(), "21211") || strings.Contains(err.Error(), "5005550001") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("network", func(t *testing.T) {
		f := startTwilio(t)
		f.Close()
		s, _ := twilioSender(f, TwilioSMSConfig{From: twilioFrom})
		if err := s.Send(context.Background(), complainantRow(ChannelSMS)); err == nil || IsPermanent(err) {
			t.Errorf("Twilio unreachable: got %v, want a retryable error", err)
		}
	})
	t.Run("invalid phone", func(t *testing.T) {
		f := startTwilio(t)
		s, _ := twilioSender(f, TwilioSMSConfig{From: twilioFrom})
		n := complainantRow(ChannelSMS)
		n.Address = "12"
		if err := s.Send(context.Background(), n); !IsPermanent(err) || len(f.received()) != 0 {
			t.Errorf("got %v after %d requests, want permanent without a request", err, len(f.received()))
		}
	})
}

// NewSenders takes the SMS sender of the provider chosen, and the log when that provider
// is not configured.
func TestNewSendersSMSProvider(t *testing.T) {
	twilio := TwilioSMSConfig{AccountSID: twilioAccount, AuthToken: twilioToken, From: twilioFrom}
	android := AndroidSMSConfig{URL: "http://192.168.1.10:8080", User: androidUser, Password: androidPassword}
	generic := SMSConfig{URL: "https://sms.example/send"}
	for _, tc := range []struct {
		s    Settings
		want string
	}{
		{Settings{SMS: generic}, "*notify.SMSSender"},
		{Settings{SMSProvider: SMSGeneric, SMS: generic, SMSTwilio: twilio}, "*notify.SMSSender"},
		{Settings{SMSProvider: SMSAndroid, SMSAndroid: android, SMS: generic}, "*notify.AndroidSMSSender"},
		{Settings{SMSProvider: SMSTwilio, SMSTwilio: twilio}, "*notify.TwilioSMSSender"},
		{Settings{SMSProvider: SMSTwilio, SMS: generic}, "notify.LogSender"},
		{Settings{SMSProvider: SMSAndroid}, "notify.LogSender"},
	} {
		if got := fmt.Sprintf("%T", NewSenders(tc.s, nil).For(ChannelSMS)); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.s, got, tc.want)
		}
	}
}

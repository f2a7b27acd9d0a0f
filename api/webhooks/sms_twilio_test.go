package webhooks

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// signTwilio signs as Twilio documents it
// (https://www.twilio.com/docs/usage/webhooks/webhooks-security): base64 HMAC-SHA1 with
// the auth token of the URL followed by each POST parameter's name and value, sorted by
// name (a repeated name: its distinct values sorted, as Twilio's Python and Node.js
// validators do). Written apart from validTwilioSignature, from the documentation.
func signTwilio(token, u string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := u
	for _, k := range keys {
		seen := map[string]bool{}
		vals := append([]string(nil), form[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			if !seen[v] {
				seen[v] = true
				s += k + v
			}
		}
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// postTwilio posts form to path as Twilio does, signed for signedURL with token ("": unsigned).
func postTwilio(h http.Handler, path, token, signedURL string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	if token != "" {
		req.Header.Set("X-Twilio-Signature", signTwilio(token, signedURL, form))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// twilioInbound is an incoming SMS with the parameters Twilio documents
// (https://www.twilio.com/docs/messaging/guides/webhook-request).
func twilioInbound() url.Values {
	return url.Values{
		"MessageSid": {twilioSMSSID}, "SmsSid": {twilioSMSSID}, "SmsMessageSid": {twilioSMSSID},
		"AccountSid": {twilioAccount}, "MessagingServiceSid": {"MG0123456789abcdef0123456789abcdef"},
		"From": {"+6281234567890"}, "To": {"+15005550006"}, "Body": {"Lampu jalan di Jl. Yos Sudarso mati & gelap total"},
		"NumMedia": {"0"}, "NumSegments": {"1"}, "SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"},
		"FromCountry": {"ID"}, "ToCountry": {"US"}, "FromCity": {""}, "FromState": {""}, "FromZip": {""},
	}
}

// twilioStatusForm is a status callback
// (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status).
func twilioStatusForm(status, errorCode string) url.Values {
	f := url.Values{"MessageSid": {twilioSMSSID}, "SmsSid": {twilioSMSSID}, "AccountSid": {twilioAccount},
		"From": {"+15005550006"}, "To": {"+6281234567890"}, "MessageStatus": {status}, "SmsStatus": {status},
		"ApiVersion": {"2010-04-01"}}
	if errorCode != "" {
		f.Set("ErrorCode", errorCode)
	}
	return f
}

// Twilio's documented example: the validators of its SDKs check this vector
// (twilio-go client/request_validator_test.go; the same URL, token and parameters as the
// webhooks security page).
func TestTwilioSignatureDocumentedExample(t *testing.T) {
	params := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675309"}, "Digits": {"1234"},
		"From": {"+14158675309"}, "To": {"+18005551212"}}
	const u = "https://mycompany.com/myapp.php?foo=1&bar=2"
	const sig = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
	if got := signTwilio("12345", u, params); got != sig {
		t.Fatalf("the test's own signer: %s, want %s", got, sig)
	}
	if !validTwilioSignature(sig, "12345", u, params) {
		t.Error("the documented signature was refused")
	}
	// The URL as configured with the https port, as some of Twilio's signing has it.
	if !validTwilioSignature(sig, "12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", params) {
		t.Error("the documented signature was refused with :443")
	}
	for name, bad := range map[string]func() (string, string, url.Values){
		"another token": func() (string, string, url.Values) { return sig, "54321", params },
		"another URL":   func() (string, string, url.Values) { return sig, "12345", params },
		"a parameter more": func() (string, string, url.Values) {
			p := cloneForm(params)
			p.Set("Body", "x")
			return sig, "12345", p
		},
		"empty token": func() (string, string, url.Values) { return signTwilio("", u, params), "", params },
		"not base64":  func() (string, string, url.Values) { return "RSOYDt4T1cUTdK1PDd93/VVr8B8", "12345", params },
	} {
		s, tok, p := bad()
		target := u
		if name == "another URL" {
			target = "https://evil.example/myapp.php?foo=1&bar=2"
		}
		if validTwilioSignature(s, tok, target, p) {
			t.Errorf("%s: accepted", name)
		}
	}
}

func cloneForm(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	return out
}

func TestTwilioSMSWebhookInbound(t *testing.T) {
	rec := &recorder{}
	h := providerServer(rec, smsProvidersConfig())
	w := postTwilio(h, TwilioSMSPath, twilioToken, twilioPublic+TwilioSMSPath, twilioInbound())
	if w.Code != http.StatusOK {
		t.Fatalf("signed delivery: %d %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") || !strings.HasSuffix(w.Body.String(), "<Response></Response>") {
		t.Errorf("answer %q %q, want empty TwiML", ct, w.Body)
	}
	if len(rec.msgs) != 1 || len(rec.statuses) != 0 {
		t.Fatalf("routed %+v %+v", rec.msgs, rec.statuses)
	}
	if m := rec.msgs[0]; m.Channel != "sms" || m.ID != twilioSMSSID || m.From != "+6281234567890" ||
		m.Text != "Lampu jalan di Jl. Yos Sudarso mati & gelap total" || m.Type != "text" {
		t.Errorf("routed %+v", m)
	}

	// An MMS keeps its text; its media are not read.
	rec.reset()
	mms := twilioInbound()
	mms.Set("NumMedia", "1")
	mms.Set("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/"+twilioAccount+"/Messages/"+twilioSMSSID+"/Media/ME1")
	mms.Set("MediaContentType0", "image/jpeg")
	mms.Set("Body", "Foto jembatan putus")
	if w := postTwilio(h, TwilioSMSPath, twilioToken, twilioPublic+TwilioSMSPath, mms); w.Code != 200 ||
		len(rec.msgs) != 1 || rec.msgs[0].Text != "Foto jembatan putus" {
		t.Errorf("mms: %d %+v", w.Code, rec.msgs)
	}

	// Aduan behind a path: the public URL's path is part of the signed URL.
	rec.reset()
	cfg := smsProvidersConfig()
	cfg.TwilioPublicURL = "https://mamujukab.go.id/aduan/"
	h2 := providerServer(rec, cfg)
	if w := postTwilio(h2, TwilioSMSPath, twilioToken, "https://mamujukab.go.id/aduan"+TwilioSMSPath, twilioInbound()); w.Code != 200 {
		t.Errorf("public URL with a path: %d", w.Code)
	}
	// A query string Twilio was given is signed too.
	if w := postTwilio(h, TwilioSMSPath+"?kab=mamuju", twilioToken, twilioPublic+TwilioSMSPath+"?kab=mamuju", twilioInbound()); w.Code != 200 {
		t.Errorf("query string: %d", w.Code)
	}

	// Not stored: 503; rate limited: 429.
	rec.reset()
	rec.msgErr = errors.New("postgres: connection refused")
	if w := postTwilio(h, TwilioSMSPath, twilioToken, twilioPublic+TwilioSMSPath, twilioInbound()); w.Code != http.StatusServiceUnavailable {
		t.Errorf("not stored: %d", w.Code)
	}
	for _, bad := range []url.Values{{"From": {"+6281234567890"}, "Body": {"tanpa sid"}}, {"MessageSid": {twilioSMSSID}, "Body": {"tanpa pengirim"}}} {
		if w := postTwilio(h, TwilioSMSPath, twilioToken, twilioPublic+TwilioSMSPath, bad); w.Code != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", bad, w.Code)
		}
	}
}

// The signature is checked against ADUAN_PUBLIC_URL, never a URL taken from the request.
func TestTwilioSMSWebhookSignature(t *testing.T) {
	rec := &recorder{}
	h := providerServer(rec, smsProvidersConfig())
	form := twilioInbound()
	send := func(path string, headers map[string]string, sig string, body string) int {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		if sig != "" {
			req.Header.Set("X-Twilio-Signature", sig)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	good := signTwilio(twilioToken, twilioPublic+TwilioSMSPath, form)
	for _, tc := range []struct {
		name    string
		path    string
		headers map[string]string
		sig     string
		body    string
		want    int
	}{
		{"unsigned", TwilioSMSPath, nil, "", form.Encode(), 401},
		{"signed for the request's Host", TwilioSMSPath, map[string]string{"Host": "evil.example"},
			signTwilio(twilioToken, "http://evil.example"+TwilioSMSPath, form), form.Encode(), 401},
		{"signed for X-Forwarded-Host", TwilioSMSPath, map[string]string{"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
			signTwilio(twilioToken, "https://evil.example"+TwilioSMSPath, form), form.Encode(), 401},
		{"another token", TwilioSMSPath, nil, signTwilio("token-lain", twilioPublic+TwilioSMSPath, form), form.Encode(), 401},
		{"signed for the status route", TwilioSMSPath, nil, signTwilio(twilioToken, twilioPublic+TwilioStatusPath, form), form.Encode(), 401},
		{"body changed", TwilioSMSPath, nil, good, strings.Replace(form.Encode(), "gelap", "terang", 1), 401},
		{"not a form", TwilioSMSPath, nil, good, "%zz", 400},
		{"good, from any Host", TwilioSMSPath, map[string]string{"Host": "10.0.0.5:8080"}, good, form.Encode(), 200},
	} {
		rec.reset()
		if got := send(tc.path, tc.headers, tc.sig, tc.body); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
		if tc.want != 200 && len(rec.msgs) != 0 {
			t.Errorf("%s: routed %+v", tc.name, rec.msgs)
		}
	}
	// Without the auth token or the public URL both routes are closed.
	for _, cfg := range []Config{{TwilioPublicURL: twilioPublic}, {TwilioAuthToken: twilioToken}} {
		closed := providerServer(rec, cfg)
		for _, path := range []string{TwilioSMSPath, TwilioStatusPath} {
			if w := postTwilio(closed, path, twilioToken, twilioPublic+path, twilioInbound()); w.Code != http.StatusUnauthorized {
				t.Errorf("%+v %s: %d, want 401", cfg, path, w.Code)
			}
		}
	}
}

func TestTwilioSMSWebhookStatus(t *testing.T) {
	rec := &recorder{}
	h := providerServer(rec, smsProvidersConfig())
	status := twilioPublic + TwilioStatusPath
	for _, tc := range []struct {
		status, code string
		want         string // "" none kept
	}{
		{"queued", "", ""}, {"sending", "", ""}, {"sent", "", "sent"}, {"delivered", "", "delivered"},
		{"read", "", "read"}, {"undelivered", "30003", "failed"}, {"failed", "30008", "failed"},
	} {
		rec.reset()
		w := postTwilio(h, TwilioStatusPath, twilioToken, status, twilioStatusForm(tc.status, tc.code))
		if w.Code != http.StatusOK || len(rec.msgs) != 0 {
			t.Fatalf("%s: %d, routed %+v", tc.status, w.Code, rec.msgs)
		}
		if tc.want == "" {
			if len(rec.statuses) != 0 {
				t.Errorf("%s kept %+v", tc.status, rec.statuses)
			}
			continue
		}
		if len(rec.statuses) != 1 {
			t.Fatalf("%s: statuses %+v", tc.status, rec.statuses)
		}
		st := rec.statuses[0]
		if st.Channel != "sms" || st.Ref != twilioSMSSID || st.Status != tc.want || st.ErrorCode != tc.code ||
			(tc.want == "failed" && st.ErrorTitle != tc.status) {
			t.Errorf("%s: %+v", tc.status, st)
		}
	}

	// A status callback at the incoming message URL (a Messaging Service's setting) is a
	// status too; an incoming message at the status URL is not one.
	rec.reset()
	if w := postTwilio(h, TwilioSMSPath, twilioToken, twilioPublic+TwilioSMSPath, twilioStatusForm("delivered", "")); w.Code != 200 ||
		len(rec.statuses) != 1 || len(rec.msgs) != 0 {
		t.Errorf("status at the message URL: %d %+v %+v", w.Code, rec.statuses, rec.msgs)
	}
	if w := postTwilio(h, TwilioStatusPath, twilioToken, status, twilioInbound()); w.Code != http.StatusBadRequest {
		t.Errorf("message at the status URL: %d", w.Code)
	}
	// Not kept: 503.
	rec.reset()
	rec.statusErr = errors.New("postgres: connection refused")
	if w := postTwilio(h, TwilioStatusPath, twilioToken, status, twilioStatusForm("delivered", "")); w.Code != http.StatusServiceUnavailable {
		t.Errorf("not kept: %d", w.Code)
	}
}

func FuzzTwilioSMSWebhook(f *testing.F) {
	f.Add([]byte(twilioInbound().Encode()), false)
	f.Add([]byte(twilioStatusForm("undelivered", "30003").Encode()), true)
	f.Add([]byte(twilioStatusForm("delivered", "").Encode()), false)
	f.Add([]byte("MessageSid=SM1&From=%2B62812&Body=a&Body=b&NumMedia=x"), false)
	f.Add([]byte("MessageStatus=received&MessageSid=SM1"), true)
	f.Add([]byte("%zz&From"), false)
	f.Add([]byte(""), true)
	f.Add([]byte("\xff\xfe=\x00"), false)
	rec := &recorder{}
	h := providerServer(rec, smsProvidersConfig())
	f.Fuzz(func(t *testing.T, body []byte, statusRoute bool) {
		rec.reset()
		path := TwilioSMSPath
		if statusRoute {
			path = TwilioStatusPath
		}
		form, perr := url.ParseQuery(string(body))
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", signTwilio(twilioToken, twilioPublic+path, form))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch {
		case w.Code >= 500:
			t.Fatalf("status %d for %q", w.Code, body)
		case perr != nil && w.Code != http.StatusBadRequest:
			t.Fatalf("not a form, answered %d: %q", w.Code, body)
		case perr == nil && w.Code != 200 && w.Code != 400:
			t.Fatalf("signed form answered %d: %q", w.Code, body)
		}
		for _, m := range rec.msgs {
			if m.ID == "" || m.From == "" || m.Channel != "sms" {
				t.Fatalf("routed %+v from %q", m, body)
			}
		}
		for _, st := range rec.statuses {
			if st.Ref == "" || twilioStatuses[form.Get("MessageStatus")] == "" && twilioStatuses[form.Get("SmsStatus")] == "" {
				t.Fatalf("status %+v from %q", st, body)
			}
		}
		if w := postTwilio(h, path, "", "", form); w.Code != http.StatusUnauthorized && perr == nil {
			t.Fatalf("unsigned: status %d", w.Code)
		}
	})
}

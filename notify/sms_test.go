package notify

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

const smsKey = "sms-api-key-rahasia"

func smsSender(f *fakeProvider, key string) (*SMSSender, func() string) {
	lg, logs := logCapture()
	return &SMSSender{Config: SMSConfig{URL: f.URL + "/api/v1/sms/send", APIKey: key}, Logger: lg}, logs.String
}

func TestSMSRequest(t *testing.T) {
	f := startProvider(t, fakeAnswer{http.StatusAccepted, `{"status":"queued","message_id":"sms-42"}`})
	s, logs := smsSender(f, smsKey)
	n := complainantRow(ChannelSMS)
	rc, err := s.SendReceipt(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Via != "sms" || rc.Ref != "sms-42" {
		t.Errorf("receipt %+v", rc)
	}
	reqs := f.received()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/api/v1/sms/send" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+smsKey {
		t.Errorf("Authorization %q", got)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q", got)
	}
	want := map[string]any{"to": intlPhone, "text": n.Text, "reference": n.DedupeKey}
	if got := r.json(t); !reflect.DeepEqual(got, want) {
		t.Errorf("body\n%v\nwant\n%v", got, want)
	}
	assertNoSecrets(t, logs(), n, smsKey)

	// Without an API key, no Authorization header; a numeric id is a ref too.
	f = startProvider(t, fakeAnswer{http.StatusOK, `{"id":12345678901234567}`})
	s, _ = smsSender(f, "")
	if rc, err := s.SendReceipt(context.Background(), n); err != nil || rc.Ref != "12345678901234567" {
		t.Errorf("receipt %+v err %v", rc, err)
	}
	if h := f.received()[0].Header; h.Get("Authorization") != "" {
		t.Errorf("Authorization %q without an API key", h.Get("Authorization"))
	}
}

func TestSMSLongTextKeepsLink(t *testing.T) {
	f := startProvider(t, fakeAnswer{http.StatusOK, `{}`})
	s, logs := smsSender(f, smsKey)
	n := complainantRow(ChannelSMS)
	link := "https://aduan.example.go.id/api/v1/complaints/ADU-7K3Q-XW2M"
	n.Text = "Terima kasih sudah menunggu. Berikut jawaban atas aduan Anda ADU-7K3Q-XW2M:\n" +
		strings.Repeat("Distribusi beras di dusun Bu Siti dijadwalkan ulang hari Jumat. ", 20) +
		"\nLacak aduan Anda: " + link
	if err := s.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	got, _ := f.received()[0].json(t)["text"].(string)
	if utf8.RuneCountInString(got) > SMSMaxChars || utf8.RuneCountInString(got) < SMSMaxChars-30 {
		t.Errorf("%d characters, want at most %d (and not much less)", utf8.RuneCountInString(got), SMSMaxChars)
	}
	if !strings.HasSuffix(got, "…\nLacak aduan Anda: "+link) || !strings.HasPrefix(got, "Terima kasih sudah menunggu.") {
		t.Errorf("cut text %q", got)
	}
	assertNoSecrets(t, logs(), n, smsKey)
}

func TestSMSFailures(t *testing.T) {
	cases := []struct {
		name      string
		answer    fakeAnswer
		permanent bool
	}{
		{"400", fakeAnswer{400, `{"error":"invalid destination 6281234567890"}`}, true},
		{"422", fakeAnswer{422, `{"error":"text rejected"}`}, true},
		{"500", fakeAnswer{500, `internal error`}, false},
		{"502", fakeAnswer{502, ``}, false},
		{"429", fakeAnswer{429, `{"error":"slow down"}`}, false},
		{"401", fakeAnswer{401, `{"error":"bad key"}`}, false},
		{"402 out of credit", fakeAnswer{402, `{"error":"insufficient balance"}`}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := startProvider(t, c.answer)
			s, logs := smsSender(f, smsKey)
			n := complainantRow(ChannelSMS)
			err := s.Send(context.Background(), n)
			if err == nil {
				t.Fatal("want an error")
			}
			if IsPermanent(err) != c.permanent {
				t.Errorf("permanent %v, want %v: %v", IsPermanent(err), c.permanent, err)
			}
			if !strings.Contains(err.Error(), "HTTP "+itoa(c.answer.status)) || strings.Contains(err.Error(), intlPhone) ||
				strings.Contains(err.Error(), smsKey) {
				t.Errorf("error %q: want the status, without the number or key", err)
			}
			assertNoSecrets(t, logs(), n, smsKey)
		})
	}
	t.Run("network", func(t *testing.T) {
		f := startProvider(t)
		f.Close()
		s, logs := smsSender(f, smsKey)
		n := complainantRow(ChannelSMS)
		if err := s.Send(context.Background(), n); err == nil || IsPermanent(err) {
			t.Errorf("gateway down: got %v, want a retryable error", err)
		}
		assertNoSecrets(t, logs(), n, smsKey)
	})
	t.Run("invalid phone", func(t *testing.T) {
		f := startProvider(t)
		s, _ := smsSender(f, smsKey)
		n := complainantRow(ChannelSMS)
		n.Address = "12"
		if err := s.Send(context.Background(), n); !IsPermanent(err) || len(f.received()) != 0 {
			t.Errorf("got %v after %d requests, want permanent without a request", err, len(f.received()))
		}
	})
}

func TestCutKeepingLink(t *testing.T) {
	link := "https://aduan.example.go.id/api/v1/complaints/ADU-7K3Q-XW2M"
	long := strings.Repeat("kata ", 200)
	cases := []struct {
		name, text string
		max        int
		check      func(string) bool
	}{
		{"short text unchanged", "Aduan Anda sudah dijawab.\nLacak: " + link, 459,
			func(s string) bool { return s == "Aduan Anda sudah dijawab.\nLacak: "+link }},
		{"label and link kept", "Awal. " + long + "\nLacak aduan Anda: " + link, 200,
			func(s string) bool {
				return strings.HasPrefix(s, "Awal. kata") && strings.HasSuffix(s, "kata…\nLacak aduan Anda: "+link)
			}},
		{"link on one line kept", "Awal " + long + link, 200,
			func(s string) bool { return strings.HasSuffix(s, "kata… "+link) }},
		{"no link", "Awal " + long, 100,
			func(s string) bool { return strings.HasPrefix(s, "Awal kata") && strings.HasSuffix(s, "kata…") }},
		{"link too long to keep", "Awal " + long + "\n" + link, 60,
			func(s string) bool { return strings.HasSuffix(s, "…") && !strings.Contains(s, "https") }},
		{"multibyte", strings.Repeat("é", 500), 459,
			func(s string) bool { return utf8.ValidString(s) && strings.HasSuffix(s, "…") }},
	}
	for _, c := range cases {
		got := CutKeepingLink(c.text, c.max)
		if utf8.RuneCountInString(got) > c.max || !c.check(got) {
			t.Errorf("%s: %d characters (max %d): %q", c.name, utf8.RuneCountInString(got), c.max, got)
		}
	}
}

package config

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestDefaults: with nothing set, the defaults README "Configuration" promises.
func TestDefaults(t *testing.T) {
	c, err := Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Database: Database{URL: "postgres://postgres@127.0.0.1:5432/aduan?sslmode=disable"},
		Temporal: Temporal{Address: "127.0.0.1:7233", Namespace: "default", TaskQueue: "aduan", UIURL: "http://localhost:8233"},
		HTTP:     HTTP{Addr: ":8080", PublicURL: "http://localhost:8080", IntakePerMinute: 20, IntakeBurst: 10},
		Worker:   Worker{StickyCache: 1000, QuietHours: true, StopTimeout: 30 * time.Second, Addr: "127.0.0.1:8090"},
		Log:      Log{Format: "text", Level: "info"},
		WhatsApp: WhatsApp{APIBase: "https://graph.facebook.com/v21.0", TemplateUpdate: "aduan_pembaruan", TemplateLanguage: "id"},
		SMS:      SMS{Provider: "generic", TwilioAPIBase: "https://api.twilio.com"},
		SMTP:     SMTP{From: "aduan@localhost"},
		fromEnv:  map[string]bool{},
	}
	if c.temporalProfile == nil {
		t.Errorf("the Temporal client's profile was not resolved")
	}
	got := c
	got.temporalProfile = nil // compared in TestTemporalDefaults
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults\n got %+v\nwant %+v", got, want)
	}
	if c.WhatsApp.SenderOn() {
		t.Errorf("WhatsApp sender on without settings")
	}

	// The public URL follows the port of the HTTP address; an empty value is not set.
	c, err = Parse(map[string]string{"ADUAN_HTTP_ADDR": "127.0.0.1:9090", "ADUAN_INTAKE_BURST": " ", "TEMPORAL_ADDRESS": ""})
	if err != nil || c.HTTP.PublicURL != "http://localhost:9090" || c.HTTP.IntakeBurst != 10 || c.Temporal.Address != "127.0.0.1:7233" {
		t.Errorf("ADUAN_HTTP_ADDR 127.0.0.1:9090: %+v %v", c.HTTP, err)
	}
}

// TestSecureCookies: ADUAN_SECURE_COOKIES follows ADUAN_PUBLIC_URL's scheme unless set.
func TestSecureCookies(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{"ADUAN_PUBLIC_URL": "https://aduan.mamujukab.go.id"}, true},
		{map[string]string{"ADUAN_PUBLIC_URL": "https://aduan.mamujukab.go.id", "ADUAN_SECURE_COOKIES": "false"}, false},
		{map[string]string{"ADUAN_PUBLIC_URL": "http://10.0.0.5:8080", "ADUAN_SECURE_COOKIES": "true"}, true},
	} {
		c, err := Parse(tc.env)
		if err != nil || c.HTTP.SecureCookies != tc.want {
			t.Errorf("%v: SecureCookies %v (%v), want %v", tc.env, c.HTTP.SecureCookies, err, tc.want)
		}
	}
	if _, err := Parse(map[string]string{"ADUAN_SECURE_COOKIES": "vielleicht"}); err == nil ||
		!strings.Contains(err.Error(), "ADUAN_SECURE_COOKIES") {
		t.Errorf("a bad bool: %v", err)
	}
}

func TestSet(t *testing.T) {
	c, err := Parse(map[string]string{
		"ADUAN_PUBLIC_URL":            "https://aduan.mamujukab.go.id/",
		"ADUAN_INTAKE_PER_MINUTE":     "0.5",
		"ADUAN_INTAKE_BURST":          "3",
		"ADUAN_TRUSTED_PROXIES":       " 10.0.0.1, 192.168.0.0/16 ,",
		"ADUAN_EMBED_FRAME_ANCESTORS": "https://mamujukab.go.id   https://kominfo.mamujukab.go.id",
		"ADUAN_STICKY_CACHE":          "50",
		"ADUAN_WA_PHONE_NUMBER_ID":    "123",
		"ADUAN_WA_TOKEN":              " tok ",
		"ADUAN_WP_URL":                "https://mamujukab.go.id",
		"ADUAN_WP_USER":               "bot",
		"ADUAN_WP_APP_PASSWORD":       "abcd efgh",
		"ADUAN_WP_CATEGORY_ID":        "12",
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.PublicURL != "https://aduan.mamujukab.go.id" || c.HTTP.IntakePerMinute != 0.5 || c.HTTP.IntakeBurst != 3 ||
		!reflect.DeepEqual(c.HTTP.TrustedProxies, []string{"10.0.0.1", "192.168.0.0/16"}) ||
		!reflect.DeepEqual(c.HTTP.EmbedFrameAncestors, []string{"https://mamujukab.go.id", "https://kominfo.mamujukab.go.id"}) ||
		c.Worker.StickyCache != 50 {
		t.Errorf("set: %+v %+v", c.HTTP, c.Worker)
	}
	if !c.WhatsApp.SenderOn() || c.WhatsApp.Token != "tok" {
		t.Errorf("whatsapp %+v", c.WhatsApp)
	}
	if !c.HTTP.SecureCookies {
		t.Errorf("ADUAN_SECURE_COOKIES not true by default over https")
	}
	if p := c.Publish; p.WordPressCategoryID != 12 || p.WordPressAppPassword != "abcd efgh" {
		t.Errorf("publish %+v", p)
	}
}

// problems parses env and returns its problems (nil when it is accepted).
func problems(t *testing.T, env map[string]string) []Problem {
	t.Helper()
	_, err := Parse(env)
	if err == nil {
		return nil
	}
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("%v: not a *config.Error", err)
	}
	return ce.Problems
}

// TestBad: a bad value is refused with a message naming its variable.
func TestBad(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string // the whole message, or its start
	}{
		{map[string]string{"ADUAN_INTAKE_PER_MINUTE": "abc"}, `ADUAN_INTAKE_PER_MINUTE: "abc" is not a number`},
		{map[string]string{"ADUAN_INTAKE_BURST": "2.5"}, `ADUAN_INTAKE_BURST: "2.5" is not a whole number`},
		{map[string]string{"ADUAN_STICKY_CACHE": "lots"}, `ADUAN_STICKY_CACHE: "lots" is not a whole number`},
		{map[string]string{"ADUAN_STICKY_CACHE": "0"}, `ADUAN_STICKY_CACHE: 0 must be more than 0`},
		{map[string]string{"ADUAN_WORKER_STOP_TIMEOUT": "30"}, `ADUAN_WORKER_STOP_TIMEOUT: "30" is not a duration (such as 30s or 2m)`},
		{map[string]string{"ADUAN_WORKER_STOP_TIMEOUT": "0s"}, `ADUAN_WORKER_STOP_TIMEOUT: 0s must be more than 0`},
		{map[string]string{"ADUAN_WORKER_STOP_TIMEOUT": "-5s"}, `ADUAN_WORKER_STOP_TIMEOUT: -5s must be more than 0`},
		{map[string]string{"ADUAN_LOG_FORMAT": "logfmt"}, `ADUAN_LOG_FORMAT: "logfmt" is not text or json`},
		{map[string]string{"ADUAN_LOG_LEVEL": "verbose"}, `ADUAN_LOG_LEVEL: "verbose" is not debug, info, warn or error`},
		{map[string]string{"ADUAN_LOG_LEVEL": "info+2"}, `ADUAN_LOG_LEVEL: "info+2" is not debug`},
		{map[string]string{"ADUAN_INTAKE_PER_MINUTE": "-1"}, `ADUAN_INTAKE_PER_MINUTE: -1 must be more than 0`},
		{map[string]string{"ADUAN_INTAKE_PER_MINUTE": "NaN"}, `ADUAN_INTAKE_PER_MINUTE: NaN must be more than 0`},
		{map[string]string{"ADUAN_WP_URL": "https://x", "ADUAN_WP_USER": "u", "ADUAN_WP_APP_PASSWORD": "p", "ADUAN_WP_CATEGORY_ID": "berita"},
			`ADUAN_WP_CATEGORY_ID: "berita" is not a whole number`},
		{map[string]string{"ADUAN_WP_URL": "https://x", "ADUAN_WP_USER": "u", "ADUAN_WP_APP_PASSWORD": "p", "ADUAN_WP_CATEGORY_ID": "0"},
			`ADUAN_WP_CATEGORY_ID: 0 must be more than 0`},
		{map[string]string{"ADUAN_PUBLIC_URL": "aduan.mamujukab.go.id"}, `ADUAN_PUBLIC_URL: "aduan.mamujukab.go.id" is not an http:// or https:// URL`},
		{map[string]string{"ADUAN_WA_API_BASE": "graph.facebook.com"}, `ADUAN_WA_API_BASE: "graph.facebook.com" is not an http`},
		{map[string]string{"ADUAN_SMS_GATEWAY_URL": "http://[::1"}, `ADUAN_SMS_GATEWAY_URL: "http://[::1" is not an http`},
		{map[string]string{"ADUAN_HTTP_ADDR": "8080"}, `ADUAN_HTTP_ADDR: "8080" is not [host]:port`},
		{map[string]string{"ADUAN_WORKER_ADDR": "8090"}, `ADUAN_WORKER_ADDR: "8090" is not [host]:port`},
		{map[string]string{"TEMPORAL_ADDRESS": "temporal.example"}, `TEMPORAL_ADDRESS: "temporal.example" is not host:port`},
		{map[string]string{"ADUAN_SMTP_ADDR": "mail:25", "ADUAN_SMTP_FROM": "not an address"}, `ADUAN_SMTP_FROM: "not an address" is not an e-mail address`},
		{map[string]string{"ADUAN_TRUSTED_PROXIES": "10.0.0.1,proxy.local"}, `ADUAN_TRUSTED_PROXIES: "proxy.local" is not an IP address or CIDR`},
		{map[string]string{"ADUAN_EMBED_FRAME_ANCESTORS": "https://a.id,https://b.id"}, `ADUAN_EMBED_FRAME_ANCESTORS: "https://a.id,https://b.id" is not one origin`},
		{map[string]string{"DATABASE_URL": "mysql://u:hunter2@db/aduan"}, `DATABASE_URL: "mysql://u:xxxxx@db/aduan" is not a postgres:// URL`},
		{map[string]string{"DATABASE_URL": "aduan"}, `DATABASE_URL: "aduan" is neither`},
	} {
		probs := problems(t, tc.env)
		if len(probs) != 1 || !strings.HasPrefix(probs[0].String(), tc.want) {
			t.Errorf("%v: problems %q, want one starting %q", tc.env, probs, tc.want)
		}
	}
	// Every problem at once, and the error names them all.
	_, err := Parse(map[string]string{"ADUAN_INTAKE_PER_MINUTE": "abc", "ADUAN_STICKY_CACHE": "-5"})
	if err == nil || !strings.Contains(err.Error(), `ADUAN_INTAKE_PER_MINUTE: "abc" is not a number`) ||
		!strings.Contains(err.Error(), "ADUAN_STICKY_CACHE: -5 must be more than 0") {
		t.Errorf("two bad values: %v", err)
	}
	// Accepted: key=value settings and a gRPC target.
	if probs := problems(t, map[string]string{"DATABASE_URL": "host=/run/postgresql dbname=aduan password='a b'",
		"TEMPORAL_ADDRESS": "dns:///temporal.internal:7233"}); probs != nil {
		t.Errorf("DSN and gRPC target: %q", probs)
	}
}

// TestHalfConfigured: a provider with part of its settings is refused, naming what is
// missing.
func TestHalfConfigured(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"ADUAN_WA_PHONE_NUMBER_ID": "123"}, "ADUAN_WA_TOKEN: not set, but ADUAN_WA_PHONE_NUMBER_ID is; set both or neither"},
		{map[string]string{"ADUAN_WA_TOKEN": "t"}, "ADUAN_WA_PHONE_NUMBER_ID: not set, but ADUAN_WA_TOKEN is; set both or neither"},
		{map[string]string{"ADUAN_PUBLISH_WEBHOOK_URL": "https://hooks.example/aduan"},
			"ADUAN_PUBLISH_WEBHOOK_SECRET: not set, but ADUAN_PUBLISH_WEBHOOK_URL is; set both or neither"},
		{map[string]string{"ADUAN_PUBLISH_WEBHOOK_SECRET": "s"}, "ADUAN_PUBLISH_WEBHOOK_URL: not set, but ADUAN_PUBLISH_WEBHOOK_SECRET is; set both or neither"},
		{map[string]string{"ADUAN_WP_URL": "https://x", "ADUAN_WP_APP_PASSWORD": "p"}, "ADUAN_WP_USER: not set, but ADUAN_WP_URL is"},
		{map[string]string{"ADUAN_WP_URL": "https://x", "ADUAN_WP_USER": "u"}, "ADUAN_WP_APP_PASSWORD: not set, but ADUAN_WP_URL is"},
		{map[string]string{"ADUAN_WP_USER": "u"}, "ADUAN_WP_USER: is set, but ADUAN_WP_URL is not"},
		{map[string]string{"ADUAN_SMS_API_KEY": "k"}, "ADUAN_SMS_API_KEY: is set, but ADUAN_SMS_GATEWAY_URL is not"},
		{map[string]string{"ADUAN_SMTP_PASSWORD": "p", "ADUAN_SMTP_USER": "u"}, "ADUAN_SMTP_USER: is set, but ADUAN_SMTP_ADDR is not"},
		{map[string]string{"ADUAN_SMTP_ADDR": "mail:587", "ADUAN_SMTP_USER": "u"}, "ADUAN_SMTP_PASSWORD: not set, but ADUAN_SMTP_USER is; set both or neither"},
		{map[string]string{"TEMPORAL_TLS_CLIENT_CERT_PATH": "c.pem"}, "TEMPORAL_TLS_CLIENT_KEY_PATH: not set, but TEMPORAL_TLS_CLIENT_CERT_PATH is; set both or neither"},
	} {
		probs := problems(t, tc.env)
		if len(probs) == 0 || probs[0].String() != tc.want {
			t.Errorf("%v: problems %q, want first %q", tc.env, probs, tc.want)
		}
	}
	// Whole providers are fine.
	if probs := problems(t, map[string]string{
		"ADUAN_WA_VERIFY_TOKEN": "v", "ADUAN_WA_APP_SECRET": "s", "ADUAN_WA_PHONE_NUMBER_ID": "1", "ADUAN_WA_TOKEN": "t",
		"ADUAN_SMS_SECRET": "s", "ADUAN_SMS_GATEWAY_URL": "https://sms.example/send", "ADUAN_SMS_API_KEY": "k",
		"ADUAN_SMTP_ADDR": "mail.example:587", "ADUAN_SMTP_FROM": "Aduan <aduan@example.go.id>", "ADUAN_SMTP_USER": "u", "ADUAN_SMTP_PASSWORD": "p",
		"ADUAN_PUBLISH_WEBHOOK_URL": "https://hooks.example/aduan", "ADUAN_PUBLISH_WEBHOOK_SECRET": "s",
		"ADUAN_WP_URL": "https://x", "ADUAN_WP_USER": "u", "ADUAN_WP_APP_PASSWORD": "p",
		"TEMPORAL_API_KEY": "key",
	}); probs != nil {
		t.Errorf("whole providers: %q", probs)
	}
}

// TestWriteMasks: `aduan config` prints every variable, and never a secret.
func TestWriteMasks(t *testing.T) {
	secrets := map[string]string{
		"TEMPORAL_API_KEY": "cloud-key-1", "ADUAN_WA_VERIFY_TOKEN": "verify-2", "ADUAN_WA_APP_SECRET": "s3cret-3",
		"ADUAN_WA_PHONE_NUMBER_ID": "4444", "ADUAN_WA_TOKEN": "wa-token-5", "ADUAN_SMS_SECRET": "sms-secret-6",
		"ADUAN_SMS_GATEWAY_URL": "https://sms.example/send", "ADUAN_SMS_API_KEY": "sms-key-7",
		"ADUAN_PUBLISH_WEBHOOK_URL": "https://hooks.example/aduan", "ADUAN_PUBLISH_WEBHOOK_SECRET": "hook-secret-8",
		"ADUAN_SMTP_ADDR": "mail.example:587", "ADUAN_SMTP_USER": "mailer", "ADUAN_SMTP_PASSWORD": "mail-pass-9",
		"DATABASE_URL": "postgres://aduan:db-pass-10@db.internal:5432/aduan", "ADUAN_HTTP_ADDR": ":9090",
	}
	c, err := Parse(secrets)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := c.Write(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, s := range []string{"cloud-key-1", "verify-2", "s3cret-3", "wa-token-5", "sms-secret-6", "sms-key-7",
		"hook-secret-8", "mail-pass-9", "db-pass-10"} {
		if strings.Contains(out, s) {
			t.Errorf("the printed settings show the secret %q:\n%s", s, out)
		}
	}
	line := func(name string) string {
		for _, l := range strings.Split(out, "\n") {
			if f := strings.Fields(l); len(f) > 0 && f[0] == name {
				return strings.Join(f[1:], " ")
			}
		}
		t.Errorf("no line for %s in\n%s", name, out)
		return ""
	}
	for name, want := range map[string]string{
		"ADUAN_WA_APP_SECRET":      "= •••• (set)",
		"ADUAN_SMTP_PASSWORD":      "= •••• (set)",
		"ADUAN_WP_APP_PASSWORD":    "= (not set)",
		"ADUAN_WA_PHONE_NUMBER_ID": "= 4444",
		"ADUAN_HTTP_ADDR":          "= :9090",
		"ADUAN_PUBLIC_URL":         "= http://localhost:9090 (default)",
		"ADUAN_STICKY_CACHE":       "= 1000 (default)",
		"ADUAN_INTAKE_PER_MINUTE":  "= 20 (default)",
		"DATABASE_URL":             "= postgres://aduan:xxxxx@db.internal:5432/aduan",
		"ADUAN_WP_CATEGORY_ID":     "= (not set)",
	} {
		if got := line(name); got != want {
			t.Errorf("%s %s, want %s", name, got, want)
		}
	}
	for _, v := range Vars() {
		line(v)
	}
	if !strings.HasPrefix(out, "# PostgreSQL\n") || !strings.Contains(out, "\n# WhatsApp\n") {
		t.Errorf("groups missing:\n%s", out)
	}
	if got := redact("user=aduan password='a b' host=db"); got != "user=aduan password=•••• host=db" {
		t.Errorf("redact DSN: %q", got)
	}
}

// TestREADME: every variable is in README's "Configuration" table.
func TestREADME(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Skip(err)
	}
	_, section, _ := strings.Cut(string(raw), "\n## Configuration\n")
	section, _, _ = strings.Cut(section, "\n## ")
	for _, v := range Vars() {
		if !strings.Contains(section, "`"+v+"`") {
			t.Errorf("README \"Configuration\" does not mention `%s`", v)
		}
	}
}

const (
	twilioAccount = "AC0123456789abcdef0123456789abcdef"
	twilioService = "MG0123456789abcdef0123456789abcdef"
)

// TestSMSProviders: ADUAN_SMS_PROVIDER chooses one sender; its settings must be whole and
// another provider's are refused, each problem naming its variable.
func TestSMSProviders(t *testing.T) {
	android := map[string]string{"ADUAN_SMS_PROVIDER": "android", "ADUAN_SMS_ANDROID_URL": "http://192.168.1.10:8080",
		"ADUAN_SMS_ANDROID_USER": "sms", "ADUAN_SMS_ANDROID_PASSWORD": "rahasia", "ADUAN_SMS_ANDROID_WEBHOOK_KEY": "kunci"}
	twilio := map[string]string{"ADUAN_SMS_PROVIDER": "twilio", "ADUAN_PUBLIC_URL": "https://aduan.mamujukab.go.id",
		"ADUAN_TWILIO_ACCOUNT_SID": twilioAccount, "ADUAN_TWILIO_AUTH_TOKEN": "token", "ADUAN_TWILIO_FROM": "+15005550006"}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}

	c, err := Parse(android)
	if err != nil || c.SMS.Provider != SMSAndroid || c.SMS.AndroidURL != "http://192.168.1.10:8080" || c.SMS.AndroidWebhookKey != "kunci" {
		t.Errorf("android: %+v %v", c.SMS, err)
	}
	// The generic gateway's webhook secret may stay (make run sets a demo one).
	if probs := problems(t, with(android, "ADUAN_SMS_SECRET", "s", "ADUAN_SMS_ANDROID_WEBHOOK_KEY", "")); probs != nil {
		t.Errorf("android with the generic webhook's secret, without a webhook key: %q", probs)
	}
	c, err = Parse(twilio)
	if err != nil || c.SMS.Provider != SMSTwilio || c.SMS.TwilioAPIBase != "https://api.twilio.com" || c.SMS.TwilioFrom != "+15005550006" {
		t.Errorf("twilio: %+v %v", c.SMS, err)
	}
	if probs := problems(t, with(twilio, "ADUAN_TWILIO_FROM", "", "ADUAN_TWILIO_MESSAGING_SERVICE_SID", twilioService)); probs != nil {
		t.Errorf("twilio through a messaging service: %q", probs)
	}

	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"ADUAN_SMS_PROVIDER": "nexmo"}, `ADUAN_SMS_PROVIDER: "nexmo" is not generic, android or twilio`},
		{with(android, "ADUAN_SMS_ANDROID_URL", ""), "ADUAN_SMS_ANDROID_URL: not set, but ADUAN_SMS_PROVIDER is android"},
		{with(android, "ADUAN_SMS_ANDROID_URL", "192.168.1.10:8080"), `ADUAN_SMS_ANDROID_URL: "192.168.1.10:8080" is not an http:// or https:// URL`},
		{with(android, "ADUAN_SMS_ANDROID_USER", ""), "ADUAN_SMS_ANDROID_USER: not set, but ADUAN_SMS_PROVIDER is android"},
		{with(android, "ADUAN_SMS_ANDROID_PASSWORD", ""), "ADUAN_SMS_ANDROID_PASSWORD: not set, but ADUAN_SMS_PROVIDER is android"},
		{with(android, "ADUAN_SMS_GATEWAY_URL", "https://sms.example/send"),
			"ADUAN_SMS_GATEWAY_URL: is set, but ADUAN_SMS_PROVIDER is android, not generic"},
		{with(android, "ADUAN_TWILIO_AUTH_TOKEN", "t"), "ADUAN_TWILIO_AUTH_TOKEN: is set, but ADUAN_SMS_PROVIDER is android, not twilio"},
		{map[string]string{"ADUAN_SMS_ANDROID_URL": "http://192.168.1.10:8080"},
			"ADUAN_SMS_ANDROID_URL: is set, but ADUAN_SMS_PROVIDER is generic, not android"},
		{map[string]string{"ADUAN_SMS_ANDROID_WEBHOOK_KEY": "k"},
			"ADUAN_SMS_ANDROID_WEBHOOK_KEY: is set, but ADUAN_SMS_PROVIDER is generic, not android"},
		{with(twilio, "ADUAN_TWILIO_ACCOUNT_SID", ""), "ADUAN_TWILIO_ACCOUNT_SID: not set, but ADUAN_SMS_PROVIDER is twilio"},
		{with(twilio, "ADUAN_TWILIO_ACCOUNT_SID", "AC123"), `ADUAN_TWILIO_ACCOUNT_SID: "AC123" is not an account SID`},
		{with(twilio, "ADUAN_TWILIO_AUTH_TOKEN", ""), "ADUAN_TWILIO_AUTH_TOKEN: not set, but ADUAN_SMS_PROVIDER is twilio"},
		{with(twilio, "ADUAN_TWILIO_FROM", ""), "ADUAN_TWILIO_FROM: not set, nor ADUAN_TWILIO_MESSAGING_SERVICE_SID; set one of them"},
		{with(twilio, "ADUAN_TWILIO_MESSAGING_SERVICE_SID", twilioService),
			"ADUAN_TWILIO_MESSAGING_SERVICE_SID: is set, and so is ADUAN_TWILIO_FROM; set one of them"},
		{with(twilio, "ADUAN_TWILIO_FROM", "", "ADUAN_TWILIO_MESSAGING_SERVICE_SID", "MG1"),
			`ADUAN_TWILIO_MESSAGING_SERVICE_SID: "MG1" is not a messaging service SID`},
		{with(twilio, "ADUAN_TWILIO_API_BASE", "api.twilio.com"), `ADUAN_TWILIO_API_BASE: "api.twilio.com" is not an http`},
		{with(twilio, "ADUAN_PUBLIC_URL", ""), "ADUAN_PUBLIC_URL: not set, but ADUAN_SMS_PROVIDER is twilio"},
		{with(twilio, "ADUAN_SMS_API_KEY", "k"), "ADUAN_SMS_API_KEY: is set, but ADUAN_SMS_PROVIDER is twilio, not generic"},
		{map[string]string{"ADUAN_TWILIO_FROM": "+15005550006"}, "ADUAN_TWILIO_FROM: is set, but ADUAN_SMS_PROVIDER is generic, not twilio"},
	} {
		probs := problems(t, tc.env)
		if len(probs) != 1 || !strings.HasPrefix(probs[0].String(), tc.want) {
			t.Errorf("%v: problems %q, want one starting %q", tc.env, probs, tc.want)
		}
	}

	// `aduan config` masks the providers' secrets.
	c, err = Parse(with(twilio, "ADUAN_TWILIO_AUTH_TOKEN", "twilio-token-11"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := c.Write(&b); err != nil {
		t.Fatal(err)
	}
	c, err = Parse(with(android, "ADUAN_SMS_ANDROID_PASSWORD", "android-pass-12", "ADUAN_SMS_ANDROID_WEBHOOK_KEY", "android-key-13"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Write(&b); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"twilio-token-11", "android-pass-12", "android-key-13"} {
		if strings.Contains(b.String(), s) {
			t.Errorf("the printed settings show the secret %q:\n%s", s, b.String())
		}
	}
	if !strings.Contains(strings.Join(strings.Fields(b.String()), " "), "ADUAN_TWILIO_ACCOUNT_SID = "+twilioAccount) {
		t.Errorf("the account SID is not a secret:\n%s", b.String())
	}
}

// TestPayloadKeys: ADUAN_PAYLOAD_KEYS gives the key ring; a bad one is refused naming the
// variable and never showing a key; `aduan config` masks it.
func TestPayloadKeys(t *testing.T) {
	const k1, k2 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
	c, err := Parse(map[string]string{"ADUAN_PAYLOAD_KEYS": " *k2:" + k2 + ",k1:" + k1 + " "})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Keys.Ring()
	if err != nil || r.Current() != "k2" || !r.Has("k1") {
		t.Errorf("ring %v, %v; want k2 current and k1", r, err)
	}
	var b strings.Builder
	if err := c.Write(&b); err != nil {
		t.Fatal(err)
	}
	if out := strings.Join(strings.Fields(b.String()), " "); strings.Contains(out, k1) || strings.Contains(out, k2) ||
		!strings.Contains(out, "ADUAN_PAYLOAD_KEYS = •••• (set)") {
		t.Errorf("aduan config shows:\n%s", out)
	}
	if r, err := (Keys{}).Ring(); r != nil || err != nil {
		t.Errorf("no keys: %v, %v", r, err)
	}

	for spec, want := range map[string]string{
		"k1:" + k1 + ",k2:" + k2:   "ADUAN_PAYLOAD_KEYS: no key is marked current",
		"k1:" + k1[:20]:            "ADUAN_PAYLOAD_KEYS: key \"k1\": 15 bytes, want 32",
		"*k1:" + k1 + ",*k2:" + k2: "ADUAN_PAYLOAD_KEYS: more than one key",
		k1:                         "ADUAN_PAYLOAD_KEYS: entry 1 is not id:base64-key",
	} {
		probs := problems(t, map[string]string{"ADUAN_PAYLOAD_KEYS": spec})
		if len(probs) != 1 || !strings.HasPrefix(probs[0].String(), want) {
			t.Errorf("%q: problems %q, want one starting %q", spec, probs, want)
			continue
		}
		if msg := probs[0].String(); strings.Contains(msg, k1[:20]) || strings.Contains(msg, k2[:20]) {
			t.Errorf("the message shows a key: %s", msg)
		}
	}
}

// Package config is Aduan's configuration: every environment variable its commands read,
// in one Config, parsed with github.com/caarlos0/env and checked when a process starts,
// so a bad value (a number that is not one, a URL that does not parse, a provider half
// configured) stops it with a message naming the variable. See README "Configuration".
//
// Only the commands (cmd/aduan, cmd/aduan-bench) read it; they hand plain values to the
// packages they wire (complaints, api, notify, publish, bench), none of which reads the
// environment.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
	"go.temporal.io/sdk/contrib/envconfig"

	"aduan/keyring"
)

// Config is every setting, grouped. Each field's env tag names its variable and its
// envDefault tag its default; secret:"true" masks it in Write. Load fills it.
type Config struct {
	Database Database `group:"PostgreSQL"`
	Temporal Temporal `group:"Temporal"`
	HTTP     HTTP     `group:"HTTP API"`
	Worker   Worker   `group:"Worker"`
	Log      Log      `group:"Logs"`
	WhatsApp WhatsApp `group:"WhatsApp"`
	SMS      SMS      `group:"SMS"`
	SMTP     SMTP     `group:"E-mail (SMTP)"`
	Publish  Publish  `group:"Publishing to the regency websites"`
	Keys     Keys     `group:"Encryption keys"`
	Dev      Dev      `group:"Development (scripts, tests, aduan-bench)"`

	// fromEnv lists the variables set (not empty) in the environment it was read from.
	fromEnv map[string]bool
	// temporalProfile is the Temporal client's profile resolved from the SDK's file and
	// variables (see resolveTemporal).
	temporalProfile *envconfig.ClientConfigProfile
}

// Database is the PostgreSQL connection.
type Database struct {
	// URL is a postgres:// URL or libpq key=value settings.
	URL string `env:"DATABASE_URL" envDefault:"postgres://postgres@127.0.0.1:5432/aduan?sslmode=disable"`
}

// Temporal is the Temporal connection, configured the SDK's way (its envconfig
// package): the same variables and profile file as the Temporal CLI, so one setting
// serves both. The file's profile is read first; a variable overrides it. Load resolves
// both into the client options that Config.TemporalClientOptions returns.
type Temporal struct {
	// Address and Namespace default to 127.0.0.1:7233 and "default" when neither a
	// variable nor the profile sets them.
	Address   string `env:"TEMPORAL_ADDRESS"`
	Namespace string `env:"TEMPORAL_NAMESPACE"`
	// TaskQueue is where the complaint workflows and their activities run.
	TaskQueue string `env:"ADUAN_TASK_QUEUE" envDefault:"aduan"`
	// APIKey (Temporal Cloud) turns on TLS unless TEMPORAL_TLS=false.
	APIKey string `env:"TEMPORAL_API_KEY" secret:"true"`
	// TLS forces TLS on (true) or off (false); unset: on with an API key or any TLS file.
	TLS string `env:"TEMPORAL_TLS"`
	// TLSClientCertPath and TLSClientKeyPath are a client certificate for mTLS (both or neither).
	TLSClientCertPath string `env:"TEMPORAL_TLS_CLIENT_CERT_PATH"`
	TLSClientKeyPath  string `env:"TEMPORAL_TLS_CLIENT_KEY_PATH"`
	// TLSServerCACertPath is the CA that signed the server's certificate (a private CA).
	TLSServerCACertPath string `env:"TEMPORAL_TLS_SERVER_CA_CERT_PATH"`
	// TLSServerName is the name expected in the server's certificate (SNI), when it
	// differs from the address's host.
	TLSServerName string `env:"TEMPORAL_TLS_SERVER_NAME"`
	// ConfigFile is the SDK's TOML profile file (default
	// ~/.config/temporalio/temporal.toml, read only when it exists); Profile picks one.
	ConfigFile string `env:"TEMPORAL_CONFIG_FILE"`
	Profile    string `env:"TEMPORAL_PROFILE"`
	// UIURL is the Temporal Web UI the staff console's board links to.
	UIURL string `env:"TEMPORAL_UI_URL" envDefault:"http://localhost:8233"`
	// Gzip compresses the client's gRPC requests (the SDK's own default). Off here:
	// every payload is sealed by the payload codec and does not compress, and the Temporal
	// server of a regency runs on the same machine or network, so gzip only spends CPU
	// (make bench measured about a tenth of the worker's). On for a server far away
	// (Temporal Cloud) where the bytes of the history's other fields count.
	Gzip bool `env:"ADUAN_TEMPORAL_GZIP" envDefault:"false"`
}

// HTTP is the API server's settings.
type HTTP struct {
	// Addr is where the API listens.
	Addr string `env:"ADUAN_HTTP_ADDR" envDefault:":8080"`
	// PublicURL prefixes tracking links and the public pages' absolute links; by default
	// http://localhost and the port of Addr. Never ends in "/".
	PublicURL string `env:"ADUAN_PUBLIC_URL"`
	// IntakePerMinute and IntakeBurst limit public submissions per client.
	IntakePerMinute float64 `env:"ADUAN_INTAKE_PER_MINUTE" envDefault:"20"`
	IntakeBurst     int     `env:"ADUAN_INTAKE_BURST" envDefault:"10"`
	// TrustedProxies are the reverse proxies (addresses or CIDRs) whose X-Forwarded-For
	// is believed.
	TrustedProxies []string `env:"ADUAN_TRUSTED_PROXIES" envSeparator:","`
	// EmbedFrameAncestors are the origins allowed to frame /publik/embed (none: any).
	EmbedFrameAncestors []string `env:"ADUAN_EMBED_FRAME_ANCESTORS" envSeparator:" "`
	// SecureCookies marks the staff pages' cookies Secure; by default true when
	// PublicURL is https://.
	SecureCookies bool `env:"ADUAN_SECURE_COOKIES"`
}

// Worker is the Temporal worker's settings.
type Worker struct {
	// StickyCache is how many workflows the worker keeps in memory between their tasks.
	// It bounds the worker's memory whatever the number of open complaints; a workflow
	// pushed out is replayed from its history when it next wakes. The default, about
	// 40 MiB of workflows, is enough for the complaints active in any hour of a
	// regency's day.
	StickyCache int `env:"ADUAN_STICKY_CACHE" envDefault:"1000"`
	// QuietHours holds reminders to staff and messages to complainants due outside the
	// office hours of the SLA policy's calendar until the next opening (but the
	// acknowledgement, the automatic replies and an urgent complaint's escalations).
	QuietHours bool `env:"ADUAN_QUIET_HOURS" envDefault:"true"`
	// StopTimeout is how long a stopping worker waits for the activities it runs and the
	// items its loops hold (an acknowledgement being sent) to finish before it gives
	// them up; what it gives up is taken again by another worker (activities by
	// Temporal's retry, loop items once their lease has passed).
	StopTimeout time.Duration `env:"ADUAN_WORKER_STOP_TIMEOUT" envDefault:"30s"`
	// Addr is where the worker serves /metrics (Prometheus), /healthz and /readyz; by
	// default only on this machine. Each worker on one machine needs its own.
	Addr string `env:"ADUAN_WORKER_ADDR" envDefault:"127.0.0.1:8090"`
	// Deployment opts the worker into Temporal's Worker Deployments under this name
	// (README "Upgrades and worker versioning"); empty: an unversioned worker. BuildID
	// is its version; empty: the binary's own (the VCS revision it was built from).
	Deployment string `env:"ADUAN_WORKER_DEPLOYMENT"`
	BuildID    string `env:"ADUAN_BUILD_ID"`
}

// Log is how the processes log (to standard error).
type Log struct {
	// Format is text (key=value lines, for a terminal) or json (one object a line, for a
	// log collector).
	Format string `env:"ADUAN_LOG_FORMAT" envDefault:"text"`
	// Level is the least severity logged: debug, info, warn or error. At debug every
	// step of an action (projection, notifications) logs a line with its request_id.
	Level string `env:"ADUAN_LOG_LEVEL" envDefault:"info"`
}

// Log formats (Log.Format).
const (
	LogText = "text"
	LogJSON = "json"
)

// SlogLevel is Level as slog's (info for a value Parse would refuse).
func (l Log) SlogLevel() slog.Level {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(l.Level)); err != nil {
		return slog.LevelInfo
	}
	return lv
}

// WhatsApp is the WhatsApp Business Cloud API: its webhook (messages in) and the sender
// (messages to complainants).
type WhatsApp struct {
	// VerifyToken answers the webhook's subscription challenge and AppSecret checks its
	// signatures (none: the webhook is closed).
	VerifyToken string `env:"ADUAN_WA_VERIFY_TOKEN" secret:"true"`
	AppSecret   string `env:"ADUAN_WA_APP_SECRET" secret:"true"`
	// PhoneNumberID and Token turn the sender on (both or neither; none: the log).
	PhoneNumberID    string `env:"ADUAN_WA_PHONE_NUMBER_ID"`
	Token            string `env:"ADUAN_WA_TOKEN" secret:"true"`
	APIBase          string `env:"ADUAN_WA_API_BASE" envDefault:"https://graph.facebook.com/v21.0"`
	TemplateUpdate   string `env:"ADUAN_WA_TEMPLATE_UPDATE" envDefault:"aduan_pembaruan"`
	TemplateLanguage string `env:"ADUAN_WA_TEMPLATE_LANGUAGE" envDefault:"id"`
}

// SenderOn reports whether messages to complainants go out through the Cloud API.
func (w WhatsApp) SenderOn() bool { return w.PhoneNumberID != "" && w.Token != "" }

// SMS is the SMS gateway: its webhook (messages in) and the sender. Provider chooses the
// sender: the generic HTTP gateway, SMS Gateway for Android (a phone with the regency's
// SIM) or Twilio; each provider's settings are read only with it.
type SMS struct {
	// Provider is generic, android or twilio.
	Provider string `env:"ADUAN_SMS_PROVIDER" envDefault:"generic"`
	// Secret opens the generic gateway's webhook (none: closed), whatever the provider.
	Secret string `env:"ADUAN_SMS_SECRET" secret:"true"`
	// GatewayURL turns the generic sender on (none: the log); APIKey is its optional
	// bearer token.
	GatewayURL string `env:"ADUAN_SMS_GATEWAY_URL"`
	APIKey     string `env:"ADUAN_SMS_API_KEY" secret:"true"`

	// AndroidURL is SMS Gateway for Android's API: the phone's local server
	// (http://192.168.1.10:8080) or the cloud or private server
	// (https://api.sms-gate.app/3rdparty/v1); AndroidUser and AndroidPassword its basic
	// authentication. AndroidWebhookKey is the app's webhook signing key (none: the
	// /webhooks/sms/android webhook is closed).
	AndroidURL        string `env:"ADUAN_SMS_ANDROID_URL"`
	AndroidUser       string `env:"ADUAN_SMS_ANDROID_USER"`
	AndroidPassword   string `env:"ADUAN_SMS_ANDROID_PASSWORD" secret:"true"`
	AndroidWebhookKey string `env:"ADUAN_SMS_ANDROID_WEBHOOK_KEY" secret:"true"`

	// TwilioAccountSID and TwilioAuthToken are the Twilio account's credentials (the
	// token also checks the webhooks' X-Twilio-Signature); the messages go out from
	// TwilioFrom or through TwilioMessagingServiceSID (one of them).
	TwilioAccountSID          string `env:"ADUAN_TWILIO_ACCOUNT_SID"`
	TwilioAuthToken           string `env:"ADUAN_TWILIO_AUTH_TOKEN" secret:"true"`
	TwilioFrom                string `env:"ADUAN_TWILIO_FROM"`
	TwilioMessagingServiceSID string `env:"ADUAN_TWILIO_MESSAGING_SERVICE_SID"`
	// TwilioAPIBase is Twilio's REST API (a stand-in's in tests).
	TwilioAPIBase string `env:"ADUAN_TWILIO_API_BASE" envDefault:"https://api.twilio.com"`
}

// SMS providers (SMS.Provider).
const (
	SMSGeneric = "generic"
	SMSAndroid = "android"
	SMSTwilio  = "twilio"
)

// SMTP is the mail server of staff e-mail notifications (no Addr: the log).
type SMTP struct {
	Addr     string `env:"ADUAN_SMTP_ADDR"`
	From     string `env:"ADUAN_SMTP_FROM" envDefault:"aduan@localhost"`
	User     string `env:"ADUAN_SMTP_USER"`
	Password string `env:"ADUAN_SMTP_PASSWORD" secret:"true"`
}

// Publish is the regency websites published answers are pushed to: a signed webhook,
// WordPress, both or none.
type Publish struct {
	WebhookURL           string `env:"ADUAN_PUBLISH_WEBHOOK_URL"`
	WebhookSecret        string `env:"ADUAN_PUBLISH_WEBHOOK_SECRET" secret:"true"`
	WordPressURL         string `env:"ADUAN_WP_URL"`
	WordPressUser        string `env:"ADUAN_WP_USER"`
	WordPressAppPassword string `env:"ADUAN_WP_APP_PASSWORD" secret:"true"`
	// WordPressCategoryID files the posts in a category (0: none).
	WordPressCategoryID int `env:"ADUAN_WP_CATEGORY_ID"`
}

// Keys are the encryption keys of what Aduan keeps outside its own rows: every Temporal
// payload (package payloadcodec) and the staff's TOTP secrets in PostgreSQL.
type Keys struct {
	// Payload is the key ring (package keyring): id:base64-key entries separated by
	// commas, the current one marked with a leading *, e.g. "*k2:...,k1:...". Every
	// process that talks to Temporal needs it.
	Payload string `env:"ADUAN_PAYLOAD_KEYS" secret:"true"`
}

// Ring is the key ring of ADUAN_PAYLOAD_KEYS; nil when it is not set (Parse has refused
// a bad one already).
func (k Keys) Ring() (*keyring.Ring, error) {
	if k.Payload == "" {
		return nil, nil
	}
	return keyring.Parse(k.Payload)
}

// ErrNoPayloadKeys is what a process that talks to Temporal says without its keys.
var ErrNoPayloadKeys = &Error{Problems: []Problem{{Var: "ADUAN_PAYLOAD_KEYS",
	Msg: "not set; every process that talks to Temporal needs the payload keys (make one with: echo \"k1:$(openssl rand -base64 32)\")"}}}

// Dev is what the development tools read: the scripts, the tests and aduan-bench.
type Dev struct {
	// TemporalCLI is the Temporal CLI (dev server); empty: looked for on PATH and in
	// $(go env GOPATH)/bin.
	TemporalCLI string `env:"TEMPORAL_CLI"`
	// BenchCommand is the command aduan-bench's report says it was run with (make bench
	// sets it); empty: aduan-bench and its flags.
	BenchCommand string `env:"ADUAN_BENCH_COMMAND"`
}

// ShutdownGrace is how long a process waits for in-flight work when asked to stop.
const ShutdownGrace = 10 * time.Second

// Problem is one bad setting.
type Problem struct {
	Var string // the variable, e.g. ADUAN_INTAKE_PER_MINUTE
	Msg string // what is wrong, e.g. `"abc" is not a number`
}

func (p Problem) String() string { return p.Var + ": " + p.Msg }

// Error lists every bad setting found.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "configuration: " + strings.Join(parts, "; ")
}

// Load reads the configuration from the process's environment. A bad value is an
// *Error naming every bad variable.
func Load() (Config, error) {
	return Parse(env.ToMap(os.Environ()))
}

// Parse reads the configuration from environ (variable → value), as Load does from the
// environment. Values are trimmed; an empty one counts as not set.
func Parse(environ map[string]string) (Config, error) {
	m := make(map[string]string, len(environ))
	for k, v := range environ {
		m[k] = strings.TrimSpace(v)
	}
	c := Config{fromEnv: map[string]bool{}}
	var probs []Problem
	bad := map[string]bool{}
	forEachGroup(&c, func(_ string, g reflect.Value) {
		err := env.ParseWithOptions(g.Addr().Interface(), env.Options{Environment: m})
		for _, p := range explain(err, g.Type(), m) {
			bad[p.Var] = true
			probs = append(probs, p)
		}
	})
	for _, s := range c.fields() {
		if m[s.key] != "" {
			c.fromEnv[s.key] = true
		}
	}
	c.normalise()
	v := validator{bad: bad, set: c.fromEnv}
	c.validate(&v)
	c.resolveTemporal(m, &v)
	if probs = append(probs, v.probs...); len(probs) > 0 {
		return c, &Error{Problems: probs}
	}
	return c, nil
}

// forEachGroup calls f with each group of c (its exported struct fields).
func forEachGroup(c *Config, f func(name string, g reflect.Value)) {
	rv := reflect.ValueOf(c).Elem()
	for i := 0; i < rv.NumField(); i++ {
		sf := rv.Type().Field(i)
		if sf.IsExported() && sf.Type.Kind() == reflect.Struct {
			f(sf.Tag.Get("group"), rv.Field(i))
		}
	}
}

// explain turns the env library's errors into problems naming the variable.
func explain(err error, group reflect.Type, m map[string]string) []Problem {
	if err == nil {
		return nil
	}
	errs := []error{err}
	var agg env.AggregateError
	if errors.As(err, &agg) {
		errs = agg.Errors
	}
	var probs []Problem
	for _, e := range errs {
		var pe env.ParseError
		if errors.As(e, &pe) {
			if sf, ok := group.FieldByName(pe.Name); ok {
				key, _, _ := strings.Cut(sf.Tag.Get("env"), ",")
				probs = append(probs, Problem{Var: key, Msg: fmt.Sprintf("%q %s", m[key], notA(sf.Type))})
				continue
			}
		}
		probs = append(probs, Problem{Var: group.Name(), Msg: e.Error()})
	}
	return probs
}

// notA says what a value that did not parse as t is not.
func notA(t reflect.Type) string {
	if t == reflect.TypeFor[time.Duration]() {
		return "is not a duration (such as 30s or 2m)"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "is not a whole number"
	case reflect.Float32, reflect.Float64:
		return "is not a number"
	case reflect.Bool:
		return "is not true or false"
	}
	return "cannot be read as " + t.String()
}

// normalise tidies lists and fills the defaults that depend on other settings.
func (c *Config) normalise() {
	var proxies []string
	for _, p := range c.HTTP.TrustedProxies {
		if p = strings.TrimSpace(p); p != "" {
			proxies = append(proxies, p)
		}
	}
	c.HTTP.TrustedProxies = proxies
	if len(c.HTTP.EmbedFrameAncestors) > 0 {
		c.HTTP.EmbedFrameAncestors = strings.Fields(strings.Join(c.HTTP.EmbedFrameAncestors, " "))
	}
	if c.HTTP.PublicURL == "" {
		c.HTTP.PublicURL = "http://localhost" + portOf(c.HTTP.Addr)
	}
	c.HTTP.PublicURL = strings.TrimRight(c.HTTP.PublicURL, "/")
	if !c.fromEnv["ADUAN_SECURE_COOKIES"] {
		c.HTTP.SecureCookies = strings.HasPrefix(strings.ToLower(c.HTTP.PublicURL), "https://")
	}
}

func portOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		return addr[i:]
	}
	return ""
}

// validator collects problems, one per variable (the first found).
type validator struct {
	bad   map[string]bool // variables with a problem already
	set   map[string]bool // variables set in the environment
	probs []Problem
}

func (v *validator) add(key, format string, a ...any) {
	if v.bad[key] {
		return
	}
	v.bad[key] = true
	v.probs = append(v.probs, Problem{Var: key, Msg: fmt.Sprintf(format, a...)})
}

// pair refuses one of two variables set without the other.
func (v *validator) pair(a, va, b, vb string) {
	switch {
	case va != "" && vb == "":
		v.add(b, "not set, but %s is; set both or neither", a)
	case va == "" && vb != "":
		v.add(a, "not set, but %s is; set both or neither", b)
	}
}

// needs refuses dependent variables set while key is not.
func (v *validator) needs(key, val string, dependents ...string) {
	if val != "" {
		return
	}
	for _, d := range dependents {
		if v.set[d] {
			v.add(d, "is set, but %s is not", key)
		}
	}
}

// webURL refuses a value that is not an absolute http(s) URL.
func (v *validator) webURL(key, val string) {
	if val == "" {
		return
	}
	u, err := url.Parse(val)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.add(key, "%q is not an http:// or https:// URL", redact(val))
	}
}

// hostPort refuses a value that is not host:port.
func (v *validator) hostPort(key, val string) {
	if val == "" {
		return
	}
	if _, port, err := net.SplitHostPort(val); err != nil || port == "" {
		v.add(key, "%q is not host:port", val)
	}
}

func (v *validator) positive(key string, ok bool, val any) {
	if !ok {
		v.add(key, "%v must be more than 0", val)
	}
}

func (c Config) validate(v *validator) {
	// PostgreSQL: a URL (lib/pq) or key=value settings.
	db := c.Database.URL
	if scheme, _, isURL := strings.Cut(db, "://"); isURL {
		if _, err := url.Parse(db); err != nil || (scheme != "postgres" && scheme != "postgresql") {
			v.add("DATABASE_URL", "%q is not a postgres:// URL", redact(db))
		}
	} else if !strings.Contains(db, "=") {
		v.add("DATABASE_URL", "%q is neither a postgres:// URL nor key=value settings", redact(db))
	}

	t := c.Temporal
	if !strings.Contains(t.Address, "://") { // a gRPC target such as dns:///host:port is left to the SDK
		v.hostPort("TEMPORAL_ADDRESS", t.Address)
	}
	v.pair("TEMPORAL_TLS_CLIENT_CERT_PATH", t.TLSClientCertPath, "TEMPORAL_TLS_CLIENT_KEY_PATH", t.TLSClientKeyPath)

	h := c.HTTP
	if _, _, err := net.SplitHostPort(h.Addr); err != nil {
		v.add("ADUAN_HTTP_ADDR", "%q is not [host]:port", h.Addr)
	}
	v.webURL("ADUAN_PUBLIC_URL", h.PublicURL)
	v.webURL("TEMPORAL_UI_URL", c.Temporal.UIURL)
	v.positive("ADUAN_INTAKE_PER_MINUTE", h.IntakePerMinute > 0 && !math.IsInf(h.IntakePerMinute, 0), h.IntakePerMinute)
	v.positive("ADUAN_INTAKE_BURST", h.IntakeBurst > 0, h.IntakeBurst)
	for _, p := range h.TrustedProxies {
		if _, err := netip.ParseAddr(p); err != nil {
			if _, err := netip.ParsePrefix(p); err != nil {
				v.add("ADUAN_TRUSTED_PROXIES", "%q is not an IP address or CIDR", p)
			}
		}
	}
	for _, a := range h.EmbedFrameAncestors {
		if strings.ContainsAny(a, ";,\"") {
			v.add("ADUAN_EMBED_FRAME_ANCESTORS", "%q is not one origin (separate them with spaces)", a)
		}
	}

	v.positive("ADUAN_STICKY_CACHE", c.Worker.StickyCache > 0, c.Worker.StickyCache)
	v.positive("ADUAN_WORKER_STOP_TIMEOUT", c.Worker.StopTimeout > 0, c.Worker.StopTimeout)
	// Temporal refuses a deployment name with a dot; neither may hold spaces or slashes.
	if d := c.Worker.Deployment; len(d) > 255 || strings.ContainsAny(d, " \t\n/.") {
		v.add("ADUAN_WORKER_DEPLOYMENT", "%q is not a name (up to 255 characters, no spaces, slashes or dots)", d)
	}
	if b := c.Worker.BuildID; len(b) > 255 || strings.ContainsAny(b, " \t\n/") {
		v.add("ADUAN_BUILD_ID", "%q is not a build id (up to 255 characters, no spaces or slashes)", b)
	}
	if _, _, err := net.SplitHostPort(c.Worker.Addr); err != nil {
		v.add("ADUAN_WORKER_ADDR", "%q is not [host]:port", c.Worker.Addr)
	}
	if f := c.Log.Format; f != LogText && f != LogJSON {
		v.add("ADUAN_LOG_FORMAT", "%q is not text or json", f)
	}
	switch strings.ToLower(c.Log.Level) {
	case "debug", "info", "warn", "error":
	default:
		v.add("ADUAN_LOG_LEVEL", "%q is not debug, info, warn or error", c.Log.Level)
	}

	wa := c.WhatsApp
	v.pair("ADUAN_WA_PHONE_NUMBER_ID", wa.PhoneNumberID, "ADUAN_WA_TOKEN", wa.Token)
	v.webURL("ADUAN_WA_API_BASE", wa.APIBase)

	c.validateSMS(v)

	m := c.SMTP
	v.hostPort("ADUAN_SMTP_ADDR", m.Addr)
	if _, err := mail.ParseAddress(m.From); err != nil {
		v.add("ADUAN_SMTP_FROM", "%q is not an e-mail address (such as Aduan <aduan@example.go.id>)", m.From)
	}
	v.needs("ADUAN_SMTP_ADDR", m.Addr, "ADUAN_SMTP_FROM", "ADUAN_SMTP_USER", "ADUAN_SMTP_PASSWORD")
	v.pair("ADUAN_SMTP_USER", m.User, "ADUAN_SMTP_PASSWORD", m.Password)

	p := c.Publish
	v.webURL("ADUAN_PUBLISH_WEBHOOK_URL", p.WebhookURL)
	v.pair("ADUAN_PUBLISH_WEBHOOK_URL", p.WebhookURL, "ADUAN_PUBLISH_WEBHOOK_SECRET", p.WebhookSecret)
	v.webURL("ADUAN_WP_URL", p.WordPressURL)
	if p.WordPressURL != "" {
		if p.WordPressUser == "" {
			v.add("ADUAN_WP_USER", "not set, but ADUAN_WP_URL is")
		}
		if p.WordPressAppPassword == "" {
			v.add("ADUAN_WP_APP_PASSWORD", "not set, but ADUAN_WP_URL is")
		}
	}
	v.needs("ADUAN_WP_URL", p.WordPressURL, "ADUAN_WP_USER", "ADUAN_WP_APP_PASSWORD", "ADUAN_WP_CATEGORY_ID")
	if v.set["ADUAN_WP_CATEGORY_ID"] && p.WordPressCategoryID <= 0 {
		v.add("ADUAN_WP_CATEGORY_ID", "%d must be more than 0", p.WordPressCategoryID)
	}

	// The keys' own messages never show a key.
	if _, err := c.Keys.Ring(); err != nil {
		v.add("ADUAN_PAYLOAD_KEYS", "%v", err)
	}
}

// validateSMS checks the SMS group: a known provider, that provider's settings whole, and
// no other provider's sender settings (which would be silently ignored).
func (c Config) validateSMS(v *validator) {
	sms := c.SMS
	generic := []string{"ADUAN_SMS_GATEWAY_URL", "ADUAN_SMS_API_KEY"}
	android := []string{"ADUAN_SMS_ANDROID_URL", "ADUAN_SMS_ANDROID_USER", "ADUAN_SMS_ANDROID_PASSWORD",
		"ADUAN_SMS_ANDROID_WEBHOOK_KEY"}
	twilio := []string{"ADUAN_TWILIO_ACCOUNT_SID", "ADUAN_TWILIO_AUTH_TOKEN", "ADUAN_TWILIO_FROM",
		"ADUAN_TWILIO_MESSAGING_SERVICE_SID", "ADUAN_TWILIO_API_BASE"}
	// onlyWith refuses the settings of a provider other than the one chosen.
	onlyWith := func(provider string, keys []string) {
		if sms.Provider == provider {
			return
		}
		for _, k := range keys {
			if v.set[k] {
				v.add(k, "is set, but ADUAN_SMS_PROVIDER is %s, not %s", sms.Provider, provider)
			}
		}
	}
	switch sms.Provider {
	case SMSGeneric, SMSAndroid, SMSTwilio:
	default:
		v.add("ADUAN_SMS_PROVIDER", "%q is not generic, android or twilio", sms.Provider)
		return
	}
	onlyWith(SMSGeneric, generic)
	onlyWith(SMSAndroid, android)
	onlyWith(SMSTwilio, twilio)

	switch sms.Provider {
	case SMSGeneric:
		v.webURL("ADUAN_SMS_GATEWAY_URL", sms.GatewayURL)
		v.needs("ADUAN_SMS_GATEWAY_URL", sms.GatewayURL, "ADUAN_SMS_API_KEY")
	case SMSAndroid:
		required := func(key, val string) {
			if val == "" {
				v.add(key, "not set, but ADUAN_SMS_PROVIDER is android")
			}
		}
		required("ADUAN_SMS_ANDROID_URL", sms.AndroidURL)
		v.webURL("ADUAN_SMS_ANDROID_URL", sms.AndroidURL)
		required("ADUAN_SMS_ANDROID_USER", sms.AndroidUser)
		required("ADUAN_SMS_ANDROID_PASSWORD", sms.AndroidPassword)
	case SMSTwilio:
		required := func(key, val string) {
			if val == "" {
				v.add(key, "not set, but ADUAN_SMS_PROVIDER is twilio")
			}
		}
		required("ADUAN_TWILIO_ACCOUNT_SID", sms.TwilioAccountSID)
		if sms.TwilioAccountSID != "" && !twilioSID("AC", sms.TwilioAccountSID) {
			v.add("ADUAN_TWILIO_ACCOUNT_SID", "%q is not an account SID (AC and 32 hexadecimal digits)", sms.TwilioAccountSID)
		}
		required("ADUAN_TWILIO_AUTH_TOKEN", sms.TwilioAuthToken)
		switch from, svc := sms.TwilioFrom, sms.TwilioMessagingServiceSID; {
		case from == "" && svc == "":
			v.add("ADUAN_TWILIO_FROM", "not set, nor ADUAN_TWILIO_MESSAGING_SERVICE_SID; set one of them")
		case from != "" && svc != "":
			v.add("ADUAN_TWILIO_MESSAGING_SERVICE_SID", "is set, and so is ADUAN_TWILIO_FROM; set one of them")
		case svc != "" && !twilioSID("MG", svc):
			v.add("ADUAN_TWILIO_MESSAGING_SERVICE_SID", "%q is not a messaging service SID (MG and 32 hexadecimal digits)", svc)
		}
		v.webURL("ADUAN_TWILIO_API_BASE", sms.TwilioAPIBase)
		// Twilio signs its webhooks with the URL it was given: Aduan checks them against
		// ADUAN_PUBLIC_URL, never against the request's own Host header.
		if !v.set["ADUAN_PUBLIC_URL"] {
			v.add("ADUAN_PUBLIC_URL", "not set, but ADUAN_SMS_PROVIDER is twilio (its webhooks are signed with the public URL)")
		}
	}
}

// twilioSID reports whether s is a Twilio SID: the prefix and 32 hexadecimal digits.
func twilioSID(prefix, s string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || len(rest) != 32 {
		return false
	}
	for _, r := range rest {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

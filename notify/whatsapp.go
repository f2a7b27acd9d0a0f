package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"aduan/domain"
)

// DefaultWhatsAppAPIBase is the Graph API the Cloud API lives on (a pinned version).
const DefaultWhatsAppAPIBase = "https://graph.facebook.com/v21.0"

// WhatsAppConfig is how to reach the WhatsApp Business Cloud API.
type WhatsAppConfig struct {
	// APIBase is the Graph API with its version (DefaultWhatsAppAPIBase when empty).
	APIBase string
	// PhoneNumberID is the business phone number's ID (not the number itself).
	PhoneNumberID string
	// Token is a (system user) access token with whatsapp_business_messaging.
	Token string
	// TemplateUpdate is the approved template for messages outside the 24-hour window
	// ("aduan_pembaruan" when empty). Its body has exactly one parameter, {{1}}, which
	// carries the whole text (flattened to one line, at most TemplateParamMax
	// characters), e.g. "Kabar aduan Anda: {{1}}" in category UTILITY.
	TemplateUpdate string
	// TemplateLanguage is the template's language code ("id" when empty).
	TemplateLanguage string
	// TemplateParamMax bounds the parameter, in characters (900 when zero: a template
	// body may hold 1024 characters in all, so its fixed text has 124 left).
	TemplateParamMax int
	// Window is how long after the complainant's last message free-form text is still
	// sent (24 hours less 10 minutes when zero: the margin covers clock skew and the
	// time the message takes; a message a little late goes as the template, which
	// always arrives).
	Window time.Duration
	// Timeout bounds one request (20 s when zero).
	Timeout time.Duration
}

func (c WhatsAppConfig) withDefaults() WhatsAppConfig {
	if c.APIBase == "" {
		c.APIBase = DefaultWhatsAppAPIBase
	}
	if c.TemplateUpdate == "" {
		c.TemplateUpdate = "aduan_pembaruan"
	}
	if c.TemplateLanguage == "" {
		c.TemplateLanguage = "id"
	}
	if c.TemplateParamMax <= 0 {
		c.TemplateParamMax = 900
	}
	if c.Window <= 0 {
		c.Window = 24*time.Hour - 10*time.Minute
	}
	return c
}

// WhatsAppSender delivers notifications as WhatsApp messages through the Cloud API:
// free-form text while the complainant's 24-hour customer-service window is open (they
// wrote to us within Window), the TemplateUpdate template otherwise, as WhatsApp
// requires. A 4xx answer that rejects the message is permanent; 5xx, 429, throttling,
// our credentials (401/403) and network errors are retried. The Cloud API has no
// idempotency key: a request whose answer is lost is sent again on retry (at least
// once).
//
// It never logs the phone number or the text; its errors (kept in
// notifications.last_error) carry the provider's code and message with the number
// removed.
type WhatsAppSender struct {
	Config WhatsAppConfig
	// LastInbound says when the complainant last wrote (nil: always the template).
	LastInbound LastInboundFunc
	// Client makes the requests (http.DefaultClient when nil).
	Client *http.Client
	// Logger is where to log (slog.Default() when nil).
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Send delivers n.
func (w *WhatsAppSender) Send(ctx context.Context, n Notification) error {
	_, err := w.SendReceipt(ctx, n)
	return err
}

// The Cloud API's request bodies.
type waText struct {
	MessagingProduct string `json:"messaging_product"`
	RecipientType    string `json:"recipient_type"`
	To               string `json:"to"`
	Type             string `json:"type"`
	Text             struct {
		PreviewURL bool   `json:"preview_url"`
		Body       string `json:"body"`
	} `json:"text"`
}

type waTemplate struct {
	MessagingProduct string `json:"messaging_product"`
	To               string `json:"to"`
	Type             string `json:"type"`
	Template         struct {
		Name     string `json:"name"`
		Language struct {
			Code string `json:"code"`
		} `json:"language"`
		Components []waComponent `json:"components"`
	} `json:"template"`
}

type waComponent struct {
	Type       string        `json:"type"`
	Parameters []waParameter `json:"parameters"`
}

type waParameter struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// waAnswer is the Cloud API's answer: the message's id, or an error.
type waAnswer struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
	Error *struct {
		Message      string `json:"message"`
		Type         string `json:"type"`
		Code         int    `json:"code"`
		ErrorSubcode int    `json:"error_subcode"`
		ErrorData    struct {
			Details string `json:"details"`
		} `json:"error_data"`
		FBTraceID string `json:"fbtrace_id"`
	} `json:"error"`
}

// Cloud API error codes that say "not now" whatever the HTTP status: throttling,
// temporary trouble at Meta, and our access token (the operator renews it).
var waRetryableCodes = map[int]bool{
	0: true, 190: true, // access token invalid or expired
	4: true, 80007: true, 130429: true, 131048: true, 131056: true, // rate limits
	1: true, 2: true, 131000: true, 131016: true, 133004: true, // temporary trouble
}

// waReengagement is the error code of free-form text outside the 24-hour window.
const waReengagement = 131047

// WhatsAppError is a Cloud API answer other than 2xx.
type WhatsAppError struct {
	Status  int
	Code    int // the Cloud API's error code (0 when none)
	Message string
}

func (e *WhatsAppError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("whatsapp: HTTP %d, error %d: %s", e.Status, e.Code, e.Message)
	}
	return fmt.Sprintf("whatsapp: HTTP %d: %s", e.Status, e.Message)
}

// SendReceipt delivers n and says how: Via "whatsapp:text" or
// "whatsapp:template:<name>", Ref the message's wamid.
func (w *WhatsAppSender) SendReceipt(ctx context.Context, n Notification) (Receipt, error) {
	cfg := w.Config.withDefaults()
	lg := w.Logger
	if lg == nil {
		lg = slog.Default()
	}
	to := domain.NormalizePhone(n.Address)
	if to == "" {
		lg.WarnContext(ctx, "whatsapp: invalid phone number; not sent", "id", n.ID, "code", n.Code)
		return Receipt{}, Permanent(errors.New("whatsapp: invalid phone number"))
	}
	open := n.Mode == ModeText
	if n.Mode == "" {
		var err error
		if open, err = w.windowOpen(ctx, cfg, n.Code); err != nil {
			return Receipt{}, fmt.Errorf("whatsapp: last inbound message of %s: %w", n.Code, err)
		}
	}
	if open {
		rc, err := w.post(ctx, cfg, lg, n, to, freeForm(to, n), "whatsapp:text")
		var we *WhatsAppError
		if !errors.As(err, &we) || we.Code != waReengagement || n.Mode == ModeText {
			return rc, err
		}
		// The window had closed after all: the template says it.
		lg.InfoContext(ctx, "whatsapp: window closed; sending the template", "id", n.ID, "code", n.Code)
	}
	var p waTemplate
	p.MessagingProduct, p.To, p.Type = "whatsapp", to, "template"
	p.Template.Name = cfg.TemplateUpdate
	p.Template.Language.Code = cfg.TemplateLanguage
	p.Template.Components = []waComponent{{Type: "body", Parameters: []waParameter{{Type: "text", Text: TemplateParam(n.Text, cfg.TemplateParamMax)}}}}
	return w.post(ctx, cfg, lg, n, to, p, "whatsapp:template:"+cfg.TemplateUpdate)
}

// freeForm is n as a message inside the window: the published answer, which asks "was
// your problem solved?", with the two reply buttons YA and BELUM (their ids are the words
// TakeMessage reads, so a press counts as the typed word); anything else as text.
func freeForm(to string, n Notification) any {
	if n.Kind == domain.NotifyAnswer && len([]rune(n.Text)) <= waInteractiveBodyMax {
		var p waInteractive
		p.MessagingProduct, p.RecipientType, p.To, p.Type = "whatsapp", "individual", to, "interactive"
		p.Interactive.Type = "button"
		p.Interactive.Body.Text = n.Text
		for _, b := range FeedbackButtons {
			var x waButton
			x.Type, x.Reply.ID, x.Reply.Title = "reply", b, b
			p.Interactive.Action.Buttons = append(p.Interactive.Action.Buttons, x)
		}
		return p
	}
	var p waText
	p.MessagingProduct, p.RecipientType, p.To, p.Type = "whatsapp", "individual", to, "text"
	p.Text.Body = CutKeepingLink(n.Text, 4096)
	return p
}

// FeedbackButtons are the reply buttons of the published answer: their ids and titles
// are the words the complainant could type.
var FeedbackButtons = []string{"YA", "BELUM"}

// waInteractiveBodyMax is the Cloud API's limit on an interactive message's body.
const waInteractiveBodyMax = 1024

// waInteractive is a message with reply buttons.
type waInteractive struct {
	MessagingProduct string `json:"messaging_product"`
	RecipientType    string `json:"recipient_type"`
	To               string `json:"to"`
	Type             string `json:"type"`
	Interactive      struct {
		Type string `json:"type"`
		Body struct {
			Text string `json:"text"`
		} `json:"body"`
		Action struct {
			Buttons []waButton `json:"buttons"`
		} `json:"action"`
	} `json:"interactive"`
}

type waButton struct {
	Type  string `json:"type"`
	Reply struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"reply"`
}

// TemplateParam is text as a template parameter may carry it: on one line (WhatsApp
// refuses new lines, tabs and runs of spaces in a parameter), at most max characters,
// the tracking link kept.
func TemplateParam(text string, max int) string {
	// Cut first, so the link keeps its label line; joining only shortens.
	return strings.Join(strings.Fields(CutKeepingLink(text, max)), " ")
}

// windowOpen says whether free-form text may go to the complainant of code.
func (w *WhatsAppSender) windowOpen(ctx context.Context, cfg WhatsAppConfig, code string) (bool, error) {
	if w.LastInbound == nil {
		return false, nil
	}
	at, ok, err := w.LastInbound(ctx, code)
	if err != nil || !ok {
		return false, err
	}
	now := time.Now()
	if w.Now != nil {
		now = w.Now()
	}
	return now.Sub(at) < cfg.Window, nil
}

// post sends one message and classifies the answer.
func (w *WhatsAppSender) post(ctx context.Context, cfg WhatsAppConfig, lg *slog.Logger, n Notification,
	to string, payload any, via string) (Receipt, error) {
	endpoint := strings.TrimRight(cfg.APIBase, "/") + "/" + url.PathEscape(cfg.PhoneNumberID) + "/messages"
	h := http.Header{}
	h.Set("Authorization", "Bearer "+cfg.Token)
	ans, err := postJSON(ctx, w.Client, cfg.Timeout, endpoint, h, payload)
	if err != nil {
		lg.WarnContext(ctx, "whatsapp: no answer; will retry", "id", n.ID, "code", n.Code, "via", via)
		return Receipt{}, fmt.Errorf("whatsapp: %s", redact(err.Error(), to, n.Address, cfg.Token))
	}
	var a waAnswer
	_ = json.Unmarshal(ans.body, &a)
	if ans.status/100 == 2 {
		rc := Receipt{Via: via}
		if len(a.Messages) > 0 {
			rc.Ref = a.Messages[0].ID
		}
		// Not the ref: a wamid encodes the recipient's number.
		lg.InfoContext(ctx, "whatsapp message sent", "id", n.ID, "code", n.Code, "via", via)
		return rc, nil
	}
	we := &WhatsAppError{Status: ans.status}
	retry := retryableStatus(ans.status)
	if a.Error != nil {
		we.Code = a.Error.Code
		we.Message = a.Error.Message
		if a.Error.ErrorData.Details != "" {
			we.Message += " (" + a.Error.ErrorData.Details + ")"
		}
		if waRetryableCodes[a.Error.Code] {
			retry = true
		}
	} else {
		we.Message = string(ans.body)
	}
	we.Message = redact(we.Message, to, n.Address, cfg.Token)
	if we.Code == waReengagement {
		retry = false
	}
	lg.WarnContext(ctx, "whatsapp message refused", "id", n.ID, "code", n.Code, "via", via, "status", ans.status,
		"error_code", we.Code, "retry", retry)
	if retry {
		return Receipt{}, we
	}
	return Receipt{}, Permanent(we)
}

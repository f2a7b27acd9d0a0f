package notify

import "aduan/domain"

// What must be registered at Meta for the WhatsApp sender: the one template every text
// goes as when free text may not (outside the 24-hour window, and always to officers).
// Its one parameter carries the whole text, so the texts stay Aduan's to change; only
// this body needs Meta's approval, once.

// UpdateTemplateBody is the body of the template TemplateUpdate as it is registered.
// Fixed words stand around the parameter because Meta refuses a body that starts or
// ends with one; they are short because the parameter may take TemplateParamMax of the
// body's 1024 characters.
const UpdateTemplateBody = "Kabar dari layanan Aduan:\n\n{{1}}\n\nPesan ini dikirim otomatis oleh layanan Aduan."

// CategoryUtility is Meta's category for messages about a transaction the recipient
// started (their complaint), which need no marketing opt-in.
const CategoryUtility = "UTILITY"

// WhatsAppTemplate is a message template to register at Meta (WhatsApp Manager, Message
// templates), as the sender uses it.
type WhatsAppTemplate struct {
	Name, Language, Category string
	// Body is the text to register, with its parameter {{1}}.
	Body string
	// Example is a sample value of {{1}} (Meta asks for one): the acknowledgement as
	// the sender would put it there.
	Example string
	// Texts names the catalog's texts that go as this template.
	Texts []string
}

// WhatsAppTemplates is what must be registered for cfg (its TemplateUpdate and
// TemplateLanguage, or their defaults), with the example written by the texts t.
func WhatsAppTemplates(cfg WhatsAppConfig, t Templates) []WhatsAppTemplate {
	cfg = cfg.withDefaults()
	ack, _ := t.Render(domain.NotifyAck, AudienceComplainant, Data{Code: sampleCode, Status: domain.StatusReceived,
		BaseURL: sampleBase, Channel: ChannelWhatsApp})
	w := WhatsAppTemplate{Name: cfg.TemplateUpdate, Language: cfg.TemplateLanguage, Category: CategoryUtility,
		Body: UpdateTemplateBody, Example: TemplateParam(ack.Text, cfg.TemplateParamMax)}
	for _, s := range catalog {
		if s.WhatsApp != WhatsAppNever {
			w.Texts = append(w.Texts, s.Name)
		}
	}
	return []WhatsAppTemplate{w}
}

// TemplateName is the name of the template cfg sends outside the window.
func (c WhatsAppConfig) TemplateName() string { return c.withDefaults().TemplateUpdate }

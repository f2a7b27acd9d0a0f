package complaints

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"aduan/domain"
	"aduan/notify"
	"aduan/store"
)

// The system admin's use cases on the outbound texts (the page /staf/admin/templat):
// every text of notify's catalog with its wording and version in force, and the WhatsApp
// template to register at Meta. An admin changes a text, which stores a new version of
// the set (store.SaveTemplates, the newest in force); admins and supervisors view. A text
// is checked by notify.Validate first; every change is logged with the admin's username.

// templateStore is what the texts' administration needs beyond Store (*store.DB has it;
// the handler tests' stand-ins need not).
type templateStore interface {
	CurrentTemplates(ctx context.Context) (store.TemplateVersion, error)
	TemplateHistory(ctx context.Context, limit int) ([]store.TemplateVersion, error)
	TemplatesInForce(ctx context.Context) (store.TemplateVersion, error)
	SaveTemplates(ctx context.Context, c store.TemplateChange) (int, error)
}

var _ templateStore = (*store.DB)(nil)

// TemplateListing is every outbound text as the page shows it.
type TemplateListing struct {
	// Version is the version in force (0: every text its default), made by CreatedBy at
	// CreatedAt.
	Version   int
	CreatedBy string
	CreatedAt time.Time
	Note      string
	Texts     []TemplateText
	// WhatsApp is what must be registered at Meta, with the default template name and
	// language (ADUAN_WA_TEMPLATE_UPDATE, ADUAN_WA_TEMPLATE_LANGUAGE may name others;
	// `aduan templates meta` prints those the configuration gives).
	WhatsApp []notify.WhatsAppTemplate
	// Problems are stored texts this Aduan cannot use (their defaults go out instead).
	Problems []string
	// History is the newest versions, newest first (at most HistoryLimit): who changed
	// which texts when.
	History []store.TemplateVersion
}

// HistoryLimit is how many versions the listing shows.
const HistoryLimit = 20

// TemplateText is one text of the catalog with its wording in force.
type TemplateText struct {
	notify.Spec
	Text string
	// Custom says the text is an admin's (false: the default); Version is the newest
	// version that changed it (0: never), which the edit form sends back (Seen).
	Custom  bool
	Version int
	// Example is the text written for a sample complaint (on WhatsApp, for a complainant).
	Example string
}

// MayManageTemplates says whether a user may change the texts (admins only).
func MayManageTemplates(a domain.Actor) bool { return a.Role == domain.RoleAdmin }

const msgTemplatesManage = "Hanya admin Call Center yang dapat mengubah teks pesan."

func (s *Service) templateStore() (templateStore, error) {
	d, ok := s.db.(templateStore)
	if !ok {
		return nil, unavailable(errors.New("this store cannot keep message templates"))
	}
	return d, nil
}

// Templates lists every text with its wording and version in force (admins and
// supervisors).
func (s *Service) Templates(ctx context.Context, by domain.Actor) (TemplateListing, error) {
	if !MayViewAdmin(by) {
		return TemplateListing{}, forbidden(msgAdminView)
	}
	d, err := s.templateStore()
	if err != nil {
		return TemplateListing{}, err
	}
	v, err := d.CurrentTemplates(ctx)
	if err != nil {
		return TemplateListing{}, unavailable(err)
	}
	history, err := d.TemplateHistory(ctx, HistoryLimit)
	if err != nil {
		return TemplateListing{}, unavailable(err)
	}
	set, problems := notify.NewTemplates(v.Version, v.Texts)
	l := TemplateListing{History: history, Version: v.Version, CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt, Note: v.Note,
		WhatsApp: notify.WhatsAppTemplates(notify.WhatsAppConfig{}, set)}
	for _, p := range problems {
		l.Problems = append(l.Problems, p.Error())
	}
	for _, spec := range notify.Catalog() {
		text, custom := set.Text(spec.Name)
		l.Texts = append(l.Texts, TemplateText{Spec: spec, Text: text, Custom: custom, Version: v.TextVersions[spec.Name],
			Example: notify.Example(set, spec.Name)})
	}
	return l, nil
}

// SetTemplate makes text the wording of the template name, as a new version (admins).
// seen is the text's version the admin edited (TemplateText.Version): a text changed
// since by someone else is refused rather than overwritten unseen. A text the same as the
// one in force changes nothing (version 0, nil); the same as the default puts the
// default back. A refused text is KindInvalid with the reason under "text".
func (s *Service) SetTemplate(ctx context.Context, by domain.Actor, name, text string, seen int) (version int, err error) {
	if !MayManageTemplates(by) {
		return 0, forbidden(msgTemplatesManage)
	}
	if _, ok := notify.Lookup(name); !ok {
		return 0, notFound("Templat " + name + " tidak dikenal.")
	}
	d, err := s.templateStore()
	if err != nil {
		return 0, err
	}
	cur, err := d.CurrentTemplates(ctx)
	if err != nil {
		return 0, unavailable(err)
	}
	set, reset, err := notify.Changes(cur.Texts, map[string]string{name: text})
	if err != nil {
		return 0, &Error{Kind: KindInvalid, Message: "Teks " + name + " belum disimpan. " + err.Error(),
			Fields: map[string]string{"text": err.Error()}}
	}
	if len(set) == 0 && len(reset) == 0 {
		return 0, nil
	}
	change := store.TemplateChange{Set: set, Reset: reset, By: by.Username, Seen: map[string]int{name: seen}}
	return s.saveTemplates(ctx, d, by, name, change)
}

// ResetTemplate puts the default wording of name back, as a new version (admins); seen
// as for SetTemplate. A text already at its default changes nothing (0, nil).
func (s *Service) ResetTemplate(ctx context.Context, by domain.Actor, name string, seen int) (version int, err error) {
	if !MayManageTemplates(by) {
		return 0, forbidden(msgTemplatesManage)
	}
	if _, ok := notify.Lookup(name); !ok {
		return 0, notFound("Templat " + name + " tidak dikenal.")
	}
	d, err := s.templateStore()
	if err != nil {
		return 0, err
	}
	cur, err := d.CurrentTemplates(ctx)
	if err != nil {
		return 0, unavailable(err)
	}
	if _, custom := cur.Texts[name]; !custom {
		return 0, nil
	}
	return s.saveTemplates(ctx, d, by, name,
		store.TemplateChange{Reset: []string{name}, By: by.Username, Seen: map[string]int{name: seen}})
}

func (s *Service) saveTemplates(ctx context.Context, d templateStore, by domain.Actor, name string, c store.TemplateChange) (int, error) {
	version, err := d.SaveTemplates(ctx, c)
	if errors.Is(err, store.ErrTemplateChanged) {
		msg := "Teks " + name + " sudah diubah orang lain sejak halaman ini dibuka. Muat ulang halaman, lalu ubah lagi bila perlu."
		return 0, &Error{Kind: KindInvalid, Message: msg, Fields: map[string]string{"text": msg}}
	}
	if err != nil {
		return 0, unavailable(err)
	}
	slog.Info("admin: message template changed", "by", by.Username, "name", name, "version", version,
		"reset", strconv.FormatBool(len(c.Reset) > 0))
	return version, nil
}

// Texts is the set of texts in force (read at most every few seconds), for the texts
// the core writes itself (the automatic replies); the defaults while PostgreSQL is away.
func (s *Service) Texts(ctx context.Context) notify.Templates {
	d, err := s.templateStore()
	if err != nil {
		return notify.Templates{}
	}
	v, err := d.TemplatesInForce(ctx)
	if err != nil {
		slog.Warn("message templates unreadable; the defaults are used", "err", err)
		return notify.Templates{}
	}
	set, _ := notify.NewTemplates(v.Version, v.Texts)
	return set
}

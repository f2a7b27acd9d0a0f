package complaints_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"aduan/complaints"
	"aduan/domain"
	"aduan/notify"
	"aduan/store"
)

// templatesFake keeps the texts' versions in memory, as store.SaveTemplates does; every
// other call of complaints.Store panics (nil embedded interface).
type templatesFake struct {
	complaints.Store
	versions []store.TemplateVersion
	down     bool
}

func (f *templatesFake) CurrentTemplates(context.Context) (store.TemplateVersion, error) {
	if f.down {
		return store.TemplateVersion{}, errors.New("connection refused")
	}
	if len(f.versions) == 0 {
		return store.TemplateVersion{Texts: map[string]string{}, TextVersions: map[string]int{}}, nil
	}
	return f.versions[len(f.versions)-1], nil
}

func (f *templatesFake) TemplateHistory(_ context.Context, limit int) ([]store.TemplateVersion, error) {
	var out []store.TemplateVersion
	for i := len(f.versions) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, f.versions[i])
	}
	return out, nil
}

func (f *templatesFake) TemplatesInForce(ctx context.Context) (store.TemplateVersion, error) {
	return f.CurrentTemplates(ctx)
}

func (f *templatesFake) SaveTemplates(ctx context.Context, c store.TemplateChange) (int, error) {
	cur, _ := f.CurrentTemplates(ctx)
	for name, seen := range c.Seen {
		if cur.TextVersions[name] != seen {
			return 0, store.ErrTemplateChanged
		}
	}
	next := store.TemplateVersion{Version: cur.Version + 1, Texts: map[string]string{}, TextVersions: map[string]int{}, CreatedBy: c.By}
	for k := range c.Set {
		next.Changed = append(next.Changed, k)
	}
	next.Changed = append(next.Changed, c.Reset...)
	for k, v := range cur.Texts {
		next.Texts[k] = v
	}
	for k, v := range cur.TextVersions {
		next.TextVersions[k] = v
	}
	for k, v := range c.Set {
		next.Texts[k], next.TextVersions[k] = v, next.Version
	}
	for _, k := range c.Reset {
		delete(next.Texts, k)
		next.TextVersions[k] = next.Version
	}
	f.versions = append(f.versions, next)
	return next.Version, nil
}

// TestTemplateUseCases: admins change a text (checked first), supervisors read, others
// neither; the same text twice is no version; the default written back puts it back; a
// form made before someone else's change is refused.
func TestTemplateUseCases(t *testing.T) {
	ctx := context.Background()
	db := &templatesFake{}
	core := complaints.New(db, nil, complaints.Config{})
	admin := domain.Actor{Username: "admin", Role: domain.RoleAdmin}
	sup := domain.Actor{Username: "supervisor", Role: domain.RoleSupervisor}
	pokja := domain.Actor{Username: "pokja-logistik", Role: domain.RolePokja, Pokja: "logistik"}

	if _, err := core.Templates(ctx, pokja); complaints.KindOf(err) != complaints.KindForbidden {
		t.Errorf("a pokja member lists the texts: %v", err)
	}
	l, err := core.Templates(ctx, sup)
	if err != nil || l.Version != 0 || len(l.Texts) != len(notify.Catalog()) || len(l.WhatsApp) != 1 || l.Texts[0].Example == "" {
		t.Fatalf("listing: %+v %v", l, err)
	}
	if _, err := core.SetTemplate(ctx, sup, "greeting", "Halo.", 0); complaints.KindOf(err) != complaints.KindForbidden {
		t.Errorf("a supervisor changes a text: %v", err)
	}
	if _, err := core.SetTemplate(ctx, admin, "nothing.staff", "Halo.", 0); complaints.KindOf(err) != complaints.KindNotFound {
		t.Errorf("an unknown text: %v", err)
	}
	_, err = core.SetTemplate(ctx, admin, "reminder.staff", "Pengingat {{.Code}}: {{.Answer}}", 0)
	if e := complaints.AsError(err); e.Kind != complaints.KindInvalid || !strings.Contains(e.Fields["text"], "Templat reminder.staff untuk staf") {
		t.Errorf("a staff text with the answer: %+v", e)
	}
	v, err := core.SetTemplate(ctx, admin, "greeting", "Halo!\r\nTulis aduan Anda.\r\n", 0)
	if err != nil || v != 1 || db.versions[0].Texts["greeting"] != "Halo!\nTulis aduan Anda." || db.versions[0].CreatedBy != "admin" {
		t.Fatalf("set: %d %v %+v", v, err, db.versions)
	}
	if got := core.Texts(ctx).Greeting("http://x/lapor"); got != "Halo!\nTulis aduan Anda." {
		t.Errorf("the greeting in force: %q", got)
	}
	if v, err := core.SetTemplate(ctx, admin, "greeting", "Halo!\nTulis aduan Anda.", 1); err != nil || v != 0 || len(db.versions) != 1 {
		t.Errorf("the same text again: %d %v", v, err)
	}
	if _, err := core.SetTemplate(ctx, admin, "greeting", "Halo lagi.", 0); !strings.Contains(complaints.AsError(err).Fields["text"], "sudah diubah orang lain") {
		t.Errorf("a stale form: %v", err)
	}
	if v, err := core.SetTemplate(ctx, admin, "greeting", notify.DefaultText("greeting"), 1); err != nil || v != 2 ||
		len(db.versions[1].Texts) != 0 {
		t.Errorf("the default written back: %d %v %+v", v, err, db.versions)
	}
	if v, err := core.ResetTemplate(ctx, admin, "greeting", 2); err != nil || v != 0 {
		t.Errorf("resetting a default: %d %v", v, err)
	}
	if _, err := core.ResetTemplate(ctx, sup, "greeting", 2); complaints.KindOf(err) != complaints.KindForbidden {
		t.Errorf("a supervisor resets: %v", err)
	}
	l, _ = core.Templates(ctx, admin)
	if len(l.History) != 2 || l.History[0].Version != 2 || l.History[1].Changed[0] != "greeting" {
		t.Errorf("history %+v", l.History)
	}
	for _, x := range l.Texts {
		if x.Name == "greeting" && (x.Custom || x.Version != 2) {
			t.Errorf("greeting listed %+v", x)
		}
	}
	db.down = true
	if _, err := core.SetTemplate(ctx, admin, "greeting", "Halo.", 2); complaints.KindOf(err) != complaints.KindUnavailable {
		t.Errorf("database down: %v", err)
	}
	if got := core.Texts(ctx).Greeting(""); got != notify.GreetingReply("") {
		t.Errorf("database down, the greeting: %q", got)
	}
}

package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"aduan/media/mediatest"
	"aduan/store"
)

// TestTemplateVersions: each change is a numbered version built on the one in force, with
// who made it and when; a text put back to its default leaves the set; a change built on
// a text someone changed since is refused; the newest version is in force.
func TestTemplateVersions(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	v, err := db.CurrentTemplates(ctx)
	if err != nil || v.Version != 0 || len(v.Texts) != 0 {
		t.Fatalf("nothing stored: %+v %v", v, err)
	}
	if _, err := db.SaveTemplates(ctx, store.TemplateChange{By: "admin"}); !errors.Is(err, store.ErrNoTemplateChange) {
		t.Errorf("an empty change: %v", err)
	}
	before := time.Now().Add(-time.Minute)
	n, err := db.SaveTemplates(ctx, store.TemplateChange{Set: map[string]string{"ack.pelapor": "Aduan {{.Code}} {{.Link}}"},
		By: "admin", Note: "lebih singkat"})
	if err != nil || n != 1 {
		t.Fatalf("first save: %d %v", n, err)
	}
	v, err = db.CurrentTemplates(ctx)
	if err != nil || v.Version != 1 || v.Texts["ack.pelapor"] != "Aduan {{.Code}} {{.Link}}" || v.CreatedBy != "admin" ||
		v.Note != "lebih singkat" || v.CreatedAt.Before(before) || !reflect.DeepEqual(v.Changed, []string{"ack.pelapor"}) {
		t.Fatalf("version 1: %+v %v", v, err)
	}
	if n, err = db.SaveTemplates(ctx, store.TemplateChange{Set: map[string]string{"reminder.staff": "Pengingat {{.Code}}"},
		By: "cli:root"}); err != nil || n != 2 {
		t.Fatalf("second save: %d %v", n, err)
	}
	v, _ = db.CurrentTemplates(ctx)
	if len(v.Texts) != 2 || v.Texts["ack.pelapor"] == "" || v.CreatedBy != "cli:root" || v.Note != "" ||
		!reflect.DeepEqual(v.TextVersions, map[string]int{"ack.pelapor": 1, "reminder.staff": 2}) {
		t.Fatalf("version 2 keeps version 1's text: %+v", v)
	}
	if n, err = db.SaveTemplates(ctx, store.TemplateChange{Reset: []string{"ack.pelapor"}, By: "admin",
		Seen: map[string]int{"ack.pelapor": 1}}); err != nil || n != 3 {
		t.Fatalf("reset: %d %v", n, err)
	}
	v, _ = db.CurrentTemplates(ctx)
	if _, ok := v.Texts["ack.pelapor"]; ok || len(v.Texts) != 1 || v.TextVersions["ack.pelapor"] != 3 {
		t.Errorf("after the reset: %+v", v)
	}
	// Someone saw reminder.staff at version 0 (before version 2): refused, nothing stored.
	_, err = db.SaveTemplates(ctx, store.TemplateChange{Set: map[string]string{"reminder.staff": "Lain {{.Code}}"}, By: "admin2",
		Seen: map[string]int{"reminder.staff": 0}})
	if !errors.Is(err, store.ErrTemplateChanged) {
		t.Errorf("a stale change: %v", err)
	}
	if v, _ := db.CurrentTemplates(ctx); v.Version != 3 {
		t.Errorf("a refused change stored version %d", v.Version)
	}
	h, err := db.TemplateHistory(ctx, 10)
	if err != nil || len(h) != 3 || h[0].Version != 3 || h[2].Version != 1 || h[2].Texts["ack.pelapor"] == "" {
		t.Errorf("history: %+v %v", h, err)
	}
}

// TestTemplateChangesDoNotLoseEachOther: changes made at once to different texts each
// build on the other (none is lost).
func TestTemplateChangesDoNotLoseEachOther(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			name := fmt.Sprintf("text.%d", i)
			if _, err := db.SaveTemplates(ctx, store.TemplateChange{Set: map[string]string{name: "x"}, By: "admin"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	v, err := db.CurrentTemplates(ctx)
	if err != nil || v.Version != 8 || len(v.Texts) != 8 {
		t.Errorf("after 8 changes at once: version %d, %d texts, %v", v.Version, len(v.Texts), err)
	}
}

// TestTemplatesInForceCached: the texts in force are read once per TemplatesTTL, and a
// version saved through the same handle is seen at once.
func TestTemplatesInForceCached(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	if v, err := db.TemplatesInForce(ctx); err != nil || v.Version != 0 {
		t.Fatalf("nothing stored: %+v %v", v, err)
	}
	// Another process's version: not seen until the cache expires.
	if _, err := db.ExecContext(ctx, `INSERT INTO message_templates (texts, changed, created_by)
		VALUES ('{"ack.pelapor": "lain"}', '{ack.pelapor}', 'other')`); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.TemplatesInForce(ctx); v.Version != 0 {
		t.Errorf("read again within the TTL: version %d", v.Version)
	}
	if _, err := db.SaveTemplates(ctx, store.TemplateChange{Set: map[string]string{"greeting": "Halo."}, By: "admin"}); err != nil {
		t.Fatal(err)
	}
	v, err := db.TemplatesInForce(ctx)
	if err != nil || v.Version != 2 || v.Texts["greeting"] != "Halo." || v.Texts["ack.pelapor"] != "lain" {
		t.Errorf("after a save here: %+v %v", v, err)
	}
}

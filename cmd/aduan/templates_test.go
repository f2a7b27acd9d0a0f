package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"aduan/media/mediatest"
	"aduan/notify"
)

// TestTemplatesFileFormat: `aduan templates set` reads the plain format `show` prints
// (comments before the first text, "== NAME" lines, multi-line texts) and JSON, and names
// the line of a file it cannot read.
func TestTemplatesFileFormat(t *testing.T) {
	plain := "# komentar\n\n== ack.pelapor\nBaris satu {{.Code}}\nBaris dua {{.Link}}\n\n== greeting\r\nHalo.\r\n"
	texts, note, err := parseTemplatesFile([]byte(plain))
	want := map[string]string{"ack.pelapor": "Baris satu {{.Code}}\nBaris dua {{.Link}}\n", "greeting": "Halo.\n"}
	if err != nil || note != "" || !reflect.DeepEqual(texts, want) {
		t.Errorf("plain: %q %q %v", texts, note, err)
	}
	texts, note, err = parseTemplatesFile([]byte(`{"note": "libur", "texts": {"greeting": "Halo."}}`))
	if err != nil || note != "libur" || texts["greeting"] != "Halo." {
		t.Errorf("json: %q %q %v", texts, note, err)
	}
	for _, bad := range []string{"Halo tanpa nama\n== greeting\nHalo.", "== greeting\na\n== greeting\nb", "# hanya komentar\n",
		`{"texts": {}}`, `{"teks": {"greeting": "Halo."}}`} {
		if _, _, err := parseTemplatesFile([]byte(bad)); err == nil {
			t.Errorf("%q read without error", bad)
		}
	}
}

// TestTemplatesCommand runs `aduan templates` as an operator would, against a throwaway
// database: list, meta, show, set from a file (a refused text saves nothing), reset.
func TestTemplatesCommand(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	wa := notify.WhatsAppConfig{TemplateUpdate: "kabar_aduan", TemplateLanguage: "id"}
	run := func(args ...string) (string, error) {
		t.Helper()
		var out bytes.Buffer
		err := templatesCommand(ctx, db, wa, &out, args)
		return out.String(), err
	}
	file := func(content string) string {
		p := filepath.Join(t.TempDir(), "teks.txt")
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	out, err := run()
	if err != nil || !strings.Contains(out, "the defaults (no version stored)") || !strings.Contains(out, "ack.pelapor") ||
		!strings.Contains(out, "Tanda terima aduan") || strings.Count(out, "\n") != len(notify.Catalog())+2 {
		t.Fatalf("list: %v\n%s", err, out)
	}
	out, err = run("meta")
	for _, want := range []string{"Name:      kabar_aduan", "Language:  id", "Category:  UTILITY", "    {{1}}",
		"Example for {{1}}:\n    Terima kasih, aduan Anda sudah kami terima dengan kode ADU-7K3Q-XW2M.", "reminder.staff"} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("meta lacks %q: %v\n%s", want, err, out)
		}
	}
	out, err = run("show", "reminder.staff")
	if err != nil || !strings.Contains(out, "== reminder.staff\n"+notify.DefaultText("reminder.staff")+"\n") || !strings.Contains(out, "# {{.Pokja}}") ||
		!strings.Contains(out, "Selalu lewat templat kabar_aduan") {
		t.Errorf("show: %v\n%s", err, out)
	}

	// A refused text: nothing saved, the template named.
	_, err = run("set", file("== ack.pelapor\nTerima kasih, aduan {{.Code}} diterima.\n== reminder.staff\nPengingat {{.Answer}}\n"))
	if err == nil || !strings.Contains(err.Error(), "Templat ack.pelapor harus memuat tautan lacak") ||
		!strings.Contains(err.Error(), "Templat reminder.staff untuk staf tidak boleh memakai {{.Answer}}") {
		t.Errorf("refused set: %v", err)
	}
	if v, _ := db.CurrentTemplates(ctx); v.Version != 0 {
		t.Fatalf("a refused set stored version %d", v.Version)
	}
	ack := "Aduan {{.Code}} kami terima. Lacak: {{.Link}}"
	out, err = run("set", "--note", "lebih singkat", file("# teks baru\n== ack.pelapor\n"+ack+"\n"))
	if err != nil || !strings.Contains(out, "texts version 1 saved (ack.pelapor)") {
		t.Fatalf("set: %v %s", err, out)
	}
	v, _ := db.CurrentTemplates(ctx)
	if v.Texts["ack.pelapor"] != ack || v.Note != "lebih singkat" || !strings.HasPrefix(v.CreatedBy, "cli:") {
		t.Errorf("version 1: %+v", v)
	}
	if out, _ := run(); !strings.Contains(out, "texts in force: version 1") || !strings.Contains(out, "ack.pelapor               pelapor   1        Tanda terima aduan") {
		t.Errorf("list after set:\n%s", out)
	}
	// show --all, set back: nothing changes.
	all, err := run("show", "--all")
	if err != nil || !strings.Contains(all, "== ack.pelapor\n"+ack+"\n") {
		t.Fatalf("show --all: %v", err)
	}
	if out, err := run("set", file(all)); err != nil || !strings.Contains(out, "no text changed") {
		t.Errorf("the texts in force set again: %v %s", err, out)
	}
	if out, _ := run("show", "--default", "ack.pelapor"); !strings.Contains(out, "== ack.pelapor\n"+notify.DefaultText("ack.pelapor")+"\n") {
		t.Errorf("show --default:\n%s", out)
	}
	// The default written back is the default again; reset does the same by name.
	if out, err := run("set", file("== ack.pelapor\n"+notify.DefaultText("ack.pelapor"))); err != nil ||
		!strings.Contains(out, "texts version 2 saved (ack.pelapor (default))") {
		t.Errorf("the default set: %v %s", err, out)
	}
	if _, err := run("set", file("== greeting\nHalo.\n")); err != nil {
		t.Fatal(err)
	}
	if out, err := run("reset", "greeting", "ack.pelapor"); err != nil || !strings.Contains(out, "texts version 4 saved (greeting (default))") {
		t.Errorf("reset: %v %s", err, out)
	}
	if v, _ := db.CurrentTemplates(ctx); v.Version != 4 || len(v.Texts) != 0 {
		t.Errorf("after reset: %+v", v)
	}
	for _, bad := range [][]string{{"reset", "nothing.staff"}, {"show", "nothing.staff"}, {"show"}, {"set"}, {"frob"}} {
		if _, err := run(bad...); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"
	"strings"
	"text/tabwriter"

	"aduan/config"
	"aduan/notify"
	"aduan/store"
)

const templatesUsage = `usage: aduan templates                      list the texts and the version in force
       aduan templates meta                 what to register at Meta (WhatsApp templates)
       aduan templates show [--default] NAME  one text in force (or its default), in the file format
       aduan templates show --all           every text in force, in the file format
       aduan templates set [--note TEXT] FILE  store the texts of FILE as a new version
       aduan templates reset NAME...        put the default texts back, as a new version`

// runTemplates lists, shows and changes the outbound texts (notify's catalog), versioned
// in PostgreSQL like the deadline policy.
func runTemplates(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
		fmt.Println(templatesUsage)
		return nil
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	wa := notify.WhatsAppConfig{TemplateUpdate: cfg.WhatsApp.TemplateUpdate, TemplateLanguage: cfg.WhatsApp.TemplateLanguage}
	return templatesCommand(ctx, db, wa, os.Stdout, args)
}

// templatesCommand is `aduan templates ARGS` against db, printing to out.
func templatesCommand(ctx context.Context, db *store.DB, wa notify.WhatsAppConfig, out io.Writer, args []string) error {
	cur, err := db.CurrentTemplates(ctx)
	if err != nil {
		return err
	}
	set, problems := notify.NewTemplates(cur.Version, cur.Texts)
	for _, p := range problems {
		fmt.Fprintf(os.Stderr, "warning: stored text not used (its default goes out): %s\n", p)
	}
	if len(args) == 0 || args[0] == "list" {
		return listTemplates(out, cur, set)
	}
	switch args[0] {
	case "meta":
		return printMeta(out, notify.WhatsAppTemplates(wa, set))
	case "show":
		return showTemplates(out, cur, set, wa, args[1:])
	case "set":
		fs := flag.NewFlagSet("templates set", flag.ContinueOnError)
		note := fs.String("note", "", "why the texts change (kept with the version)")
		if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 1 {
			return errors.New(templatesUsage)
		}
		raw, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return err
		}
		edits, fileNote, err := parseTemplatesFile(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", fs.Arg(0), err)
		}
		if *note == "" {
			*note = fileNote
		}
		changed, reset, err := notify.Changes(cur.Texts, edits)
		if err != nil {
			return fmt.Errorf("%s: nothing saved:\n%w", fs.Arg(0), err)
		}
		return saveTemplates(ctx, db, out, store.TemplateChange{Set: changed, Reset: reset, Note: *note})
	case "reset":
		if len(args) < 2 {
			return errors.New(templatesUsage)
		}
		var reset []string
		for _, name := range args[1:] {
			if _, ok := notify.Lookup(name); !ok {
				return fmt.Errorf("unknown text %q (aduan templates lists them)", name)
			}
			if _, custom := cur.Texts[name]; custom {
				reset = append(reset, name)
			}
		}
		return saveTemplates(ctx, db, out, store.TemplateChange{Reset: reset})
	}
	return fmt.Errorf("unknown templates command %q\n%s", args[0], templatesUsage)
}

// saveTemplates stores c as a new version made by the operator, and says so.
func saveTemplates(ctx context.Context, db *store.DB, out io.Writer, c store.TemplateChange) error {
	if len(c.Set) == 0 && len(c.Reset) == 0 {
		fmt.Fprintln(out, "no text changed; no new version")
		return nil
	}
	c.By = "cli:" + operator()
	version, err := db.SaveTemplates(ctx, c)
	if err != nil {
		return err
	}
	var names []string
	for name := range c.Set {
		names = append(names, name)
	}
	for _, name := range c.Reset {
		names = append(names, name+" (default)")
	}
	slices.Sort(names)
	fmt.Fprintf(out, "texts version %d saved (%s); it is in force for the next message\n", version, strings.Join(names, ", "))
	return nil
}

// operator is who runs the command, as a version records it.
func operator() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}

// listTemplates prints every text, its audience and its version in force.
func listTemplates(out io.Writer, cur store.TemplateVersion, set notify.Templates) error {
	if cur.Version == 0 {
		fmt.Fprintln(out, "texts in force: the defaults (no version stored)")
	} else {
		fmt.Fprintf(out, "texts in force: version %d, by %s at %s", cur.Version, cur.CreatedBy, cur.CreatedAt.Format("2006-01-02 15:04 MST"))
		if cur.Note != "" {
			fmt.Fprintf(out, " (%s)", cur.Note)
		}
		fmt.Fprintln(out)
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tAUDIENCE\tVERSION\tTITLE")
	for _, s := range notify.Catalog() {
		version := "default"
		if _, custom := set.Text(s.Name); custom {
			version = fmt.Sprint(cur.TextVersions[s.Name])
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", s.Name, s.AudienceLabel(), version, s.Title)
	}
	return w.Flush()
}

// printMeta prints the WhatsApp templates as WhatsApp Manager asks for them.
func printMeta(out io.Writer, ws []notify.WhatsAppTemplate) error {
	fmt.Fprintln(out, "Register at Meta (WhatsApp Manager > Message templates > Create template), once:")
	for _, w := range ws {
		fmt.Fprintf(out, "\nName:      %s\nLanguage:  %s\nCategory:  %s\nBody:\n%s\nExample for {{1}}:\n%s\nCarries:   %s\n",
			w.Name, w.Language, w.Category, indent(w.Body), indent(w.Example), strings.Join(w.Texts, ", "))
	}
	fmt.Fprintln(out, "\nThe whole text goes as {{1}}: changing a text (aduan templates set) needs no new approval.")
	return nil
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }

// showTemplates prints texts in the file format, which `set` reads back.
func showTemplates(out io.Writer, cur store.TemplateVersion, set notify.Templates, wa notify.WhatsAppConfig, args []string) error {
	fs := flag.NewFlagSet("templates show", flag.ContinueOnError)
	all := fs.Bool("all", false, "every text")
	def := fs.Bool("default", false, "the default text")
	if err := fs.Parse(args); err != nil || (*all == (fs.NArg() == 1)) || fs.NArg() > 1 {
		return errors.New(templatesUsage)
	}
	if *all {
		fmt.Fprintf(out, "# The texts in force (version %d). Edit, then: aduan templates set FILE\n", cur.Version)
		for _, s := range notify.Catalog() {
			text, _ := set.Text(s.Name)
			fmt.Fprintf(out, "\n== %s\n%s\n", s.Name, text)
		}
		return nil
	}
	s, ok := notify.Lookup(fs.Arg(0))
	if !ok {
		return fmt.Errorf("unknown text %q (aduan templates lists them)", fs.Arg(0))
	}
	text, custom := set.Text(s.Name)
	state := "default"
	if custom {
		state = fmt.Sprintf("version %d", cur.TextVersions[s.Name])
	}
	if *def {
		text, state = notify.DefaultText(s.Name), "default"
	}
	fmt.Fprintf(out, "# %s: %s (%s), %s\n# %s\n", s.Name, s.Title, s.AudienceLabel(), state, s.When)
	if s.Subject != "" {
		fmt.Fprintf(out, "# E-mail: [Aduan] %s — <kode>\n", s.Subject)
	}
	if s.Sent() {
		fmt.Fprintf(out, "# WhatsApp: %s\n", s.WhatsAppNote(wa.TemplateName()))
	}
	for _, f := range s.FieldHelp() {
		fmt.Fprintf(out, "# {{.%s}}: %s\n", f.Name, f.Help)
	}
	fmt.Fprintf(out, "== %s\n%s\n", s.Name, text)
	return nil
}

// parseTemplatesFile reads the texts of a file for `set`: JSON, {"note": "...",
// "texts": {"NAME": "text"}}, or the plain format `show` prints: lines starting with
// "#" before the first text are comments; a line "== NAME" starts the text NAME, which
// runs to the next such line (blank lines around a text are dropped).
func parseTemplatesFile(raw []byte) (texts map[string]string, note string, err error) {
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' {
		var f struct {
			Note  string            `json:"note"`
			Texts map[string]string `json:"texts"`
		}
		dec := json.NewDecoder(bytes.NewReader(t))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return nil, "", err
		}
		if len(f.Texts) == 0 {
			return nil, "", errors.New(`no texts: want {"texts": {"NAME": "text"}}`)
		}
		return f.Texts, f.Note, nil
	}
	texts = map[string]string{}
	var name string
	var body []string
	flush := func() {
		if name != "" {
			texts[name] = strings.Join(body, "\n")
		}
	}
	for i, line := range strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n") {
		if rest, ok := strings.CutPrefix(line, "== "); ok && !strings.ContainsAny(strings.TrimSpace(rest), " \t") {
			flush()
			name, body = strings.TrimSpace(rest), nil
			if _, dup := texts[name]; dup {
				return nil, "", fmt.Errorf("line %d: %s appears twice", i+1, name)
			}
			continue
		}
		if name == "" {
			if strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#") {
				return nil, "", fmt.Errorf(`line %d: a text starts with a line "== NAME"`, i+1)
			}
			continue
		}
		body = append(body, line)
	}
	flush()
	if len(texts) == 0 {
		return nil, "", errors.New(`no texts: a text starts with a line "== NAME"`)
	}
	return texts, "", nil
}

package notify

import (
	"fmt"
	"sort"
	"strings"
	"text/template"

	"aduan/domain"
)

// Templates is the set of texts in force: every text of the catalog, each its default
// unless a stored version (an admin's change, kept in PostgreSQL by the caller) says
// otherwise. The zero value is the defaults. This package does not read the store: the
// caller loads a version and builds the set with NewTemplates.
type Templates struct {
	// Version is the stored version the texts come from (0: the defaults alone).
	Version int
	// custom holds the stored texts, parsed, by name; source their text.
	custom map[string]*template.Template
	source map[string]string
}

// defaults are the catalog's default texts, parsed once.
var defaults = func() map[string]*template.Template {
	out := make(map[string]*template.Template, len(sources)+len(replySources))
	for name, src := range sources {
		out[name] = mustParse(name, src)
	}
	for name, src := range replySources {
		out[name] = mustParse(name, src)
	}
	out["digest.staff"] = mustParse("digest.staff", digestSource)
	return out
}()

func mustParse(name, src string) *template.Template {
	return template.Must(template.New(name).Option("missingkey=error").Parse(src))
}

// NewTemplates is the defaults with the texts of a stored version in place of theirs.
// A stored text that no longer passes Validate (a newer Aduan dropped a field it names,
// say) is left out, so its default goes out instead of nothing; it comes back among the
// problems, for the log and the admin's page.
func NewTemplates(version int, texts map[string]string) (Templates, []error) {
	t := Templates{Version: version}
	var problems []error
	names := make([]string, 0, len(texts))
	for name := range texts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		src := texts[name]
		if err := Validate(name, src); err != nil {
			problems = append(problems, err)
			continue
		}
		if t.custom == nil {
			t.custom, t.source = map[string]*template.Template{}, map[string]string{}
		}
		t.custom[name], t.source[name] = mustParse(name, src), src
	}
	return t, problems
}

// Text is the text in force of the template name, and whether it is a stored one (false:
// the default).
func (t Templates) Text(name string) (text string, custom bool) {
	if src, ok := t.source[name]; ok {
		return src, true
	}
	return DefaultText(name), false
}

// DefaultText is the default text of the template name ("" for a name not in the
// catalog).
func DefaultText(name string) string {
	if src, ok := sources[name]; ok {
		return src
	}
	if name == "digest.staff" {
		return digestSource
	}
	return replySources[name]
}

// Custom names the stored texts in force, sorted.
func (t Templates) Custom() []string {
	out := make([]string, 0, len(t.source))
	for name := range t.source {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// lookup is the parsed text in force of name.
func (t Templates) lookup(name string) (*template.Template, bool) {
	if x, ok := t.custom[name]; ok {
		return x, true
	}
	x, ok := defaults[name]
	return x, ok
}

// execute writes the text name with view v: the text in force, or its default when the
// stored one fails (Validate tried it on every kind of data, so it should not).
func (t Templates) execute(name string, v any) (string, error) {
	x, ok := t.lookup(name)
	if !ok {
		return "", fmt.Errorf("no message template %q", name)
	}
	var b strings.Builder
	err := x.Execute(&b, v)
	if err != nil && t.custom[name] != nil {
		b.Reset()
		if err2 := defaults[name].Execute(&b, v); err2 == nil {
			return b.String(), nil
		}
	}
	if err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	return b.String(), nil
}

// Render writes the text of a notification of kind for audience (named
// kind.audience, or generic.audience for a kind without its own text).
func (t Templates) Render(kind domain.NotifyKind, audience Audience, d Data) (Message, error) {
	name := string(kind) + "." + string(audience)
	if _, ok := t.lookup(name); !ok {
		name = "generic." + string(audience)
		if _, ok := t.lookup(name); !ok {
			return Message{}, fmt.Errorf("no notification template for audience %q", audience)
		}
	}
	text, err := t.execute(name, viewOf(audience, d))
	if err != nil {
		return Message{}, err
	}
	return Message{Template: name, Text: text}, nil
}

package config

import (
	"fmt"
	"io"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Masked stands in for a secret's value in Write.
const Masked = "••••"

// Setting is one variable and its effective value, as `aduan config` prints it.
type Setting struct {
	Group string
	Var   string
	// Value is the effective value as the variable would spell it; a secret's is Masked
	// (or "" when not set), and a password inside a URL is redacted.
	Value string
	// Secret says the value is masked; Default that the variable was not set, so Value
	// (if any) is the default.
	Secret, Default bool
}

// field is one variable of a Config.
type field struct {
	group, key, sep string
	secret          bool
	value           reflect.Value
}

// fields lists every variable of c in declaration order.
func (c *Config) fields() []field {
	var fs []field
	forEachGroup(c, func(group string, g reflect.Value) {
		for i := 0; i < g.NumField(); i++ {
			sf := g.Type().Field(i)
			key, _, _ := strings.Cut(sf.Tag.Get("env"), ",")
			if key == "" || key == "-" {
				continue
			}
			fs = append(fs, field{group: group, key: key, sep: sf.Tag.Get("envSeparator"),
				secret: sf.Tag.Get("secret") == "true", value: g.Field(i)})
		}
	})
	return fs
}

// Vars lists every variable Config reads, in order.
func Vars() []string {
	var c Config
	var vars []string
	for _, f := range c.fields() {
		vars = append(vars, f.key)
	}
	return vars
}

// Settings lists every variable with its effective value, secrets masked.
func (c Config) Settings() []Setting {
	var out []Setting
	for _, f := range c.fields() {
		s := Setting{Group: f.group, Var: f.key, Secret: f.secret, Default: !c.fromEnv[f.key]}
		val := format(f.value, f.sep)
		switch {
		case f.secret && val != "":
			s.Value = Masked
		case !f.secret:
			s.Value = redact(val)
		}
		out = append(out, s)
	}
	return out
}

// Write prints the settings one per line, `NAME = value`, under a heading per group:
// secrets as Masked and whether they are set, "(default)" after a value the environment
// did not set.
func (c Config) Write(w io.Writer) error {
	settings := c.Settings()
	width := 0
	for _, s := range settings {
		width = max(width, len(s.Var))
	}
	group := ""
	for i, s := range settings {
		if s.Group != group || i == 0 {
			if i > 0 {
				if _, err := fmt.Fprintln(w); err != nil {
					return err
				}
			}
			group = s.Group
			if _, err := fmt.Fprintf(w, "# %s\n", group); err != nil {
				return err
			}
		}
		val := s.Value
		switch {
		case s.Secret && val != "":
			val += " (set)"
		case val == "":
			val = "(not set)"
		case s.Default:
			val += " (default)"
		}
		if _, err := fmt.Fprintf(w, "%-*s = %s\n", width, s.Var, val); err != nil {
			return err
		}
	}
	return nil
}

// format spells v as its variable would ("" for a zero number or an empty list).
func format(v reflect.Value, sep string) string {
	if d, ok := v.Interface().(time.Duration); ok {
		return d.String()
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Int, reflect.Int64:
		if v.Int() == 0 {
			return ""
		}
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float64:
		if v.Float() == 0 {
			return ""
		}
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Slice:
		if sep == "" {
			sep = ","
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = format(v.Index(i), "")
		}
		return strings.Join(parts, sep)
	}
	return fmt.Sprint(v.Interface())
}

// dsnPassword finds the password in libpq key=value settings.
var dsnPassword = regexp.MustCompile(`(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// urlPassword finds the password in a URL that does not parse.
var urlPassword = regexp.MustCompile(`(://[^:/@]*:)[^/]*@`)

// redact hides a password in a URL (user:password@) or in key=value settings.
func redact(s string) string {
	if strings.Contains(s, "://") {
		if u, err := url.Parse(s); err == nil {
			if _, ok := u.User.Password(); ok {
				return u.Redacted()
			}
			return s
		}
		return urlPassword.ReplaceAllString(s, "${1}"+Masked+"@")
	}
	return dsnPassword.ReplaceAllString(s, "${1}"+Masked)
}

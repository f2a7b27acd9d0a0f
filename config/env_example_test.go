package config

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestEnvExample: deploy/aduan.env.example, the file docs/DEPLOY.md starts an
// installation from, names only variables Aduan reads, and parses; the one refusal is
// the payload key, left as a placeholder on purpose so that nobody runs with a copied key.
func TestEnvExample(t *testing.T) {
	f, err := os.Open("../deploy/aduan.env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := map[string]bool{}
	var c Config
	for _, s := range c.fields() {
		known[s.key] = true
	}
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		commented := strings.HasPrefix(line, "#")
		line = strings.TrimSpace(strings.TrimPrefix(line, "#"))
		key, val, ok := strings.Cut(line, "=")
		if !ok || strings.ContainsAny(key, " :") || key == "" || strings.ToUpper(key) != key {
			continue // prose
		}
		if !known[key] {
			t.Errorf("the example names %s, which Aduan does not read", key)
		}
		if !commented {
			env[key] = val
		}
	}
	_, err = Parse(env)
	cfgErr, ok := err.(*Error)
	if !ok || len(cfgErr.Problems) != 1 || cfgErr.Problems[0].Var != "ADUAN_PAYLOAD_KEYS" {
		t.Fatalf("want only the placeholder payload key refused, got %v", err)
	}
}

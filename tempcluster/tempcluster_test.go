package tempcluster

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPGHostPort: the host and port of the URLs the tools pass, 5432 when none is named.
func TestPGHostPort(t *testing.T) {
	for raw, want := range map[string]struct {
		host string
		port int
	}{
		"postgres://postgres@127.0.0.1:5432/aduan?sslmode=disable": {"127.0.0.1", 5432},
		"postgres://u:p%40ss@db.example:6543/x":                    {"db.example", 6543},
		"postgres://postgres@localhost/aduan":                      {"localhost", 5432},
		"postgresql://[::1]:5433/aduan":                            {"::1", 5433},
	} {
		host, port := PGHostPort(raw)
		if host != want.host || port != want.port {
			t.Errorf("PGHostPort(%q) = %s, %d; want %s, %d", raw, host, port, want.host, want.port)
		}
	}
}

// TestFindRoot: from a directory below the repository, the repository (where
// deploy/temporal/production.yaml is); from outside any, an error.
func TestFindRoot(t *testing.T) {
	wd, _ := os.Getwd()
	root, err := FindRoot()
	if err != nil || root != filepath.Dir(wd) {
		t.Fatalf("FindRoot from %s = %q, %v; want %s", wd, root, err, filepath.Dir(wd))
	}
	t.Chdir(t.TempDir())
	if root, err := FindRoot(); err == nil {
		t.Errorf("FindRoot outside the repository = %q, want an error", root)
	}
}

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"aduan/bench"
)

// TestUsage: the usage lists every command, and the benchmark is not one of them.
func TestUsage(t *testing.T) {
	for name := range commands {
		if !strings.Contains(usage, "\n  "+name+" ") {
			t.Errorf("usage does not list %q", name)
		}
	}
	if _, ok := commands["bench"]; ok || strings.Contains(usage, "\n  bench") {
		t.Errorf("aduan still has a bench command (it is aduan-bench now)")
	}
}

// TestDevServerFlags: make run's dev server starts with the flags of the benchmark's and
// the tests' (bench.DevServerFlags), WAL and all.
func TestDevServerFlags(t *testing.T) {
	for _, dbFile := range []bool{false, true} {
		if got, want := devServerFlags(dbFile), bench.DevServerFlags(dbFile); !reflect.DeepEqual(got, want) {
			t.Errorf("dbFile %v: %q, bench has %q", dbFile, got, want)
		}
	}
	got := strings.Join(devServerFlags(true), " ")
	for _, want := range []string{"--search-attribute AduanStatus=Keyword", "--search-attribute AduanDeadline=Datetime",
		"--sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal"} {
		if !strings.Contains(got, want) {
			t.Errorf("flags %q lack %q", got, want)
		}
	}
	if strings.Contains(strings.Join(devServerFlags(false), " "), "sqlite") {
		t.Errorf("in-memory server with SQLite pragmas")
	}
}

// TestConfigCommand runs the binary as an operator would: `aduan config` prints the
// settings with secrets masked, and a bad value stops it naming the variable.
func TestConfigCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "aduan")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	run := func(env ...string) (string, error) {
		cmd := exec.Command(bin, "config")
		cmd.Env = append(os.Environ(), env...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	out, err := run("ADUAN_WA_VERIFY_TOKEN=v3rify", "ADUAN_WA_APP_SECRET=s3cret", "ADUAN_INTAKE_PER_MINUTE=", "ADUAN_STICKY_CACHE=")
	if err != nil {
		t.Fatalf("aduan config: %v\n%s", err, out)
	}
	if strings.Contains(out, "s3cret") || strings.Contains(out, "v3rify") ||
		!strings.Contains(out, "ADUAN_WA_APP_SECRET") || !strings.Contains(out, "•••• (set)") {
		t.Errorf("aduan config shows a secret or hides the variable:\n%s", out)
	}
	out, err = run("ADUAN_INTAKE_PER_MINUTE=abc")
	if err == nil || !strings.Contains(out, `ADUAN_INTAKE_PER_MINUTE: "abc" is not a number`) {
		t.Errorf("ADUAN_INTAKE_PER_MINUTE=abc: %v\n%s", err, out)
	}
}

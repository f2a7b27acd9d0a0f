package soak

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteSection: the soak's section replaces what lies between its markers and nothing
// else; a file without them gets it appended, and a missing file is created.
func TestWriteSection(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "PERFORMANCE.md")
	section := func(body string) string { return BeginMarker + "\n## Soak\n\n" + body + "\n" + EndMarker + "\n" }

	if err := WriteSection(path, section("first")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, path); got != section("first") {
		t.Errorf("new file:\n%q", got)
	}

	bench := "# Performance\n\nthe benchmark's figures\n"
	if err := os.WriteFile(path, []byte(bench), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteSection(path, section("second")); err != nil {
		t.Fatal(err)
	}
	want := bench + "\n" + section("second")
	if got := read(t, path); got != want {
		t.Errorf("appended:\n%q\nwant\n%q", got, want)
	}

	after := "\n## Method\n\nhow the benchmark works\n"
	if err := os.WriteFile(path, []byte(bench+"\n"+section("old")+after), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteSection(path, section("third")); err != nil {
		t.Fatal(err)
	}
	want = bench + "\n" + section("third") + after
	if got := read(t, path); got != want {
		t.Errorf("replaced between the markers:\n%q\nwant\n%q", got, want)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestLogAndStop: the log settings and the worker's stop timeout as set.
func TestLogAndStop(t *testing.T) {
	c, err := Parse(map[string]string{"ADUAN_LOG_FORMAT": "json", "ADUAN_LOG_LEVEL": "DEBUG",
		"ADUAN_WORKER_STOP_TIMEOUT": "1m30s"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Log.Format != LogJSON || c.Log.SlogLevel() != slog.LevelDebug || c.Worker.StopTimeout != 90*time.Second {
		t.Errorf("log %+v (level %v), stop timeout %s", c.Log, c.Log.SlogLevel(), c.Worker.StopTimeout)
	}
	for level, want := range map[string]slog.Level{"info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError} {
		if got := (Log{Level: level}).SlogLevel(); got != want {
			t.Errorf("%s: %v, want %v", level, got, want)
		}
	}
}

// TestWriteDurations: `aduan config` spells a duration as its variable would.
func TestWriteDurations(t *testing.T) {
	c, err := Parse(map[string]string{"ADUAN_LOG_LEVEL": "warn"})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := c.Write(&b); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range strings.Split(b.String(), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			got[f[0]] = strings.Join(f[1:], " ")
		}
	}
	for name, want := range map[string]string{"ADUAN_WORKER_STOP_TIMEOUT": "= 30s (default)",
		"ADUAN_LOG_FORMAT": "= text (default)", "ADUAN_LOG_LEVEL": "= warn"} {
		if got[name] != want {
			t.Errorf("%s %s, want %s", name, got[name], want)
		}
	}
	if !strings.Contains(b.String(), "\n# Logs\n") {
		t.Errorf("no Logs group in\n%s", b.String())
	}
}

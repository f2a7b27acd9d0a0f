package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"aduan/config"
)

// TestLogHandler: ADUAN_LOG_FORMAT json logs one JSON object a line, text key=value; the
// level holds back what is below it.
func TestLogHandler(t *testing.T) {
	var b bytes.Buffer
	l := slog.New(logHandler(&b, config.LogJSON, slog.LevelInfo))
	l.Debug("hidden")
	l.Info("shown", "request_id", "r-1")
	var rec map[string]any
	if err := json.Unmarshal(b.Bytes(), &rec); err != nil || rec["msg"] != "shown" || rec["request_id"] != "r-1" {
		t.Errorf("json: %q (%v)", b.String(), err)
	}
	b.Reset()
	l = slog.New(logHandler(&b, config.LogText, slog.LevelWarn))
	l.Info("hidden")
	l.Warn("shown", "k", "v")
	if out := b.String(); !strings.Contains(out, `msg=shown k=v`) || strings.Contains(out, "hidden") {
		t.Errorf("text: %q", out)
	}
}

// TestSDKLogLevel: the SDK logs at warn (error when the process does) unless the
// process logs at debug.
func TestSDKLogLevel(t *testing.T) {
	for level, want := range map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelWarn,
		"warn": slog.LevelWarn, "error": slog.LevelError} {
		if got := sdkLogLevel(config.Log{Level: level}); got != want {
			t.Errorf("ADUAN_LOG_LEVEL=%s: SDK at %v, want %v", level, got, want)
		}
	}
}

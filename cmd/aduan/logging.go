package main

import (
	"io"
	"log/slog"
	"os"

	"go.temporal.io/sdk/converter"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"aduan/config"
	"aduan/reqid"
)

// setupLogging makes the process log as ADUAN_LOG_FORMAT and ADUAN_LOG_LEVEL say, to
// standard error. Until it runs (the configuration's own errors) the text handler main
// sets logs at info.
func setupLogging(cfg config.Config) {
	slog.SetDefault(slog.New(logHandler(os.Stderr, cfg.Log.Format, cfg.Log.SlogLevel())))
}

// logHandler is a handler of format (text or json) at level on w.
func logHandler(w io.Writer, format string, level slog.Leveler) slog.Handler {
	opts := &slog.HandlerOptions{Level: level}
	if format == config.LogJSON {
		return slog.NewJSONHandler(w, opts)
	}
	return slog.NewTextHandler(w, opts)
}

// sdkLogger is the Temporal SDK's logger: the process's format, at warn or above (the
// SDK is chatty at info: every poller start and stop), or at debug when the process logs
// at debug.
func sdkLogger(cfg config.Config) sdklog.Logger {
	return sdklog.NewStructuredLogger(slog.New(logHandler(os.Stderr, cfg.Log.Format, sdkLogLevel(cfg.Log))).With("component", "temporal"))
}

// sdkLogLevel is the SDK's level: at least warn, or debug when the process logs at debug.
func sdkLogLevel(l config.Log) slog.Level {
	switch lv := l.SlogLevel(); {
	case lv <= slog.LevelDebug:
		return slog.LevelDebug
	case lv > slog.LevelWarn:
		return lv
	}
	return slog.LevelWarn
}

// contextPropagators carry what a Temporal client passes along with its requests: the
// request id (package reqid), from an HTTP request to the workflow and its activities,
// written with dc (the client's data converter, so sealed like every payload).
func contextPropagators(dc converter.DataConverter) []workflow.ContextPropagator {
	return []workflow.ContextPropagator{reqid.Propagator(dc)}
}

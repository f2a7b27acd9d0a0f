// Package reqid carries a request id from the HTTP request that set off an action to
// every step the action takes: the core, the Temporal Update or start (a header, see
// Propagator), the workflow's handler, and the activities it schedules, each of which
// logs with it (Logger). An operator follows one action end to end by grepping for its
// request_id. The id is a token the client or the API chose; it is not personal data.
package reqid

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
)

// Header is the HTTP header the id arrives and is answered in.
const Header = "X-Request-ID"

// LogKey is the log attribute the id is logged under.
const LogKey = "request_id"

// MaxLen is the longest id taken from a client.
const MaxLen = 64

type ctxKey struct{}

// With returns ctx carrying id ("" carries none).
func With(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// From is the id ctx carries, or "".
func From(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// New is a fresh id: 16 random bytes, hex.
func New() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b[:])
}

// Valid reports whether s may be used as an id: 1 to MaxLen characters of
// [A-Za-z0-9._-]. Anything else from a client is replaced, so an id can neither split a
// header or a log line nor carry a message.
func Valid(s string) bool {
	if s == "" || len(s) > MaxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Logger is the process's logger with ctx's id as request_id (the logger itself when
// ctx carries none).
func Logger(ctx context.Context) *slog.Logger {
	if id := From(ctx); id != "" {
		return slog.Default().With(LogKey, id)
	}
	return slog.Default()
}

// Package failure is the error the core packages (complaints, accounts) return: what
// went wrong as a Kind each door maps to its own answer (an HTTP status, a page), a
// message in Bahasa Indonesia for the person who asked, the fields at fault, how long to
// wait, and the cause, which is for the log and never for the user.
package failure

import (
	"errors"
	"time"
)

// Kind says what went wrong; each core package names its own kinds.
type Kind string

// Unavailable is the kind of a failure of a dependency (the database, Temporal), and of
// any error that is not an *Error.
const Unavailable Kind = "unavailable"

// Error is a use case's failure.
type Error struct {
	Kind       Kind
	Message    string
	Fields     map[string]string
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return string(e.Kind) + ": " + e.Message + ": " + e.Err.Error()
	}
	return string(e.Kind) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf is the kind of err: "" for nil, Unavailable for an error that is not an *Error.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Unavailable
}

// As is err as an *Error; any other error becomes Unavailable with message.
func As(err error, message string) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: Unavailable, Message: message, Err: err}
}

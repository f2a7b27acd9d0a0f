package complaints

import (
	"errors"
	"time"

	"aduan/domain"
)

// Kind says what went wrong, in the terms of API.md's error codes.
type Kind string

const (
	KindInvalid           Kind = "invalid"
	KindUnauthenticated   Kind = "unauthenticated"
	KindForbidden         Kind = "forbidden"
	KindNotFound          Kind = "not_found"
	KindInvalidTransition Kind = "invalid_transition"
	KindRateLimited       Kind = "rate_limited"
	KindUnavailable       Kind = "unavailable"
)

// Error is a use case's failure: its kind, a message in Bahasa Indonesia for the person
// who asked, the fields at fault (KindInvalid), how long to wait (KindRateLimited), and the
// cause (KindUnavailable), which may hold details for the log and never for the user.
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

// KindOf is the kind of err: "" for nil, KindUnavailable for an error that is not an
// *Error.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnavailable
}

// AsError is err as an *Error, wrapping any other error as KindUnavailable.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return unavailable(err)
}

// Messages shared by several use cases.
const (
	msgInvalid     = "Data tidak lengkap atau tidak valid."
	msgUnavailable = "Layanan sedang tidak tersedia. Permintaan Anda belum diproses; silakan coba lagi sebentar lagi."
	msgNoCode      = "Kode aduan tidak ditemukan."
	msgNotAssigned = "Aduan ini tidak ditugaskan kepada Anda."
)

func invalid(fields map[string]string) *Error {
	return &Error{Kind: KindInvalid, Message: msgInvalid, Fields: fields}
}

func notFound(message string) *Error { return &Error{Kind: KindNotFound, Message: message} }

func unavailable(err error) *Error {
	return &Error{Kind: KindUnavailable, Message: msgUnavailable, Err: err}
}

func rateLimited(message string, wait time.Duration) *Error {
	return &Error{Kind: KindRateLimited, Message: message, RetryAfter: wait}
}

// refused is a rule's refusal (domain.Refusal) as an Error.
func refused(r *domain.Refusal) *Error {
	kind := KindInvalid
	switch r.Kind {
	case domain.RefusedForbidden:
		kind = KindForbidden
	case domain.RefusedInvalidTransition:
		kind = KindInvalidTransition
	}
	return &Error{Kind: kind, Message: r.Message, Fields: r.Fields}
}

package complaints

import (
	"time"

	"aduan/domain"
	"aduan/failure"
)

// Kind says what went wrong, in the terms of API.md's error codes.
type Kind = failure.Kind

const (
	KindInvalid           Kind = "invalid"
	KindUnauthenticated   Kind = "unauthenticated"
	KindForbidden         Kind = "forbidden"
	KindNotFound          Kind = "not_found"
	KindInvalidTransition Kind = "invalid_transition"
	KindRateLimited       Kind = "rate_limited"
	// KindKeyReused is an Idempotency-Key sent again with another body (422).
	KindKeyReused   Kind = "idempotency_key_reused"
	KindUnavailable      = failure.Unavailable
)

// Error is a use case's failure (failure.Error): its kind, a message in Bahasa Indonesia,
// the fields at fault (KindInvalid), how long to wait (KindRateLimited), and the cause
// (KindUnavailable), for the log only.
type Error = failure.Error

// KindOf is the kind of err: "" for nil, KindUnavailable for an error that is not an
// *Error.
func KindOf(err error) Kind { return failure.KindOf(err) }

// AsError is err as an *Error, wrapping any other error as KindUnavailable.
func AsError(err error) *Error { return failure.As(err, msgUnavailable) }

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

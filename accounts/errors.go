package accounts

import (
	"errors"
	"time"
)

// Kind says what went wrong with a login, an invite or an enrolment.
type Kind string

const (
	// KindBadCredentials: the username, password or code is wrong (never which).
	KindBadCredentials Kind = "bad_credentials"
	// KindTOTPRequired: the password is right and the user has 2FA; the code is missing
	// or wrong.
	KindTOTPRequired Kind = "totp_required"
	// KindLocked: too many failed logins for this username or from this address.
	KindLocked Kind = "locked"
	// KindInvalid: a field is not acceptable (Fields says which).
	KindInvalid Kind = "invalid"
	// KindForbidden: the user's role may not do this (an admin's use cases).
	KindForbidden Kind = "forbidden"
	// KindNotFound: no such invite (or used, or expired), user or session.
	KindNotFound Kind = "not_found"
	// KindUnavailable: the database failed.
	KindUnavailable Kind = "unavailable"
)

// Error is a failure of this package, with a message in Bahasa Indonesia for the user.
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

// KindOf is the kind of err: "" for nil, KindUnavailable for an error not of this package.
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

// AsError is err as an *Error (any other error as KindUnavailable).
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return unavailable(err)
}

const (
	msgBadCredentials = "Nama pengguna atau kata sandi salah."
	msgTOTP           = "Masukkan kode 6 angka dari aplikasi autentikator Anda (atau salah satu kode pemulihan)."
	msgLocked         = "Terlalu banyak percobaan masuk yang gagal. Tunggu 15 menit, lalu coba lagi."
	msgUnavailable    = "Layanan sedang terganggu. Silakan coba lagi sebentar lagi."
	msgInvite         = "Tautan undangan tidak berlaku: sudah dipakai, sudah kedaluwarsa, atau salah. Minta tautan baru ke admin."
)

func unavailable(err error) *Error {
	return &Error{Kind: KindUnavailable, Message: msgUnavailable, Err: err}
}

package accounts

import "aduan/failure"

// Kind says what went wrong with a login, an invite or an enrolment.
type Kind = failure.Kind

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
	KindUnavailable = failure.Unavailable
)

// Error is a failure of this package (failure.Error), with a message in Bahasa
// Indonesia for the user.
type Error = failure.Error

// KindOf is the kind of err: "" for nil, KindUnavailable for an error not of this package.
func KindOf(err error) Kind { return failure.KindOf(err) }

// AsError is err as an *Error (any other error as KindUnavailable).
func AsError(err error) *Error { return failure.As(err, msgUnavailable) }

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

package accounts

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"image/png"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP settings (RFC 6238 as authenticator apps expect them): SHA-1, 6 digits, 30 s,
// one step of clock skew either way.
const (
	totpPeriod = 30
	totpSkew   = 1
	totpIssuer = "Aduan Mamuju"
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Skew: totpSkew, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// VerifyTOTP checks code against secret at now, allowing one step of skew, and refuses a
// step not after lastStep (a code works once). It returns the step that matched.
func VerifyTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 || secret == "" {
		return 0, false
	}
	current := now.Unix() / totpPeriod
	for off := int64(-totpSkew); off <= totpSkew; off++ {
		step := current + off
		if step <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// TOTPCode is the code of secret at t (for tests and the demo).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}

// NewTOTPSecret makes a new random secret (base32).
func NewTOTPSecret(username string) (string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: username, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", err
	}
	return key.Secret(), nil
}

// Enrolment is what the enrolment page shows: the secret, its otpauth:// URL and that URL
// as a QR code in a data: URI (a PNG drawn here; nothing is fetched from elsewhere).
type Enrolment struct {
	Secret string
	URL    string
	QR     string
}

func enrolment(username, secret string) (Enrolment, error) {
	key, err := otp.NewKeyFromURL(otpauthURL(username, secret))
	if err != nil {
		return Enrolment{}, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return Enrolment{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: secret, URL: key.URL(),
		QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

func otpauthURL(username, secret string) string {
	q := url.Values{"secret": {secret}, "issuer": {totpIssuer}, "algorithm": {"SHA1"}, "digits": {"6"},
		"period": {"30"}}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + totpIssuer + ":" + username, RawQuery: q.Encode()}
	return u.String()
}

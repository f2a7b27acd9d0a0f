// Package respond holds what every answer of Aduan's doors shares: API.md's error body, the
// mapping of the core's errors to HTTP statuses, and reading a JSON body within the limit.
package respond

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"aduan/complaints"
)

// MaxBody is API.md's limit for request bodies (64 KiB).
const MaxBody = 64 << 10

// Error codes of API.md beyond the core's kinds.
const (
	CodeTooLarge = "too_large"
	CodeInternal = "internal"
)

type errorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Fail ends the request with API.md's error body.
func Fail(c *gin.Context, status int, code, message string, fields map[string]string) {
	c.AbortWithStatusJSON(status, gin.H{"error": errorBody{Code: code, Message: message, Fields: fields}})
}

// Status is the HTTP status of a kind of error.
func Status(k complaints.Kind) int {
	switch k {
	case complaints.KindInvalid:
		return http.StatusBadRequest
	case complaints.KindUnauthenticated:
		return http.StatusUnauthorized
	case complaints.KindForbidden:
		return http.StatusForbidden
	case complaints.KindNotFound:
		return http.StatusNotFound
	case complaints.KindInvalidTransition:
		return http.StatusConflict
	case complaints.KindRateLimited:
		return http.StatusTooManyRequests
	case complaints.KindKeyReused:
		return http.StatusUnprocessableEntity
	}
	return http.StatusServiceUnavailable
}

// Error ends the request with the core's error err: its status, code, message and fields,
// and Retry-After when there is a wait. The cause of a 503 goes to the log only.
func Error(c *gin.Context, err error) {
	e := complaints.AsError(err)
	if e.Kind == complaints.KindUnavailable {
		slog.Warn("dependency unavailable", "route", c.FullPath(), "err", e.Err)
	}
	RetryAfter(c, e)
	Fail(c, Status(e.Kind), string(e.Kind), e.Message, e.Fields)
}

// RetryAfter sets the Retry-After header of a rate-limited error.
func RetryAfter(c *gin.Context, e *complaints.Error) {
	if e.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
}

// TooLarge ends the request with 413.
func TooLarge(c *gin.Context) {
	Fail(c, http.StatusRequestEntityTooLarge, CodeTooLarge, "Isi permintaan terlalu besar (maksimal 64 KiB).", nil)
}

// ReadJSON decodes the body into v, answering 400 or 413 itself when it cannot. An empty
// body decodes as {} so that a missing field is reported by name.
func ReadJSON(c *gin.Context, v any) bool {
	raw, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		TooLarge(c)
		return false
	}
	if err != nil {
		Fail(c, http.StatusBadRequest, string(complaints.KindInvalid), "Isi permintaan tidak dapat dibaca.", nil)
		return false
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		raw = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			Fail(c, http.StatusBadRequest, string(complaints.KindInvalid), "Data tidak lengkap atau tidak valid.",
				map[string]string{typeErr.Field: "jenis nilai salah"})
			return false
		}
		Fail(c, http.StatusBadRequest, string(complaints.KindInvalid), "JSON tidak valid: "+err.Error(), nil)
		return false
	}
	if dec.More() {
		Fail(c, http.StatusBadRequest, string(complaints.KindInvalid), "JSON tidak valid: ada data setelah objek.", nil)
		return false
	}
	return true
}

// NotFound ends the request with 404.
func NotFound(c *gin.Context, message string) {
	Fail(c, http.StatusNotFound, string(complaints.KindNotFound), message, nil)
}

// CSV answers with a CSV file to download, never cached.
func CSV(c *gin.Context, filename string, data []byte) {
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Disposition", `attachment; filename="`+filename+`"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", data)
}

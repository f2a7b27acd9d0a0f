package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

// maxJSONBody is API.md's limit for JSON bodies.
const maxJSONBody = 64 << 10

// limitBody refuses oversize bodies up front and caps what a handler can read.
func limitBody(c *gin.Context) {
	if c.Request.ContentLength > maxJSONBody {
		fail(c, http.StatusRequestEntityTooLarge, codeTooLarge, "Isi permintaan terlalu besar (maksimal 64 KiB).", nil)
		return
	}
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody)
	}
	c.Next()
}

// readJSON decodes the body into v, answering 400 or 413 itself when it cannot. An
// empty body decodes as {} so that a missing field is reported by name.
func readJSON(c *gin.Context, v any) bool {
	raw, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		fail(c, http.StatusRequestEntityTooLarge, codeTooLarge, "Isi permintaan terlalu besar (maksimal 64 KiB).", nil)
		return false
	}
	if err != nil {
		fail(c, http.StatusBadRequest, codeInvalid, "Isi permintaan tidak dapat dibaca.", nil)
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
			invalid(c, map[string]string{typeErr.Field: "jenis nilai salah"})
			return false
		}
		fail(c, http.StatusBadRequest, codeInvalid, "JSON tidak valid: "+err.Error(), nil)
		return false
	}
	if dec.More() {
		fail(c, http.StatusBadRequest, codeInvalid, "JSON tidak valid: ada data setelah objek.", nil)
		return false
	}
	return true
}

package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Error codes of API.md.
const (
	codeInvalid           = "invalid"
	codeUnauthenticated   = "unauthenticated"
	codeForbidden         = "forbidden"
	codeNotFound          = "not_found"
	codeInvalidTransition = "invalid_transition"
	codeTooLarge          = "too_large"
	codeRateLimited       = "rate_limited"
	codeUnavailable       = "unavailable"
	codeInternal          = "internal"
)

type errorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// fail ends the request with API.md's error body.
func fail(c *gin.Context, status int, code, message string, fields map[string]string) {
	c.AbortWithStatusJSON(status, gin.H{"error": errorBody{Code: code, Message: message, Fields: fields}})
}

func invalid(c *gin.Context, fields map[string]string) {
	fail(c, http.StatusBadRequest, codeInvalid, "Data tidak lengkap atau tidak valid.", fields)
}

func notFound(c *gin.Context, message string) {
	fail(c, http.StatusNotFound, codeNotFound, message, nil)
}

func unavailable(c *gin.Context, err error) {
	logError(c, "dependency unavailable", err)
	fail(c, http.StatusServiceUnavailable, codeUnavailable,
		"Layanan sedang tidak tersedia. Permintaan Anda belum diproses; silakan coba lagi sebentar lagi.", nil)
}

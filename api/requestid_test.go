package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"aduan/reqid"
)

// TestRequestID: a sane X-Request-ID is kept, anything else replaced by a fresh id; the
// id is answered in the header and reaches the handler's context.
func TestRequestID(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(requestID)
	r.GET("/", func(c *gin.Context) { c.String(http.StatusOK, reqid.From(c.Request.Context())) })
	get := func(header string, set bool) (string, string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		if set {
			req.Header.Set(reqid.Header, header)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		return w.Header().Get(reqid.Header), w.Body.String()
	}
	if h, body := get("test-abc.DEF_1", true); h != "test-abc.DEF_1" || body != "test-abc.DEF_1" {
		t.Errorf("a sane id: header %q, context %q", h, body)
	}
	seen := map[string]bool{}
	for _, bad := range []string{"", "two words", strings.Repeat("x", 65), "<script>", "ä"} {
		h, body := get(bad, bad != "")
		if !reqid.Valid(h) || h != body || h == bad || len(h) != 32 || seen[h] {
			t.Errorf("%q: header %q, context %q; want the same fresh id in both", bad, h, body)
		}
		seen[h] = true
	}
}

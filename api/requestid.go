package api

import (
	"github.com/gin-gonic/gin"

	"aduan/reqid"
)

// requestID gives every request an id that follows what it sets off (package reqid):
// the client's X-Request-ID when it is a sane token (a proxy's or a test's), otherwise a
// fresh one. It is answered in the same header, logged as request_id, and carried in the
// request's context to the core, Temporal, the workflow and its activities.
func requestID(c *gin.Context) {
	id := c.GetHeader(reqid.Header)
	if !reqid.Valid(id) {
		id = reqid.New()
	}
	c.Header(reqid.Header, id)
	c.Request = c.Request.WithContext(reqid.With(c.Request.Context(), id))
	c.Next()
}

package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Timeouts of a connection: a client that sends its headers or body slowly, reads the
// answer slowly, or keeps an idle connection open holds a connection and a goroutine
// only this long, so a few slow clients cannot use up the server.
const (
	// ReadHeaderTimeout bounds the request's headers.
	ReadHeaderTimeout = 10 * time.Second
	// ReadTimeout bounds the whole request with its body (64 KiB at most; a minute
	// carries it over the slowest mobile data).
	ReadTimeout = time.Minute
	// WriteTimeout bounds the answer: an action waits up to 20 s for its workflow, and a
	// staff user's download of a 20 MB document needs minutes on a slow line.
	WriteTimeout = 5 * time.Minute
	// IdleTimeout bounds a kept-alive connection between requests.
	IdleTimeout = 2 * time.Minute
)

// NewServer is the HTTP server of handler on addr with the timeouts above.
func NewServer(addr string, handler http.Handler) *http.Server {
	return &http.Server{Addr: addr, Handler: handler, ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout: ReadTimeout, WriteTimeout: WriteTimeout, IdleTimeout: IdleTimeout}
}

// deadlines sets the request's read and write deadlines on its connection, so that the
// bounds hold whichever http.Server serves the handler (one built without NewServer
// sets only ReadHeaderTimeout). A connection that takes no deadlines (a test's
// recorder) is served as it is.
func deadlines(c *gin.Context) {
	rc := http.NewResponseController(c.Writer)
	now := time.Now()
	_ = rc.SetReadDeadline(now.Add(requestReadTimeout))
	_ = rc.SetWriteDeadline(now.Add(WriteTimeout))
	c.Next()
}

// requestReadTimeout is ReadTimeout as deadlines applies it (a test shortens it).
var requestReadTimeout = ReadTimeout

// Package pages holds what every HTML door shares: the page templates (server-rendered
// Bahasa Indonesia, no script, inline CSS, nothing else to load), rendering them, the
// security headers of a page, and the words and dates a page shows.
package pages

import (
	"bytes"
	"embed"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
)

//go:embed templates/*.html
var templateFS embed.FS

var templates = template.Must(template.New("pages").Funcs(template.FuncMap{
	"sentence": Sentence,
}).ParseFS(templateFS, "templates/*.html"))

// CSP forbids every script; the pages only need their inline style.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; img-src 'self'; base-uri 'none'"

// NoFramingCSP is CSP, and no other site may frame the page.
const NoFramingCSP = CSP + "; frame-ancestors 'none'"

// Render executes the page template name into a buffer first, so that a template error
// gives a plain 500 rather than half a page, and ends the request.
func Render(c *gin.Context, status int, name string, data any) {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		slog.Warn("page template failed", "template", name, "route", c.FullPath(), "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Terjadi kesalahan di server."))
		c.Abort()
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	c.Abort()
}

// Message shows a short message page in the style of the complaint form (errors).
func Message(c *gin.Context, status int, title, message string) {
	c.Header("Cache-Control", "no-store")
	Render(c, status, "pesan", gin.H{"Title": title, "Message": message})
}

// TooLarge is the page for a form over the body limit.
func TooLarge(c *gin.Context) {
	Message(c, http.StatusRequestEntityTooLarge, "Aduan terlalu panjang",
		"Isian formulir terlalu besar (lebih dari 64 KiB). Aduan Anda belum terkirim. "+
			"Persingkat isi aduan (paling banyak 4000 huruf), lalu kirim lagi.")
}

// Headers sets the security headers of every page and refuses a body over the limit with
// a page (the server's body limit still caps what is read without a Content-Length). It
// comes first in a page's chain, ahead of the shared middleware, so that an oversize body
// gets a page rather than API.md's JSON.
func Headers(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", CSP)
	if c.Request.ContentLength > respond.MaxBody {
		TooLarge(c)
		slog.Info("http", "method", c.Request.Method, "route", c.FullPath(), "status", c.Writer.Status())
		return
	}
	c.Next()
}

// Framing sets the page's Content-Security-Policy, and X-Frame-Options for browsers that
// know no frame-ancestors.
func Framing(csp string, deny bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", csp)
		if deny {
			h.Set("X-Frame-Options", "DENY")
		}
		c.Next()
	}
}

// Chain puts handlers ahead of a group's own, so they run before the shared middleware.
func Chain(g *gin.RouterGroup, first ...gin.HandlerFunc) {
	g.Handlers = append(append(gin.HandlersChain{}, first...), g.Handlers...)
}

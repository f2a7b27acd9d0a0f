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
	"time"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
)

//go:embed templates/*.html
var templateFS embed.FS

var templates = template.Must(template.New("pages").Funcs(template.FuncMap{
	"sentence": Sentence,
	"when":     when,
	"day":      day,
	// listOf, boardOf and actionOf hand a sub-template more than one value.
	"listOf": func(items any, zone *time.Location) map[string]any {
		return map[string]any{"Items": items, "Zone": zone}
	},
	"boardOf":       func(rows any, zone *time.Location) map[string]any { return map[string]any{"Rows": rows, "Zone": zone} },
	"actionOf":      actionOf,
	"entryOf":       entryOf,
	"mediaOf":       func(m any, code string) map[string]any { return map[string]any{"M": m, "Code": code} },
	"kindLabel":     KindLabel,
	"notifyLabel":   NotifyLabel,
	"deliveryLabel": DeliveryLabel,
	"sizeLabel":     SizeLabel,
}).ParseFS(templateFS, "templates/*.html"))

// actionOf is one action form's data: the page d, the action, its label and whether
// its form starts unfolded.
func actionOf(d any, action, label string, open bool) map[string]any {
	return map[string]any{"D": d, "A": action, "Label": label, "Open": open}
}

// entryOf is one directory entry's rename and retire forms' data: the page d, the
// entry's kind, ID and current name (the rename field starts with it) and whether it
// is retired.
func entryOf(d any, kind, id, name string, retired bool) map[string]any {
	return map[string]any{"D": d, "A": kind, "Label": id, "Name": name, "Open": retired}
}

// CSP forbids every script; the pages only need their inline style.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; img-src 'self'; media-src 'self'; base-uri 'none'"

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

// when is a template's date and time in zone: a time.Time or a *time.Time ("–" for nil).
func when(t any, zone *time.Location) string {
	switch v := t.(type) {
	case time.Time:
		return Date(v, zone)
	case *time.Time:
		if v != nil {
			return Date(*v, zone)
		}
	}
	return "–"
}

// day is when without the time.
func day(t any, zone *time.Location) string {
	switch v := t.(type) {
	case time.Time:
		return DateOnly(v, zone)
	case *time.Time:
		if v != nil {
			return DateOnly(*v, zone)
		}
	}
	return "–"
}

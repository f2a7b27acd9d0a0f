package respond

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/complaints"
)

// mediaCSP is a file's policy: nothing runs, nothing loads but the file itself, and a
// file opened as a page is sandboxed (a unique origin) and framed by no site.
const mediaCSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"

// File answers with a complainant's file f, for either door (JSON API, staff pages): the
// type it was checked and kept as, inline for a picture, audio or video, as an attachment
// otherwise; a Range request gets its part (an audio player asks for them).
func File(c *gin.Context, f complaints.MediaFile) {
	h := c.Writer.Header()
	h.Set("Content-Type", f.MimeType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", mediaCSP)
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Referrer-Policy", "no-referrer")
	if f.Inline() {
		h.Set("Content-Disposition", "inline")
	} else {
		h.Set("Content-Disposition", attachment(f.DownloadName()))
	}
	http.ServeContent(c.Writer, c.Request, "", time.Time{}, bytes.NewReader(f.Data))
	c.Abort()
}

// attachment is a Content-Disposition to save a file as name: an ASCII fallback and the
// name itself in RFC 5987's encoding.
func attachment(name string) string {
	var fallback, encoded strings.Builder
	for _, r := range name {
		if r >= 0x20 && r < 0x7f && r != '"' && r != '\\' && r != '%' {
			fallback.WriteRune(r)
		} else {
			fallback.WriteByte('_')
		}
	}
	for _, b := range []byte(name) {
		if ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') || ('0' <= b && b <= '9') || strings.IndexByte("!#$&+-.^_`|~", b) >= 0 {
			encoded.WriteByte(b)
		} else {
			fmt.Fprintf(&encoded, "%%%02X", b)
		}
	}
	return `attachment; filename="` + fallback.String() + `"; filename*=UTF-8''` + encoded.String()
}

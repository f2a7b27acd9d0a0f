// Package codec is the codec endpoint of the Temporal Web UI: the UI posts a complaint
// workflow's payloads, sealed by the payload codec (package payloadcodec), to
// /staf/codec/decode and shows what comes back, so staff-written text is readable in the
// UI by supervisors and admins only. It lives under /staf so the browser sends the staff
// session cookie (aduan_sesi, path /staf) with the UI's requests; the UI must be told to
// include credentials (README "Encrypted payloads").
//
// POST /staf/codec/decode and /staf/codec/encode take and give Temporal's Payloads as
// JSON (the codec server protocol); OPTIONS answers the browser's CORS preflight for the
// UI's origin (TEMPORAL_UI_URL). Without a session the answer is 401; for a pokja or
// partner user, or an admin who has not enrolled 2FA yet, 403. Nothing of a payload is
// logged.
package codec

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/converter"

	"aduan/accounts"
	"aduan/api/respond"
	"aduan/domain"
)

// Path is where the endpoint lives: the UI's codec endpoint is the public URL and Path
// (http://localhost:8080/staf/codec); it calls Path/decode and Path/encode.
const Path = "/staf/codec"

// sessionCookie is the staff pages' session cookie (api/staffpages), path /staf.
const sessionCookie = "aduan_sesi"

// Sessions finds the staff session of a cookie's id (*accounts.Service).
type Sessions interface {
	Session(ctx context.Context, id string) (accounts.Session, error)
}

// Config is what the endpoint needs.
type Config struct {
	// Codec seals and opens the payloads (payloadcodec.New); nil: no endpoint.
	Codec converter.PayloadCodec
	// UIURL is the Temporal Web UI (TEMPORAL_UI_URL): its origin may call the endpoint
	// from the browser, with credentials.
	UIURL string
	// Sessions finds the caller's session; nil: the staff pages' accounts (Register).
	Sessions Sessions
}

type handler struct {
	uiOrigin string
	sessions Sessions
	codec    http.Handler
}

// Register mounts the endpoint on r when cfg has a codec; acc, the staff pages' accounts,
// finds the sessions unless cfg.Sessions does.
func Register(r *gin.Engine, cfg Config, acc *accounts.Service) {
	if cfg.Codec == nil {
		return
	}
	if cfg.Sessions == nil && acc != nil {
		cfg.Sessions = acc
	}
	h := handler{uiOrigin: origin(cfg.UIURL), sessions: cfg.Sessions,
		codec: converter.NewPayloadCodecHTTPHandler(cfg.Codec)}
	for _, op := range []string{"/decode", "/encode"} {
		r.OPTIONS(Path+op, h.cors, h.preflight)
		r.POST(Path+op, h.cors, h.authorise, h.serve)
	}
}

// origin is the origin (scheme://host[:port]) of a URL, "" when it has none.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// cors lets the UI's origin read the answers, with the session cookie; a request from
// any other origin but Aduan's own is refused before it is looked at.
func (h handler) cors(c *gin.Context) {
	c.Header("Vary", "Origin")
	from := c.GetHeader("Origin")
	switch {
	case from == "": // not a cross-origin call from a browser (curl, a test)
	case h.uiOrigin != "" && strings.EqualFold(from, h.uiOrigin):
		c.Header("Access-Control-Allow-Origin", from)
		c.Header("Access-Control-Allow-Credentials", "true")
	case sameOrigin(from, c.Request):
	default:
		slog.Warn("temporal codec: request from another origin refused", "origin", from)
		respond.Fail(c, http.StatusForbidden, "forbidden", "Asal permintaan ini tidak diizinkan.", nil)
		return
	}
	c.Next()
}

// sameOrigin says whether the Origin header names the host the request came to.
func sameOrigin(from string, r *http.Request) bool {
	u, err := url.Parse(from)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// preflight answers the browser's question before the UI's POST: its JSON body and the
// X-Namespace header it always sends (and the access-token headers it may).
func (h handler) preflight(c *gin.Context) {
	c.Header("Access-Control-Allow-Methods", "POST, OPTIONS")
	c.Header("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization, Authorization-Extras")
	c.Header("Access-Control-Max-Age", "600")
	c.AbortWithStatus(http.StatusNoContent)
}

// authorise lets through a signed-in supervisor or admin (2FA enrolled).
func (h handler) authorise(c *gin.Context) {
	if h.sessions == nil {
		respond.Fail(c, http.StatusServiceUnavailable, "unavailable", "Layanan sedang terganggu.", nil)
		return
	}
	id, _ := c.Cookie(sessionCookie)
	if id == "" {
		respond.Fail(c, http.StatusUnauthorized, "unauthorized", "Masuk dulu di /staf/masuk sebagai supervisor atau admin.", nil)
		return
	}
	s, err := h.sessions.Session(c.Request.Context(), id)
	switch accounts.KindOf(err) {
	case "":
	case accounts.KindNotFound:
		respond.Fail(c, http.StatusUnauthorized, "unauthorized", "Sesi sudah berakhir. Masuk lagi di /staf/masuk.", nil)
		return
	default:
		slog.Error("temporal codec: reading the session failed", "err", err)
		respond.Fail(c, http.StatusServiceUnavailable, "unavailable", "Layanan sedang terganggu.", nil)
		return
	}
	if (s.Role != domain.RoleSupervisor && s.Role != domain.RoleAdmin) || s.EnrolOnly {
		slog.Warn("temporal codec: refused", "username", s.Username, "role", s.Role, "enrol_only", s.EnrolOnly)
		respond.Fail(c, http.StatusForbidden, "forbidden",
			"Hanya supervisor dan admin (dengan 2FA) yang dapat membaca isi alur kerja.", nil)
		return
	}
	c.Set("aduan.codec-user", s.Username)
	c.Next()
}

// serve runs the SDK's codec handler (the protocol's JSON both ways). Decoded text must
// not stay in a cache; the log says who, never what.
func (h handler) serve(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	h.codec.ServeHTTP(c.Writer, c.Request)
	slog.Debug("temporal codec", "op", strings.TrimPrefix(c.FullPath(), Path+"/"),
		"username", c.GetString("aduan.codec-user"), "status", c.Writer.Status())
}

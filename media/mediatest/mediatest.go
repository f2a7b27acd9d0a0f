// Package mediatest holds the media fetcher's test stand-ins: a local WhatsApp Cloud API
// (media id → short-lived download URL → bytes, both with the access token) whose files
// fail as a test asks, and a throwaway PostgreSQL database.
package mediatest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"aduan/store"
)

// File is how the stand-in answers for one media id.
type File struct {
	// Data is the file; MimeType what the metadata declares.
	Data     []byte
	MimeType string
	// MetaSHA256 is the hash the metadata declares: "" for the real one (hex, as the
	// Cloud API writes it there), "-" for none.
	MetaSHA256 string
	// DeclaredSize is the metadata's file_size: 0 for len(Data), -1 for none.
	DeclaredSize int64
	// Served replaces Data in the download (a corrupted or larger file).
	Served []byte
	// MetaFailures and DownloadFailures are the statuses the first calls answer, one per
	// call, before the real answer.
	MetaFailures, DownloadFailures []int
	// ExpiredURLs is how many of the first download URLs handed out have already expired
	// (the media host answers them 404).
	ExpiredURLs int
}

// SHA256Base64 is the hash of data as WhatsApp's webhook gives it.
func SHA256Base64(data []byte) string {
	sum := sha256.Sum256(data)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// CloudAPI is a local stand-in of the WhatsApp Cloud API's media calls: GET /{media-id}
// answers {url, mime_type, sha256, file_size, id, messaging_product}, GET of that url
// answers the bytes; both want "Authorization: Bearer <Token>". An unknown media id is
// answered 404 (or, with UnknownAs400, 400 with Graph error 100/33 as graph.facebook.com
// does); a wrong token 401 with Graph error 190. URLs live TTL (five minutes).
type CloudAPI struct {
	*httptest.Server
	Token        string
	UnknownAs400 bool
	TTL          time.Duration

	mu        sync.Mutex
	files     map[string]*File
	urls      map[string]issued
	issued    map[string]int
	metaCalls map[string]int
	dlCalls   map[string]int
}

type issued struct {
	id      string
	expires time.Time
}

// NewCloudAPI starts a stand-in for token, closed when the test ends.
func NewCloudAPI(t testing.TB, token string) *CloudAPI {
	c := &CloudAPI{Token: token, TTL: 5 * time.Minute, files: map[string]*File{}, urls: map[string]issued{},
		issued: map[string]int{}, metaCalls: map[string]int{}, dlCalls: map[string]int{}}
	c.Server = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.Close)
	return c
}

// Add makes media id answer as f.
func (c *CloudAPI) Add(id string, f File) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files[id] = &f
}

// MetaCalls and DownloadCalls count the calls for media id.
func (c *CloudAPI) MetaCalls(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.metaCalls[id]
}

func (c *CloudAPI) DownloadCalls(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dlCalls[id]
}

func graphError(w http.ResponseWriter, status, code, subcode int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": "stand-in error", "type": "OAuthException",
		"code": code, "error_subcode": subcode, "fbtrace_id": "x"}})
}

func (c *CloudAPI) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+c.Token {
		graphError(w, http.StatusUnauthorized, 190, 0)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if key, ok := strings.CutPrefix(r.URL.Path, "/download/"); ok {
		is, known := c.urls[key]
		if known {
			c.dlCalls[is.id]++
		}
		if !known || time.Now().After(is.expires) {
			http.Error(w, "URL signature expired", http.StatusNotFound)
			return
		}
		f := c.files[is.id]
		if len(f.DownloadFailures) > 0 {
			status := f.DownloadFailures[0]
			f.DownloadFailures = f.DownloadFailures[1:]
			http.Error(w, "stand-in failure", status)
			return
		}
		data := f.Data
		if f.Served != nil {
			data = f.Served
		}
		w.Header().Set("Content-Type", f.MimeType)
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		_, _ = w.Write(data)
		return
	}
	id := strings.TrimPrefix(r.URL.Path, "/")
	c.metaCalls[id]++
	f, ok := c.files[id]
	if !ok {
		if c.UnknownAs400 {
			graphError(w, http.StatusBadRequest, 100, 33)
		} else {
			graphError(w, http.StatusNotFound, 100, 33)
		}
		return
	}
	if len(f.MetaFailures) > 0 {
		status := f.MetaFailures[0]
		f.MetaFailures = f.MetaFailures[1:]
		graphError(w, status, 2, 0)
		return
	}
	key := randomHex(8)
	expires := time.Now().Add(c.TTL)
	if c.issued[id] < f.ExpiredURLs {
		expires = time.Now().Add(-time.Second)
	}
	c.issued[id]++
	c.urls[key] = issued{id: id, expires: expires}
	meta := map[string]any{"messaging_product": "whatsapp", "id": id, "mime_type": f.MimeType,
		"url": c.URL + "/download/" + key + "?ext=1&hash=x"}
	switch f.MetaSHA256 {
	case "":
		sum := sha256.Sum256(f.Data)
		meta["sha256"] = hex.EncodeToString(sum[:])
	case "-":
	default:
		meta["sha256"] = f.MetaSHA256
	}
	switch {
	case f.DeclaredSize == 0:
		meta["file_size"] = len(f.Data)
	case f.DeclaredSize > 0:
		meta["file_size"] = strconv.FormatInt(f.DeclaredSize, 10) // the API writes it either way
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(meta)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Database is a fresh, migrated database of the test's own on the PostgreSQL server of
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/aduan), dropped when the test
// ends; never the database of DATABASE_URL itself. Without a server the test is skipped
// (failed with ADUAN_REQUIRE_INTEGRATION=1).
func Database(t testing.TB) *store.DB {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/aduan?sslmode=disable"
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("DATABASE_URL: %v", err)
	}
	u.Path = "/postgres"
	admin, err := sql.Open("postgres", u.String())
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("ADUAN_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("PostgreSQL does not answer: %v", err)
		}
		t.Skipf("PostgreSQL does not answer: %v", err)
	}
	name := "aduan_media_test_" + randomHex(6)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	u.Path = "/" + name
	db, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(fmt.Errorf("migrate: %w", err))
	}
	return db
}

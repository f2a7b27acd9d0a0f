package publish

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	hookSecret = "rahasia-webhook-kominfo"
	wpUser     = "aduan-bot"
	wpPassword = "abcd EFGH ijkl MNOP qrst UVWX"
)

func testRecord() Record {
	return Record{
		Code: "ADU-7K3M-Q9X2", Title: "Bantuan beras di Botteng & sekitarnya",
		Answer:   "Beras telah dikirim ulang.\nTerima kasih.\n\n<script>alert('x')</script> & \"kutip\"",
		Category: "bantuan_logistik", CategoryName: "Bantuan logistik (pangan dan barang bantuan)",
		Kecamatan: "simboro", KecamatanName: "Simboro", Desa: "botteng", DesaName: "Botteng",
		PublishedAt: time.Date(2026, 3, 4, 2, 5, 6, 0, time.UTC),
		URL:         "https://aduan.mamujukab.go.id/publik/ADU-7K3M-Q9X2",
	}
}

// quietLogger captures what a site logs.
func quietLogger() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}

// received is one request a fake site got.
type received struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
}

// fakeHook is a webhook receiver answering with the given statuses in turn (the last
// one from then on).
type fakeHook struct {
	*httptest.Server
	mu       sync.Mutex
	reqs     []received
	statuses []int
}

func startHook(t *testing.T, statuses ...int) *fakeHook {
	f := &fakeHook{statuses: statuses}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, received{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
		st := f.statuses[min(len(f.reqs), len(f.statuses))-1]
		f.mu.Unlock()
		w.WriteHeader(st)
		fmt.Fprintf(w, `{"id":"hook-%d","status":%d}`, len(f.reqs), st)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeHook) received() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]received(nil), f.reqs...)
}

func TestPublishWebhookSignatureVerifies(t *testing.T) {
	f := startHook(t, http.StatusOK)
	lg, logs := quietLogger()
	s := &WebhookSite{URL: f.URL + "/hooks/aduan", Secret: hookSecret, Logger: lg}
	rec := testRecord()
	id, err := s.Push(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	if id != "hook-1" {
		t.Errorf("remote id %q", id)
	}
	reqs := f.received()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/hooks/aduan" || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request %s %s %q", r.Method, r.Path, r.Header.Get("Content-Type"))
	}
	// What a receiver does: HMAC-SHA256 of the raw body with the shared secret.
	sig, ok := strings.CutPrefix(r.Header.Get(SignatureHeader), "sha256=")
	if !ok {
		t.Fatalf("signature header %q", r.Header.Get(SignatureHeader))
	}
	got, err := hex.DecodeString(sig)
	if err != nil {
		t.Fatalf("signature is not hex: %q", sig)
	}
	m := hmac.New(sha256.New, []byte(hookSecret))
	m.Write(r.Body)
	if !hmac.Equal(got, m.Sum(nil)) {
		t.Errorf("signature %s does not verify over the body with the secret", sig)
	}
	m = hmac.New(sha256.New, []byte("another secret"))
	m.Write(r.Body)
	if hmac.Equal(got, m.Sum(nil)) {
		t.Errorf("signature verifies with another secret")
	}
	if d := r.Header.Get(DeliveryHeader); d != rec.Code {
		t.Errorf("delivery %q, want the code", d)
	}
	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"code": rec.Code, "title": rec.Title, "answer": rec.Answer,
		"category": "bantuan_logistik", "kecamatan": "simboro", "desa": "botteng",
		"published_at": "2026-03-04T02:05:06Z", "url": rec.URL} {
		if body[k] != want {
			t.Errorf("body.%s = %v, want %v", k, body[k], want)
		}
	}
	if strings.Contains(logs.String(), hookSecret) || strings.Contains(logs.String(), "Beras") {
		t.Errorf("the log has the secret or the answer: %s", logs)
	}
}

func TestPublishWebhookErrorClasses(t *testing.T) {
	for _, tc := range []struct {
		status    int
		permanent bool
	}{
		{http.StatusInternalServerError, false},
		{http.StatusBadGateway, false},
		{http.StatusTooManyRequests, false},
		{http.StatusRequestTimeout, false},
		{http.StatusBadRequest, true},
		{http.StatusUnauthorized, true},
		{http.StatusNotFound, true},
		{http.StatusUnprocessableEntity, true},
	} {
		f := startHook(t, tc.status)
		lg, _ := quietLogger()
		_, err := (&WebhookSite{URL: f.URL, Secret: hookSecret, Logger: lg}).Push(context.Background(), testRecord())
		if err == nil {
			t.Errorf("HTTP %d: no error", tc.status)
			continue
		}
		if IsPermanent(err) != tc.permanent {
			t.Errorf("HTTP %d: permanent %v, want %v (%v)", tc.status, IsPermanent(err), tc.permanent, err)
		}
		if !strings.Contains(err.Error(), strconv.Itoa(tc.status)) {
			t.Errorf("HTTP %d: error %q does not say the status", tc.status, err)
		}
	}
	// No answer at all: retryable.
	f := startHook(t, http.StatusOK)
	f.Close()
	lg, _ := quietLogger()
	_, err := (&WebhookSite{URL: f.URL, Secret: hookSecret, Logger: lg}).Push(context.Background(), testRecord())
	if err == nil || IsPermanent(err) {
		t.Errorf("unreachable webhook: %v, want a retryable error", err)
	}
}

// fakeWP is enough of the WordPress REST API: posts by slug, create and update.
type fakeWP struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []received
	posts  map[int]WordPressPost
	nextID int
	// fail, when set, answers every request with this status.
	fail int
}

func startWP(t *testing.T) *fakeWP {
	f := &fakeWP{posts: map[int]WordPressPost{}, nextID: 100}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeWP) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, received{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
	w.Header().Set("Content-Type", "application/json")
	if f.fail != 0 {
		w.WriteHeader(f.fail)
		fmt.Fprintf(w, `{"code":"rest_error","message":"gagal","data":{"status":%d}}`, f.fail)
		return
	}
	if u, p, ok := r.BasicAuth(); !ok || u != wpUser || p != wpPassword {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}}`)
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/wp-json/wp/v2/posts":
		out := []map[string]any{}
		for id, p := range f.posts {
			if p.Slug == r.URL.Query().Get("slug") && p.Status == r.URL.Query().Get("status") {
				out = append(out, map[string]any{"id": id, "slug": p.Slug})
			}
		}
		json.NewEncoder(w).Encode(out)
	case r.Method == http.MethodPost && r.URL.Path == "/wp-json/wp/v2/posts":
		var p WordPressPost
		if json.Unmarshal(body, &p) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		f.nextID++
		f.posts[f.nextID] = p
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"id": f.nextID, "slug": p.Slug})
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/wp-json/wp/v2/posts/"):
		id, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/wp-json/wp/v2/posts/"))
		if _, ok := f.posts[id]; err != nil || !ok {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"code":"rest_post_invalid_id","message":"Invalid post ID.","data":{"status":404}}`)
			return
		}
		var p WordPressPost
		if json.Unmarshal(body, &p) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		f.posts[id] = p
		json.NewEncoder(w).Encode(map[string]any{"id": id, "slug": p.Slug})
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func (f *fakeWP) received() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]received(nil), f.reqs...)
}

func (f *fakeWP) snapshot() map[int]WordPressPost {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int]WordPressPost{}
	for k, v := range f.posts {
		out[k] = v
	}
	return out
}

func wpSite(f *fakeWP) (*WordPressSite, *bytes.Buffer) {
	lg, logs := quietLogger()
	return &WordPressSite{BaseURL: f.URL + "/", User: wpUser, AppPassword: wpPassword, CategoryID: 7, Logger: lg}, logs
}

func TestPublishWordPressCreateThenUpdateBySlug(t *testing.T) {
	f := startWP(t)
	s, logs := wpSite(f)
	rec := testRecord()
	id, err := s.Push(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.received()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want a lookup and a create", len(reqs))
	}
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte(wpUser+":"+wpPassword))
	for _, r := range reqs {
		if got := r.Header.Get("Authorization"); got != wantAuth {
			t.Errorf("%s %s: Authorization %q, want %q", r.Method, r.Path, got, wantAuth)
		}
	}
	if r := reqs[0]; r.Method != http.MethodGet || r.Path != "/wp-json/wp/v2/posts" || r.Query != "slug=adu-7k3m-q9x2&status=publish" {
		t.Errorf("lookup %s %s?%s", r.Method, r.Path, r.Query)
	}
	if r := reqs[1]; r.Method != http.MethodPost || r.Path != "/wp-json/wp/v2/posts" {
		t.Errorf("create %s %s", r.Method, r.Path)
	}
	posts := f.snapshot()
	if len(posts) != 1 || id != "101" {
		t.Fatalf("posts %v, id %q; want one post 101", posts, id)
	}
	p := posts[101]
	if p.Status != "publish" || p.Slug != "adu-7k3m-q9x2" || !reflect.DeepEqual(p.Categories, []int{7}) {
		t.Errorf("post %+v", p)
	}
	if p.Title != "Bantuan beras di Botteng &amp; sekitarnya" {
		t.Errorf("title %q, want it HTML-escaped", p.Title)
	}
	// The answer is escaped: no <script> reaches the site, and the text is all there.
	if strings.Contains(p.Content, "<script") {
		t.Errorf("content has a live <script>: %s", p.Content)
	}
	for _, want := range []string{
		"<p>Beras telah dikirim ulang.<br>\nTerima kasih.</p>",
		"<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;kutip&#34;</p>",
		`<a href="https://aduan.mamujukab.go.id/publik/ADU-7K3M-Q9X2">`,
		"Kecamatan Simboro", "Desa/Kelurahan Botteng", "Bantuan logistik",
	} {
		if !strings.Contains(p.Content, want) {
			t.Errorf("content lacks %q:\n%s", want, p.Content)
		}
	}

	// Pushed again (a retry, or the answer re-published): the same post is updated.
	rec.Title = "Bantuan beras di Botteng (diperbarui)"
	id, err = s.Push(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	reqs = f.received()[2:]
	if len(reqs) != 2 || reqs[0].Method != http.MethodGet || reqs[1].Method != http.MethodPost ||
		reqs[1].Path != "/wp-json/wp/v2/posts/101" {
		t.Errorf("second push: %+v, want a lookup and an update of post 101", reqs)
	}
	posts = f.snapshot()
	if len(posts) != 1 || id != "101" || posts[101].Title != "Bantuan beras di Botteng (diperbarui)" {
		t.Errorf("after the update: posts %v, id %q", posts, id)
	}
	if l := logs.String(); strings.Contains(l, wpPassword) || strings.Contains(l, "Beras telah") {
		t.Errorf("the log has the password or the answer: %s", l)
	}
}

func TestPublishWordPressWithoutCategory(t *testing.T) {
	f := startWP(t)
	s, _ := wpSite(f)
	s.CategoryID = 0
	if _, err := s.Push(context.Background(), testRecord()); err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(f.received()[1].Body, &body); err != nil {
		t.Fatal(err)
	}
	if _, ok := body["categories"]; ok {
		t.Errorf("categories sent without ADUAN_WP_CATEGORY_ID: %v", body)
	}
}

func TestPublishWordPressErrorClasses(t *testing.T) {
	for _, tc := range []struct {
		status    int
		permanent bool
	}{
		{http.StatusInternalServerError, false},
		{http.StatusServiceUnavailable, false},
		{http.StatusTooManyRequests, false},
		{http.StatusBadRequest, true},
		{http.StatusForbidden, true},
	} {
		f := startWP(t)
		f.fail = tc.status
		s, _ := wpSite(f)
		_, err := s.Push(context.Background(), testRecord())
		if err == nil {
			t.Errorf("HTTP %d: no error", tc.status)
			continue
		}
		if IsPermanent(err) != tc.permanent {
			t.Errorf("HTTP %d: permanent %v, want %v (%v)", tc.status, IsPermanent(err), tc.permanent, err)
		}
		if strings.Contains(err.Error(), wpPassword) {
			t.Errorf("error has the password: %v", err)
		}
	}
	// A wrong password: WordPress answers 401, which pushing again cannot mend.
	f := startWP(t)
	s, _ := wpSite(f)
	s.AppPassword = "wrong password"
	if _, err := s.Push(context.Background(), testRecord()); err == nil || !IsPermanent(err) {
		t.Errorf("wrong password: %v, want a permanent error", err)
	}
	if len(f.snapshot()) != 0 {
		t.Errorf("a post was created without authentication")
	}
	// Something that is not WordPress answers the lookup (a captive portal): retryable.
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>login</html>")
	}))
	defer html.Close()
	s.BaseURL = html.URL
	if _, err := s.Push(context.Background(), testRecord()); err == nil || IsPermanent(err) {
		t.Errorf("an HTML answer: %v, want a retryable error", err)
	}
}

func TestSites(t *testing.T) {
	sites, err := Sites(Settings{})
	if err != nil || len(sites) != 0 {
		t.Errorf("nothing set: %v %v", sites, err)
	}
	sites, err = Sites(Settings{
		WebhookURL: "https://hooks.example/aduan", WebhookSecret: "s3cret",
		WordPressURL: "https://mamujukab.go.id", WordPressUser: "bot", WordPressAppPassword: "pw pw", WordPressCategoryID: 12,
	})
	if err != nil || len(sites) != 2 || sites[0].Name() != "webhook" || sites[1].Name() != "wordpress" {
		t.Fatalf("both set: %v %v", sites, err)
	}
	if wh := sites[0].(*WebhookSite); wh.URL != "https://hooks.example/aduan" || wh.Secret != "s3cret" {
		t.Errorf("webhook %+v", wh)
	}
	if wp := sites[1].(*WordPressSite); wp.BaseURL != "https://mamujukab.go.id" || wp.CategoryID != 12 || wp.User != "bot" || wp.AppPassword != "pw pw" {
		t.Errorf("wordpress %+v", wp)
	}
	for name, s := range map[string]Settings{
		"webhook without secret":     {WebhookURL: "https://hooks.example/aduan"},
		"wordpress without user":     {WordPressURL: "https://x", WordPressAppPassword: "p"},
		"wordpress bad category":     {WordPressURL: "https://x", WordPressUser: "u", WordPressAppPassword: "p", WordPressCategoryID: -1},
		"wordpress with no password": {WordPressURL: "https://x", WordPressUser: "u"},
	} {
		if sites, err := Sites(s); err == nil || len(sites) != 0 {
			t.Errorf("%s: sites %v, error %v; want none and an error", name, sites, err)
		}
	}
}

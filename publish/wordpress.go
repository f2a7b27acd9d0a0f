package publish

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// WordPressSite posts each published answer to a WordPress site through its REST API,
// authenticated with an application password (HTTP Basic auth; Users → Profile →
// Application Passwords in the WordPress admin). The post's slug is the complaint's
// code in lower case, and pushing is idempotent: it first looks for a published post
// with that slug
//
//	GET {base}/wp-json/wp/v2/posts?slug=<slug>&status=publish
//
// and updates it when there is one (POST {base}/wp-json/wp/v2/posts/{id}), else creates
// it (POST {base}/wp-json/wp/v2/posts), with
//
//	{"title": "…", "content": "<p>…</p>…", "status": "publish", "slug": "adu-…",
//	 "categories": [7]}
//
// The title and the answer are HTML-escaped (WordPress stores what it is given and an
// administrator's post may hold any HTML); the answer's paragraphs become <p>s and the
// content ends with a link to the answer's public page. A 4xx other than 408/429 is
// permanent; anything else, and no answer, is retried.
type WordPressSite struct {
	// BaseURL is the site's address (https://mamujukab.go.id), without /wp-json.
	BaseURL     string
	User        string
	AppPassword string
	// CategoryID, when set, files the posts in that WordPress category.
	CategoryID int
	// Timeout bounds each request (DefaultTimeout when zero).
	Timeout time.Duration
	// Client makes the requests (http.DefaultClient when nil).
	Client *http.Client
	// Logger is where to log (slog.Default() when nil).
	Logger *slog.Logger
}

// WordPressPost is the body of a create or update.
type WordPressPost struct {
	Title      string `json:"title"`
	Content    string `json:"content"`
	Status     string `json:"status"`
	Slug       string `json:"slug"`
	Categories []int  `json:"categories,omitempty"`
}

// Name is "wordpress".
func (wp *WordPressSite) Name() string { return "wordpress" }

// postsURL is the posts endpoint, with suffix after it.
func (wp *WordPressSite) postsURL(suffix string) string {
	return strings.TrimRight(wp.BaseURL, "/") + "/wp-json/wp/v2/posts" + suffix
}

func (wp *WordPressSite) header() http.Header {
	h := http.Header{}
	h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(wp.User+":"+wp.AppPassword)))
	return h
}

// Push creates or updates the post of r and returns its id.
func (wp *WordPressSite) Push(ctx context.Context, r Record) (string, error) {
	lg := wp.Logger
	if lg == nil {
		lg = slog.Default()
	}
	slug := r.Slug()
	id, err := wp.find(ctx, slug)
	if err != nil {
		lg.WarnContext(ctx, "publish: looking for the WordPress post failed", "code", r.Code, "retry", !IsPermanent(err))
		return "", err
	}
	post := WordPressPost{Title: html.EscapeString(r.Title), Content: WordPressContent(r), Status: "publish", Slug: slug}
	if wp.CategoryID > 0 {
		post.Categories = []int{wp.CategoryID}
	}
	body, err := json.Marshal(post)
	if err != nil {
		return "", Permanent(err)
	}
	target, verb := wp.postsURL(""), "create"
	if id != "" {
		target, verb = wp.postsURL("/"+url.PathEscape(id)), "update"
	}
	a, err := request(ctx, wp.Client, wp.Timeout, http.MethodPost, target, wp.header(), body)
	if err != nil {
		lg.WarnContext(ctx, "publish: no answer from WordPress; will retry", "code", r.Code, "op", verb)
		return "", fmt.Errorf("wordpress %s: %s", verb, redact(err.Error(), wp.AppPassword))
	}
	if a.status/100 != 2 {
		err := statusError("wordpress "+verb, a, wp.AppPassword)
		lg.WarnContext(ctx, "publish: WordPress refused", "code", r.Code, "op", verb, "status", a.status,
			"retry", !IsPermanent(err))
		return "", err
	}
	got := remoteID(a.body)
	if got == "" {
		got = id
	}
	lg.InfoContext(ctx, "publish: posted to WordPress", "code", r.Code, "op", verb, "post", got)
	return got, nil
}

// find is the id of the published post with slug ("" when none).
func (wp *WordPressSite) find(ctx context.Context, slug string) (string, error) {
	q := url.Values{"slug": {slug}, "status": {"publish"}}
	a, err := request(ctx, wp.Client, wp.Timeout, http.MethodGet, wp.postsURL("?"+q.Encode()), wp.header(), nil)
	if err != nil {
		return "", fmt.Errorf("wordpress lookup: %s", redact(err.Error(), wp.AppPassword))
	}
	if a.status/100 != 2 {
		return "", statusError("wordpress lookup", a, wp.AppPassword)
	}
	var posts []struct {
		ID json.Number `json:"id"`
	}
	if err := json.Unmarshal(a.body, &posts); err != nil {
		// Something that is not the REST API answered (a proxy's page, say): retry.
		return "", fmt.Errorf("wordpress lookup: answer is not a list of posts: %s", redact(string(a.body)))
	}
	for _, p := range posts {
		if _, err := strconv.ParseInt(p.ID.String(), 10, 64); err == nil {
			return p.ID.String(), nil
		}
	}
	return "", nil
}

// WordPressContent is the post's HTML: the answer, escaped, a paragraph per block of
// text (a single line break becomes <br>), a line with the category and the place when
// known, and a link to the answer's public page.
func WordPressContent(r Record) string {
	var b strings.Builder
	text := strings.ReplaceAll(strings.ReplaceAll(r.Answer, "\r\n", "\n"), "\r", "\n")
	for _, para := range strings.Split(text, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		lines := strings.Split(para, "\n")
		for i, l := range lines {
			lines[i] = html.EscapeString(strings.TrimSpace(l))
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>\n") + "</p>\n")
	}
	var meta []string
	if r.CategoryName != "" {
		meta = append(meta, "Kategori: "+html.EscapeString(r.CategoryName))
	}
	var place []string
	if r.DesaName != "" {
		place = append(place, "Desa/Kelurahan "+html.EscapeString(r.DesaName))
	}
	if r.KecamatanName != "" {
		place = append(place, "Kecamatan "+html.EscapeString(r.KecamatanName))
	}
	if len(place) > 0 {
		meta = append(meta, "Lokasi: "+strings.Join(place, ", "))
	}
	if len(meta) > 0 {
		b.WriteString("<p><em>" + strings.Join(meta, " · ") + "</em></p>\n")
	}
	if r.URL != "" {
		fmt.Fprintf(&b, "<p><a href=\"%s\">Lihat pengaduan %s di layanan pengaduan Kabupaten Mamuju</a></p>\n",
			html.EscapeString(r.URL), html.EscapeString(r.Code))
	}
	return b.String()
}

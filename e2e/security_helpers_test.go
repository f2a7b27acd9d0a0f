package e2e

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// feedbackLinkPattern finds a feedback link's token in a message.
var feedbackLinkPattern = regexp.MustCompile(`/tanggapan/([A-Za-z0-9_-]{16,64})`)

// feedbackTokenOf waits for the answer sent about code to the complainant of recipientCode
// (code itself, or a merged duplicate) and reads the token of its feedback link: the
// outbox holds the only copy in clear.
func feedbackTokenOf(t testing.TB, code, recipientCode string) string {
	t.Helper()
	var text string
	if !eventually(20*time.Second, func() bool {
		return testDB.Get(&text, `SELECT text FROM notifications WHERE code = $1 AND kind = 'answer'
			ORDER BY id DESC LIMIT 1`, recipientCode) == nil && feedbackLinkPattern.MatchString(text)
	}) {
		t.Fatalf("no answer with a feedback link for %s (about %s): %q", recipientCode, code, text)
	}
	if !strings.Contains(text, "/lacak/"+code+"/tanggapan/") {
		t.Fatalf("the feedback link is not %s's: %q", code, text)
	}
	return feedbackLinkPattern.FindStringSubmatch(text)[1]
}

// feedbackForm opens the complainant's feedback link and returns the form's hidden
// fields and the CSRF cookie it set.
func feedbackForm(t testing.TB, code, token string) (url.Values, *http.Cookie) {
	t.Helper()
	r := webGet(t, baseURL, "/lacak/"+code+"/tanggapan/"+token)
	body := wantPage(t, r, http.StatusOK)
	wantContains(t, "the feedback link", body, `<form method="post" action="/lacak/`+code+`/tanggapan"`,
		`name="token" value="`+token+`"`)
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == "aduan_lacak_csrf" {
			cookie = c
		}
	}
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(body)
	if cookie == nil || m == nil || m[1] != cookie.Value {
		t.Fatalf("feedback form without a matching CSRF cookie: %v %v", cookie, m)
	}
	return url.Values{"token": {token}, "csrf_token": {m[1]}}, cookie
}

// postFeedback posts the feedback form of code: the fields of form and extra (puas,
// komentar), with the cookie when not nil.
func postFeedback(t testing.TB, code string, form url.Values, cookie *http.Cookie, extra url.Values) response {
	t.Helper()
	v := url.Values{}
	for k, x := range form {
		v[k] = x
	}
	for k, x := range extra {
		v[k] = x
	}
	req, err := http.NewRequest(http.MethodPost, baseURL+"/lacak/"+code+"/tanggapan", strings.NewReader(v.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != nil {
		req.AddCookie(cookie)
	}
	res, err := webClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Raw: raw}
}

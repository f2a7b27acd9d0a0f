package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"aduan/domain"
	"aduan/store"
)

// The public web form, /lapor: plain HTML, no JavaScript, for cheap phones on slow
// networks. These tests post it as a browser would; TestBrowserLapor drives a real
// headless Chromium through it.

// maxPageWeight is the budget of the form page: a slow 2G connection loads it in seconds.
const maxPageWeight = 15 << 10

// webClient follows no redirects, so a test sees the 303 after a submission itself.
var webClient = &http.Client{Timeout: 30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// webDo sends one request to the server at base; body "" sends none.
func webDo(t testing.TB, base, method, path, contentType string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, base+path, body)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := webClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Raw: raw}
}

func webGet(t testing.TB, base, path string) response {
	t.Helper()
	return webDo(t, base, "GET", path, "", nil)
}

// webPost submits the form as a browser does (application/x-www-form-urlencoded).
func webPost(t testing.TB, base string, form url.Values) response {
	t.Helper()
	return webDo(t, base, "POST", "/lapor", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

var tokenInput = regexp.MustCompile(`<input type="hidden" name="token" value="([^"]+)">`)

// formToken is the idempotency token of a rendered form.
func formToken(t testing.TB, page response) string {
	t.Helper()
	m := tokenInput.FindSubmatch(page.Raw)
	if m == nil {
		t.Fatalf("no token in the form: %s", page.Raw)
	}
	return string(m[1])
}

// freshForm is a filled-in form with the token of a fresh rendering.
func freshForm(t testing.TB, base string) url.Values {
	t.Helper()
	page := webGet(t, base, "/lapor")
	if page.Status != http.StatusOK {
		t.Fatalf("GET /lapor: %s", page)
	}
	return url.Values{
		"token": {formToken(t, page)}, "text": {uniqueText(t)}, "name": {"Warga Botteng"}, "phone": {webPhone()},
		"kecamatan": {"simboro"}, "desa": {"botteng"}, "category": {"bantuan_logistik"},
	}
}

// webPhone is a mobile number no other test uses (intake limits new complaints per
// number), written as people write it: 0812 3456 7890.
func webPhone() string {
	h := randomHex(4)
	d := []byte(h)
	for i := range d {
		d[i] = '0' + d[i]%10
	}
	return "0812 " + string(d[:4]) + " " + string(d[4:])
}

// wantPage checks an HTML page of the form: status, type, the security headers, and no
// script anywhere.
func wantPage(t testing.TB, r response, status int) string {
	t.Helper()
	if r.Status != status {
		t.Errorf("want HTTP %d, got %d: %.600s", status, r.Status, r.Raw)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("HTTP %d Content-Type %q, want text/html: %.300s", r.Status, ct, r.Raw)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("HTTP %d %s: %q, want %q", r.Status, h, got, want)
		}
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "style-src 'unsafe-inline'", "form-action 'self'", "img-src 'self'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("HTTP %d Content-Security-Policy %q lacks %q", r.Status, csp, d)
		}
	}
	if strings.Contains(csp, "script-src") {
		t.Errorf("Content-Security-Policy %q allows scripts", csp)
	}
	body := string(r.Raw)
	if strings.Contains(strings.ToLower(body), "<script") {
		t.Errorf("HTTP %d page contains a <script>: %s", r.Status, body)
	}
	if !strings.Contains(body, `<html lang="id">`) {
		t.Errorf(`HTTP %d page without <html lang="id">`, r.Status)
	}
	return body
}

// wantContains checks that body holds every one of want.
func wantContains(t testing.TB, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

var sentPath = regexp.MustCompile(`^/lapor/terkirim/(ADU-[0-9A-Z]{4}-[0-9A-Z]{4})(?:\?t=[A-Za-z0-9_-]+)?$`)

// sentCode checks a successful submission (303 to the result page) and returns its code.
func sentCode(t testing.TB, r response) string {
	t.Helper()
	if r.Status != http.StatusSeeOther {
		t.Fatalf("submission: want 303 to the result page, got %d: %.800s", r.Status, r.Raw)
	}
	m := sentPath.FindStringSubmatch(r.Header.Get("Location"))
	if m == nil || !codePattern.MatchString(m[1]) {
		t.Fatalf("submission redirected to %q", r.Header.Get("Location"))
	}
	return m[1]
}

// TestWebLaporForm: GET /lapor is one small page in Indonesian with every field and no
// script, each rendering with its own token.
func TestWebLaporForm(t *testing.T) {
	t.Parallel()
	r := webGet(t, baseURL, "/lapor")
	body := wantPage(t, r, http.StatusOK)
	if len(r.Raw) >= maxPageWeight {
		t.Errorf("GET /lapor weighs %d bytes, want under %d", len(r.Raw), maxPageWeight)
	}
	t.Logf("GET /lapor: %d bytes", len(r.Raw))
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("the form (with its one-time token) is cacheable: Cache-Control %q", cc)
	}
	wantContains(t, "the form", body,
		`<meta name="viewport" content="width=device-width,initial-scale=1">`, "<title>Lapor Aduan",
		`<form method="post" action="/lapor"`,
		`<textarea id="text" name="text"`, `required`, `minlength="10" maxlength="4000"`,
		`name="name"`, `name="phone" type="tel"`, `name="email" type="email"`,
		`<select id="kecamatan" name="kecamatan">`, `<select id="desa" name="desa">`, `<select id="category" name="category">`,
		`<input type="checkbox" name="anonymous" value="1"> Sembunyikan nama saya dari publik`,
		`<input type="checkbox" name="confidential" value="1"> Rahasiakan aduan ini`,
		`<button type="submit">Kirim aduan</button>`,
		"Apa yang terjadi setelah ini?", "Nomor telepon dan e-mail tidak pernah dipublikasikan",
		// The directory: kecamatan, and desa grouped by kecamatan.
		`<option value="simboro">Simboro</option>`, `<option value="tapalang-barat">Tapalang Barat</option>`,
		`<optgroup label="Simboro">`, `<option value="botteng">Botteng</option>`, `<option value="dungkait">Dungkait</option>`,
		// An apostrophe in a name is escaped, not dropped.
		`Pati&#39;di`)
	for _, c := range domain.Categories {
		wantContains(t, "the category list", body, `<option value="`+c.ID+`">`)
	}
	// Nothing to fetch: no external resources of any kind.
	for _, bad := range []string{"<link", "<img", "<iframe", "src=", "http://", "https://", "@import", "url("} {
		if strings.Contains(body, bad) {
			t.Errorf("the form refers to an external resource (%q)", bad)
		}
	}
	if a, b := formToken(t, r), formToken(t, webGet(t, baseURL, "/lapor")); a == b {
		t.Errorf("two renderings share the token %q", a)
	}
}

// TestWebLaporFieldErrors: a form with problems comes back (400) with the Indonesian
// message beside each field and everything the citizen typed kept.
func TestWebLaporFieldErrors(t *testing.T) {
	t.Parallel()
	form := freshForm(t, baseURL)
	name := "Siti " + randomHex(4)
	form.Set("name", name)
	form.Set("text", "")
	form.Set("category", "hunian")
	form.Set("email", "siti@example.com")
	form.Set("anonymous", "1")
	r := webPost(t, baseURL, form)
	body := wantPage(t, r, http.StatusBadRequest)
	wantContains(t, "the form with a missing text", body,
		"Aduan belum terkirim", `<p class="err" id="e-text">Wajib diisi</p>`,
		`value="`+name+`"`, `value="`+form.Get("phone")+`"`, `value="siti@example.com"`,
		`<option value="simboro" selected>Simboro</option>`, `<option value="botteng" selected>Botteng</option>`,
		`<option value="hunian" selected>`, `name="anonymous" value="1" checked>`,
		`name="confidential" value="1">`, // left unchecked
		`name="token" value="`+form.Get("token")+`"`)
	var n int
	if err := testDB.Get(&n, `SELECT count(*) FROM complaints WHERE name = $1`, name); err != nil || n != 0 {
		t.Errorf("a refused form recorded %d complaints (%v)", n, err)
	}

	// More problems at once; the text is kept in its textarea.
	text := uniqueText(t)
	form.Set("text", text)
	form.Set("phone", "telepon saya")
	form.Set("email", "bukan-email")
	form.Set("desa", "dungkait") // in Tapalang Barat, not Simboro
	body = wantPage(t, webPost(t, baseURL, form), http.StatusBadRequest)
	wantContains(t, "the form with three problems", body,
		`id="e-phone">Nomor telepon tidak valid`, `id="e-email">Alamat e-mail tidak valid`,
		`id="e-desa">Desa tidak dikenal di kecamatan ini`, `maxlength="4000">`+text+`</textarea>`)
	if strings.Contains(body, `id="e-text"`) {
		t.Errorf("a valid text is marked wrong")
	}

	form.Set("text", "pendek")
	form.Set("phone", "")
	form.Set("email", "")
	form.Set("desa", "")
	wantContains(t, "the form with a short text", wantPage(t, webPost(t, baseURL, form), http.StatusBadRequest),
		`id="e-text">Minimal 10 karakter`)
}

// TestWebLaporXSS: markup typed into the form is stored as typed and shown only escaped,
// on the form, on the result page and on error pages.
func TestWebLaporXSS(t *testing.T) {
	t.Parallel()
	text := "Bantuan tidak sampai <script>alert(1)</script> </textarea><b>tebal</b> & \"kutip\" " + randomHex(4)
	name := `"><script>alert(2)</script><img src=x onerror=alert(3)> O'Brien`
	raw := []string{"<script>alert", "<img src=x", "</textarea><b>", `""><`}
	unescaped := func(what, body string) {
		t.Helper()
		for _, s := range raw {
			if strings.Contains(body, s) {
				t.Errorf("%s shows %q unescaped", what, s)
			}
		}
	}
	form := freshForm(t, baseURL)
	form.Set("text", text)
	form.Set("name", name)
	form.Set("email", "<script>alert(4)</script>") // refused: the form comes back with it
	body := wantPage(t, webPost(t, baseURL, form), http.StatusBadRequest)
	unescaped("the re-rendered form", body)
	wantContains(t, "the re-rendered form", body, "&lt;script&gt;alert(1)&lt;/script&gt;")

	form.Set("email", "")
	code := sentCode(t, webPost(t, baseURL, form))
	unescaped("the result page", wantPage(t, webGet(t, baseURL, "/lapor/terkirim/"+code), http.StatusOK))
	var row struct {
		Text string `db:"text"`
		Name string `db:"name"`
	}
	if err := testDB.Get(&row, `SELECT text, name FROM complaints WHERE code = $1`, code); err != nil {
		t.Fatal(err)
	}
	if row.Text != text || row.Name != name {
		t.Errorf("stored %q / %q, want them as typed: %q / %q", row.Text, row.Name, text, name)
	}
	// Markup in the address of the result page is not echoed either.
	unescaped("the not-found page", wantPage(t, webGet(t, baseURL, "/lapor/terkirim/"+url.PathEscape(`ADU-"><img src=x onerror=alert(5)>`)),
		http.StatusNotFound))
}

// TestWebLaporSubmit: a valid form makes exactly one web complaint and redirects to a
// page showing its code; the same form sent again (a double tap, a retry on a bad
// network) gives the same code.
func TestWebLaporSubmit(t *testing.T) {
	t.Parallel()
	form := freshForm(t, baseURL)
	form.Set("confidential", "1")
	text := form.Get("text")
	code := sentCode(t, webPost(t, baseURL, form))

	var rows []struct {
		Code         string `db:"code"`
		Channel      string `db:"channel"`
		Name         string `db:"name"`
		Phone        string `db:"phone"`
		Kecamatan    string `db:"kecamatan"`
		Desa         string `db:"desa"`
		Category     string `db:"reported_category"`
		Anonymous    bool   `db:"anonymous"`
		Confidential bool   `db:"confidential"`
		Status       string `db:"status"`
	}
	if err := testDB.Select(&rows, `SELECT code, channel, name, phone, kecamatan, desa, reported_category, anonymous,
		confidential, status FROM complaints WHERE text = $1`, text); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("%d complaints with the form's text, want 1: %+v", len(rows), rows)
	}
	got := rows[0]
	if got.Code != code || got.Channel != "web" || got.Name != "Warga Botteng" || got.Phone != domain.NormalizePhone(form.Get("phone")) ||
		got.Kecamatan != "simboro" || got.Desa != "botteng" || got.Category != "bantuan_logistik" || got.Anonymous ||
		!got.Confidential || got.Status != "received" {
		t.Errorf("stored %+v", got)
	}

	// The result page: the code, large, and where to follow it.
	page := webGet(t, baseURL, "/lapor/terkirim/"+code)
	body := wantPage(t, page, http.StatusOK)
	wantContains(t, "the result page", body, `<p class="code" id="kode">`+code+`</p>`,
		`href="/lacak/`+code+`"`, "Simpan kode ini", `<title>Aduan terkirim – `+code+`</title>`)
	if strings.Contains(body, "Warga Botteng") || strings.Contains(body, form.Get("phone")[5:]) || strings.Contains(body, text) {
		t.Errorf("the result page shows what the citizen wrote: %s", body)
	}
	// A code read back in lower case still finds it.
	wantContains(t, "the result page", wantPage(t, webGet(t, baseURL, "/lapor/terkirim/"+strings.ToLower(code)), http.StatusOK), code)
	if tr := tracking(t, code); tr.Status != "received" {
		t.Errorf("tracking view of %s: %+v", code, tr)
	}

	// The same form again, then twice at once: the same complaint.
	if again := sentCode(t, webPost(t, baseURL, form)); again != code {
		t.Errorf("the same form sent twice gave %s and %s", code, again)
	}
	twice := freshForm(t, baseURL)
	codes := make([]string, 2)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := webPost(t, baseURL, twice)
			if m := sentPath.FindStringSubmatch(r.Header.Get("Location")); r.Status == http.StatusSeeOther && m != nil {
				codes[i] = m[1]
			} else {
				t.Errorf("double tap %d: %s", i, r)
			}
		}()
	}
	wg.Wait()
	if codes[0] != codes[1] {
		t.Errorf("a double tap made two complaints: %v", codes)
	}
	var n int
	if err := testDB.Get(&n, `SELECT count(*) FROM complaints WHERE text IN ($1, $2)`, text, twice.Get("text")); err != nil || n != 2 {
		t.Errorf("%d complaints from two forms sent three times, want 2 (%v)", n, err)
	}

	// Another complaint from the same rendering (back, new text, send) is not folded into
	// the first.
	form.Set("text", uniqueText(t))
	if other := sentCode(t, webPost(t, baseURL, form)); other == code {
		t.Errorf("a different complaint with the same token was answered with the first's code %s", code)
	}

	// Unknown and malformed codes.
	for _, c := range []string{"ADU-0000-0000", "bukan-kode"} {
		wantContains(t, "the not-found page", wantPage(t, webGet(t, baseURL, "/lapor/terkirim/"+c), http.StatusNotFound),
			"Kode tidak ditemukan")
	}
}

// TestWebLaporTooLarge: an oversize form gets a page, not API.md's JSON, with or
// without a Content-Length.
func TestWebLaporTooLarge(t *testing.T) {
	t.Parallel()
	big := url.Values{"text": {strings.Repeat("a", 70<<10)}, "token": {"abcdefghijklmnopqrstuv"}}.Encode()
	const form = "application/x-www-form-urlencoded"
	for what, rd := range map[string]io.Reader{
		"with Content-Length": strings.NewReader(big),
		"chunked":             io.MultiReader(strings.NewReader(big)),
	} {
		r := webDo(t, baseURL, "POST", "/lapor", form, rd)
		wantContains(t, "the 413 page "+what, wantPage(t, r, http.StatusRequestEntityTooLarge), "Aduan terlalu panjang")
	}
	var n int
	if err := testDB.Get(&n, `SELECT count(*) FROM complaints WHERE text LIKE 'aaaaaaaaaa%'`); err != nil || n != 0 {
		t.Errorf("an oversize form recorded %d complaints (%v)", n, err)
	}
}

// TestWebLaporRateLimited: a client over the intake limit gets a friendly 429 with
// Retry-After and the form still filled in; the web form and the JSON intake share the
// client's budget.
func TestWebLaporRateLimited(t *testing.T) {
	t.Parallel()
	deps := apiDeps
	deps.IntakePerMinute, deps.IntakeBurst = 1, 1
	srv := httptest.NewServer(newRouter(t, deps))
	defer srv.Close()
	sentCode(t, webPost(t, srv.URL, freshForm(t, srv.URL)))
	form := freshForm(t, srv.URL)
	r := webPost(t, srv.URL, form)
	body := wantPage(t, r, http.StatusTooManyRequests)
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Errorf("Retry-After %q, want whole seconds in 1..60", r.Header.Get("Retry-After"))
	}
	wantContains(t, "the 429 page", body, "Terlalu banyak pengiriman", "BELUM terkirim",
		`maxlength="4000">`+form.Get("text")+`</textarea>`, `name="token" value="`+form.Get("token")+`"`)
	wantError(t, doAt(t, srv.URL, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t)}, nil),
		http.StatusTooManyRequests, "rate_limited")

	// Intake also limits new complaints per phone number: the same friendly page.
	phone := webPhone()
	for i := 1; ; i++ {
		form := freshForm(t, baseURL)
		form.Set("phone", phone)
		r := webPost(t, baseURL, form)
		if r.Status == http.StatusSeeOther {
			if i == 30 {
				t.Fatalf("30 new complaints from one phone number, none refused")
			}
			continue
		}
		wantContains(t, "the 429 page of a busy phone number", wantPage(t, r, http.StatusTooManyRequests),
			"dari nomor telepon ini", "BELUM terkirim", form.Get("text"))
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After")
		}
		break
	}
}

// TestWebLaporUnavailable: with PostgreSQL away the form still renders (plain text
// fields for the place), and a submission answers 503 with the form kept and no
// internals shown.
func TestWebLaporUnavailable(t *testing.T) {
	t.Parallel()
	closed, err := sqlx.Open("postgres", "postgres://postgres@127.0.0.1:1/none?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	deps := apiDeps
	deps.DB = &store.DB{DB: closed}
	srv := httptest.NewServer(newRouter(t, deps))
	defer srv.Close()

	page := webGet(t, srv.URL, "/lapor")
	wantContains(t, "the form without a directory", wantPage(t, page, http.StatusOK),
		`<input id="kecamatan" name="kecamatan"`, `<input id="desa" name="desa"`)
	form := url.Values{"token": {formToken(t, page)}, "text": {uniqueText(t)}, "kecamatan": {"Simboro"}, "desa": {"Botteng"}}
	body := wantPage(t, webPost(t, srv.URL, form), http.StatusServiceUnavailable)
	wantContains(t, "the 503 page", body, "BELUM terkirim", "coba lagi", form.Get("text"), `value="Simboro"`)
	for _, leak := range []string{"sql:", "database is closed", "goroutine", "panic", ".go:"} {
		if strings.Contains(body, leak) {
			t.Errorf("the 503 page shows internals (%q)", leak)
		}
	}
	// The result page needs nothing but its address.
	wantContains(t, "the result page without PostgreSQL",
		wantPage(t, webGet(t, srv.URL, "/lapor/terkirim/ADU-7K3Q-XW2M"), http.StatusOK), "ADU-7K3Q-XW2M")
}

// TestBrowserLapor: a real headless Chromium on a 360-px phone screen loads the form,
// fills it in, taps "Kirim aduan" and lands on the result page with the new code; the
// pages carry no script (the test types through the DevTools protocol). With
// ADUAN_SCREENSHOTS=1 it saves docs/lapor-form.png and docs/lapor-terkirim.png.
func TestBrowserLapor(t *testing.T) {
	t.Parallel()
	b := startChromium(t)
	tab := b.newTab(t)
	tab.call(t, "Page.enable", nil)
	tab.call(t, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": 360, "height": 780, "deviceScaleFactor": 2, "mobile": true})
	tab.navigate(t, baseURL+"/lapor")

	var page struct {
		Lang       string  `json:"lang"`
		Scripts    int     `json:"scripts"`
		Width      int     `json:"width"`
		Scroll     int     `json:"scroll"`
		Font       float64 `json:"font"`
		MinTarget  float64 `json:"minTarget"`
		Button     string  `json:"button"`
		Fields     int     `json:"fields"`
		DesaGroups int     `json:"desaGroups"`
	}
	tab.evaluate(t, `(() => {
		const targets = [...document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]), select, textarea, button, label.cb')];
		return {
			lang: document.documentElement.lang,
			scripts: document.scripts.length,
			width: window.innerWidth,
			scroll: document.documentElement.scrollWidth,
			font: parseFloat(getComputedStyle(document.body).fontSize),
			minTarget: Math.min(...targets.map(e => e.getBoundingClientRect().height)),
			button: getComputedStyle(document.querySelector('button')).backgroundColor,
			fields: document.forms[0].elements.length,
			desaGroups: document.querySelectorAll('#desa optgroup').length,
		};
	})()`, &page)
	t.Logf("form in Chromium: %+v", page)
	if page.Lang != "id" || page.Scripts != 0 || page.Fields < 11 || page.DesaGroups < 2 {
		t.Errorf("the form in Chromium: %+v", page)
	}
	if page.Width != 360 || page.Scroll > 360 {
		t.Errorf("on a 360-px screen the page is %d px wide (viewport %d): it scrolls sideways", page.Scroll, page.Width)
	}
	// The inline style applies under the page's Content-Security-Policy.
	if page.Button != "rgb(11, 93, 30)" || page.Font < 16 {
		t.Errorf("the inline CSS did not apply: button %q, font %v px", page.Button, page.Font)
	}
	if page.MinTarget < 44 {
		t.Errorf("a tap target is %.0f px high, want at least 44", page.MinTarget)
	}
	// The narrowest phones: 320 px, still no sideways scrolling.
	tab.call(t, "Emulation.setDeviceMetricsOverride", map[string]any{"width": 320, "height": 640, "deviceScaleFactor": 2, "mobile": true})
	var scroll int
	tab.evaluate(t, `document.documentElement.scrollWidth`, &scroll)
	if scroll > 320 {
		t.Errorf("on a 320-px screen the page is %d px wide", scroll)
	}
	tab.call(t, "Emulation.setDeviceMetricsOverride", map[string]any{"width": 360, "height": 780, "deviceScaleFactor": 2, "mobile": true})
	tab.screenshot(t, "lapor-form.png")

	// Fill the form in and tap the button: the browser's own submission.
	text := uniqueText(t) + " Sudah dua minggu, 40 KK belum menerima beras."
	js, _ := json.Marshal(text)
	tab.evaluate(t, `(() => {
		const set = (id, v) => { document.getElementById(id).value = v; };
		set('text', `+string(js)+`);
		set('name', 'Ibu Hasnah');
		set('phone', '`+webPhone()+`');
		set('kecamatan', 'simboro');
		set('desa', 'botteng');
		set('category', 'bantuan_logistik');
		document.querySelector('input[name=anonymous]').checked = true;
		return true;
	})()`, nil)
	tab.await(t, "Page.loadEventFired", func() { tab.evaluate(t, `document.querySelector('button[type=submit]').click(), true`, nil) })

	var result struct {
		Path    string `json:"path"`
		Code    string `json:"code"`
		Scripts int    `json:"scripts"`
		Scroll  int    `json:"scroll"`
		Link    string `json:"link"`
	}
	tab.evaluate(t, `(() => ({
		path: location.pathname,
		code: (document.getElementById('kode') || {}).textContent,
		scripts: document.scripts.length,
		scroll: document.documentElement.scrollWidth,
		link: (document.querySelector('a.btn') || {}).pathname,
	}))()`, &result)
	t.Logf("result in Chromium: %+v", result)
	if !codePattern.MatchString(result.Code) || result.Path != "/lapor/terkirim/"+result.Code || result.Scripts != 0 ||
		result.Scroll > 360 || result.Link != "/lacak/"+result.Code {
		t.Fatalf("after submitting in Chromium: %+v", result)
	}
	var row struct {
		Code      string `db:"code"`
		Channel   string `db:"channel"`
		Desa      string `db:"desa"`
		Anonymous bool   `db:"anonymous"`
	}
	if err := testDB.Get(&row, `SELECT code, channel, desa, anonymous FROM complaints WHERE text = $1`, text); err != nil {
		t.Fatalf("the complaint sent from Chromium: %v", err)
	}
	if row.Code != result.Code || row.Channel != "web" || row.Desa != "botteng" || !row.Anonymous {
		t.Errorf("stored %+v, page shows %s", row, result.Code)
	}
	tab.screenshot(t, "lapor-terkirim.png")

	// Reloading the result page sends nothing again (redirect after POST).
	tab.await(t, "Page.loadEventFired", func() { tab.call(t, "Page.reload", map[string]any{"ignoreCache": true}) })
	var n int
	if err := testDB.Get(&n, `SELECT count(*) FROM complaints WHERE text = $1`, text); err != nil || n != 1 {
		t.Errorf("%d complaints after reloading the result page, want 1 (%v)", n, err)
	}
}

// chromiumPath finds Debian's chromium; when it is missing and the integration tests are
// required, it installs it with the project's script (as root), or fails saying how.
func chromiumPath(t *testing.T) string {
	t.Helper()
	find := func() string {
		for _, p := range []string{"/usr/bin/chromium", "chromium"} {
			if p, err := exec.LookPath(p); err == nil {
				return p
			}
		}
		return ""
	}
	if p := find(); p != "" {
		return p
	}
	if !required() {
		t.Skip("no chromium (apt-get install chromium, or run `make test` as root); skipping the browser test")
	}
	if os.Geteuid() == 0 {
		t.Log("chromium missing: installing it with scripts/lib.sh ensure_chromium")
		cmd := exec.Command("bash", "-c", "source scripts/lib.sh && ensure_chromium")
		cmd.Dir = ".."
		out, err := cmd.CombinedOutput()
		t.Logf("ensure_chromium: %s", out)
		if err != nil {
			t.Logf("ensure_chromium: %v", err)
		}
		if p := find(); p != "" {
			return p
		}
	}
	t.Fatal("the browser test needs Debian's chromium (/usr/bin/chromium): run `apt-get install -y chromium` as root, " +
		"or `make test` as root, which installs it (ADUAN_REQUIRE_INTEGRATION=1)")
	return ""
}

// cdpMessage is one message of the Chrome DevTools protocol.
type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// browser is a headless Chromium driven over --remote-debugging-pipe: the protocol's
// JSON messages, each ended by a NUL byte, on file descriptors 3 (to Chromium) and 4
// (from it). No websocket, no port, no npm package.
type browser struct {
	cmd     *exec.Cmd
	out     *os.File
	mu      sync.Mutex
	nextID  int
	pending map[int]chan cdpMessage
	events  map[string]chan cdpMessage // by session
	stderr  bytes.Buffer
	done    chan struct{}
}

// tab is one page of the browser, attached as a session.
type tab struct {
	b       *browser
	session string
	events  chan cdpMessage
}

func startChromium(t *testing.T) *browser {
	t.Helper()
	bin := chromiumPath(t)
	profile := t.TempDir() // removed after the browser has exited (cleanups run last-in first-out)
	toChrome, chromeIn, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	chromeOut, fromChrome, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--no-default-browser-check", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "--password-store=basic",
		"--user-data-dir="+profile, "--remote-debugging-pipe", "about:blank")
	cmd.ExtraFiles = []*os.File{toChrome, fromChrome} // fds 3 and 4 of Chromium
	b := &browser{cmd: cmd, out: chromeIn, pending: map[int]chan cdpMessage{}, events: map[string]chan cdpMessage{},
		done: make(chan struct{})}
	cmd.Stdout = io.Discard
	cmd.Stderr = &lockedWriter{mu: &b.mu, w: &b.stderr}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	toChrome.Close()
	fromChrome.Close()
	go b.read(chromeOut)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = b.send(ctx, "", "Browser.close", nil)
		select {
		case <-b.done:
		case <-ctx.Done():
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		chromeIn.Close()
		chromeOut.Close()
		if t.Failed() {
			b.mu.Lock()
			t.Logf("chromium's stderr (last 3000 bytes): %s", tail(b.stderr.Bytes(), 3000))
			b.mu.Unlock()
		}
	})
	return b
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// read dispatches Chromium's messages: answers to their callers, events to their tab.
func (b *browser) read(r io.Reader) {
	defer close(b.done)
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		raw, err := br.ReadBytes(0)
		if err != nil {
			return
		}
		var m cdpMessage
		if err := json.Unmarshal(raw[:len(raw)-1], &m); err != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch := b.pending[m.ID]; ch != nil {
				ch <- m
				delete(b.pending, m.ID)
			}
		} else if ch := b.events[m.SessionID]; ch != nil {
			select {
			case ch <- m:
			default: // nobody waits for this many events; drop the oldest kind
			}
		}
		b.mu.Unlock()
	}
}

// send calls a protocol method (in a session, or on the browser with session "").
func (b *browser) send(ctx context.Context, session, method string, params any) (json.RawMessage, error) {
	ch := make(chan cdpMessage, 1)
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	b.pending[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	raw, err := json.Marshal(msg)
	if err != nil {
		return nil, err
	}
	if _, err := b.out.Write(append(raw, 0)); err != nil {
		return nil, fmt.Errorf("%s: write to chromium: %w", method, err)
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return nil, fmt.Errorf("%s: %s (%d)", method, m.Error.Message, m.Error.Code)
		}
		return m.Result, nil
	case <-b.done:
		return nil, fmt.Errorf("%s: chromium has gone", method)
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: no answer: %w", method, ctx.Err())
	}
}

// newTab opens a page and attaches to it.
func (b *browser) newTab(t *testing.T) *tab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	raw, err := b.send(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"})
	if err != nil {
		t.Fatal(err)
	}
	var target struct {
		TargetID string `json:"targetId"`
	}
	_ = json.Unmarshal(raw, &target)
	raw, err = b.send(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true})
	if err != nil {
		t.Fatal(err)
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	_ = json.Unmarshal(raw, &attached)
	tb := &tab{b: b, session: attached.SessionID, events: make(chan cdpMessage, 1024)}
	b.mu.Lock()
	b.events[tb.session] = tb.events
	b.mu.Unlock()
	return tb
}

// call calls a method in the tab, failing the test on an error.
func (tb *tab) call(t *testing.T, method string, params any) json.RawMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	raw, err := tb.b.send(ctx, tb.session, method, params)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// await runs action and waits for the event it causes (events from before are dropped).
func (tb *tab) await(t *testing.T, event string, action func()) {
	t.Helper()
	for drained := false; !drained; {
		select {
		case <-tb.events:
		default:
			drained = true
		}
	}
	action()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case m := <-tb.events:
			if m.Method == event {
				return
			}
		case <-timeout:
			t.Fatalf("no %s within 30 s", event)
		}
	}
}

// navigate loads url and waits until it has loaded.
func (tb *tab) navigate(t *testing.T, u string) {
	t.Helper()
	tb.await(t, "Page.loadEventFired", func() {
		var nav struct {
			ErrorText string `json:"errorText"`
		}
		_ = json.Unmarshal(tb.call(t, "Page.navigate", map[string]any{"url": u}), &nav)
		if nav.ErrorText != "" {
			t.Fatalf("navigate to %s: %s", u, nav.ErrorText)
		}
	})
}

// evaluate runs a JavaScript expression in the page (from DevTools: the page itself
// allows no script) and decodes its value into v (nil: ignored).
func (tb *tab) evaluate(t *testing.T, expr string, v any) {
	t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(tb.call(t, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}), &res); err != nil {
		t.Fatal(err)
	}
	if e := res.ExceptionDetails; e != nil {
		t.Fatalf("evaluate %.80s…: %s %s", expr, e.Text, e.Exception.Description)
	}
	if v != nil {
		if err := json.Unmarshal(res.Result.Value, v); err != nil {
			t.Fatalf("evaluate %.80s…: decode %s: %v", expr, res.Result.Value, err)
		}
	}
}

// screenshot saves the whole page as docs/<name> when ADUAN_SCREENSHOTS=1.
func (tb *tab) screenshot(t *testing.T, name string) {
	t.Helper()
	if os.Getenv("ADUAN_SCREENSHOTS") != "1" {
		return
	}
	var metrics struct {
		Content struct {
			Width  float64 `json:"width"`
			Height float64 `json:"height"`
		} `json:"cssContentSize"`
	}
	_ = json.Unmarshal(tb.call(t, "Page.getLayoutMetrics", nil), &metrics)
	var shot struct {
		Data string `json:"data"`
	}
	_ = json.Unmarshal(tb.call(t, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": metrics.Content.Width, "height": metrics.Content.Height, "scale": 1}}), &shot)
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil || len(png) == 0 {
		t.Fatalf("screenshot %s: %v", name, errors.Join(err, errors.New("empty image")))
	}
	path := filepath.Join("..", "docs", name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("saved %s (%d bytes, page %.0f×%.0f CSS px)", path, len(png), metrics.Content.Width, metrics.Content.Height)
}

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestBrowserConsole: the staff console in a real headless Chromium, by four users each
// in a browser context of their own (their own cookies): the operator logs a phone call
// and triages it, the pokja forwards it, the partner answers from a 360-px phone screen,
// the pokja approves, the operator previews the redaction and publishes, and the
// supervisor's board follows the counts. Every form is filled in and submitted in the
// page (the pages have no script; the test types through the DevTools protocol). On each
// page axe-core (ADUAN_AXE_JS, installed by `make test`) finds no serious or critical
// accessibility problem. With ADUAN_SCREENSHOTS=1 it saves docs/console-*.png.
func TestBrowserConsole(t *testing.T) {
	axeJS := loadAxe(t)
	b := startChromium(t)
	desk := map[string]any{"width": 1100, "height": 800, "deviceScaleFactor": 1, "mobile": false}
	admin := b.userTab(t, desk)
	sup := b.userTab(t, desk)
	pokja := b.userTab(t, desk)
	partner := b.userTab(t, map[string]any{"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": true})
	check := func(tb *tab, page string) { t.Helper(); tb.axe(t, axeJS, page) }

	// The operator signs in through the login form (password and TOTP code).
	admin.navigate(t, baseURL+"/staf/masuk")
	check(admin, "login page")
	admin.login(t, "admin")
	if p := admin.text(t); !strings.Contains(p, "Kotak masuk") || !strings.Contains(p, "Catat aduan") {
		t.Fatalf("the admin's inbox: %.600s", p)
	}
	check(admin, "inbox")

	// The supervisor's board before: the open count of the logistics pokja.
	sup.login(t, "supervisor")
	sup.navigate(t, baseURL+"/staf/papan")
	before := sup.boardCount(t, "pokja=logistik")

	// The operator logs a phone call; the code is shown large.
	admin.navigate(t, baseURL+"/staf/baru")
	check(admin, "new complaint form")
	text := "Telepon: bantuan beras belum sampai di dusun kami sejak minggu lalu " + randomHex(4)
	admin.submit(t, `form[action="/staf/baru"]`, map[string]string{"channel": "phone", "text": text,
		"kecamatan": "simboro", "desa": "botteng", "name": "Ibu Rahma", "phone": webPhone()})
	var reg struct {
		Path string  `json:"path"`
		Code string  `json:"code"`
		Size float64 `json:"size"`
	}
	admin.evaluate(t, `(() => { const e = document.querySelector('p.big');
		return {path: location.pathname, code: e ? e.textContent.trim() : '', size: e ? parseFloat(getComputedStyle(e).fontSize) : 0}; })()`, &reg)
	code := reg.Code
	if !codePattern.MatchString(code) || reg.Path != "/staf/baru/"+code || reg.Size < 24 {
		t.Fatalf("after registering: %+v", reg)
	}
	check(admin, "new complaint's code")
	admin.screenshot(t, "console-new.png")

	// The new complaint waits in the operator's inbox.
	admin.navigate(t, baseURL+"/staf")
	if p := admin.text(t); !strings.Contains(p, code) || !strings.Contains(p, "Diterima") {
		t.Errorf("the admin's inbox does not list %s: %.600s", code, p)
	}
	check(admin, "inbox with the new complaint")
	admin.screenshot(t, "console-inbox.png")

	// The complaint's page with the triage form; the operator triages it to the logistics pokja.
	admin.navigate(t, baseURL+"/staf/aduan/"+code)
	admin.wantStatus(t, "Diterima")
	if p := admin.text(t); !strings.Contains(p, "Teruskan ke pokja") || !strings.Contains(p, "Ibu Rahma") {
		t.Fatalf("the complaint's page for the admin: %.800s", p)
	}
	check(admin, "complaint page (admin, triage)")
	admin.screenshot(t, "console-case.png")
	admin.submit(t, `form[action$="/aksi/triage"]`, map[string]string{"pokja": "logistik", "category": "bantuan_logistik",
		"priority": "high", "title": "Beras belum sampai di Botteng"})
	admin.wantStatus(t, "Ditangani pokja")

	// The board counts it at the logistics pokja.
	sup.navigate(t, baseURL+"/staf/papan")
	if after := sup.boardCount(t, "pokja=logistik"); after != before+1 {
		t.Errorf("board: pokja logistik open %d before triage, %d after; want one more", before, after)
	}
	check(sup, "board")
	sup.screenshot(t, "console-board.png")

	// The pokja finds it in its inbox and forwards it to the partner.
	pokja.login(t, "pokja-logistik")
	if p := pokja.text(t); !strings.Contains(p, code) {
		t.Errorf("the pokja's inbox does not list %s", code)
	}
	pokja.navigate(t, baseURL+"/staf/aduan/"+code)
	check(pokja, "complaint page (pokja, forward)")
	pokja.submit(t, `form[action$="/aksi/forward"]`, map[string]string{"partner": "ypii", "note": "Mohon dicek jadwal distribusi"})
	pokja.wantStatus(t, "Diteruskan ke lembaga mitra")

	// The partner answers on a 360-px phone screen: no sideways scrolling, no complainant.
	partner.login(t, "mitra-ypii")
	partner.noSideScroll(t, 360, "the partner's inbox")
	partner.navigate(t, baseURL+"/staf/aduan/"+code)
	partner.noSideScroll(t, 360, "the partner's complaint page")
	if p := partner.text(t); strings.Contains(p, "Ibu Rahma") || !strings.Contains(p, "Kirim jawaban") {
		t.Errorf("the partner's page (shows the complainant: %v): %.600s", strings.Contains(p, "Ibu Rahma"), p)
	}
	check(partner, "complaint page (partner, 360 px)")
	partner.screenshot(t, "console-partner.png")
	partner.submit(t, `form[action$="/aksi/partner_answer"]`, map[string]string{"answer": "Distribusi beras ke Botteng hari Jumat."})
	partner.wantStatus(t, "Ditinjau pokja")
	partner.noSideScroll(t, 360, "the partner's page after answering")

	// The pokja approves the partner's answer as it is.
	pokja.navigate(t, baseURL+"/staf/aduan/"+code)
	pokja.submit(t, `form[action$="/aksi/approve"]`, nil)
	pokja.wantStatus(t, "Siap diterbitkan")

	// The operator previews the public answer: the phone number will be redacted.
	admin.navigate(t, baseURL+"/staf/aduan/"+code)
	check(admin, "complaint page (admin, publish)")
	admin.submit(t, `form[action$="/pratinjau"]`, map[string]string{"public_title": "Distribusi beras di Botteng",
		"public_answer": "Distribusi beras ke Botteng hari Jumat. Info: 0812-3456-7890."})
	if p := admin.text(t); !strings.Contains(p, "1 nomor telepon") || !strings.Contains(p, "[nomor telepon disamarkan]") ||
		!strings.Contains(p, "Terbitkan sekarang") {
		t.Fatalf("the publish preview: %.800s", p)
	}
	admin.wantStatus(t, "Siap diterbitkan")
	check(admin, "publish preview")
	admin.screenshot(t, "console-preview.png")
	admin.submit(t, `form[action$="/aksi/publish"]`, nil)
	admin.wantStatus(t, "Dijawab dan diterbitkan")
	if v := view(t, "admin", code); v.Status != "published" || strings.Contains(v.PublicAnswer, "0812") {
		t.Errorf("published: %s %q", v.Status, v.PublicAnswer)
	}

	// The board: the logistics pokja's count is back where it was.
	sup.navigate(t, baseURL+"/staf/papan")
	if after := sup.boardCount(t, "pokja=logistik"); after != before {
		t.Errorf("board: pokja logistik open %d before, %d after publishing", before, after)
	}

	// The other pages of the console.
	for _, p := range []struct{ path, name string }{
		{"/staf/cari?q=" + code, "search"},
		{"/staf/cari?status=published&pokja=logistik", "search with filters"},
		{"/staf/notifikasi", "notifications"},
		{"/staf/laporan", "report"},
		{"/staf/akun", "profile page"},
	} {
		sup.navigate(t, baseURL+p.path)
		if p.name == "search" && !strings.Contains(sup.text(t), code) {
			t.Errorf("search by code does not find %s", code)
		}
		check(sup, p.name)
	}
	pokja.navigate(t, baseURL+"/staf/akun/2fa")
	check(pokja, "2FA enrolment")
	pokja.navigate(t, baseURL+"/staf/aduan/ADU-0000-0000")
	check(pokja, "not-found message")
	// The system admin's pages.
	for _, p := range []struct{ path, name string }{
		{"/staf/admin/pengguna", "users page"},
		{"/staf/admin/kebijakan", "policy page"},
		{"/staf/admin/direktori", "directory page"},
		{"/staf/admin/templat", "templates page"},
	} {
		admin.navigate(t, baseURL+p.path)
		check(admin, p.name)
	}
}

// loadAxe reads axe-core's axe.min.js from ADUAN_AXE_JS ("" when the check is skipped).
func loadAxe(t *testing.T) string {
	t.Helper()
	path := os.Getenv("ADUAN_AXE_JS")
	if path == "" {
		if required() {
			t.Fatal("ADUAN_AXE_JS is not set: run `make test` (scripts/lib.sh ensure_axe installs axe-core into .tools/ " +
				"and sets it), or set it to axe.min.js")
		}
		t.Log("ADUAN_AXE_JS not set: skipping the accessibility check (make test runs it)")
		return ""
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("ADUAN_AXE_JS: %v", err)
	}
	return string(raw)
}

// userTab opens a page in a browser context of its own (cookies not shared with the
// other tabs) with the given screen.
func (b *browser) userTab(t *testing.T, metrics map[string]any) *tab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var bc struct {
		ID string `json:"browserContextId"`
	}
	var target struct {
		TargetID string `json:"targetId"`
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	raw, err := b.send(ctx, "", "Target.createBrowserContext", map[string]any{"disposeOnDetach": true})
	if err == nil {
		_ = json.Unmarshal(raw, &bc)
		raw, err = b.send(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank", "browserContextId": bc.ID})
	}
	if err == nil {
		_ = json.Unmarshal(raw, &target)
		raw, err = b.send(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true})
	}
	if err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(raw, &attached)
	tb := &tab{b: b, session: attached.SessionID, events: make(chan cdpMessage, 1024)}
	b.mu.Lock()
	b.events[tb.session] = tb.events
	b.mu.Unlock()
	tb.call(t, "Page.enable", nil)
	tb.call(t, "Emulation.setDeviceMetricsOverride", metrics)
	return tb
}

// login signs a demo user in through /staf/masuk as a person would: the fields filled in
// (the TOTP code for those who have one) and the button pressed; it wants the console.
func (tb *tab) login(t *testing.T, user string) {
	t.Helper()
	l, ok := logins[user]
	if !ok {
		t.Fatalf("no demo login for %q", user)
	}
	otp := ""
	if l.TOTPSecret != nil {
		otp = otpCode(t, user, *l.TOTPSecret)
	}
	tb.navigate(t, baseURL+"/staf/masuk")
	tb.submit(t, `form[action="/staf/masuk"]`, map[string]string{"username": user, "password": l.Password, "otp": otp})
	var path string
	tb.evaluate(t, `location.pathname`, &path)
	if path != "/staf" {
		t.Fatalf("login as %s in Chromium ended at %s: %.400s", user, path, tb.text(t))
	}
}

// submit fills in the fields of the form matching selector (a radio group by its value),
// unfolds it when it sits in a closed <details>, presses its submit button and waits for
// the next page.
func (tb *tab) submit(t *testing.T, selector string, fields map[string]string) {
	t.Helper()
	sel, _ := json.Marshal(selector)
	vals, _ := json.Marshal(fields)
	var found bool
	tb.evaluate(t, fmt.Sprintf(`(() => {
		const f = document.querySelector(%s);
		if (!f) return false;
		const d = f.closest('details'); if (d) d.open = true;
		for (const [k, v] of Object.entries(%s || {})) {
			const e = f.elements.namedItem(k);
			if (!e) throw new Error('no field ' + k);
			e.value = v;
		}
		return true;
	})()`, sel, vals), &found)
	if !found {
		t.Fatalf("no form %s on %.600s", selector, tb.text(t))
	}
	tb.await(t, "Page.loadEventFired", func() {
		tb.evaluate(t, fmt.Sprintf(`document.querySelector(%s).querySelector('button[type=submit]').click(), true`, sel), nil)
	})
}

// text is what the page shows.
func (tb *tab) text(t *testing.T) string {
	t.Helper()
	var s string
	tb.evaluate(t, `document.body.innerText`, &s)
	return s
}

// wantStatus checks the status shown at the top of a complaint's page.
func (tb *tab) wantStatus(t *testing.T, label string) {
	t.Helper()
	var got string
	tb.evaluate(t, `(() => { const c = document.querySelector('p > span.code');
		const b = c && c.parentElement.querySelector('b'); return b ? b.textContent : ''; })()`, &got)
	if got != label {
		t.Errorf("status shown %q, want %q", got, label)
	}
}

// boardCount is the open count of the board's row whose link has query (0 without a row).
func (tb *tab) boardCount(t *testing.T, query string) int {
	t.Helper()
	q, _ := json.Marshal(query)
	var n int
	tb.evaluate(t, fmt.Sprintf(`(() => {
		const a = [...document.querySelectorAll('td a')].find(a => a.search.includes(%s) && a.search.includes('giliran=1') &&
			!a.search.includes('overdue'));
		return a ? parseInt(a.textContent, 10) : 0; })()`, q), &n)
	return n
}

// noSideScroll checks that the page is no wider than the screen.
func (tb *tab) noSideScroll(t *testing.T, width int, what string) {
	t.Helper()
	var scroll int
	tb.evaluate(t, `document.documentElement.scrollWidth`, &scroll)
	if scroll > width {
		t.Errorf("%s is %d px wide on a %d-px screen: it scrolls sideways", what, scroll, width)
	}
}

// axeViolation is one rule axe-core found broken, with the first elements breaking it.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axe runs axe-core (its source in js; "" skips) in the page and fails on every
// violation of impact serious or critical; the others are logged.
func (tb *tab) axe(t *testing.T, js, page string) {
	t.Helper()
	if js == "" {
		return
	}
	var loaded bool
	tb.evaluate(t, `typeof axe !== 'undefined'`, &loaded)
	if !loaded {
		tb.evaluate(t, js+"\n;true", nil)
	}
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
	expr := `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help, targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))`
	if err := json.Unmarshal(tb.call(t, "Runtime.evaluate", map[string]any{"expression": expr, "awaitPromise": true,
		"returnByValue": true}), &res); err != nil {
		t.Fatal(err)
	}
	if e := res.ExceptionDetails; e != nil {
		t.Fatalf("axe on the %s: %s %s", page, e.Text, e.Exception.Description)
	}
	var found []axeViolation
	if err := json.Unmarshal(res.Result.Value, &found); err != nil {
		t.Fatalf("axe on the %s: %s: %v", page, res.Result.Value, err)
	}
	serious := 0
	for _, v := range found {
		line := fmt.Sprintf("axe on the %s: %s (%s): %s; %s", page, v.ID, v.Impact, v.Help, strings.Join(v.Targets, " | "))
		if v.Impact == "serious" || v.Impact == "critical" {
			serious++
			t.Error(line)
		} else {
			t.Log(line)
		}
	}
	if serious == 0 {
		t.Logf("axe on the %s: no serious or critical violation (%d others)", page, len(found))
	}
}

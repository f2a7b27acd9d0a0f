package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"aduan/accounts"
	"aduan/domain"
	"aduan/store"
)

// staffBrowser is a staff member's browser on the pages under /staf: a cookie jar, redirects
// not followed.
type staffBrowser struct {
	t      testing.TB
	client *http.Client
}

func newBrowser(t testing.TB) *staffBrowser {
	jar, _ := cookiejar.New(nil)
	return &staffBrowser{t: t, client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *staffBrowser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, string(raw)
}

func (b *staffBrowser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("GET", baseURL+path, nil)
	return b.do(req)
}

func (b *staffBrowser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", baseURL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// cookie is the value of the browser's cookie name for /staf ("" when none).
func (b *staffBrowser) cookie(name string) string {
	u, _ := url.Parse(baseURL + "/staf/")
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// setSession puts a session id in the browser's jar (another browser's, or a made-up one).
func (b *staffBrowser) setSession(id string) {
	u, _ := url.Parse(baseURL + "/staf/")
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: "aduan_sesi", Value: id, Path: "/staf"}})
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrfOf is the csrf_token of the first form in a page.
func csrfOf(t testing.TB, body string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf_token in the page:\n%.600s", body)
	}
	return m[1]
}

// sessionCSRF is the signed-in browser's CSRF token, from its account page.
func (b *staffBrowser) sessionCSRF() string {
	b.t.Helper()
	res, body := b.get("/staf/akun/2fa")
	if res.StatusCode != 200 {
		b.t.Fatalf("account page: %d", res.StatusCode)
	}
	return csrfOf(b.t, body)
}

// submitLogin fills in /staf/masuk as a user would: the form first (its CSRF token), then
// the POST.
func (b *staffBrowser) submitLogin(username, password, otp string) (*http.Response, string) {
	b.t.Helper()
	res, body := b.get("/staf/masuk")
	if res.StatusCode != 200 {
		b.t.Fatalf("login page: %d", res.StatusCode)
	}
	return b.post("/staf/masuk", url.Values{"csrf_token": {csrfOf(b.t, body)}, "username": {username},
		"password": {password}, "otp": {otp}})
}

var (
	otpMu   sync.Mutex
	otpLast = map[string]int64{}
)

// otpCode is a TOTP code of secret the server has not seen yet for user (a code works
// once; the server takes the next step's code too).
func otpCode(t testing.TB, user, secret string) string {
	t.Helper()
	otpMu.Lock()
	defer otpMu.Unlock()
	step := time.Now().Unix() / 30
	if step <= otpLast[user] {
		step = otpLast[user] + 1
	}
	for time.Now().Unix()/30+1 < step {
		time.Sleep(time.Second)
	}
	otpLast[user] = step
	code, err := accounts.TOTPCode(secret, time.Unix(step*30, 0))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// loginAs signs a demo user in (with their TOTP code when they have one) in a new
// browser.
func loginAs(t testing.TB, user string) *staffBrowser {
	t.Helper()
	l, ok := logins[user]
	if !ok {
		t.Fatalf("no demo login for %q", user)
	}
	otp := ""
	if l.TOTPSecret != nil {
		otp = otpCode(t, user, *l.TOTPSecret)
	}
	b := newBrowser(t)
	res, body := b.submitLogin(user, l.Password, otp)
	if res.StatusCode != http.StatusSeeOther || b.cookie("aduan_sesi") == "" {
		t.Fatalf("login as %s: %d %.400s", user, res.StatusCode, body)
	}
	return b
}

// newStaffUser makes a staff user of role with a password (pokja users in logistik),
// deactivated when the test ends so that no other test finds them among the recipients
// of its notifications.
func newStaffUser(t testing.TB, prefix string, role domain.Role, password string) string {
	t.Helper()
	ctx := context.Background()
	username := prefix + "-" + randomHex(4)
	group := ""
	if role == domain.RolePokja {
		group = "logistik"
	}
	if err := testDB.UpsertStaff(ctx, store.NewStaff(username, "Uji "+username, role, group)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := testDB.SetStaffActive(context.Background(), username, false); err != nil {
			t.Errorf("deactivate %s: %v", username, err)
		}
	})
	if password != "" {
		if err := accounts.New(testDB, accounts.Config{}).SetPassword(ctx, username, password); err != nil {
			t.Fatal(err)
		}
	}
	return username
}

func TestLoginWrongPassword(t *testing.T) {
	b := newBrowser(t)
	res, body := b.get("/staf/masuk")
	if res.StatusCode != 200 || !strings.Contains(body, `lang="id"`) || !strings.Contains(body, `name="username"`) ||
		!strings.Contains(body, `name="password"`) || !strings.Contains(body, `name="otp"`) {
		t.Fatalf("login page: %d %s", res.StatusCode, body)
	}
	res, wrong := b.submitLogin("pokja-hunian", "bukan-kata-sandinya", "")
	if res.StatusCode != 200 || !strings.Contains(wrong, "Nama pengguna atau kata sandi salah") || b.cookie("aduan_sesi") != "" {
		t.Errorf("wrong password: %d cookie %q %.300s", res.StatusCode, b.cookie("aduan_sesi"), wrong)
	}
	if strings.Contains(wrong, "bukan-kata-sandinya") {
		t.Errorf("the page shows the password typed")
	}
	// An unknown username gets the same message.
	res, unknown := b.submitLogin("tidak-ada-"+randomHex(3), "bukan-kata-sandinya", "")
	if res.StatusCode != 200 || !strings.Contains(unknown, "Nama pengguna atau kata sandi salah") || b.cookie("aduan_sesi") != "" {
		t.Errorf("unknown user: %d %.300s", res.StatusCode, unknown)
	}
}

func TestLoginLockout(t *testing.T) {
	const pw = "kata-sandi-benar-1"
	user := newStaffUser(t, "kunci", domain.RolePokja, pw)
	b := newBrowser(t)
	for i := 1; i <= 10; i++ {
		if res, _ := b.submitLogin(user, "salah-"+randomHex(2), ""); res.StatusCode != 200 {
			t.Fatalf("failure %d: %d", i, res.StatusCode)
		}
	}
	// Locked: even the right password is refused, with no session.
	res, body := b.submitLogin(user, pw, "")
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "15 menit") || b.cookie("aduan_sesi") != "" {
		t.Fatalf("after 10 failures: %d %.300s", res.StatusCode, body)
	}
	// 15 minutes later (the lock moved into the past) the right password works again.
	if _, err := testDB.ExecContext(context.Background(), `UPDATE login_throttle SET locked_until = now() - interval '1 second'
		WHERE key = $1`, "user:"+user); err != nil {
		t.Fatal(err)
	}
	if res, body := b.submitLogin(user, pw, ""); res.StatusCode != http.StatusSeeOther || b.cookie("aduan_sesi") == "" {
		t.Errorf("after the lock: %d %.300s", res.StatusCode, body)
	}
}

func TestLoginTOTPRequired(t *testing.T) {
	l := logins["admin"]
	if l.TOTPSecret == nil {
		t.Fatal("the demo admin has no TOTP secret")
	}
	b := newBrowser(t)
	res, body := b.submitLogin("admin", l.Password, "")
	if res.StatusCode != 200 || b.cookie("aduan_sesi") != "" || !strings.Contains(body, "kode") {
		t.Fatalf("admin with the password alone: %d cookie %q", res.StatusCode, b.cookie("aduan_sesi"))
	}
	if res, _ := b.submitLogin("admin", l.Password, "000000"); res.StatusCode != 200 || b.cookie("aduan_sesi") != "" {
		t.Errorf("admin with a wrong code: %d", res.StatusCode)
	}
	res, _ = b.submitLogin("admin", l.Password, otpCode(t, "admin", *l.TOTPSecret))
	if res.StatusCode != http.StatusSeeOther || b.cookie("aduan_sesi") == "" {
		t.Fatalf("admin with the code: %d", res.StatusCode)
	}
	if res, _ := b.get("/staf/laporan"); res.StatusCode != 200 {
		t.Errorf("admin's report: %d", res.StatusCode)
	}

	// A supervisor without 2FA is sent to enrol, and can open nothing else until then.
	const pw = "kata-sandi-supervisor"
	sup := newStaffUser(t, "sup", domain.RoleSupervisor, pw)
	s := newBrowser(t)
	res, _ = s.submitLogin(sup, pw, "")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staf/akun/2fa" {
		t.Fatalf("supervisor without 2FA: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := s.get("/staf/laporan"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staf/akun/2fa" {
		t.Errorf("report before enrolling: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, page := s.get("/staf/akun/2fa")
	m := regexp.MustCompile(`<code>([A-Z2-7]+)</code>`).FindStringSubmatch(page)
	if res.StatusCode != 200 || m == nil || !strings.Contains(page, `src="data:image/png;base64,`) {
		t.Fatalf("enrolment page: %d %.600s", res.StatusCode, page)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:") {
		t.Errorf("CSP %q", csp)
	}
	csrf := csrfOf(t, page)
	if res, again := s.post("/staf/akun/2fa", url.Values{"csrf_token": {csrf}, "otp": {"123456"}}); res.StatusCode != 200 ||
		!strings.Contains(again, "tidak cocok") {
		t.Errorf("a wrong enrolment code: %d", res.StatusCode)
	}
	res, done := s.post("/staf/akun/2fa", url.Values{"csrf_token": {csrf}, "otp": {otpCode(t, sup, m[1])}})
	codes := regexp.MustCompile(`<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>`).FindAllStringSubmatch(done, -1)
	if res.StatusCode != 200 || len(codes) != 8 {
		t.Fatalf("enrolled: %d, %d recovery codes %.600s", res.StatusCode, len(codes), done)
	}
	if res, _ := s.get("/staf/laporan"); res.StatusCode != 200 {
		t.Errorf("report after enrolling: %d", res.StatusCode)
	}
	// Now the password alone is not enough; a recovery code works, once.
	n := newBrowser(t)
	if res, _ := n.submitLogin(sup, pw, ""); res.StatusCode != 200 || n.cookie("aduan_sesi") != "" {
		t.Errorf("enrolled supervisor with the password alone: %d", res.StatusCode)
	}
	if res, _ := n.submitLogin(sup, pw, codes[0][1]); res.StatusCode != http.StatusSeeOther {
		t.Errorf("recovery code: %d", res.StatusCode)
	}
	n2 := newBrowser(t)
	if res, _ := n2.submitLogin(sup, pw, codes[0][1]); res.StatusCode != 200 || n2.cookie("aduan_sesi") != "" {
		t.Errorf("a recovery code used twice: %d", res.StatusCode)
	}
}

func TestSessionLogout(t *testing.T) {
	b := newBrowser(t)
	res, _ := b.submitLogin("pokja-logistik", logins["pokja-logistik"].Password, "")
	var ck *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "aduan_sesi" && c.Value != "" {
			ck = c
		}
	}
	if res.StatusCode != http.StatusSeeOther || ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode ||
		ck.Path != "/staf" || ck.Secure {
		t.Fatalf("login: %d cookie %+v", res.StatusCode, ck)
	}
	if loc := res.Header.Get("Location"); loc != "/staf" && loc != "/staf/laporan" {
		t.Errorf("after login to %q", loc)
	}
	if res, _ := b.get("/staf/laporan"); res.StatusCode != 200 {
		t.Fatalf("report with the session: %d", res.StatusCode)
	}
	res, _ = b.post("/staf/keluar", url.Values{"csrf_token": {b.sessionCSRF()}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staf/masuk" {
		t.Errorf("logout: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := b.get("/staf/laporan"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staf/masuk" {
		t.Errorf("report after logout: %d", res.StatusCode)
	}
	// The old id, sent again by hand, is dead on the server too.
	o := newBrowser(t)
	o.setSession(ck.Value)
	if res, _ := o.get("/staf/laporan"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the logged-out session id still works: %d", res.StatusCode)
	}
}

func TestSessionDeactivation(t *testing.T) {
	ctx := context.Background()
	const pw = "kata-sandi-nonaktif"
	user := newStaffUser(t, "nonaktif", domain.RolePokja, pw)
	tok, err := testDB.IssueToken(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	if res, _ := b.submitLogin(user, pw, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	if res, _ := b.get("/staf/laporan"); res.StatusCode != 200 {
		t.Fatalf("report: %d", res.StatusCode)
	}
	if r := doAt(t, baseURL, "GET", "/api/v1/staff/tasks", tok, nil, nil); r.Status != 200 {
		t.Fatalf("token before: %v", r)
	}
	acc := accounts.New(testDB, accounts.Config{})
	if err := acc.Deactivate(ctx, user); err != nil {
		t.Fatal(err)
	}
	if res, _ := b.get("/staf/laporan"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("session after deactivation: %d", res.StatusCode)
	}
	if r := doAt(t, baseURL, "GET", "/api/v1/staff/tasks", tok, nil, nil); r.Status != 401 {
		t.Errorf("token after deactivation: %v", r)
	}
	if res, _ := newBrowser(t).submitLogin(user, pw, ""); res.StatusCode != 200 {
		t.Errorf("login of a deactivated user: %d", res.StatusCode)
	}
	// Updating the user does not bring them back; activating does (without old tokens).
	if err := testDB.UpsertStaff(ctx, store.NewStaff(user, "Uji lagi", domain.RolePokja, "logistik")); err != nil {
		t.Fatal(err)
	}
	if st, err := testDB.StaffByUsername(ctx, user); err != nil || st.Active {
		t.Errorf("upsert re-activated the user: %+v %v", st, err)
	}
	if err := acc.Activate(ctx, user); err != nil {
		t.Fatal(err)
	}
	if res, _ := newBrowser(t).submitLogin(user, pw, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("login after activation: %d", res.StatusCode)
	}
	if r := doAt(t, baseURL, "GET", "/api/v1/staff/tasks", tok, nil, nil); r.Status != 401 {
		t.Errorf("old token after activation: %v", r)
	}
}

func TestLoginRevokedToken(t *testing.T) {
	ctx := context.Background()
	acc := accounts.New(testDB, accounts.Config{})
	tok, err := acc.IssueToken(ctx, "pokja-hunian", 0)
	if err != nil {
		t.Fatal(err)
	}
	if r := doAt(t, baseURL, "GET", "/api/v1/staff/tasks", tok, nil, nil); r.Status != 200 {
		t.Fatalf("new token: %v", r)
	}
	if u, err := acc.RevokeToken(ctx, tok[:12]); err != nil || u != "pokja-hunian" {
		t.Fatalf("revoke: %q %v", u, err)
	}
	if r := doAt(t, baseURL, "GET", "/api/v1/staff/tasks", tok, nil, nil); r.Status != 401 {
		t.Errorf("revoked token: %v", r)
	}
	if r := doAt(t, baseURL, "GET", "/api/v1/staff/tasks", token(t, "pokja-hunian"), nil, nil); r.Status != 200 {
		t.Errorf("the user's other token: %v", r)
	}
	// An expired token is refused too.
	old, err := acc.IssueToken(ctx, "pokja-hunian", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := testDB.ExecContext(ctx, `UPDATE staff_tokens SET expires_at = now() - interval '1 second'
		WHERE token_hash = $1`, store.HashToken(old)); err != nil {
		t.Fatal(err)
	}
	if r := doAt(t, baseURL, "GET", "/api/v1/staff/tasks", old, nil, nil); r.Status != 401 {
		t.Errorf("expired token: %v", r)
	}
}

func TestCSRF(t *testing.T) {
	// Logging in without the form's token: 403, no session.
	b := newBrowser(t)
	b.get("/staf/masuk")
	res, body := b.post("/staf/masuk", url.Values{"username": {"pokja-logistik"}, "password": {logins["pokja-logistik"].Password}})
	if res.StatusCode != http.StatusForbidden || b.cookie("aduan_sesi") != "" || !strings.Contains(body, `lang="id"`) ||
		!strings.Contains(body, "ditolak") {
		t.Errorf("login without csrf_token: %d %.300s", res.StatusCode, body)
	}
	// Signed in: logging out without the token (or with another session's) is refused
	// and the session goes on.
	s := loginAs(t, "pokja-logistik")
	other := loginAs(t, "pokja-hunian")
	for _, form := range []url.Values{{}, {"csrf_token": {"salah"}}, {"csrf_token": {other.sessionCSRF()}}} {
		if res, _ := s.post("/staf/keluar", form); res.StatusCode != http.StatusForbidden {
			t.Errorf("logout with %v: %d", form, res.StatusCode)
		}
	}
	if res, _ := s.get("/staf/laporan"); res.StatusCode != 200 {
		t.Errorf("the session ended after refused logouts: %d", res.StatusCode)
	}
	// An invite posted without the token sets no password.
	user := newStaffUser(t, "undangan-csrf", domain.RolePokja, "")
	inv, err := accounts.New(testDB, accounts.Config{}).Invite(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := newBrowser(t).post("/staf/undangan/"+inv, url.Values{"password": {"kata-sandi-baru-1"},
		"confirm": {"kata-sandi-baru-1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("invite without csrf_token: %d", res.StatusCode)
	}
	if c, err := testDB.CredentialsOf(context.Background(), user); err != nil || c.PasswordHash != "" {
		t.Errorf("a password was set: %v", err)
	}
}

func TestSessionIDChangesAtLogin(t *testing.T) {
	pw := logins["mitra-ypii"].Password
	b := newBrowser(t)
	if res, _ := b.submitLogin("mitra-ypii", pw, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first login: %d", res.StatusCode)
	}
	first := b.cookie("aduan_sesi")
	if res, _ := b.submitLogin("mitra-ypii", pw, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second login: %d", res.StatusCode)
	}
	second := b.cookie("aduan_sesi")
	if first == "" || second == "" || first == second {
		t.Fatalf("session ids %q then %q", first, second)
	}
	o := newBrowser(t)
	o.setSession(first)
	if res, _ := o.get("/staf/laporan"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the session id from before the second login still works: %d", res.StatusCode)
	}
	if res, _ := b.get("/staf/laporan"); res.StatusCode != 200 {
		t.Errorf("the new session: %d", res.StatusCode)
	}
	// The id stored is not the cookie's.
	var n int
	if err := testDB.GetContext(context.Background(), &n, `SELECT count(*) FROM staff_sessions WHERE id_hash = $1`, second); err != nil || n != 0 {
		t.Errorf("the session id is stored as is: %d %v", n, err)
	}
}

func TestLoginInvite(t *testing.T) {
	ctx := context.Background()
	acc := accounts.New(testDB, accounts.Config{})
	user := newStaffUser(t, "baru", domain.RolePokja, "")
	inv, err := acc.Invite(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	res, page := b.get("/staf/undangan/" + inv)
	if res.StatusCode != 200 || !strings.Contains(page, "Buat kata sandi") || !strings.Contains(page, user) {
		t.Fatalf("invite page: %d %.400s", res.StatusCode, page)
	}
	csrf := csrfOf(t, page)
	res, short := b.post("/staf/undangan/"+inv, url.Values{"csrf_token": {csrf}, "password": {"pendek"}, "confirm": {"pendek"}})
	if res.StatusCode != 400 || !strings.Contains(short, "paling sedikit 10 karakter") {
		t.Errorf("a short password: %d", res.StatusCode)
	}
	res, _ = b.post("/staf/undangan/"+inv, url.Values{"csrf_token": {csrf}, "password": {"kata sandi baru saya"},
		"confirm": {"kata sandi baru saya"}})
	if res.StatusCode != 200 {
		t.Fatalf("setting the password: %d", res.StatusCode)
	}
	if res, _ := newBrowser(t).submitLogin(user, "kata sandi baru saya", ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("login with the new password: %d", res.StatusCode)
	}
	if res, _ := b.get("/staf/undangan/" + inv); res.StatusCode != http.StatusNotFound {
		t.Errorf("a used invite: %d", res.StatusCode)
	}
	// An invite older than 72 hours does not work.
	inv2, err := acc.Invite(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := testDB.ExecContext(ctx, `UPDATE staff_invites SET expires_at = now() - interval '1 second'
		WHERE token_hash = $1`, store.HashToken(inv2)); err != nil {
		t.Fatal(err)
	}
	if res, _ := b.get("/staf/undangan/" + inv2); res.StatusCode != http.StatusNotFound {
		t.Errorf("an expired invite: %d", res.StatusCode)
	}
}

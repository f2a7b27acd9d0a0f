package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
)

// The staff console's pages under load: a signed-in pokja member's inbox (GET /staf) and a
// complaint's page (GET /staf/aduan/{code}), HTML rendered by the server.

// GoalPageP99 is the staff console's goal for every page.
const GoalPageP99 = 100 * time.Millisecond

// demoLogin is one entry of the demo logins file (demo.Seed writes it).
type demoLogin struct {
	Password   string  `json:"password"`
	TOTPSecret *string `json:"totp_secret"`
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// consoleClient signs user in through the login form and returns a client holding the
// session (safe for concurrent use: the cookie jar is).
func consoleClient(ctx context.Context, s *Stack, user string, conc int) (*http.Client, error) {
	raw, err := os.ReadFile(s.LoginsFile)
	if err != nil {
		return nil, fmt.Errorf("demo logins: %w", err)
	}
	var logins map[string]demoLogin
	if err := json.Unmarshal(raw, &logins); err != nil {
		return nil, fmt.Errorf("demo logins: %w", err)
	}
	l, ok := logins[user]
	if !ok || l.TOTPSecret != nil {
		return nil, fmt.Errorf("demo login %s: missing, or needs a TOTP code", user)
	}
	jar, _ := cookiejar.New(nil)
	hc := newClient(conc)
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	body, status, err := fetch(ctx, hc, "GET", s.BaseURL+"/staf/masuk", nil)
	if err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("login page: %d %v", status, err)
	}
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		return nil, fmt.Errorf("login page: no csrf_token")
	}
	form := url.Values{"csrf_token": {m[1]}, "username": {user}, "password": {l.Password}}
	if _, status, err = fetch(ctx, hc, "POST", s.BaseURL+"/staf/masuk", form); err != nil || status != http.StatusSeeOther {
		return nil, fmt.Errorf("login as %s: %d %v", user, status, err)
	}
	return hc, nil
}

// fetch does one request (a form when form is set) and returns the body and status.
func fetch(ctx context.Context, hc *http.Client, method, u string, form url.Values) (string, int, error) {
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return "", 0, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := hc.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), res.StatusCode, err
}

var firstCase = regexp.MustCompile(`href="/staf/aduan/(ADU-[0-9A-Z-]+)"`)

// measureConsole measures one pass of the console's inbox and complaint page.
func measureConsole(ctx context.Context, s *Stack, r *ScaleResult, reqs, conc int) error {
	hc, err := consoleClient(ctx, s, "pokja-logistik", conc)
	if err != nil {
		return err
	}
	defer hc.CloseIdleConnections()
	var code string
	inbox, err := hammer(ctx, reqs, conc, func(ctx context.Context, _ int) error {
		body, status, err := fetch(ctx, hc, "GET", s.BaseURL+"/staf", nil)
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("GET /staf: %d", status)
		}
		if m := firstCase.FindStringSubmatch(body); m != nil {
			code = m[1]
		}
		r.PageBytes = max(r.PageBytes, len(body))
		return err
	})
	if err != nil {
		return fmt.Errorf("console inbox: %w", err)
	}
	if code == "" {
		return fmt.Errorf("console inbox lists no complaint")
	}
	page, err := hammer(ctx, reqs, conc, func(ctx context.Context, _ int) error {
		body, status, err := fetch(ctx, hc, "GET", s.BaseURL+"/staf/aduan/"+code, nil)
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("GET /staf/aduan/%s: %d", code, status)
		}
		r.PageBytes = max(r.PageBytes, len(body))
		return err
	})
	if err != nil {
		return fmt.Errorf("console complaint page: %w", err)
	}
	r.ConsoleInbox = append(r.ConsoleInbox, inbox)
	r.ConsolePage = append(r.ConsolePage, page)
	return nil
}

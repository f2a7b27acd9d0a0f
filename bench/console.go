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

	"github.com/pquerna/otp/totp"
)

// The staff console's pages under load, each opened by a user signed in through the login
// form (with the demo TOTP secret where the role needs one), HTML rendered by the server.

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
	if !ok {
		return nil, fmt.Errorf("demo login %s: missing", user)
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
	if l.TOTPSecret != nil {
		code, err := totp.GenerateCode(*l.TOTPSecret, time.Now())
		if err != nil {
			return nil, fmt.Errorf("demo login %s: %w", user, err)
		}
		form.Set("otp", code)
	}
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

// ConsolePages are the console's pages the bench measures, in report order: who opens
// each and where ({code} is a complaint from that user's inbox).
var ConsolePages = []struct{ Label, User, Path string }{
	{"inbox /staf (pokja-logistik)", "pokja-logistik", "/staf"},
	{"complaint page /staf/aduan/{code} (pokja-logistik)", "pokja-logistik", "/staf/aduan/{code}"},
	{"search /staf/cari?q=banjir (admin)", "admin", "/staf/cari?q=banjir"},
	{"search /staf/cari?overdue=true&category=bantuan_logistik (pokja-logistik)", "pokja-logistik", "/staf/cari?overdue=true&category=bantuan_logistik"},
	{"notifications /staf/notifikasi (pokja-logistik)", "pokja-logistik", "/staf/notifikasi"},
	{"board /staf/papan (supervisor)", "supervisor", "/staf/papan"},
	{"new complaint form /staf/baru (admin)", "admin", "/staf/baru"},
	{"directory /staf/admin/direktori (admin)", "admin", "/staf/admin/direktori"},
}

// measureConsole measures one pass of every page in ConsolePages.
func measureConsole(ctx context.Context, s *Stack, r *ScaleResult, reqs, conc int) error {
	if s.consoleClients == nil {
		s.consoleClients = map[string]*http.Client{}
	}
	clients := s.consoleClients
	if r.Console == nil {
		r.Console = make([][]Latency, len(ConsolePages))
	}
	var code string
	for i, p := range ConsolePages {
		hc := clients[p.User]
		if hc == nil {
			var err error
			if hc, err = consoleClient(ctx, s, p.User, conc); err != nil {
				return err
			}
			clients[p.User] = hc
		}
		if strings.Contains(p.Path, "{code}") && code == "" {
			return fmt.Errorf("console inbox lists no complaint")
		}
		path := strings.Replace(p.Path, "{code}", code, 1)
		l, err := hammer(ctx, reqs, conc, func(ctx context.Context, _ int) error {
			body, status, err := fetch(ctx, hc, "GET", s.BaseURL+path, nil)
			if err == nil && status != http.StatusOK {
				err = fmt.Errorf("GET %s: %d", path, status)
			}
			if m := firstCase.FindStringSubmatch(body); m != nil && p.Path == "/staf" {
				code = m[1]
			}
			r.PageBytes = max(r.PageBytes, len(body))
			return err
		})
		if err != nil {
			return fmt.Errorf("console %s: %w", p.Label, err)
		}
		r.Console[i] = append(r.Console[i], l)
	}
	return nil
}

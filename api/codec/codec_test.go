package codec

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"

	"aduan/accounts"
	"aduan/domain"
	"aduan/keyring"
	"aduan/payloadcodec"
)

const uiURL = "http://localhost:8233"

// The text a payload carries; it must never reach the log.
const secretNote = "Catatan rahasia: gudang Simboro kosong"

// sessions is a stand-in for accounts: cookie id → session.
type sessions map[string]accounts.Session

func (s sessions) Session(_ context.Context, id string) (accounts.Session, error) {
	if id == "down" {
		return accounts.Session{}, errors.New("database away")
	}
	if sess, ok := s[id]; ok {
		return sess, nil
	}
	return accounts.Session{}, &accounts.Error{Kind: accounts.KindNotFound, Message: "Sesi tidak ditemukan."}
}

var staff = sessions{
	"sup":      {User: accounts.User{Username: "supervisor", Role: domain.RoleSupervisor}, HasTOTP: true},
	"adm":      {User: accounts.User{Username: "admin", Role: domain.RoleAdmin}, HasTOTP: true},
	"adm-new":  {User: accounts.User{Username: "admin2", Role: domain.RoleAdmin}, EnrolOnly: true},
	"pokja":    {User: accounts.User{Username: "pokja-logistik", Role: domain.RolePokja, Pokja: "logistik"}},
	"mitra":    {User: accounts.User{Username: "mitra-ypii", Role: domain.RolePartner, Partner: "ypii"}},
	"is-empty": {},
}

func setup(t *testing.T) (*gin.Engine, converter.DataConverter) {
	t.Helper()
	ring, err := keyring.Parse(keyring.NewKey("k1"))
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.TestMode)
	r := gin.New()
	Register(r, Config{Codec: payloadcodec.New(ring), UIURL: uiURL + "/", Sessions: staff}, nil)
	return r, payloadcodec.DataConverter(ring)
}

// call posts body to path with the session cookie (none when "") and headers.
func call(r http.Handler, method, path, cookie string, body []byte, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Host = "aduan.test"
	req.Header.Set("Content-Type", "application/json")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "aduan_sesi", Value: cookie})
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

// sealedBody is the JSON the UI posts to /decode: one payload sealed by the workers.
func sealedBody(t *testing.T, dc converter.DataConverter) []byte {
	t.Helper()
	p, err := dc.ToPayload(map[string]string{"note": secretNote})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{p}})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("gudang")) {
		t.Fatal("the sealed body shows the text")
	}
	return raw
}

func payloadsOf(t *testing.T, w *httptest.ResponseRecorder) []*commonpb.Payload {
	t.Helper()
	var ps commonpb.Payloads
	if err := protojson.Unmarshal(w.Body.Bytes(), &ps); err != nil {
		t.Fatalf("answer %q: %v", w.Body.String(), err)
	}
	return ps.Payloads
}

// TestDecodeForSupervisorsAndAdmins: a supervisor's or admin's session reads the text; the
// path takes the UI's query string.
func TestDecodeForSupervisorsAndAdmins(t *testing.T) {
	r, dc := setup(t)
	body := sealedBody(t, dc)
	for _, who := range []string{"sup", "adm"} {
		w := call(r, http.MethodPost, Path+"/decode?preserveStorageRefs=true", who, body, map[string]string{"X-Namespace": "default"})
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", who, w.Code, w.Body)
		}
		var got map[string]string
		ps := payloadsOf(t, w)
		if len(ps) != 1 || converter.GetDefaultDataConverter().FromPayload(ps[0], &got) != nil || got["note"] != secretNote {
			t.Errorf("%s: decoded %v", who, ps)
		}
		if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", who, cc)
		}
	}
}

// TestEncode: /encode seals what it is given with the current key.
func TestEncode(t *testing.T) {
	r, dc := setup(t)
	plain, _ := converter.GetDefaultDataConverter().ToPayload("Jawaban mitra")
	raw, _ := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{plain}})
	w := call(r, http.MethodPost, Path+"/encode", "adm", raw, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	ps := payloadsOf(t, w)
	var back string
	if len(ps) != 1 || !payloadcodec.Encrypted(ps[0]) || dc.FromPayload(ps[0], &back) != nil || back != "Jawaban mitra" {
		t.Errorf("encoded %v (%q)", ps, back)
	}
}

// TestRefused: no session or an ended one is 401; pokja, partner and an admin who has not
// enrolled 2FA are 403; a session store that fails is 503. None of them sees the text.
func TestRefused(t *testing.T) {
	r, dc := setup(t)
	body := sealedBody(t, dc)
	for cookie, want := range map[string]int{
		"": http.StatusUnauthorized, "ended": http.StatusUnauthorized,
		"pokja": http.StatusForbidden, "mitra": http.StatusForbidden, "adm-new": http.StatusForbidden,
		"is-empty": http.StatusForbidden, "down": http.StatusServiceUnavailable,
	} {
		for _, op := range []string{"/decode", "/encode"} {
			w := call(r, http.MethodPost, Path+op, cookie, body, nil)
			if w.Code != want {
				t.Errorf("%q %s: %d, want %d", cookie, op, w.Code, want)
			}
			if strings.Contains(w.Body.String(), "gudang") {
				t.Errorf("%q %s: the answer shows the text", cookie, op)
			}
		}
	}
	if w := call(r, http.MethodGet, Path+"/decode", "sup", nil, nil); w.Code == http.StatusOK {
		t.Errorf("GET decodes: %d", w.Code)
	}
}

// TestCORS: the UI's origin gets its preflight answered and may read the answers with
// credentials; another origin is refused before its session is looked at; Aduan's own
// origin and callers without an Origin need no CORS.
func TestCORS(t *testing.T) {
	r, dc := setup(t)
	body := sealedBody(t, dc)
	pre := call(r, http.MethodOptions, Path+"/decode", "", nil, map[string]string{"Origin": uiURL,
		"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-namespace"})
	h := pre.Header()
	if pre.Code != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != uiURL ||
		h.Get("Access-Control-Allow-Credentials") != "true" || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(h.Get("Access-Control-Allow-Headers"), "Content-Type") ||
		!strings.Contains(h.Get("Access-Control-Allow-Headers"), "X-Namespace") {
		t.Errorf("preflight from the UI: %d %v", pre.Code, h)
	}
	w := call(r, http.MethodPost, Path+"/decode", "sup", body, map[string]string{"Origin": uiURL})
	if w.Code != http.StatusOK || w.Header().Get("Access-Control-Allow-Origin") != uiURL ||
		w.Header().Get("Access-Control-Allow-Credentials") != "true" {
		t.Errorf("POST from the UI: %d %v", w.Code, w.Header())
	}
	// A 401 to the UI carries the CORS headers too, so the UI can tell it apart.
	if w := call(r, http.MethodPost, Path+"/decode", "", body, map[string]string{"Origin": uiURL}); w.Code != http.StatusUnauthorized ||
		w.Header().Get("Access-Control-Allow-Origin") != uiURL {
		t.Errorf("401 to the UI: %d %v", w.Code, w.Header())
	}
	for _, evil := range []string{"https://evil.example", "http://localhost:9999", "null"} {
		pre := call(r, http.MethodOptions, Path+"/decode", "", nil, map[string]string{"Origin": evil,
			"Access-Control-Request-Method": "POST"})
		if pre.Code != http.StatusForbidden || pre.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight from %s: %d %v", evil, pre.Code, pre.Header())
		}
		w := call(r, http.MethodPost, Path+"/decode", "sup", body, map[string]string{"Origin": evil})
		if w.Code != http.StatusForbidden || strings.Contains(w.Body.String(), "gudang") {
			t.Errorf("POST from %s with a supervisor's cookie: %d", evil, w.Code)
		}
	}
	if w := call(r, http.MethodPost, Path+"/decode", "sup", body, map[string]string{"Origin": "http://aduan.test"}); w.Code != http.StatusOK ||
		w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("same origin: %d %v", w.Code, w.Header())
	}
}

// TestLogsNoPayload: whatever happens, the log holds none of a payload's text.
func TestLogsNoPayload(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(prev)
	r, dc := setup(t)
	body := sealedBody(t, dc)
	for _, cookie := range []string{"sup", "pokja", "", "down"} {
		call(r, http.MethodPost, Path+"/decode", cookie, body, nil)
	}
	call(r, http.MethodPost, Path+"/decode", "sup", []byte(`{"payloads":[{"data":"`+secretNote+`"}]}`), nil)
	if buf.Len() == 0 {
		t.Fatal("nothing logged: the check below proves nothing")
	}
	if strings.Contains(buf.String(), "gudang") || strings.Contains(buf.String(), "Z3VkYW5n") {
		t.Errorf("the log shows a payload:\n%s", buf.String())
	}
}

// TestNoCodecNoEndpoint: without a codec nothing is mounted.
func TestNoCodecNoEndpoint(t *testing.T) {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	Register(r, Config{UIURL: uiURL, Sessions: staff}, nil)
	if w := call(r, http.MethodPost, Path+"/decode", "sup", []byte(`{}`), nil); w.Code != http.StatusNotFound {
		t.Errorf("without a codec: %d", w.Code)
	}
}

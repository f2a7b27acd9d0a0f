package public_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/mocks"

	"aduan/api"
	"aduan/complaints"
	"aduan/complaints/storefake"
	"aduan/store"
)

// The citizens' forms on any input (issue 14): no panic and no 5xx. The store stand-in
// fails like PostgreSQL on a NUL byte or invalid UTF-8, so an input that reaches the
// database uncleaned shows as a 503 here. `make test` runs each for a while
// (go test -fuzz); go test ./... runs their seeds.

const (
	code  = "ADU-7K3Q-XW2M"
	token = "Zk3pQm9xT2vB7nLc4rYw1a"
	csrf  = "c3JmLXRva2VuLW9mLXRoZS1icm93c2VyLTAxMjM0NTY3"
)

func fuzzServer(f *testing.F) http.Handler {
	db := storefake.New()
	db.Put(storefake.Published(code, token))
	db.TokenHashes[code] = []string{store.HashToken(token)}
	tc := mocks.NewClient(f)
	handle := mocks.NewWorkflowUpdateHandle(f)
	handle.On("Get", mock.Anything, mock.Anything).Return(nil).Maybe()
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(handle, nil).Maybe()
	core := complaints.New(db, tc, complaints.Config{IntakePerMinute: 1e9, IntakeBurst: 1 << 30,
		PhonePerMinute: 1e9, PhoneBurst: 1 << 30, LookupMissesPerMinute: 1e9, LookupMissBurst: 1 << 30})
	return api.New(core, api.Options{})
}

func postForm(h http.Handler, path, body, contentType string) int {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.AddCookie(&http.Cookie{Name: "aduan_lacak_csrf", Value: csrf})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code
}

func FuzzLaporForm(f *testing.F) {
	f.Add("text=Air+bersih+di+pengungsian+habis&kecamatan=simboro&desa=botteng&phone=081234567890&token=AAAAAAAAAAAAAAAAAAAAAA",
		"application/x-www-form-urlencoded")
	f.Add("text=Beras%00belum+sampai+ke+dusun&name=%00&email=a%40b.c%00&kecamatan=sim%00boro&token=%ff", "application/x-www-form-urlencoded")
	f.Add("text=%ff%fe%fd+habis+sejak+kemarin&category=%00&desa=%c3%28&anonymous=1&confidential=%00", "application/x-www-form-urlencoded")
	f.Add("%zz=%", "application/x-www-form-urlencoded")
	f.Add("text=x", "multipart/form-data; boundary=\x00")
	h := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body, contentType string) {
		if st := postForm(h, "/lapor", body, contentType); st >= 500 {
			t.Fatalf("status %d for %q (%q)", st, body, contentType)
		}
	})
}

func FuzzLacakFeedback(f *testing.F) {
	f.Add("puas=ya&token="+token+"&csrf_token="+csrf, "application/x-www-form-urlencoded")
	f.Add("puas=tidak&komentar=Belum%00datang%ff&token="+token+"&csrf_token="+csrf, "application/x-www-form-urlencoded")
	f.Add("puas=ya&token="+token+"%00&csrf_token="+csrf, "application/x-www-form-urlencoded")
	f.Add("puas=%00&token=%ff&csrf_token=%00", "application/x-www-form-urlencoded")
	f.Add("puas=ya", "text/plain")
	h := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body, contentType string) {
		if st := postForm(h, "/lacak/"+code+"/tanggapan", body, contentType); st >= 500 {
			t.Fatalf("status %d for %q (%q)", st, body, contentType)
		}
	})
}

package rest_test

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
)

// The public JSON endpoints on any input (issue 14): no panic and no 5xx. The store
// stand-in fails like PostgreSQL on a NUL byte or invalid UTF-8, so an input that
// reaches the database uncleaned shows as a 503 here. `make test` runs each for a while
// (go test -fuzz); go test ./... runs their seeds.

// fuzzServer is the whole server over the strict stand-in, with Temporal accepting every
// Update and no rate limit in the way.
func fuzzServer(f *testing.F) (http.Handler, *storefake.Store) {
	db := publishedStore()
	tc := mocks.NewClient(f)
	handle := mocks.NewWorkflowUpdateHandle(f)
	handle.On("Get", mock.Anything, mock.Anything).Return(nil).Maybe()
	tc.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(handle, nil).Maybe()
	core := complaints.New(db, tc, complaints.Config{IntakePerMinute: 1e9, IntakeBurst: 1 << 30,
		PhonePerMinute: 1e9, PhoneBurst: 1 << 30, LookupMissesPerMinute: 1e9, LookupMissBurst: 1 << 30})
	return api.New(core, api.Options{}), db
}

func fuzzPost(h http.Handler, path, body, key string) int {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code
}

func FuzzPublicIntake(f *testing.F) {
	f.Add(`{"text":"Air bersih di pengungsian habis sejak kemarin","phone":"081234567890","kecamatan":"simboro","desa":"botteng"}`, "k-1")
	f.Add(`{"text":"Beras belum sampai\u0000 ke dusun kami","name":"Ibu \u0000Siti","email":"a@b.c\u0000"}`, "k\x00")
	f.Add(`{"text":"Tenda bocor","kecamatan":"sim\u0000boro","desa":"\udc00","category":"kesehatan\u0000"}`, "\xff")
	f.Add(`{"text":12,"anonymous":"ya"}`, "")
	f.Add("{\"text\":\"\xff\xfe\xfd habis sejak kemarin sore\",\"phone\":\"+62 812\x00\"}", "kunci panjang")
	f.Add(`[]`, "")
	h, _ := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body, key string) {
		if st := fuzzPost(h, "/api/v1/complaints", body, key); st >= 500 {
			t.Fatalf("status %d for %q (key %q)", st, body, key)
		}
	})
}

func FuzzFeedback(f *testing.F) {
	f.Add(code, `{"satisfied":true,"token":"`+feedbackToken+`"}`, "")
	f.Add(code, `{"satisfied":false,"comment":"Belum\u0000 datang","token":"`+feedbackToken+`"}`, "k-\x00")
	f.Add(code, `{"satisfied":true,"token":"`+feedbackToken+`\u0000"}`, "")
	f.Add("ADU-7K3Q-XW2\x00", `{"satisfied":true}`, "")
	f.Add(code, `{"satisfied":"ya","comment":5}`, "\xff")
	f.Add(code, "{\"satisfied\":false,\"comment\":\"\xff\xfe\",\"token\":\"\xff\"}", "")
	h, _ := fuzzServer(f)
	f.Fuzz(func(t *testing.T, c, body, key string) {
		path := "/api/v1/complaints/" + strings.NewReplacer("/", "", "?", "", "#", "", "%", "").Replace(c) + "/feedback"
		if !strings.HasPrefix(path, "/api/v1/complaints/") || strings.ContainsAny(c, " \r\n\t") {
			t.Skip()
		}
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.URL.Path = path
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("status %d for %q %q (key %q)", w.Code, c, body, key)
		}
	})
}

package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"aduan/domain"
)

// The evaluation report is computed by PostgreSQL from the complaints and their audit
// trail. The test walks complaints through the real API, then moves their times into
// March 2019 (UTC+8), a month no other test touches, so the figures are exact.

var reportWITA = domain.ZoneAt(domain.DefaultUTCOffsetHours)

const reportQuery = "?from=2019-03-01&to=2019-03-31"

type reportCount struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

type reportBody struct {
	From     string `json:"from"`
	To       string `json:"to"`
	TimeZone string `json:"time_zone"`
	Scope    struct {
		Role  string `json:"role"`
		Pokja string `json:"pokja"`
	} `json:"scope"`
	Total  int                      `json:"total"`
	Counts map[string][]reportCount `json:"counts"`
	Stages []struct {
		Stage         string   `json:"stage"`
		Visits        int      `json:"visits"`
		MedianSeconds *float64 `json:"median_seconds"`
		P90Seconds    *float64 `json:"p90_seconds"`
	} `json:"stages"`
	Answered           int           `json:"answered"`
	AnsweredOnTime     int           `json:"answered_on_time"`
	OnTimeShare        *float64      `json:"on_time_share"`
	FeedbackCount      int           `json:"feedback_count"`
	FeedbackSatisfied  int           `json:"feedback_satisfied"`
	SatisfactionRate   *float64      `json:"satisfaction_rate"`
	Published          int           `json:"published"`
	Reopened           int           `json:"reopened"`
	ReopenRate         *float64      `json:"reopen_rate"`
	TopOverduePartners []reportCount `json:"top_overdue_partners"`
	TopOverdueDesa     []reportCount `json:"top_overdue_desa"`
}

// backdate sets a complaint's creation to created and its events, in seq order, to
// created plus each offset (in hours; one offset per event).
func backdate(t *testing.T, code string, created time.Time, hours ...float64) {
	t.Helper()
	ctx := context.Background()
	var seqs []int64
	if err := testDB.SelectContext(ctx, &seqs, `SELECT seq FROM complaint_events WHERE code = $1 ORDER BY seq`, code); err != nil {
		t.Fatal(err)
	}
	if len(seqs) != len(hours) {
		t.Fatalf("%s has %d events %v, the test gives %d times", code, len(seqs), seqs, len(hours))
	}
	if _, err := testDB.ExecContext(ctx, `UPDATE complaints SET created_at = $2 WHERE code = $1`, code, created); err != nil {
		t.Fatal(err)
	}
	for i, h := range hours {
		at := created.Add(time.Duration(h * float64(time.Hour)))
		if _, err := testDB.ExecContext(ctx, `UPDATE complaint_events SET at = $3 WHERE code = $1 AND seq = $2`,
			code, seqs[i], at); err != nil {
			t.Fatal(err)
		}
	}
}

func mustExec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := testDB.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func march(day, hour int) time.Time { return time.Date(2019, 3, day, hour, 0, 0, 0, reportWITA) }

// seedReport creates the complaints of the report test and returns their codes by letter
// (A–G, as the comments below name them).
func seedReport(t *testing.T) map[string]string {
	codes := map[string]string{}
	web := func(kec, desa string) string {
		return submitBody(t, map[string]any{"text": uniqueText(t), "kecamatan": kec, "desa": desa}, nil)
	}
	byStaff := func(channel, kec, desa string) string {
		r := do(t, "POST", "/api/v1/staff/complaints", "admin", map[string]any{
			"channel": channel, "text": uniqueText(t), "kecamatan": kec, "desa": desa}, nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("register %s complaint: %s", channel, r)
		}
		return r.object(t)["code"].(string)
	}
	publish := func(code string) {
		step(t, "admin", code, "publish", map[string]any{"public_title": "Jawaban uji", "public_answer": "Sudah ditindaklanjuti."},
			domain.StatusPublished)
	}
	answer := func(code, user string) {
		step(t, user, code, "answer", map[string]any{"answer": "Sudah ditangani."}, domain.StatusReadyToPublish)
	}

	// A: through a partner to publication, on time. Visits: received 2h, at_pokja 3h,
	// at_partner 24h, pokja_review 1h, ready_to_publish 1h.
	a := web("simboro", "botteng")
	triage(t, a, "logistik", "bantuan_logistik")
	forward(t, a, "pokja-logistik", "ypii")
	partnerAnswer(t, a, "mitra-ypii", "Distribusi hari Jumat.")
	step(t, "pokja-logistik", a, "approve", map[string]any{}, domain.StatusReadyToPublish)
	publish(a)
	backdate(t, a, march(4, 8), 0, 2, 5, 29, 30, 31)
	codes["A"] = a

	// B: answered by the pokja and published, but it went overdue at the pokja, and the
	// complainant's "no" reopened it once. Visits: received 4h, at_pokja 6h, ready 2h.
	b := web("simboro", "rangas")
	triage(t, b, "logistik", "bantuan_logistik")
	answer(b, "pokja-logistik")
	publish(b)
	backdate(t, b, march(5, 8), 0, 4, 10, 12)
	// Room in the numbering for the overdue event the deadline would have recorded.
	mustExec(t, `UPDATE complaint_events SET seq = seq * 10 WHERE code = $1`, b)
	mustExec(t, `INSERT INTO complaint_events (code, seq, at, actor, role, action, status)
		VALUES ($1, 25, $2, 'system', 'system', 'overdue', 'at_pokja')`, b, march(5, 17))
	mustExec(t, `UPDATE complaints SET reopen_count = 1 WHERE code = $1`, b)
	codes["B"] = b

	// C: by phone, still at partner pmi, with an overdue event there. Visits: received 1h,
	// at_pokja 2h.
	c := byStaff("phone", "tapalang-barat", "dungkait")
	triage(t, c, "hunian", "hunian")
	forward(t, c, "pokja-hunian", "pmi")
	backdate(t, c, march(6, 8), 0, 1, 3)
	mustExec(t, `INSERT INTO complaint_events (code, seq, at, actor, role, action, status)
		VALUES ($1, 100, $2, 'system', 'system', 'overdue', 'at_partner')`, c, march(8, 10))
	codes["C"] = c

	// D: at the desk, at partner ypii and overdue now. Visits: received 3h, at_pokja 1h.
	d := byStaff("desk", "tapalang-barat", "dungkait")
	triage(t, d, "logistik", "bantuan_logistik")
	forward(t, d, "pokja-logistik", "ypii")
	backdate(t, d, march(7, 8), 0, 3, 4)
	mustExec(t, `UPDATE complaints SET overdue = true WHERE code = $1`, d)
	codes["D"] = d

	// E: created in January (outside the counts), published in March after 69 days:
	// answered, but late.
	e := web("mamuju", "karema")
	triage(t, e, "logistik", "bantuan_logistik")
	answer(e, "pokja-logistik")
	publish(e)
	backdate(t, e, time.Date(2019, 1, 10, 8, 0, 0, 0, reportWITA), 0, 1, 2, 69*24)
	codes["E"] = e

	// F: a question to the complainant, answered a day later, then at the pokja. Visits:
	// received 1h, awaiting_info 24h, received 1h.
	f := web("mamuju", "binanga")
	step(t, "admin", f, "request_info", map[string]any{"question": "Dusun mana tepatnya?"}, domain.StatusAwaitingInfo)
	// The complainant left no contact: the workflow notes that the question reached nobody
	// (question_held) before they answer on the web.
	if !eventually(15*time.Second, func() bool { return view(t, "admin", f).last().Action == "question_held" }) {
		t.Fatalf("no question_held for %s", f)
	}
	if r := do(t, "POST", "/api/v1/complaints/"+f+"/info", "", map[string]any{"text": "Dusun Bambu, dekat masjid."}, nil); r.Status != http.StatusOK {
		t.Fatalf("info reply: %s", r)
	}
	triage(t, f, "logistik", "kesehatan")
	backdate(t, f, march(11, 8), 0, 1, 1, 25, 26)
	codes["F"] = f

	// G: answered privately and closed by the admin, on time. Visits: received 1h,
	// at_pokja 1h, ready_to_publish 1h.
	g := web("simboro", "botteng")
	triage(t, g, "hunian", "informasi")
	answer(g, "pokja-hunian")
	step(t, "admin", g, "close", map[string]any{"note": "Jawaban disampaikan langsung kepada pelapor."}, domain.StatusClosed)
	backdate(t, g, march(12, 8), 0, 1, 2, 3)
	codes["G"] = g

	// Feedback: three answers in March (two satisfied), one in April.
	for _, fb := range []struct {
		code      string
		at        time.Time
		satisfied bool
	}{{a, march(6, 9), true}, {b, march(7, 9), false}, {e, march(21, 9), true},
		{a, time.Date(2019, 4, 2, 9, 0, 0, 0, reportWITA), false}} {
		mustExec(t, `INSERT INTO complaint_feedback (code, at, channel, satisfied) VALUES ($1, $2, 'web', $3)`,
			fb.code, fb.at, fb.satisfied)
	}
	return codes
}

func getReport(t *testing.T, user, query string) reportBody {
	t.Helper()
	r := do(t, "GET", "/api/v1/staff/reports"+query, user, nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("report as %s: %s", user, r)
	}
	var rep reportBody
	r.decode(t, &rep)
	return rep
}

func countsOf(list []reportCount) map[string]int {
	m := map[string]int{}
	for _, c := range list {
		m[c.Key] = c.Count
	}
	return m
}

func wantCounts(t *testing.T, what string, got []reportCount, want map[string]int) {
	t.Helper()
	g := countsOf(got)
	if len(g) != len(want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
		return
	}
	for k, n := range want {
		if g[k] != n {
			t.Errorf("%s: %q counts %d, want %d (all: %v)", what, k, g[k], n, got)
		}
	}
	for i := 1; i < len(got); i++ {
		if got[i].Count > got[i-1].Count {
			t.Errorf("%s: not sorted by count: %v", what, got)
		}
	}
}

func wantRate(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil || math.Abs(*got-want) > 1e-9 {
		t.Errorf("%s: got %v, want %v", what, fmtPtr(got), want)
	}
}

func fmtPtr(v *float64) string {
	if v == nil {
		return "null"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func TestReports(t *testing.T) {
	seedReport(t)
	h := 3600.0

	rep := getReport(t, "supervisor", reportQuery)
	if rep.From != "2019-03-01" || rep.To != "2019-03-31" || rep.Scope.Role != "supervisor" {
		t.Errorf("period/scope: %+v", rep)
	}
	if rep.Total != 6 {
		t.Errorf("total %d, want 6 (A, B, C, D, F, G)", rep.Total)
	}
	wantCounts(t, "kecamatan", rep.Counts["kecamatan"], map[string]int{"simboro": 3, "tapalang-barat": 2, "mamuju": 1})
	wantCounts(t, "desa", rep.Counts["desa"], map[string]int{"botteng": 2, "rangas": 1, "dungkait": 2, "binanga": 1})
	wantCounts(t, "category", rep.Counts["category"], map[string]int{"bantuan_logistik": 3, "hunian": 1, "kesehatan": 1, "informasi": 1})
	wantCounts(t, "pokja", rep.Counts["pokja"], map[string]int{"logistik": 4, "hunian": 2})
	wantCounts(t, "partner", rep.Counts["partner"], map[string]int{"ypii": 2, "pmi": 1, "": 3})
	wantCounts(t, "channel", rep.Counts["channel"], map[string]int{"web": 4, "phone": 1, "desk": 1})
	wantCounts(t, "status", rep.Counts["status"], map[string]int{"published": 2, "at_partner": 2, "at_pokja": 1, "closed": 1})
	for _, c := range rep.Counts["kecamatan"] {
		if c.Key == "tapalang-barat" && c.Label != "Tapalang Barat" {
			t.Errorf("kecamatan label %q", c.Label)
		}
	}

	// Stage times by hand (hours), percentile_cont interpolating:
	// received [1 1 1 1 2 3 4]: median 1, p90 at 5.4 → 3.4
	// at_pokja [1 1 2 3 6]: median 2, p90 at 3.6 → 3 + 0.6·3 = 4.8
	// at_partner [24], pokja_review [1], ready_to_publish [1 1 2]: median 1, p90 at 1.8 → 1.8
	// awaiting_info [24]
	want := map[string][3]float64{
		"received": {7, 1 * h, 3.4 * h}, "at_pokja": {5, 2 * h, 4.8 * h}, "at_partner": {1, 24 * h, 24 * h},
		"pokja_review": {1, h, h}, "ready_to_publish": {3, h, 1.8 * h}, "awaiting_info": {1, 24 * h, 24 * h},
	}
	if len(rep.Stages) != 6 {
		t.Errorf("stages: %+v", rep.Stages)
	}
	for _, st := range rep.Stages {
		w, ok := want[st.Stage]
		if !ok {
			t.Errorf("unexpected stage %q", st.Stage)
			continue
		}
		if st.Visits != int(w[0]) || st.MedianSeconds == nil || st.P90Seconds == nil ||
			math.Abs(*st.MedianSeconds-w[1]) > 1e-6 || math.Abs(*st.P90Seconds-w[2]) > 1e-6 {
			t.Errorf("stage %s: visits %d median %s p90 %s, want %v", st.Stage, st.Visits,
				fmtPtr(st.MedianSeconds), fmtPtr(st.P90Seconds), w)
		}
	}

	// Answered in March: A (on time), B (went overdue), E (69 days), G (closed privately,
	// on time).
	if rep.Answered != 4 || rep.AnsweredOnTime != 2 {
		t.Errorf("answered %d, on time %d; want 4 and 2", rep.Answered, rep.AnsweredOnTime)
	}
	wantRate(t, "on_time_share", rep.OnTimeShare, 0.5)
	if rep.FeedbackCount != 3 || rep.FeedbackSatisfied != 2 {
		t.Errorf("feedback %d/%d, want 2/3", rep.FeedbackSatisfied, rep.FeedbackCount)
	}
	wantRate(t, "satisfaction_rate", rep.SatisfactionRate, 2.0/3)
	if rep.Published != 3 || rep.Reopened != 1 {
		t.Errorf("published %d reopened %d, want 3 (A, B, E) and 1 (B)", rep.Published, rep.Reopened)
	}
	wantRate(t, "reopen_rate", rep.ReopenRate, 1.0/3)
	// Overdue: B (event; no partner, rangas), C (event; pmi, dungkait), D (now; ypii, dungkait).
	if got := rep.TopOverduePartners; len(got) != 2 || got[0] != (reportCount{"pmi", got[0].Label, 1}) ||
		got[1] != (reportCount{"ypii", got[1].Label, 1}) {
		t.Errorf("top overdue partners: %+v", got)
	}
	if got := rep.TopOverdueDesa; len(got) != 2 || got[0].Key != "dungkait" || got[0].Count != 2 ||
		got[1].Key != "rangas" || got[1].Count != 1 || !strings.Contains(got[0].Label, "Dungkait") {
		t.Errorf("top overdue desa: %+v", got)
	}

	t.Run("pokja sees only its pokja", func(t *testing.T) {
		rep := getReport(t, "pokja-hunian", reportQuery)
		if rep.Total != 2 || rep.Scope.Pokja != "hunian" {
			t.Errorf("pokja-hunian: total %d scope %+v, want 2 (C, G)", rep.Total, rep.Scope)
		}
		wantCounts(t, "pokja", rep.Counts["pokja"], map[string]int{"hunian": 2})
		wantCounts(t, "kecamatan", rep.Counts["kecamatan"], map[string]int{"simboro": 1, "tapalang-barat": 1})
		if rep.Answered != 1 || rep.AnsweredOnTime != 1 || rep.Published != 0 || rep.FeedbackCount != 0 {
			t.Errorf("pokja-hunian: answered %d on time %d published %d feedback %d; want 1 1 0 0",
				rep.Answered, rep.AnsweredOnTime, rep.Published, rep.FeedbackCount)
		}
		wantRate(t, "pokja on_time_share", rep.OnTimeShare, 1)
		if rep.SatisfactionRate != nil || rep.ReopenRate != nil {
			t.Errorf("pokja-hunian: rates without data must be null: %s %s", fmtPtr(rep.SatisfactionRate), fmtPtr(rep.ReopenRate))
		}
		partner := getReport(t, "mitra-ypii", reportQuery)
		wantCounts(t, "partner scope", partner.Counts["partner"], map[string]int{"ypii": 2})
	})

	t.Run("bad dates", func(t *testing.T) {
		wantFields(t, wantError(t, do(t, "GET", "/api/v1/staff/reports?from=2019-13-01", "admin", nil, nil), 400, "invalid"), "from")
		wantFields(t, wantError(t, do(t, "GET", "/api/v1/staff/reports?from=2019-03-01&to=kemarin", "admin", nil, nil), 400, "invalid"), "to")
		wantFields(t, wantError(t, do(t, "GET", "/api/v1/staff/reports?from=2019-03-31&to=2019-03-01", "admin", nil, nil), 400, "invalid"), "from")
		wantError(t, do(t, "GET", "/api/v1/staff/reports.csv?to=x", "admin", nil, nil), 400, "invalid")
		wantError(t, do(t, "GET", "/api/v1/staff/reports", "", nil, nil), 401, "unauthenticated")
		// The default period is the last 30 days, WITA.
		def := getReport(t, "admin", "")
		today := time.Now().In(reportWITA)
		if def.To != today.Format("2006-01-02") || def.From != today.AddDate(0, 0, -29).Format("2006-01-02") {
			t.Errorf("default period %s..%s", def.From, def.To)
		}
	})

	t.Run("csv", func(t *testing.T) {
		r := do(t, "GET", "/api/v1/staff/reports.csv"+reportQuery, "supervisor", nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("csv: %s", r)
		}
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="laporan-aduan-2019-03-01-2019-03-31.csv"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(r.Raw, []byte("\xef\xbb\xbf")) {
			t.Errorf("want text/csv with a UTF-8 BOM: %q %q", r.Header.Get("Content-Type"), r.Raw[:min(10, len(r.Raw))])
		}
		records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Raw, []byte("\xef\xbb\xbf")))).ReadAll()
		if err != nil {
			t.Fatalf("parse CSV: %v\n%s", err, r.Raw)
		}
		if strings.Join(records[0], ",") != "dimension,key,label,value,median_seconds,p90_seconds" {
			t.Errorf("header %v", records[0])
		}
		got := map[string][]reportCount{}
		stages := map[string][]string{}
		summary := map[string]string{}
		for _, rec := range records[1:] {
			switch rec[0] {
			case "summary":
				summary[rec[1]] = rec[3]
			case "stage":
				stages[rec[1]] = rec[3:]
			default:
				n, err := strconv.Atoi(rec[3])
				if err != nil {
					t.Errorf("count %q in %v", rec[3], rec)
				}
				got[rec[0]] = append(got[rec[0]], reportCount{rec[1], rec[2], n})
			}
		}
		for dim, list := range rep.Counts {
			wantCounts(t, "csv "+dim, got[dim], countsOf(list))
		}
		wantCounts(t, "csv top_overdue_desa", got["top_overdue_desa"], map[string]int{"dungkait": 2, "rangas": 1})
		if summary["total"] != "6" || summary["on_time_share"] != "0.5" || summary["reopened"] != "1" {
			t.Errorf("csv summary %v", summary)
		}
		if s := stages["received"]; len(s) != 3 || s[0] != "7" || s[1] != "3600" || s[2] != "12240" {
			t.Errorf("csv stage received %v, want 7 visits, 3600, 12240", s)
		}
	})
}

func TestLaporanPage(t *testing.T) {
	// Without a login: sent to /staf/masuk, whose form is there.
	anon := newBrowser(t)
	res, _ := anon.get("/staf/laporan")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staf/masuk" {
		t.Errorf("without login: %d %q, want 303 to /staf/masuk", res.StatusCode, res.Header.Get("Location"))
	}
	anon.setSession("not-a-session")
	if res, _ = anon.get("/staf/laporan"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("bad cookie: %d, want 303", res.StatusCode)
	}
	res, body := anon.get("/staf/masuk")
	if res.StatusCode != 200 || !strings.Contains(body, `name="username"`) || !strings.Contains(body, `lang="id"`) {
		t.Errorf("login page: %d %s", res.StatusCode, body)
	}

	// Logging in (username, password and the supervisor's TOTP code) sets the session cookie.
	b := newBrowser(t)
	l := logins["supervisor"]
	lres, _ := b.submitLogin("supervisor", l.Password, otpCode(t, "supervisor", *l.TOTPSecret))
	var ck *http.Cookie
	for _, c := range lres.Cookies() {
		if c.Name == "aduan_sesi" {
			ck = c
		}
	}
	if lres.StatusCode != http.StatusSeeOther || ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Value == "" {
		t.Fatalf("login: %d cookie %+v", lres.StatusCode, ck)
	}
	if bad, _ := newBrowser(t).submitLogin("supervisor", "salah", ""); bad.StatusCode != http.StatusOK {
		t.Errorf("login with a wrong password: %d", bad.StatusCode)
	}
	get := func(path, _ string) (*http.Response, string) {
		t.Helper()
		return b.get(path)
	}

	// One complaint of today, so the default period (the last 30 days) has bars to draw.
	submit(t, uniqueText(t))
	res, body = get("/staf/laporan", ck.Value)
	if res.StatusCode != 200 {
		t.Fatalf("report page: %d %s", res.StatusCode, body)
	}
	for _, want := range []string{`lang="id"`, "<svg", "<rect", "Laporan evaluasi aduan", "Aduan per kecamatan",
		"/staf/laporan.csv?from=", "Waktu per tahap", "Formulir web"} {
		if !strings.Contains(body, want) {
			t.Errorf("report page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script") {
		t.Errorf("report page has a script")
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	res, body = get("/staf/laporan?from=nanti", ck.Value)
	if res.StatusCode != 400 || !strings.Contains(body, "tidak valid") {
		t.Errorf("bad date page: %d", res.StatusCode)
	}
	res, body = get("/staf/laporan.csv?from=2019-03-01&to=2019-03-31", ck.Value)
	if res.StatusCode != 200 || !strings.HasPrefix(body, "\ufeffdimension,") {
		t.Errorf("csv through the page: %d %.80q", res.StatusCode, body)
	}
}

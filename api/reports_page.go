package api

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"aduan/domain"
	"aduan/store"
)

// Staff pages (/staf/...): server-rendered HTML for the browser, where an Authorization
// header cannot be sent from a link. /staf/masuk takes a staff token once and keeps it
// in a cookie (HttpOnly, SameSite=Strict, Secure over HTTPS, path /staf, 12 hours); the
// pages accept that cookie and nothing else. Tokens never travel in a URL.

// staffCookie holds a staff token for the /staf pages.
const staffCookie = "aduan_staf"

// staffCookieAge is how long a login lasts.
const staffCookieAge = 12 * time.Hour

// staffPageHeaders sets the security headers of the staff pages: no scripts, not
// framed, never cached.
func staffPageHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", webCSP+"; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "private, no-store")
	c.Next()
}

// staffSecureRequest says whether the browser reached us over HTTPS (directly or through a
// proxy that says so), so the cookie is marked Secure.
func staffSecureRequest(c *gin.Context) bool {
	return c.Request.TLS != nil || strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https")
}

func (s *server) setStaffCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: staffCookie, Value: value, Path: "/staf", MaxAge: maxAge,
		HttpOnly: true, Secure: staffSecureRequest(c), SameSite: http.SameSiteStrictMode,
	})
}

// loginPage is GET /staf/masuk.
func (s *server) loginPage(c *gin.Context) {
	render(c, http.StatusOK, "laporan-masuk", gin.H{})
}

// login is POST /staf/masuk: a valid token becomes the cookie, then the report.
func (s *server) login(c *gin.Context) {
	token := strings.TrimSpace(c.PostForm("token"))
	if token == "" {
		render(c, http.StatusBadRequest, "laporan-masuk", gin.H{"Problem": "Isi token staf Anda."})
		return
	}
	u, err := s.DB.StaffByToken(c.Request.Context(), token)
	if errors.Is(err, store.ErrNotFound) {
		render(c, http.StatusUnauthorized, "laporan-masuk",
			gin.H{"Problem": "Token tidak dikenal atau sudah dicabut. Periksa lagi, atau minta token baru ke admin."})
		return
	}
	if err != nil {
		logError(c, "staff login: lookup failed", err)
		render(c, http.StatusServiceUnavailable, "laporan-masuk",
			gin.H{"Problem": "Layanan sedang terganggu. Silakan coba lagi sebentar lagi."})
		return
	}
	s.setStaffCookie(c, token, int(staffCookieAge.Seconds()))
	slog.Info("staff page login", "username", u.Username)
	c.Redirect(http.StatusSeeOther, "/staf/laporan")
}

// logout is POST /staf/keluar: the cookie is forgotten.
func (s *server) logout(c *gin.Context) {
	s.setStaffCookie(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/staf/masuk")
}

// staffPage resolves the cookie to a staff user, or sends the browser to /staf/masuk.
func (s *server) staffPage(c *gin.Context) {
	ck, err := c.Cookie(staffCookie)
	if err != nil || strings.TrimSpace(ck) == "" {
		c.Redirect(http.StatusSeeOther, "/staf/masuk")
		c.Abort()
		return
	}
	u, err := s.DB.StaffByToken(c.Request.Context(), ck)
	if errors.Is(err, store.ErrNotFound) {
		s.setStaffCookie(c, "", -1)
		c.Redirect(http.StatusSeeOther, "/staf/masuk")
		c.Abort()
		return
	}
	if err != nil {
		logError(c, "staff page: lookup failed", err)
		reportPageUnavailable(c)
		return
	}
	c.Set(staffKey, u)
	c.Next()
}

func reportPageUnavailable(c *gin.Context) {
	render(c, http.StatusServiceUnavailable, "laporan-pesan", gin.H{"Title": "Layanan terganggu",
		"Message": "Laporan tidak dapat dibuat sekarang. Silakan coba lagi sebentar lagi."})
}

// reportPageCSV is GET /staf/laporan.csv: the API's CSV for the logged-in browser.
func (s *server) reportPageCSV(c *gin.Context) {
	p, fields := parsePeriod(c, time.Now())
	if fields != nil {
		render(c, http.StatusBadRequest, "laporan-pesan", gin.H{"Title": "Tanggal tidak valid",
			"Message": "Periksa tanggal laporan (format YYYY-MM-DD)."})
		return
	}
	s.sendReportCSV(c, currentStaff(c), p)
}

// reportPageData is what laporan.html shows.
type reportPageData struct {
	User      store.Staff
	Scope     string
	From, To  string
	Errors    map[string]string
	CSVURL    string
	Rep       reportView
	Summary   []reportSummaryItem
	Charts    []reportChart
	Stages    reportChart
	StageRows []reportStageRow
}

type reportSummaryItem struct{ Label, Value, Note string }

type reportStageRow struct{ Label, Visits, Median, P90 string }

// reportChart is a horizontal bar chart laid out for an inline <svg>: one row per item, a
// label line above its bars, the figure after each bar.
type reportChart struct {
	Title  string
	Note   string
	Height float64
	Rows   []reportChartRow
	Empty  bool
}

type reportChartRow struct {
	Label  string
	LabelY float64
	Bars   []reportBar
}

type reportBar struct {
	Y, W, TextX, TextY float64
	Class, Text        string
}

// Chart geometry, in viewBox units (the chart is drawn 340 wide and scales to the page).
const (
	reportChartWidth = 340.0
	reportBarHeight  = 12.0
)

// reportPage is GET /staf/laporan.
func (s *server) reportPage(c *gin.Context) {
	u := currentStaff(c)
	p, fields := parsePeriod(c, time.Now())
	data := reportPageData{User: u, Scope: reportScopeText(u), From: c.Query("from"), To: c.Query("to")}
	if fields != nil {
		data.Errors = fields
		render(c, http.StatusBadRequest, "laporan", data)
		return
	}
	rep, err := s.buildReport(c, u, p)
	if err != nil {
		logError(c, "report page", err)
		reportPageUnavailable(c)
		return
	}
	data.From, data.To, data.Rep = p.From, p.To, rep
	data.CSVURL = "/staf/laporan.csv?" + url.Values{"from": {p.From}, "to": {p.To}}.Encode()
	data.Summary = []reportSummaryItem{
		{"Aduan masuk", strconv.Itoa(rep.Total), "dibuat dalam periode ini"},
		{"Dijawab tepat waktu", reportPercent(rep.OnTimeShare),
			fmt.Sprintf("%d dari %d aduan yang dijawab; batas %s, tanpa pernah terlambat", rep.AnsweredOnTime,
				rep.Answered, reportDuration(rep.OverallLimitSeconds))},
		{"Pelapor puas", reportPercent(rep.SatisfactionRate),
			fmt.Sprintf("%d dari %d tanggapan pelapor", rep.FeedbackSatisfied, rep.FeedbackCount)},
		{"Dibuka kembali", reportPercent(rep.ReopenRate),
			fmt.Sprintf("%d dari %d aduan yang diterbitkan", rep.Reopened, rep.Published)},
	}
	for _, ch := range []struct{ dim, title string }{
		{"kecamatan", "Aduan per kecamatan"}, {"category", "Aduan per kategori"}, {"pokja", "Aduan per pokja"},
		{"partner", "Aduan per lembaga mitra"}, {"channel", "Aduan per kanal"}, {"status", "Aduan per status sekarang"},
		{"desa", "Aduan per desa"},
	} {
		data.Charts = append(data.Charts, reportCountChart(ch.title, rep.Counts[ch.dim], 10))
	}
	data.Charts = append(data.Charts,
		reportCountChart("Lembaga mitra dengan aduan terlambat terbanyak", rep.TopOverduePartners, 5),
		reportCountChart("Desa dengan aduan terlambat terbanyak", rep.TopOverdueDesa, 5))
	data.Stages = reportStageChart(rep.Stages)
	for _, st := range rep.Stages {
		data.StageRows = append(data.StageRows, reportStageRow{Label: st.Label, Visits: strconv.Itoa(st.Visits),
			Median: reportOptDuration(st.MedianSeconds), P90: reportOptDuration(st.P90Seconds)})
	}
	render(c, http.StatusOK, "laporan", data)
}

// reportScopeText says whose complaints the user's report counts.
func reportScopeText(u store.Staff) string {
	switch u.Role {
	case domain.RolePokja:
		return "Hanya aduan pokja " + u.PokjaID.String
	case domain.RolePartner:
		return "Hanya aduan lembaga mitra " + u.PartnerID.String
	}
	return "Semua aduan"
}

// reportCountChart lays out a breakdown, at most limit rows (the rest is noted).
func reportCountChart(title string, list []store.ReportCount, limit int) reportChart {
	ch := reportChart{Title: title, Empty: len(list) == 0}
	if len(list) > limit {
		ch.Note = fmt.Sprintf("%d teratas dari %d", limit, len(list))
		list = list[:limit]
	}
	max := 0
	for _, rc := range list {
		if rc.Count > max {
			max = rc.Count
		}
	}
	const rowH, room = 34.0, 50.0
	for i, rc := range list {
		y := float64(i) * rowH
		w := 0.0
		if max > 0 {
			w = reportRound(float64(rc.Count) / float64(max) * (reportChartWidth - room))
		}
		ch.Rows = append(ch.Rows, reportChartRow{Label: shortLabel(rc.Label, 48), LabelY: y + 12, Bars: []reportBar{{
			Y: y + 16, W: w, TextX: w + 4, TextY: y + 16 + reportBarHeight - 1, Class: "b1", Text: strconv.Itoa(rc.Count),
		}}})
	}
	ch.Height = float64(len(list))*rowH + 4
	return ch
}

// reportStageChart lays out the median and 90th percentile of every stage.
func reportStageChart(stages []store.StageTime) reportChart {
	ch := reportChart{Title: "Waktu per tahap (median dan persentil ke-90)"}
	max := 0.0
	for _, st := range stages {
		if st.P90Seconds != nil && *st.P90Seconds > max {
			max = *st.P90Seconds
		}
	}
	const rowH, room = 52.0, 130.0
	for i, st := range stages {
		y := float64(i) * rowH
		row := reportChartRow{Label: st.Label, LabelY: y + 12}
		for j, v := range []*float64{st.MedianSeconds, st.P90Seconds} {
			name, class := "median", "b1"
			if j == 1 {
				name, class = "p90", "b2"
			}
			w := 0.0
			if v != nil && max > 0 {
				w = reportRound(*v / max * (reportChartWidth - room))
			}
			by := y + 16 + float64(j)*(reportBarHeight+4)
			row.Bars = append(row.Bars, reportBar{Y: by, W: w, TextX: w + 4, TextY: by + reportBarHeight - 1, Class: class,
				Text: name + " " + reportOptDuration(v)})
		}
		ch.Rows = append(ch.Rows, row)
	}
	ch.Height = float64(len(stages))*rowH + 4
	ch.Empty = max == 0
	return ch
}

func reportRound(v float64) float64 { return math.Round(v*10) / 10 }

// shortLabel cuts a label to n characters.
func shortLabel(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// reportPercent writes a rate as an Indonesian percentage ("66,7%"), or a dash.
func reportPercent(v *float64) string {
	if v == nil {
		return "–"
	}
	t := strconv.FormatFloat(*v*100, 'f', 1, 64)
	t = strings.TrimSuffix(t, ".0")
	return strings.Replace(t, ".", ",", 1) + "%"
}

func reportOptDuration(v *float64) string {
	if v == nil {
		return "–"
	}
	return reportDuration(*v)
}

// reportDuration writes seconds as the two largest units in Indonesian ("2 hari 3 jam").
func reportDuration(secs float64) string {
	s := int64(math.Round(secs))
	if s < 60 {
		return fmt.Sprintf("%d detik", s)
	}
	units := []struct {
		n    int64
		name string
	}{{86400, "hari"}, {3600, "jam"}, {60, "menit"}}
	var parts []string
	for _, u := range units {
		if s >= u.n {
			parts = append(parts, fmt.Sprintf("%d %s", s/u.n, u.name))
			s %= u.n
		} else if len(parts) > 0 {
			break
		}
		if len(parts) == 2 {
			break
		}
	}
	return strings.Join(parts, " ")
}

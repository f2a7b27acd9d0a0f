package staffpages

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/complaints"
	"aduan/domain"
)

// reportPageData is what laporan.html shows.
type reportPageData struct {
	User      complaints.User
	CSRF      string
	Scope     string
	From, To  string
	Errors    map[string]string
	CSVURL    string
	Rep       complaints.Report
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
func (h handlers) reportPage(c *gin.Context) {
	u := user(c)
	data := reportPageData{User: u, CSRF: csrfToken(c), Scope: reportScopeText(u), From: c.Query("from"), To: c.Query("to")}
	rep, err := h.core.Report(c.Request.Context(), u.Actor(), c.Query("from"), c.Query("to"))
	if complaints.KindOf(err) == complaints.KindInvalid {
		data.Errors = complaints.AsError(err).Fields
		pages.Render(c, http.StatusBadRequest, "laporan", data)
		return
	}
	if err != nil {
		unavailable(c, err)
		return
	}
	data.From, data.To, data.Rep = rep.From, rep.To, rep
	data.CSVURL = "/staf/laporan.csv?" + url.Values{"from": {rep.From}, "to": {rep.To}}.Encode()
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
	pages.Render(c, http.StatusOK, "laporan", data)
}

// reportScopeText says whose complaints the user's report counts.
func reportScopeText(u complaints.User) string {
	switch u.Role {
	case domain.RolePokja:
		return "Hanya aduan pokja " + u.Pokja
	case domain.RolePartner:
		return "Hanya aduan lembaga mitra " + u.Partner
	}
	return "Semua aduan"
}

// reportCountChart lays out a breakdown, at most limit rows (the rest is noted).
func reportCountChart(title string, list []complaints.ReportCount, limit int) reportChart {
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
func reportStageChart(stages []complaints.StageTime) reportChart {
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

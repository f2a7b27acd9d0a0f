package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/domain"
	"aduan/store"
)

// Evaluation reports (README "Evaluation reports"): the same figures as JSON
// (GET /api/v1/staff/reports), as CSV (GET /api/v1/staff/reports.csv) and as a page for
// supervisors (GET /staf/laporan, api/reports_page.go). Admins and supervisors see every
// complaint; a pokja member its pokja's, partner staff their partner's.

// reportZone is the regency's time zone: report dates are WITA calendar days.
var reportZone = time.FixedZone("WITA", 8*3600)

// reportDays is the default period: the last 30 days, today included.
const reportDays = 30

// maxReportDays bounds a period, so one request cannot scan decades.
const maxReportDays = 3 * 366

const reportDateLayout = "2006-01-02"

// reportPeriod is a report's period: WITA dates, to inclusive.
type reportPeriod struct {
	From, To string
	start    time.Time // From at 00:00 WITA
	end      time.Time // the day after To at 00:00 WITA
}

// parsePeriod reads ?from= and ?to= (YYYY-MM-DD, WITA). Without them the period is the
// last 30 days up to today. Problems are reported per field.
func parsePeriod(c *gin.Context, now time.Time) (reportPeriod, map[string]string) {
	fields := map[string]string{}
	today := now.In(reportZone)
	to := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, reportZone)
	if v := c.Query("to"); v != "" {
		t, err := time.ParseInLocation(reportDateLayout, v, reportZone)
		if err != nil {
			fields["to"] = "tanggal tidak valid: gunakan format YYYY-MM-DD, misalnya 2026-01-31"
		} else {
			to = t
		}
	}
	from := to.AddDate(0, 0, -(reportDays - 1))
	if v := c.Query("from"); v != "" {
		t, err := time.ParseInLocation(reportDateLayout, v, reportZone)
		if err != nil {
			fields["from"] = "tanggal tidak valid: gunakan format YYYY-MM-DD, misalnya 2026-01-01"
		} else {
			from = t
		}
	}
	if len(fields) == 0 {
		switch {
		case from.After(to):
			fields["from"] = "tanggal awal harus sebelum atau sama dengan tanggal akhir (to)"
		case to.Sub(from) > maxReportDays*24*time.Hour:
			fields["from"] = fmt.Sprintf("rentang paling panjang %d hari", maxReportDays)
		}
	}
	if len(fields) > 0 {
		return reportPeriod{From: c.Query("from"), To: c.Query("to")}, fields
	}
	return reportPeriod{From: from.Format(reportDateLayout), To: to.Format(reportDateLayout),
		start: from, end: to.AddDate(0, 0, 1)}, nil
}

// reportScopeView says whose complaints a report counts.
type reportScopeView struct {
	Role    domain.Role `json:"role"`
	Pokja   string      `json:"pokja,omitempty"`
	Partner string      `json:"partner,omitempty"`
}

// reportView is the JSON body of GET /api/v1/staff/reports.
type reportView struct {
	From     string          `json:"from"`
	To       string          `json:"to"`
	TimeZone string          `json:"time_zone"`
	Scope    reportScopeView `json:"scope"`
	store.Report
}

// buildReport computes the report of p for the current user.
func (s *server) buildReport(c *gin.Context, u store.Staff, p reportPeriod) (reportView, error) {
	ctx := c.Request.Context()
	var policy domain.SLAPolicy
	if s.SLAOverride != nil {
		policy = *s.SLAOverride
	} else {
		var err error
		if policy, err = s.DB.CurrentSLAPolicy(ctx); err != nil {
			return reportView{}, err
		}
	}
	// The overall limit counts calendar days, whatever the stage calendar.
	limit := time.Duration(policy.Overall.Days)*24*time.Hour + policy.Overall.Dur
	a := u.Actor()
	rep, err := s.DB.Report(ctx, a, p.start, p.end, limit)
	if err != nil {
		return reportView{}, err
	}
	scope := reportScopeView{Role: a.Role}
	switch a.Role {
	case domain.RolePokja:
		scope.Pokja = a.Pokja
	case domain.RolePartner:
		scope.Partner = a.Partner
	}
	return reportView{From: p.From, To: p.To, TimeZone: "Asia/Makassar", Scope: scope, Report: rep}, nil
}

// report is GET /api/v1/staff/reports.
func (s *server) report(c *gin.Context) {
	p, fields := parsePeriod(c, time.Now())
	if fields != nil {
		invalid(c, fields)
		return
	}
	rep, err := s.buildReport(c, currentStaff(c), p)
	if err != nil {
		unavailable(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, rep)
}

// reportCSV is GET /api/v1/staff/reports.csv.
func (s *server) reportCSV(c *gin.Context) {
	p, fields := parsePeriod(c, time.Now())
	if fields != nil {
		invalid(c, fields)
		return
	}
	s.sendReportCSV(c, currentStaff(c), p)
}

// sendReportCSV answers with the report as one CSV table: every row is
// dimension, key, label, value, median_seconds, p90_seconds. Breakdowns carry their
// count in value; "stage" rows the number of visits and the two times; "summary" rows
// the period and the rates (empty when there is nothing to divide by).
func (s *server) sendReportCSV(c *gin.Context, u store.Staff, p reportPeriod) {
	rep, err := s.buildReport(c, u, p)
	if err != nil {
		if c.FullPath() == "/staf/laporan.csv" {
			reportPageUnavailable(c)
			return
		}
		unavailable(c, err)
		return
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // a BOM, so that Excel reads UTF-8
	w := csv.NewWriter(&buf)
	row := func(v ...string) { _ = w.Write(v) }
	row("dimension", "key", "label", "value", "median_seconds", "p90_seconds")
	row("summary", "from", "Tanggal awal (WITA)", rep.From, "", "")
	row("summary", "to", "Tanggal akhir (WITA)", rep.To, "", "")
	row("summary", "total", "Aduan masuk", strconv.Itoa(rep.Total), "", "")
	row("summary", "answered", "Aduan dijawab", strconv.Itoa(rep.Answered), "", "")
	row("summary", "answered_on_time", "Dijawab tepat waktu", strconv.Itoa(rep.AnsweredOnTime), "", "")
	row("summary", "on_time_share", "Bagian tepat waktu", reportFloat(rep.OnTimeShare), "", "")
	row("summary", "overall_limit_seconds", "Batas penyelesaian (detik)", reportFloat(&rep.OverallLimitSeconds), "", "")
	row("summary", "feedback_count", "Tanggapan pelapor", strconv.Itoa(rep.FeedbackCount), "", "")
	row("summary", "feedback_satisfied", "Pelapor puas", strconv.Itoa(rep.FeedbackSatisfied), "", "")
	row("summary", "satisfaction_rate", "Tingkat kepuasan", reportFloat(rep.SatisfactionRate), "", "")
	row("summary", "published", "Aduan diterbitkan", strconv.Itoa(rep.Published), "", "")
	row("summary", "reopened", "Dibuka kembali", strconv.Itoa(rep.Reopened), "", "")
	row("summary", "reopen_rate", "Tingkat dibuka kembali", reportFloat(rep.ReopenRate), "", "")
	for _, d := range store.ReportDimensions {
		for _, rc := range rep.Counts[d] {
			row(d, rc.Key, rc.Label, strconv.Itoa(rc.Count), "", "")
		}
	}
	for _, st := range rep.Stages {
		row("stage", string(st.Stage), st.Label, strconv.Itoa(st.Visits), reportFloat(st.MedianSeconds), reportFloat(st.P90Seconds))
	}
	for _, rc := range rep.TopOverduePartners {
		row("top_overdue_partner", rc.Key, rc.Label, strconv.Itoa(rc.Count), "", "")
	}
	for _, rc := range rep.TopOverdueDesa {
		row("top_overdue_desa", rc.Key, rc.Label, strconv.Itoa(rc.Count), "", "")
	}
	w.Flush()
	if err := w.Error(); err != nil {
		unavailable(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="laporan-aduan-%s-%s.csv"`, rep.From, rep.To))
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// reportFloat writes a number for CSV ("" for none).
func reportFloat(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// registerReports adds the report routes: the API's under staff (bearer token), the
// pages under /staf (cookie from /staf/masuk).
func (s *server) registerReports(r *gin.Engine, staff *gin.RouterGroup) {
	staff.GET("/staff/reports", s.report)
	staff.GET("/staff/reports.csv", s.reportCSV)

	g := r.Group("/staf")
	g.Handlers = append(gin.HandlersChain{staffPageHeaders}, g.Handlers...)
	g.GET("/masuk", s.loginPage)
	g.POST("/masuk", s.login)
	g.POST("/keluar", s.logout)
	g.GET("/laporan", s.staffPage, s.reportPage)
	g.GET("/laporan.csv", s.staffPage, s.reportPageCSV)
}

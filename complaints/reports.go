package complaints

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"aduan/domain"
	"aduan/store"
)

// Evaluation reports: where aid is failing, by place, topic, group and response time.
// Admins and supervisors see every complaint; a pokja member its pokja's, partner staff
// their partner's (store.Report applies domain.ScopeOf).

// reportDays is the default period: the last 30 days, today included.
const reportDays = 30

// maxReportDays bounds a period, so one request cannot scan decades.
const maxReportDays = 3 * 366

const reportDateLayout = "2006-01-02"

// Report is the evaluation report of a period as one user may see it.
type Report struct {
	// From and To are the period's first and last day in the regency's zone, TimeZone
	// its IANA name.
	From, To string
	TimeZone string
	Scope    domain.Scope
	Role     domain.Role
	store.Report
}

// ReportCount and StageTime are a report's rows.
type (
	ReportCount = store.ReportCount
	StageTime   = store.StageTime
)

// ReportDimensions are the breakdowns of Report.Counts, in display order.
var ReportDimensions = store.ReportDimensions

// Report computes the report of the period from..to (YYYY-MM-DD in the regency's zone,
// to included; empty: the last 30 days up to today) as viewer may see it. A bad date is
// KindInvalid with fields from/to.
func (s *Service) Report(ctx context.Context, viewer domain.Actor, from, to string) (Report, error) {
	policy, err := s.policy(ctx)
	if err != nil {
		return Report{}, unavailable(err)
	}
	zone := policy.Location()
	start, end, f, t, fields := parsePeriod(from, to, time.Now(), zone)
	if fields != nil {
		return Report{}, invalid(fields)
	}
	// The overall limit counts calendar days, whatever the stage calendar.
	limit := time.Duration(policy.Overall.Days)*24*time.Hour + policy.Overall.Dur
	changes, err := s.db.ReportChanges(ctx)
	if err != nil {
		return Report{}, unavailable(err)
	}
	rep, err := s.reports.get(ctx, reportKey(viewer, start, end, limit), changes, func() (store.Report, error) {
		return s.db.Report(ctx, viewer, start, end, limit)
	})
	if err != nil {
		return Report{}, unavailable(err)
	}
	return Report{From: f, To: t, TimeZone: domain.TimeZoneName(policy.UTCOffsetHours()), Scope: domain.ScopeOf(viewer),
		Role: viewer.Role, Report: rep}, nil
}

// parsePeriod reads a period's dates in zone: [start, end) and the two dates as written
// back, or the problem of each field.
func parsePeriod(fromText, toText string, now time.Time, zone *time.Location) (start, end time.Time, from, to string, fields map[string]string) {
	fields = map[string]string{}
	today := now.In(zone)
	last := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, zone)
	if toText != "" {
		t, err := time.ParseInLocation(reportDateLayout, toText, zone)
		if err != nil {
			fields["to"] = "tanggal tidak valid: gunakan format YYYY-MM-DD, misalnya 2026-01-31"
		} else {
			last = t
		}
	}
	first := last.AddDate(0, 0, -(reportDays - 1))
	if fromText != "" {
		t, err := time.ParseInLocation(reportDateLayout, fromText, zone)
		if err != nil {
			fields["from"] = "tanggal tidak valid: gunakan format YYYY-MM-DD, misalnya 2026-01-01"
		} else {
			first = t
		}
	}
	if len(fields) == 0 {
		switch {
		case first.After(last):
			fields["from"] = "tanggal awal harus sebelum atau sama dengan tanggal akhir (to)"
		case last.Sub(first) > maxReportDays*24*time.Hour:
			fields["from"] = fmt.Sprintf("rentang paling panjang %d hari", maxReportDays)
		}
	}
	if len(fields) > 0 {
		return time.Time{}, time.Time{}, fromText, toText, fields
	}
	return first, last.AddDate(0, 0, 1), first.Format(reportDateLayout), last.Format(reportDateLayout), nil
}

// ReportCSV is the report as one CSV table (UTF-8 with a BOM, so that Excel reads it):
// every row is dimension, key, label, value, median_seconds, p90_seconds. Breakdowns
// carry their count in value; "stage" rows the number of visits and the two times;
// "summary" rows the period and the rates (empty when there is nothing to divide by).
func ReportCSV(rep Report) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
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
	return buf.Bytes(), w.Error()
}

// ReportFileName is the CSV's file name.
func ReportFileName(rep Report) string {
	return fmt.Sprintf("laporan-aduan-%s-%s.csv", rep.From, rep.To)
}

// reportFloat writes a number for CSV ("" for none).
func reportFloat(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

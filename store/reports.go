package store

import (
	"context"
	"database/sql"
	"math"
	"sort"
	"strings"
	"time"

	"aduan/domain"
)

// Evaluation reports: where aid is failing, by place, topic, group and response time.
// Everything is computed by PostgreSQL from the complaints and their audit trail, limited
// to what the viewer may see (visibleTo).

// ReportCount is one row of a breakdown: a key (an ID, "" for none), its name and how many.
type ReportCount struct {
	Key   string `db:"key"`
	Label string `db:"label"`
	Count int    `db:"count"`
}

// StageTime is how long complaints stayed in one stage: the median and 90th percentile
// of the completed visits, in seconds (null without any).
type StageTime struct {
	Stage         domain.Status
	Label         string
	Visits        int
	MedianSeconds *float64
	P90Seconds    *float64
}

// ReportStages are the stages whose times a report measures, in lifecycle order.
var ReportStages = []domain.Status{domain.StatusReceived, domain.StatusAtPokja, domain.StatusAtPartner,
	domain.StatusPokjaReview, domain.StatusReadyToPublish, domain.StatusAwaitingInfo}

// ReportDimensions are the breakdowns of Report.Counts, in display order.
var ReportDimensions = []string{"kecamatan", "desa", "category", "pokja", "partner", "channel", "status"}

// Report is the evaluation report of a period.
type Report struct {
	// Total is the number of complaints created in the period; Counts breaks it down by
	// each of ReportDimensions, most first.
	Total  int
	Counts map[string][]ReportCount
	// Stages are the times spent per stage by the complaints created in the period.
	Stages []StageTime
	// Answered is how many complaints got their answer in the period (first published,
	// or closed by the admin with a private answer); AnsweredOnTime how many of them were
	// answered within OverallLimitSeconds of intake without ever going overdue.
	Answered            int
	AnsweredOnTime      int
	OnTimeShare         *float64
	OverallLimitSeconds float64
	// FeedbackCount and FeedbackSatisfied count the complainants' answers given in the period.
	FeedbackCount     int
	FeedbackSatisfied int
	SatisfactionRate  *float64
	// Published is how many complaints were first published in the period; Reopened how
	// many of those a complainant's "not solved" sent back.
	Published  int
	Reopened   int
	ReopenRate *float64
	// TopOverduePartners and TopOverdueDesa name the five partners and desa with the most
	// complaints created in the period that went overdue (an overdue event) or are now.
	TopOverduePartners []ReportCount
	TopOverdueDesa     []ReportCount
}

// reportScope starts a report query: $1 and $2 are the period [from, to), and cond is
// the viewer's visibility on complaints (true for everyone's).
func reportScope(viewer domain.Actor, from, to time.Time) (q query, cond string) {
	q.arg(from)
	q.arg(to)
	visibleTo(viewer, &q)
	if len(q.where) == 0 {
		return q, "true"
	}
	return q, strings.Join(q.where, " AND ")
}

// Report computes the evaluation report of [from, to) as viewer sees it. overallLimit is
// the legal time from intake to answer (the policy's overall span).
func (db *DB) Report(ctx context.Context, viewer domain.Actor, from, to time.Time, overallLimit time.Duration) (Report, error) {
	r := Report{Counts: map[string][]ReportCount{}, OverallLimitSeconds: overallLimit.Seconds()}
	q, scope := reportScope(viewer, from, to)
	full := domain.SeesEverything(viewer)
	// A confidential complaint's desa is withheld from pokja and partners, here too.
	desa := "c.desa"
	if !full {
		desa = "CASE WHEN c.confidential THEN NULL ELSE c.desa END"
	}
	cohort := `WITH c AS (SELECT * FROM complaints WHERE created_at >= $1 AND created_at < $2 AND ` + scope + `)`

	// Counts of the complaints created in the period.
	var rows []struct {
		Dim string `db:"dim"`
		ReportCount
	}
	err := db.SelectContext(ctx, &rows, cohort+`
		SELECT 'kecamatan' AS dim, coalesce(c.kecamatan, '') AS key, coalesce(k.name, '') AS label, count(*) AS count
			FROM c LEFT JOIN kecamatan k ON k.id = c.kecamatan GROUP BY 1, 2, 3
		UNION ALL
		SELECT 'desa', coalesce(d.id, ''), coalesce(d.name || ' (' || k.name || ')', ''), count(*)
			FROM c LEFT JOIN desa d ON d.id = `+desa+` LEFT JOIN kecamatan k ON k.id = d.kecamatan_id GROUP BY 1, 2, 3
		UNION ALL
		SELECT 'category', coalesce(c.category, ''), '', count(*) FROM c GROUP BY 1, 2, 3
		UNION ALL
		SELECT 'pokja', coalesce(c.pokja, ''), coalesce(p.name, ''), count(*)
			FROM c LEFT JOIN pokja p ON p.id = c.pokja GROUP BY 1, 2, 3
		UNION ALL
		SELECT 'partner', coalesce(c.partner, ''), coalesce(p.name, ''), count(*)
			FROM c LEFT JOIN partners p ON p.id = c.partner GROUP BY 1, 2, 3
		UNION ALL
		SELECT 'channel', c.channel, '', count(*) FROM c GROUP BY 1, 2, 3
		UNION ALL
		SELECT 'status', c.status, '', count(*) FROM c GROUP BY 1, 2, 3`, q.args...)
	if err != nil {
		return r, err
	}
	for _, d := range ReportDimensions {
		r.Counts[d] = []ReportCount{}
	}
	for _, row := range rows {
		rc := row.ReportCount
		rc.Label = reportCountLabel(row.Dim, rc.Key, rc.Label)
		r.Counts[row.Dim] = append(r.Counts[row.Dim], rc)
		if row.Dim == "status" {
			r.Total += rc.Count
		}
	}
	for _, list := range r.Counts {
		sortReportCounts(list)
	}

	// Stage times: a visit starts at an event whose status differs from the one before
	// and ends at the next such event; visits still open have no end and do not count.
	var stages []struct {
		Stage  domain.Status   `db:"status"`
		Visits int             `db:"visits"`
		Median sql.NullFloat64 `db:"median"`
		P90    sql.NullFloat64 `db:"p90"`
	}
	err = db.SelectContext(ctx, &stages, cohort+`,
		ev AS (SELECT e.code, e.seq, e.at, e.status,
				LAG(e.status) OVER (PARTITION BY e.code ORDER BY e.seq) AS prev
			FROM complaint_events e JOIN c ON c.code = e.code),
		visits AS (SELECT status, at,
				LEAD(at) OVER (PARTITION BY code ORDER BY seq) AS left_at
			FROM ev WHERE prev IS DISTINCT FROM status)
		SELECT status, count(*) AS visits,
			percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - at)) AS median,
			percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - at)) AS p90
		FROM visits WHERE left_at IS NOT NULL GROUP BY status`, q.args...)
	if err != nil {
		return r, err
	}
	for _, st := range ReportStages {
		t := StageTime{Stage: st, Label: st.Label()}
		for _, row := range stages {
			if row.Stage == st {
				t.Visits = row.Visits
				t.MedianSeconds, t.P90Seconds = reportSeconds(row.Median), reportSeconds(row.P90)
			}
		}
		r.Stages = append(r.Stages, t)
	}

	// Answers given in the period: the first publication, or a close from
	// ready_to_publish (the answer went to the complainant privately).
	var ans struct {
		Answered  int `db:"answered"`
		OnTime    int `db:"on_time"`
		Published int `db:"published"`
		Reopened  int `db:"reopened"`
	}
	limit := q.arg(overallLimit.Seconds())
	err = db.GetContext(ctx, &ans, `WITH c AS (SELECT * FROM complaints WHERE created_at < $2 AND `+scope+`),
		ev AS (SELECT e.code, e.at, e.status, e.action,
				LAG(e.status) OVER (PARTITION BY e.code ORDER BY e.seq) AS prev
			FROM complaint_events e JOIN c ON c.code = e.code),
		a AS (SELECT code,
				min(at) FILTER (WHERE status = 'published') AS published_at,
				min(at) FILTER (WHERE status = 'published'
					OR (action = 'close' AND status = 'closed' AND prev = 'ready_to_publish')) AS answered_at,
				bool_or(action = 'overdue') AS had_overdue
			FROM ev GROUP BY code)
		SELECT
			count(*) FILTER (WHERE a.answered_at >= $1 AND a.answered_at < $2) AS answered,
			count(*) FILTER (WHERE a.answered_at >= $1 AND a.answered_at < $2 AND NOT a.had_overdue
				AND extract(epoch FROM a.answered_at - c.created_at) <= `+limit+`) AS on_time,
			count(*) FILTER (WHERE a.published_at >= $1 AND a.published_at < $2) AS published,
			count(*) FILTER (WHERE a.published_at >= $1 AND a.published_at < $2 AND c.reopen_count > 0) AS reopened
		FROM a JOIN c ON c.code = a.code`, q.args...)
	q.args = q.args[:len(q.args)-1]
	if err != nil {
		return r, err
	}
	r.Answered, r.AnsweredOnTime, r.Published, r.Reopened = ans.Answered, ans.OnTime, ans.Published, ans.Reopened
	r.OnTimeShare = reportRatio(ans.OnTime, ans.Answered)
	r.ReopenRate = reportRatio(ans.Reopened, ans.Published)

	// The complainants' feedback given in the period.
	var fb struct {
		All       int `db:"n"`
		Satisfied int `db:"satisfied"`
	}
	err = db.GetContext(ctx, &fb, `WITH c AS (SELECT code FROM complaints WHERE `+scope+`)
		SELECT count(*) AS n, count(*) FILTER (WHERE f.satisfied) AS satisfied
		FROM complaint_feedback f JOIN c ON c.code = f.code
		WHERE f.at >= $1 AND f.at < $2`, q.args...)
	if err != nil {
		return r, err
	}
	r.FeedbackCount, r.FeedbackSatisfied = fb.All, fb.Satisfied
	r.SatisfactionRate = reportRatio(fb.Satisfied, fb.All)

	// Where complaints go overdue: those of the period with an overdue event or late now.
	late := cohort + `,
		late AS (SELECT c.* FROM c WHERE ` + overdueSQL("c.") + `
			OR EXISTS (SELECT 1 FROM complaint_events e WHERE e.code = c.code AND e.action = 'overdue'))`
	r.TopOverduePartners = []ReportCount{}
	if err := db.SelectContext(ctx, &r.TopOverduePartners, late+`
		SELECT l.partner AS key, coalesce(p.name, '') AS label, count(*) AS count
		FROM late l LEFT JOIN partners p ON p.id = l.partner WHERE l.partner IS NOT NULL
		GROUP BY 1, 2 ORDER BY count DESC, key LIMIT 5`, q.args...); err != nil {
		return r, err
	}
	r.TopOverdueDesa = []ReportCount{}
	if err := db.SelectContext(ctx, &r.TopOverdueDesa, late+`
		SELECT d.id AS key, d.name || ' (' || k.name || ')' AS label, count(*) AS count
		FROM late c JOIN desa d ON d.id = `+desa+` JOIN kecamatan k ON k.id = d.kecamatan_id
		GROUP BY 1, 2 ORDER BY count DESC, key LIMIT 5`, q.args...); err != nil {
		return r, err
	}
	return r, nil
}

// reportCountLabel names a breakdown's key for people.
func reportCountLabel(dim, key, label string) string {
	switch {
	case key == "" && dim == "partner":
		return "(tanpa lembaga mitra)"
	case key == "" && dim == "pokja":
		return "(belum ke pokja)"
	case key == "":
		return "(tidak diisi)"
	case dim == "category":
		if c, ok := domain.CategoryByID(key); ok {
			return c.Name
		}
	case dim == "status":
		return domain.Status(key).Label()
	case dim == "channel":
		if l, ok := reportChannelLabels[key]; ok {
			return l
		}
	}
	if label == "" {
		return key
	}
	return label
}

var reportChannelLabels = map[string]string{
	"web": "Formulir web", "whatsapp": "WhatsApp", "sms": "SMS", "phone": "Telepon", "desk": "Desk Informasi",
}

// sortReportCounts orders a breakdown by count, most first, then by key ("" last).
func sortReportCounts(list []ReportCount) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if (a.Key == "") != (b.Key == "") {
			return b.Key == ""
		}
		return a.Key < b.Key
	})
}

// reportSeconds is a duration to the millisecond (percentile_cont's interpolation leaves
// floating-point dust), or nil.
func reportSeconds(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	f := math.Round(v.Float64*1000) / 1000
	return &f
}

// reportRatio is n/d, or nil when d is 0.
func reportRatio(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	f := float64(n) / float64(d)
	return &f
}

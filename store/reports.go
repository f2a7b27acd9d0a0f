package store

import (
	"context"
	"database/sql"
	"fmt"
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
// the viewer's visibility on complaints (true for everyone's), on columns of alias c.
func reportScope(viewer domain.Actor, from, to time.Time) (q query, cond string) {
	q.arg(from)
	q.arg(to)
	visibleOn(viewer, &q, "c.")
	if len(q.where) == 0 {
		return q, "true"
	}
	return q, strings.Join(q.where, " AND ")
}

// reportWorkMem is the sort memory of a report's transaction: the stage times sort the
// durations of every visit of the period (a year of complaints: about 450,000), which
// the default 4 MB would spill to disk.
const reportWorkMem = "64MB"

// Statement is one SQL statement as a store method runs it, with its parameters: what
// bench.ExplainHot explains. Setup are the SET LOCAL statements its transaction runs first.
type Statement struct {
	Name  string
	SQL   string
	Args  []any
	Setup []string
}

// reportStatements are the statements of Report, in order: counts, stages, answers,
// feedback, late (overdue partners and desa).
func reportStatements(viewer domain.Actor, from, to time.Time, overallLimit time.Duration) []Statement {
	q, scope := reportScope(viewer, from, to)
	full := domain.SeesEverything(viewer)
	// A confidential complaint's desa is withheld from pokja and partners, here too.
	desa := "c.desa"
	if !full {
		desa = "CASE WHEN c.confidential THEN NULL ELSE c.desa END"
	}
	cohort := `c.created_at >= $1 AND c.created_at < $2 AND ` + scope
	// JIT compiling costs more (tens of milliseconds) than it saves on these statements.
	setup := []string{`SET LOCAL work_mem = '` + reportWorkMem + `'`, `SET LOCAL jit = off`, `SET LOCAL max_parallel_workers_per_gather = 0`}
	st := func(name, sql string, args []any) Statement {
		return Statement{Name: name, SQL: sql, Args: args, Setup: setup}
	}
	// The feedback's complaints need reading only when the viewer sees some of them.
	feedbackFrom := `complaint_feedback f WHERE`
	if scope != "true" {
		feedbackFrom = `complaint_feedback f JOIN complaints c ON c.code = f.code WHERE ` + scope + ` AND`
	}
	// Stage times: the completed visits of the period's complaints (the visits carry
	// their complaint's created_at), from complaint_visits_stages. Of everyone's, stage
	// by stage, so each percentile sorts its own durations only and the stages can be
	// read in parallel; of a scope's, in one pass joined to the scope's complaints.
	var stages string
	if scope == "true" {
		var each []string
		for _, stage := range ReportStages {
			each = append(each, fmt.Sprintf(`SELECT '%s' AS status, count(*) AS visits,
					percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY v.seconds) AS p
				FROM complaint_visits v WHERE v.status = '%s' AND v.seconds IS NOT NULL
					AND v.created_at >= $1 AND v.created_at < $2`, stage, stage))
		}
		stages = strings.Join(each, "\n\t\t\tUNION ALL ")
	} else {
		stages = `SELECT v.status, count(*) AS visits,
					percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY v.seconds) AS p
				FROM complaint_visits v JOIN complaints c ON c.code = v.code
				WHERE v.status IN ` + statusList(ReportStages) + ` AND v.seconds IS NOT NULL
					AND v.created_at >= $1 AND v.created_at < $2 AND ` + scope + `
				GROUP BY v.status`
	}
	// The answers' statement takes the overall limit as its last parameter.
	withLimit := append(append([]any{}, q.args...), overallLimit.Seconds())
	limit := fmt.Sprintf("$%d", len(withLimit))
	// The answers of everyone's complaints are read from the visits alone, the few
	// reopened complaints from their own index (complaints_reopened); a scope's need
	// their complaints for the scope.
	answersFrom, reopened := `complaint_visits v JOIN complaints c ON c.code = v.code`, `c.reopen_count > 0`
	if scope == "true" {
		answersFrom, reopened = `complaint_visits v`, `v.code IN (SELECT code FROM complaints WHERE reopen_count > 0)`
	}
	return []Statement{
		// Counts of the complaints created in the period: one pass, a grouping set per
		// dimension, the names joined to the few groups afterwards.
		st("report: counts by dimension", `WITH g AS (
				SELECT CASE WHEN GROUPING(c.kecamatan) = 0 THEN 'kecamatan' WHEN GROUPING(`+desa+`) = 0 THEN 'desa'
						WHEN GROUPING(c.category) = 0 THEN 'category' WHEN GROUPING(c.pokja) = 0 THEN 'pokja'
						WHEN GROUPING(c.partner) = 0 THEN 'partner' WHEN GROUPING(c.channel) = 0 THEN 'channel'
						ELSE 'status' END AS dim,
					coalesce(c.kecamatan, `+desa+`, c.category, c.pokja, c.partner, c.channel, c.status, '') AS key,
					count(*) AS count
				FROM complaints c WHERE `+cohort+`
				GROUP BY GROUPING SETS ((c.kecamatan), (`+desa+`), (c.category), (c.pokja), (c.partner), (c.channel), (c.status)))
			SELECT g.dim, g.key, coalesce(CASE g.dim WHEN 'kecamatan' THEN k.name WHEN 'desa' THEN d.name || ' (' || dk.name || ')'
					WHEN 'pokja' THEN p.name WHEN 'partner' THEN r.name END, '') AS label, g.count
			FROM g
			LEFT JOIN kecamatan k ON g.dim = 'kecamatan' AND k.id = g.key
			LEFT JOIN desa d ON g.dim = 'desa' AND d.id = g.key LEFT JOIN kecamatan dk ON dk.id = d.kecamatan_id
			LEFT JOIN pokja p ON g.dim = 'pokja' AND p.id = g.key
			LEFT JOIN partners r ON g.dim = 'partner' AND r.id = g.key`, q.args),
		st("report: stage times", `SELECT status, visits, p[1] AS median, p[2] AS p90 FROM (
			`+stages+`) s
			WHERE visits > 0`, q.args),
		// Answers given in the period: a complaint's first publication, or its close
		// from ready_to_publish (the answer went to the complainant privately), as its
		// visits mark them (the complaint may have been created before the period). On
		// time: within the overall limit of intake, and never overdue; reopened: sent
		// back by the complainant's "not solved" (reopen_count), then or later.
		st("report: answers", `SELECT
				count(*) FILTER (WHERE v.first_answer) AS answered,
				count(*) FILTER (WHERE v.first_answer
					AND NOT v.code IN (SELECT code FROM complaint_events WHERE action = 'overdue')
					AND extract(epoch FROM v.entered_at - v.created_at) <= `+limit+`) AS on_time,
				count(*) FILTER (WHERE v.first_publication) AS published,
				count(*) FILTER (WHERE v.first_publication AND `+reopened+`) AS reopened
			FROM `+answersFrom+`
			WHERE (v.first_answer OR v.first_publication) AND v.entered_at >= $1 AND v.entered_at < $2 AND `+scope,
			withLimit),
		// The complainants' feedback given in the period.
		st("report: feedback", `SELECT count(*) AS n, count(*) FILTER (WHERE f.satisfied) AS satisfied
			FROM `+feedbackFrom+` f.at >= $1 AND f.at < $2`, q.args),
		// Where complaints go overdue: those of the period with an overdue event or late
		// now; the five partners and the five desa with the most.
		st("report: overdue partners and desa", `WITH late AS MATERIALIZED (
				SELECT c.partner, `+desa+` AS desa FROM complaints c
				WHERE `+cohort+` AND (`+overdueSQL("c.")+`
					OR EXISTS (SELECT 1 FROM complaint_events e WHERE e.code = c.code AND e.action = 'overdue')))
			(SELECT 'partner' AS dim, l.partner AS key, coalesce(p.name, '') AS label, count(*) AS count
				FROM late l LEFT JOIN partners p ON p.id = l.partner WHERE l.partner IS NOT NULL
				GROUP BY 1, 2, 3 ORDER BY count DESC, key LIMIT 5)
			UNION ALL
			(SELECT 'desa', d.id, d.name || ' (' || k.name || ')', count(*)
				FROM late l JOIN desa d ON d.id = l.desa JOIN kecamatan k ON k.id = d.kecamatan_id
				GROUP BY 1, 2, 3 ORDER BY 4 DESC, 2 LIMIT 5)`, q.args),
	}
}

// Report computes the evaluation report of [from, to) as viewer sees it. overallLimit is
// the legal time from intake to answer (the policy's overall span). Its statements run
// in one read-only transaction, so the figures agree with one another.
func (db *DB) Report(ctx context.Context, viewer domain.Actor, from, to time.Time, overallLimit time.Duration) (Report, error) {
	r := Report{Counts: map[string][]ReportCount{}, OverallLimitSeconds: overallLimit.Seconds()}
	sts := reportStatements(viewer, from, to, overallLimit)
	tx, err := db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return r, err
	}
	defer tx.Rollback()
	for _, s := range sts[0].Setup {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return r, err
		}
	}
	counts, stagesSQL, answers, feedback, late := sts[0], sts[1], sts[2], sts[3], sts[4]

	var rows []struct {
		Dim string `db:"dim"`
		ReportCount
	}
	if err := tx.SelectContext(ctx, &rows, counts.SQL, counts.Args...); err != nil {
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

	var stages []struct {
		Stage  domain.Status   `db:"status"`
		Visits int             `db:"visits"`
		Median sql.NullFloat64 `db:"median"`
		P90    sql.NullFloat64 `db:"p90"`
	}
	if err := tx.SelectContext(ctx, &stages, stagesSQL.SQL, stagesSQL.Args...); err != nil {
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

	var ans struct {
		Answered  int `db:"answered"`
		OnTime    int `db:"on_time"`
		Published int `db:"published"`
		Reopened  int `db:"reopened"`
	}
	if err := tx.GetContext(ctx, &ans, answers.SQL, answers.Args...); err != nil {
		return r, err
	}
	r.Answered, r.AnsweredOnTime, r.Published, r.Reopened = ans.Answered, ans.OnTime, ans.Published, ans.Reopened
	r.OnTimeShare = reportRatio(ans.OnTime, ans.Answered)
	r.ReopenRate = reportRatio(ans.Reopened, ans.Published)

	var fb struct {
		All       int `db:"n"`
		Satisfied int `db:"satisfied"`
	}
	if err := tx.GetContext(ctx, &fb, feedback.SQL, feedback.Args...); err != nil {
		return r, err
	}
	r.FeedbackCount, r.FeedbackSatisfied = fb.All, fb.Satisfied
	r.SatisfactionRate = reportRatio(fb.Satisfied, fb.All)

	var top []struct {
		Dim string `db:"dim"`
		ReportCount
	}
	if err := tx.SelectContext(ctx, &top, late.SQL, late.Args...); err != nil {
		return r, err
	}
	r.TopOverduePartners, r.TopOverdueDesa = []ReportCount{}, []ReportCount{}
	for _, t := range top {
		if t.Dim == "partner" {
			r.TopOverduePartners = append(r.TopOverduePartners, t.ReportCount)
		} else {
			r.TopOverdueDesa = append(r.TopOverdueDesa, t.ReportCount)
		}
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

// ReportChanges is a number that changes whenever something a report reads has been
// written (migration 00026: every such statement draws from the sequence
// report_changes): the same number twice means the same report. A number is drawn
// before its transaction commits, so a report computed in that moment may miss the
// write it stands for; the reader bounds how long it trusts one (complaints.reportCache).
func (db *DB) ReportChanges(ctx context.Context) (int64, error) {
	var n int64
	err := db.GetContext(ctx, &n, `SELECT last_value * 2 + is_called::int FROM report_changes`)
	return n, err
}

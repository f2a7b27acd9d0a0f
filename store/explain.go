package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"aduan/domain"
)

// The statements of the hot paths as the store runs them, for EXPLAIN (bench.ExplainHot
// writes their plans into docs/PERFORMANCE.md): built by the same code as the methods
// that run them, so a plan shown is the plan run.

// SearchStatements are Search's statements for viewer and f: the count, then the page.
func SearchStatements(viewer domain.Actor, f Filter) []Statement {
	count, list := pageStatements(searchQuery(viewer, f), searchOrder, f.Page, f.PerPage)
	count.Name, list.Name = "search: count", "search: page"
	return []Statement{count, list}
}

// TasksStatement is Tasks' statement (ok false: the user has no work at all).
func TasksStatement(a domain.Actor, limit int) (Statement, bool) {
	st, ok := tasksStatement(a, limit)
	st.Name = "inbox"
	return st, ok
}

// ReportStatements are Report's statements, run in one transaction after their Setup.
func ReportStatements(viewer domain.Actor, from, to time.Time, overallLimit time.Duration) []Statement {
	return reportStatements(viewer, from, to, overallLimit)
}

// MetricsStatements are the statements of a metrics scrape (package metrics): the open
// complaints, the work backlogs, and the outbox's delivery failures (settled up to mark,
// and since it).
func MetricsStatements(mark int64) []Statement {
	return []Statement{
		{Name: "metrics: open complaints", SQL: openComplaintsSQL()},
		{Name: "metrics: work backlogs", SQL: workBacklogsSQL, Args: []any{looseAttempts}},
		{Name: "metrics: settled failures, mark", SQL: settledMarkSQL},
		{Name: "metrics: settled failures", SQL: settledFailuresSQL, Args: []any{mark}},
		{Name: "metrics: failures since the mark", SQL: failuresSinceSQL, Args: []any{mark}},
	}
}

// DuplicatesStatement is DuplicatesOf's statement for code: every publication's
// announcement runs it.
func DuplicatesStatement(code string) Statement {
	return Statement{Name: "a publication's merged complaints", SQL: duplicatesOfSQL, Args: []any{code}}
}

// Explain runs st under EXPLAIN (ANALYZE, BUFFERS) and returns the plan as text. It runs
// in a read-only transaction, rolled back, after st's Setup.
func (db *DB) Explain(ctx context.Context, st Statement) (string, error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	for _, s := range append([]string{"SET TRANSACTION READ ONLY"}, st.Setup...) {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return "", err
		}
	}
	var lines []string
	if err := tx.SelectContext(ctx, &lines, `EXPLAIN (ANALYZE, BUFFERS) `+st.SQL, st.Args...); err != nil {
		return "", fmt.Errorf("explain %s: %w", st.Name, err)
	}
	return strings.Join(lines, "\n"), nil
}

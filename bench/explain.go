package bench

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"aduan/domain"
	"aduan/store"
)

// ExplainHot runs EXPLAIN (ANALYZE, BUFFERS) on the hot queries, each as the store builds
// it (store.SearchStatements, TasksStatement, ReportStatements, MetricsStatements,
// DuplicatesStatement), on
// db as it is (after LoadYear and the scale fill: 100,000 complaints, 10,000 open), and
// returns them as markdown for docs/PERFORMANCE.md: a table of execution times, then
// each plan. The users are the demo's (demo.Seed).
func ExplainHot(ctx context.Context, db *store.DB) (string, error) {
	actor := func(username string) (domain.Actor, error) {
		s, err := db.StaffByUsername(ctx, username)
		if err != nil {
			return domain.Actor{}, fmt.Errorf("explain: demo user %s: %w", username, err)
		}
		return s.Actor(), nil
	}
	admin, err := actor("admin")
	if err != nil {
		return "", err
	}
	pokja, err := actor("pokja-logistik")
	if err != nil {
		return "", err
	}
	supervisor, err := actor("supervisor")
	if err != nil {
		return "", err
	}
	var sts []store.Statement
	add := func(label string, list ...store.Statement) {
		for _, s := range list {
			s.Name = s.Name + " — " + label
			sts = append(sts, s)
		}
	}
	for _, a := range []domain.Actor{pokja, admin, supervisor} {
		if st, ok := store.TasksStatement(a, inboxSize); ok {
			add("GET /api/v1/staff/tasks as "+a.Username, st)
		}
	}
	overdue := true
	add("?q=banjir as admin", store.SearchStatements(admin, store.Filter{Q: "banjir", Page: 1, PerPage: 20})...)
	add("?q=jembatan putus as admin", store.SearchStatements(admin, store.Filter{Q: "jembatan putus", Page: 1, PerPage: 20})...)
	add("?q=banjir as pokja-logistik", store.SearchStatements(pokja, store.Filter{Q: "banjir", Page: 1, PerPage: 20})...)
	add("?category=bantuan_logistik&overdue=true as pokja-logistik", store.SearchStatements(pokja,
		store.Filter{Category: "bantuan_logistik", Overdue: &overdue, Page: 1, PerPage: 20})...)
	from, to, limit := reportPeriod(ReportDays)
	add(fmt.Sprintf("GET /api/v1/staff/reports?from=%s&to=%s as admin", from.Format(time.DateOnly),
		to.AddDate(0, 0, -1).Format(time.DateOnly)), store.ReportStatements(admin, from, to, limit)...)
	mark, _, err := db.SettledFailures(ctx)
	if err != nil {
		return "", err
	}
	add("a scrape", store.MetricsStatements(mark)...)
	var published []string
	if err := db.SelectContext(ctx, &published, `SELECT code FROM complaints WHERE status = 'published' ORDER BY code LIMIT 1`); err != nil {
		return "", fmt.Errorf("explain: a published complaint: %w", err)
	}
	if len(published) == 1 {
		add("the announcement of "+published[0]+"'s publication", store.DuplicatesStatement(published[0]))
	}

	var b, plans strings.Builder
	b.WriteString("| query | execution time |\n| --- | --- |\n")
	for i, st := range sts {
		plan, err := db.Explain(ctx, st)
		if err != nil {
			return "", err
		}
		took := "?"
		if m := executionTime.FindStringSubmatch(plan); m != nil {
			took = m[1] + " ms"
		}
		fmt.Fprintf(&b, "| [%s](#plan-%d) | %s |\n", st.Name, i+1, took)
		fmt.Fprintf(&plans, "\n<a id=\"plan-%d\"></a>%d. **%s**\n\n```\n%s\n```\n", i+1, i+1, st.Name, plan)
	}
	return b.String() + plans.String(), nil
}

// reportPeriod is the report of the last days days as the API asks it (whole days in the
// regency's zone, today included: [from, to)), with the default policy's overall limit.
func reportPeriod(days int) (from, to time.Time, limit time.Duration) {
	policy := domain.DefaultSLAPolicy()
	today := time.Now().In(wita)
	to = time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, wita)
	return to.AddDate(0, 0, -days), to, time.Duration(policy.Overall.Days)*24*time.Hour + policy.Overall.Dur
}

// inboxSize is the API's inbox page (complaints.Service.Tasks).
const inboxSize = 200

var executionTime = regexp.MustCompile(`Execution Time: ([0-9.]+) ms`)

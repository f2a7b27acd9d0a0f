package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// query collects the WHERE conditions of a complaint list with their parameters, so that
// every value reaches PostgreSQL as a parameter.
type query struct {
	where []string
	args  []any
	// text says a substring match is among the conditions (page then caps its count).
	text bool
}

// arg adds a parameter and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return fmt.Sprintf("$%d", len(q.args))
}

// cond adds a condition as it is.
func (q *query) cond(c string) { q.where = append(q.where, c) }

// eq adds col = v unless v is empty.
func (q *query) eq(col, v string) {
	if v != "" {
		q.cond(col + " = " + q.arg(v))
	}
}

// contains adds a case-insensitive substring match of text on any of cols.
func (q *query) contains(text string, cols ...string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	q.text = true
	p := q.arg("%" + escapeLike(text) + "%")
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + " ILIKE " + p
	}
	q.cond("(" + strings.Join(parts, " OR ") + ")")
}

func (q *query) whereClause() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// TextCountCap is how far a text search counts: a total above it is reported as
// TextCountCap+1 ("more than TextCountCap").
const TextCountCap = 1000

// page reads one page of matching complaints in the given order, with the total count.
func (db *DB) page(ctx context.Context, q query, order string, page, perPage int) ([]Complaint, int, error) {
	var total int
	count := `SELECT count(*) FROM complaints` + q.whereClause()
	if q.text {
		// A word that most complaints contain would count them all on every page: the
		// count stops after TextCountCap (the page itself still reads only its rows).
		count = `SELECT count(*) FROM (SELECT 1 FROM complaints` + q.whereClause() +
			` LIMIT ` + strconv.Itoa(TextCountCap+1) + `) AS m`
	}
	if err := db.GetContext(ctx, &total, count, q.args...); err != nil {
		return nil, 0, err
	}
	if perPage <= 0 {
		perPage = 20
	}
	if page <= 0 {
		page = 1
	}
	where := q.whereClause()
	limit, offset := q.arg(perPage), q.arg((page-1)*perPage)
	var rows []Complaint
	err := db.SelectContext(ctx, &rows, `SELECT `+complaintColumns+` FROM complaints`+where+
		` ORDER BY `+order+` LIMIT `+limit+` OFFSET `+offset, q.args...)
	return rows, total, err
}

package store

import (
	"context"
	"fmt"
	"strings"
)

// query collects the WHERE conditions of a complaint list with their parameters, so that
// every value reaches PostgreSQL as a parameter.
type query struct {
	where []string
	args  []any
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

// page reads one page of matching complaints in the given order, with the total count.
func (db *DB) page(ctx context.Context, q query, order string, page, perPage int) ([]Complaint, int, error) {
	var total int
	if err := db.GetContext(ctx, &total, `SELECT count(*) FROM complaints`+q.whereClause(), q.args...); err != nil {
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

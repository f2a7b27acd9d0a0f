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
	// text says a match of words is among the conditions (page then caps its count).
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

func (q *query) whereClause() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// escapeLike escapes LIKE's wildcards in s, for a match of s as it is.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// TextCountCap is how far a text search counts: a total above it is reported as
// TextCountCap+1 ("more than TextCountCap").
const TextCountCap = 1000

// page reads one page of matching complaints in the given order, with the total count.
func (db *DB) page(ctx context.Context, q query, order string, page, perPage int) ([]Complaint, int, error) {
	count, list := pageStatements(q, order, page, perPage)
	var total int
	if err := db.GetContext(ctx, &total, count.SQL, count.Args...); err != nil {
		return nil, 0, err
	}
	var rows []Complaint
	err := db.SelectContext(ctx, &rows, list.SQL, list.Args...)
	return rows, total, err
}

// pageStatements are page's two statements: the count, and the page itself.
func pageStatements(q query, order string, page, perPage int) (count, list Statement) {
	count = Statement{SQL: `SELECT count(*) FROM complaints` + q.whereClause(), Args: q.args}
	if q.text {
		// A word that most complaints contain would count them all on every page: the
		// count stops after TextCountCap (the page itself still reads only its rows).
		count.SQL = `SELECT count(*) FROM (SELECT 1 FROM complaints` + q.whereClause() +
			` LIMIT ` + strconv.Itoa(TextCountCap+1) + `) AS m`
	}
	if perPage <= 0 {
		perPage = 20
	}
	if page <= 0 {
		page = 1
	}
	where := q.whereClause()
	q.args = append([]any{}, q.args...) // the count keeps its own
	limit, offset := q.arg(perPage), q.arg((page-1)*perPage)
	// The page's codes first, then their rows: the codes can come from an index that
	// holds every column the conditions read (complaints_overdue), without reading the
	// wide rows of every candidate, and only the page's rows are read in full.
	list = Statement{SQL: `SELECT ` + complaintColumns + ` FROM complaints WHERE code IN (SELECT code FROM complaints` +
		where + ` ORDER BY ` + order + ` LIMIT ` + limit + ` OFFSET ` + offset + `) ORDER BY ` + order, Args: q.args}
	return count, list
}

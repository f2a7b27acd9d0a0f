package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// PublicFilter narrows the list of published answers.
type PublicFilter struct {
	Kecamatan string
	Category  string
	Q         string
	Page      int
	PerPage   int
}

// published is SQL for "has a public answer": confidential complaints never do.
const published = `published_at IS NOT NULL AND NOT confidential`

// Publications lists published answers, newest first, with the total count.
func (db *DB) Publications(ctx context.Context, f PublicFilter) ([]Complaint, int, error) {
	where := []string{published}
	var args []any
	if f.Kecamatan != "" {
		args = append(args, f.Kecamatan)
		where = append(where, fmt.Sprintf("kecamatan = $%d", len(args)))
	}
	if f.Category != "" {
		args = append(args, f.Category)
		where = append(where, fmt.Sprintf("category = $%d", len(args)))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		args = append(args, "%"+escapeLike(q)+"%")
		n := len(args)
		where = append(where, fmt.Sprintf("(public_title ILIKE $%d OR public_answer ILIKE $%d OR code ILIKE $%d)", n, n, n))
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := db.GetContext(ctx, &total, `SELECT count(*) FROM complaints`+cond, args...); err != nil {
		return nil, 0, err
	}
	if f.PerPage <= 0 {
		f.PerPage = 20
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	args = append(args, f.PerPage, (f.Page-1)*f.PerPage)
	var rows []Complaint
	err := db.SelectContext(ctx, &rows, fmt.Sprintf(`SELECT %s FROM complaints%s ORDER BY published_at DESC, code
		LIMIT $%d OFFSET $%d`, complaintColumns, cond, len(args)-1, len(args)), args...)
	return rows, total, err
}

// Publication reads one published answer.
func (db *DB) Publication(ctx context.Context, code string) (Complaint, error) {
	var c Complaint
	err := db.GetContext(ctx, &c, `SELECT `+complaintColumns+` FROM complaints WHERE code = $1 AND `+published, code)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

package store

import (
	"context"
	"database/sql"
	"errors"
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
	var q query
	q.cond(published)
	q.eq("kecamatan", f.Kecamatan)
	q.eq("category", f.Category)
	q.publicWords(f.Q)
	return db.page(ctx, q, "published_at DESC, code", f.Page, f.PerPage)
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

package store

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// prepared is query prepared on the pool, for the writes every request makes (intake's
// insert, the projection of every action). Otherwise PostgreSQL plans a statement each
// time it runs it, and for these, with their CTEs, foreign keys and partial indexes,
// planning was about 40% of the statement's time (pgbench on a copy of the bench's
// database, 16 clients: intake's statement 1,280 a second planned each time, 2,150
// prepared). database/sql prepares it again on each connection as that first runs it.
func (db *DB) prepared(ctx context.Context, query string) (*sqlx.Stmt, error) {
	if st, ok := db.stmts.Load(query); ok {
		return st.(*sqlx.Stmt), nil
	}
	st, err := db.PreparexContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if first, raced := db.stmts.LoadOrStore(query, st); raced {
		st.Close()
		return first.(*sqlx.Stmt), nil
	}
	return st, nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
)

// AddFeedback keeps the complainant's answer to "did this solve your problem?" and
// returns its id; the comment, like all they write, stays in PostgreSQL.
func (db *DB) AddFeedback(ctx context.Context, code, channel string, satisfied bool, comment string) (int64, error) {
	var id int64
	err := db.GetContext(ctx, &id, `INSERT INTO complaint_feedback (code, channel, satisfied, comment)
		VALUES ($1, $2, $3, $4) RETURNING id`, code, channel, satisfied, nullable(comment))
	return id, err
}

// ForgetMessage removes a message whose handling failed, so that the provider's repeated
// delivery is handled afresh instead of being taken for a duplicate.
func (db *DB) ForgetMessage(ctx context.Context, id int64) error {
	_, err := db.ExecContext(ctx, `DELETE FROM complaint_messages WHERE id = $1`, id)
	return err
}

// FeedbackRow is one answer of the complainant to "did this solve your problem?".
type FeedbackRow struct {
	ID      int64 `db:"id"`
	Applied bool  `db:"applied"`
}

// AddFeedbackOnce is AddFeedback for a request that may be retried: the first call with
// a key writes the row, a later one finds it (created false) and writes nothing.
func (db *DB) AddFeedbackOnce(ctx context.Context, code, channel, key string, satisfied bool, comment string) (id int64, created bool, err error) {
	err = db.GetContext(ctx, &id, `INSERT INTO complaint_feedback (code, channel, satisfied, comment, request_key)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (code, request_key) WHERE request_key IS NOT NULL DO NOTHING RETURNING id`,
		code, channel, satisfied, nullable(comment), key)
	if errors.Is(err, sql.ErrNoRows) {
		err = db.GetContext(ctx, &id, `SELECT id FROM complaint_feedback WHERE code = $1 AND request_key = $2`, code, key)
		return id, false, err
	}
	return id, err == nil, err
}

// FeedbackByKey finds the feedback a request key wrote (found false when none).
func (db *DB) FeedbackByKey(ctx context.Context, code, key string) (row FeedbackRow, found bool, err error) {
	err = db.GetContext(ctx, &row, `SELECT id, applied_at IS NOT NULL AS applied FROM complaint_feedback
		WHERE code = $1 AND request_key = $2`, code, key)
	if errors.Is(err, sql.ErrNoRows) {
		return row, false, nil
	}
	return row, err == nil, err
}

// MarkFeedbackApplied notes that the workflow took the feedback.
func (db *DB) MarkFeedbackApplied(ctx context.Context, id int64) error {
	_, err := db.ExecContext(ctx, `UPDATE complaint_feedback SET applied_at = now() WHERE id = $1 AND applied_at IS NULL`, id)
	return err
}

// DeleteUnappliedFeedback removes feedback the workflow refused (the complaint had moved
// on), so that it counts in no report.
func (db *DB) DeleteUnappliedFeedback(ctx context.Context, id int64) error {
	_, err := db.ExecContext(ctx, `DELETE FROM complaint_feedback WHERE id = $1 AND applied_at IS NULL`, id)
	return err
}

package store

import "context"

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

package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"aduan/domain"
)

// CallBack is a message an operator must read out to a complainant by telephone.
type CallBack struct {
	ID   int64             `db:"id"`
	Code string            `db:"code"`
	Kind domain.NotifyKind `db:"kind"`
	// Phone is the number to call ("" when the complainant left none: they come back to
	// the desk, or call in).
	Phone     string         `db:"phone"`
	Text      string         `db:"text"`
	Attempts  int            `db:"attempts"`
	LastError sql.NullString `db:"last_error"`
	CreatedAt time.Time      `db:"created_at"`
	// Done is when the call was recorded as told (nil while open).
	Done *time.Time `db:"sent_at"`
}

const callBackColumns = `id, code, kind, coalesce(address, '') AS phone, text, attempts, last_error, created_at, sent_at`

// OpenCallBacks lists the call-back tasks not done yet, oldest first.
func (db *DB) OpenCallBacks(ctx context.Context, limit int) ([]CallBack, error) {
	rows := []CallBack{}
	err := db.SelectContext(ctx, &rows, `SELECT `+callBackColumns+` FROM notifications
		WHERE channel = $1 AND sent_at IS NULL ORDER BY created_at LIMIT $2`, domain.ReachCallBack, limit)
	return rows, err
}

// CallBackTask reads one call-back task (ErrNotFound when there is none).
func (db *DB) CallBackTask(ctx context.Context, id int64) (CallBack, error) {
	var c CallBack
	err := db.GetContext(ctx, &c, `SELECT `+callBackColumns+` FROM notifications WHERE id = $1 AND channel = $2`,
		id, domain.ReachCallBack)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

// RecordCall records an operator's call on a task: told closes it (sent by
// "callback:<by>"), otherwise it counts an unanswered try and stays open. A task already
// done is left as it is (false).
func (db *DB) RecordCall(ctx context.Context, id int64, told bool, by, why string) (bool, error) {
	var res sql.Result
	var err error
	if told {
		res, err = db.ExecContext(ctx, `UPDATE notifications SET sent_at = now(), sent_via = 'callback:' || $2,
				attempts = attempts + 1
			WHERE id = $1 AND channel = 'callback' AND sent_at IS NULL`, id, by)
	} else {
		res, err = db.ExecContext(ctx, `UPDATE notifications SET attempts = attempts + 1, last_error = $2
			WHERE id = $1 AND channel = 'callback' AND sent_at IS NULL`, id, why)
	}
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

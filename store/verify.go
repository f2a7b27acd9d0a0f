package store

import (
	"context"
	"database/sql"
	"time"

	"aduan/domain"
)

// Projected is a complaint's projection as stored, without the live overdue of reads.
type Projected struct {
	Code            string         `db:"code"`
	WorkflowStarted bool           `db:"workflow_started"`
	Status          domain.Status  `db:"status"`
	Pokja           sql.NullString `db:"pokja"`
	Partner         sql.NullString `db:"partner"`
	Category        sql.NullString `db:"category"`
	Priority        sql.NullString `db:"priority"`
	Title           sql.NullString `db:"title"`
	Confidential    bool           `db:"confidential"`
	Deadline        *time.Time     `db:"deadline"`
	Overdue         bool           `db:"overdue"`
	OverallOverdue  bool           `db:"overall_overdue"`
	PublicTitle     sql.NullString `db:"public_title"`
	PublicAnswer    sql.NullString `db:"public_answer"`
	RejectReason    sql.NullString `db:"reject_reason"`
	DuplicateOf     sql.NullString `db:"duplicate_of"`
	ReopenCount     int            `db:"reopen_count"`
	LastSeq         int64          `db:"last_seq"`
	// Events is how many audit events are stored; MaxSeq the highest sequence number.
	Events int64 `db:"events"`
	MaxSeq int64 `db:"max_seq"`
}

// Projections lists every complaint's stored projection, in code order, a page at a time
// (after the given code).
func (db *DB) Projections(ctx context.Context, after string, limit int) ([]Projected, error) {
	var out []Projected
	err := db.SelectContext(ctx, &out, `SELECT c.code, c.workflow_started, c.status, c.pokja, c.partner, c.category,
			c.priority, c.title, c.confidential, c.deadline, c.overdue, c.overall_overdue, c.public_title,
			c.public_answer, c.reject_reason, c.duplicate_of, c.reopen_count, c.last_seq,
			(SELECT count(*) FROM complaint_events e WHERE e.code = c.code) AS events,
			(SELECT coalesce(max(seq), 0) FROM complaint_events e WHERE e.code = c.code) AS max_seq
		FROM complaints c WHERE c.code > $1 ORDER BY c.code LIMIT $2`, after, limit)
	return out, err
}

// RepairProjection overwrites a complaint's projected row with the workflow's state
// (the audit trail is not touched: its events carry notes only the workflow's history has).
func (db *DB) RepairProjection(ctx context.Context, s domain.CaseState) error {
	_, err := db.ExecContext(ctx, `UPDATE complaints SET status = $2, confidential = $3, pokja = $4, partner = $5,
			category = $6, priority = $7, title = $8, deadline = $9, overdue = $10, question = $11, answer = $12,
			partner_answer = $13, public_title = $14, public_answer = $15, reject_reason = $16, duplicate_of = $17,
			published_at = $18, closed_at = $19, last_seq = $20, overall_deadline = $21, overall_overdue = $22,
			close_reason = $23, reopen_count = $24, workflow_started = true, updated_at = now()
		WHERE code = $1`,
		s.Code, s.Status, s.Confidential, nullable(s.Pokja), nullable(s.Partner), nullable(s.Category),
		nullable(s.Priority), nullable(s.Title), s.Deadline, s.Overdue, nullable(s.Question), nullable(s.Answer),
		nullable(s.PartnerAnswer), nullable(s.PublicTitle), nullable(s.PublicAnswer), nullable(s.RejectReason),
		nullable(s.DuplicateOf), s.PublishedAt, s.ClosedAt, s.Seq, s.OverallDeadline, s.OverallOverdue,
		nullable(s.CloseReason), s.ReopenCount)
	return err
}

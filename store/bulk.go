package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Bulk loading of finished complaints of the past (the benchmark's year of complaints):
// rows written with COPY in one transaction, as the projections of workflows that
// completed and were deleted by the namespace's retention would have left them. Nothing
// here is on a request's path.

// ClosedComplaint is a finished complaint with what it left behind: its audit trail (in
// seq order), the complainant's feedback and its outbox rows. Complaint.WorkflowStarted
// should be true (its workflow ran), and its acknowledgement is taken as sent.
type ClosedComplaint struct {
	Complaint     Complaint
	Events        []Event
	Feedback      []Feedback
	Notifications []Notification
}

// Feedback is one answer of a complainant to "did this solve your problem?".
type Feedback struct {
	At        sql.NullTime
	Channel   string
	Satisfied bool
	Comment   sql.NullString
}

// BulkLoad is one transaction of COPYs. Add batches, then Commit (or Rollback).
type BulkLoad struct {
	tx *sqlx.Tx
}

// BeginBulk starts a bulk load.
func (db *DB) BeginBulk(ctx context.Context) (*BulkLoad, error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, err
	}
	// The search indexes (GIN) take new rows into a pending list, merged into the index
	// each time the list is full; a list as large as the load is merged once, at the
	// VACUUM of SettleBulk, in one sorted pass.
	if _, err := tx.ExecContext(ctx, `SET LOCAL gin_pending_list_limit = '256MB'`); err != nil {
		tx.Rollback()
		return nil, err
	}
	return &BulkLoad{tx: tx}, nil
}

// Commit makes the loaded rows visible.
func (b *BulkLoad) Commit() error { return b.tx.Commit() }

// Rollback drops what was loaded (nothing after a Commit).
func (b *BulkLoad) Rollback() error { return b.tx.Rollback() }

var bulkComplaintColumns = []string{"code", "channel", "text", "name", "phone", "email", "anonymous",
	"kecamatan", "desa", "reported_category", "taken_by", "workflow_started", "created_at", "status",
	"confidential", "pokja", "partner", "category", "priority", "title", "deadline", "overdue", "question",
	"answer", "partner_answer", "public_title", "public_answer", "reject_reason", "duplicate_of",
	"published_at", "closed_at", "updated_at", "last_seq", "overall_deadline", "overall_overdue",
	"close_reason", "reopen_count", "ack_pending", "needs_review", "phone_confirmed_by"}

// Add writes a batch: its complaints, then their events, feedback and outbox rows (one
// COPY per table, in the order the foreign keys want).
func (b *BulkLoad) Add(ctx context.Context, batch []ClosedComplaint) error {
	err := b.copy(ctx, "complaints", bulkComplaintColumns, func(row func(...any) error) error {
		for _, cc := range batch {
			c := cc.Complaint
			if err := row(c.Code, c.Channel, c.Text, c.Name, c.Phone, c.Email, c.Anonymous,
				c.Kecamatan, c.Desa, c.ReportedCategory, c.TakenBy, c.WorkflowStarted, c.CreatedAt, string(c.Status),
				c.Confidential, c.Pokja, c.Partner, c.Category, c.Priority, c.Title, c.Deadline, c.Overdue, c.Question,
				c.Answer, c.PartnerAnswer, c.PublicTitle, c.PublicAnswer, c.RejectReason, c.DuplicateOf,
				c.PublishedAt, c.ClosedAt, c.UpdatedAt, c.LastSeq, c.OverallDeadline, c.OverallOverdue,
				c.CloseReason, c.ReopenCount, false, c.NeedsReview, c.PhoneConfirmedBy); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = b.copy(ctx, "complaint_events", []string{"code", "seq", "at", "actor", "role", "action", "status", "note"},
		func(row func(...any) error) error {
			for _, cc := range batch {
				for _, e := range cc.Events {
					if err := row(cc.Complaint.Code, e.Seq, e.At, e.Actor, e.Role, e.Action, string(e.Status), e.Note); err != nil {
						return err
					}
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	err = b.copy(ctx, "complaint_feedback", []string{"code", "at", "channel", "satisfied", "comment", "applied_at"},
		func(row func(...any) error) error {
			for _, cc := range batch {
				for _, f := range cc.Feedback {
					if err := row(cc.Complaint.Code, f.At, f.Channel, f.Satisfied, f.Comment, f.At); err != nil {
						return err
					}
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	return b.copy(ctx, "notifications", []string{"dedupe_key", "code", "kind", "recipient", "channel", "address",
		"template", "text", "due_at", "created_at", "sent_at", "attempts", "last_error", "sent_via", "provider_ref",
		"delivery_status", "delivery_at", "delivery_error", "resent"},
		func(row func(...any) error) error {
			for _, cc := range batch {
				for _, n := range cc.Notifications {
					// A past year's failed delivery was dealt with by the resender when it
					// happened (resent), not by today's worker in the middle of the day.
					if err := row(n.DedupeKey, cc.Complaint.Code, string(n.Kind), n.Recipient, n.Channel, n.Address,
						n.Template, n.Text, n.DueAt, n.CreatedAt, n.SentAt, n.Attempts, n.LastError, n.SentVia,
						n.ProviderRef, nullable(n.DeliveryStatus), n.DeliveryAt, n.DeliveryError,
						n.DeliveryStatus == "failed"); err != nil {
						return err
					}
				}
			}
			return nil
		})
}

// copy runs one COPY into table; fill calls row once per row.
func (b *BulkLoad) copy(ctx context.Context, table string, cols []string, fill func(row func(...any) error) error) error {
	// lib/pq runs a prepared COPY ... FROM STDIN as a copy-in: each Exec sends a row.
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = pq.QuoteIdentifier(c)
	}
	stmt, err := b.tx.PrepareContext(ctx, "COPY "+pq.QuoteIdentifier(table)+" ("+strings.Join(quoted, ", ")+") FROM STDIN")
	if err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	defer stmt.Close()
	if err := fill(func(v ...any) error {
		_, err := stmt.ExecContext(ctx, v...)
		return err
	}); err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	return nil
}

// Codes lists every complaint code in use (a loader draws new ones beside them).
func (db *DB) Codes(ctx context.Context) ([]string, error) {
	var codes []string
	err := db.SelectContext(ctx, &codes, `SELECT code FROM complaints`)
	return codes, err
}

// SettleBulk does what autovacuum would do in the minutes after a bulk load, at once:
// VACUUM (the visibility map, so index-only scans skip the heap, as they do on rows a
// year old; and the search indexes' pending lists merged) and ANALYZE (statistics, so
// plans are made as on a running system).
func (db *DB) SettleBulk(ctx context.Context) error {
	for _, t := range []string{"complaints", "complaint_events", "complaint_feedback", "notifications", "complaint_visits"} {
		if _, err := db.ExecContext(ctx, `VACUUM (ANALYZE) `+t); err != nil {
			return fmt.Errorf("vacuum %s: %w", t, err)
		}
	}
	return nil
}

// Autovacuum reports whether the server runs autovacuum (the setting autovacuum). Without
// it nothing keeps the visibility map or the statistics current, and the inbox, searches
// and report slowly fall back from index-only scans to reading the tables.
func (db *DB) Autovacuum(ctx context.Context) (bool, error) {
	var on string
	if err := db.GetContext(ctx, &on, `SHOW autovacuum`); err != nil {
		return false, err
	}
	return on == "on", nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// LastInbound is when the complainant of a complaint last wrote to us on the complaint's
// own phone channel (ok false when never): the complaint's intake when it came by
// WhatsApp or SMS, or the newest message that arrived through that channel's provider
// (complaint_messages with a provider_id on the complaint's channel). WhatsApp allows
// free-form text only within 24 hours of it; a reply typed on the web tracking page, or
// an SMS to a WhatsApp complaint, opens no WhatsApp window and does not count. A
// complaint that does not exist has none.
func (db *DB) LastInbound(ctx context.Context, code string) (time.Time, bool, error) {
	var at sql.NullTime
	err := db.GetContext(ctx, &at, `SELECT greatest(
			CASE WHEN c.channel IN ('whatsapp', 'sms') THEN c.created_at END,
			(SELECT max(m.at) FROM complaint_messages m
				WHERE m.code = c.code AND m.channel = c.channel AND m.provider_id IS NOT NULL))
		FROM complaints c WHERE c.code = $1`, code)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	return at.Time, at.Valid, nil
}

// ComplainantTexts are the staff-written texts a complaint's complainant is sent: the
// admin's question and the answer. They go to that complainant only ("" when none).
type ComplainantTexts struct {
	Question     string `db:"question"`
	Answer       string `db:"answer"`
	PublicTitle  string `db:"public_title"`
	PublicAnswer string `db:"public_answer"`
	DuplicateOf  string `db:"duplicate_of"`
	Status       string `db:"status"`
}

// ComplainantTexts reads a complaint's question and answers.
func (db *DB) ComplainantTexts(ctx context.Context, code string) (ComplainantTexts, error) {
	var t ComplainantTexts
	err := db.GetContext(ctx, &t, `SELECT coalesce(question, '') AS question, coalesce(answer, '') AS answer,
			coalesce(public_title, '') AS public_title, coalesce(public_answer, '') AS public_answer,
			coalesce(duplicate_of, '') AS duplicate_of, status
		FROM complaints WHERE code = $1`, code)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	return t, err
}

// DuplicatesOf lists the complaints rejected as duplicates of code: their complainants
// hear its answer too.
func (db *DB) DuplicatesOf(ctx context.Context, code string) ([]string, error) {
	codes := []string{}
	err := db.SelectContext(ctx, &codes, duplicatesOfSQL, code)
	return codes, err
}

const duplicatesOfSQL = `SELECT code FROM complaints
		WHERE duplicate_of = $1 AND status = 'rejected' AND reject_reason = 'duplicate' ORDER BY created_at`

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"

	"aduan/domain"
)

// Intake is a new complaint as it arrives, with the complainant's personal data.
type Intake struct {
	Channel        string
	Text           string
	Name           string
	Phone          string
	Email          string
	Anonymous      bool
	Confidential   bool
	Kecamatan      string
	Desa           string
	Category       string
	TakenBy        *domain.Actor // the admin who registered a phone or desk complaint
	IdempotencyKey string
	CreatedAt      time.Time
	// Deadline and OverallDeadline come from the plans the workflow starts with, and
	// StagePlan is the first stage's plan.
	Deadline        *time.Time
	OverallDeadline *time.Time
	StagePlan       *domain.Plan
	// NeedsReview marks a complaint opened by a voice note or a picture alone.
	NeedsReview bool
	// FeedbackTokenHash, when set, is the hash of the web complainant's own feedback
	// token (NewFeedbackToken), kept with a complaint this intake creates.
	FeedbackTokenHash string
	// AttachSince, when set, attaches to a complaint this intake creates what its number
	// sent since then that joined no complaint (AttachUnattached), in the same statement.
	AttachSince *time.Time
}

// IntakeResult says which complaint an intake produced.
type IntakeResult struct {
	Code string
	// Created is false when the idempotency key had already produced this complaint.
	Created bool
	// State is the complaint's initial workflow state (only when Created).
	State domain.CaseState
}

// InsertIntake records a new complaint and its first audit event in one statement. A
// repeated idempotency key returns the complaint the first request created.
func (db *DB) InsertIntake(ctx context.Context, in Intake) (IntakeResult, error) {
	for attempt := 0; attempt < 5; attempt++ {
		res, err := db.insertIntake(ctx, in, domain.NewCode())
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && pqErr.Code == "23505" && pqErr.Constraint == "complaints_pkey" {
			continue // a code collision: draw another
		}
		return res, err
	}
	return IntakeResult{}, errors.New("could not draw a free complaint code")
}

func (db *DB) insertIntake(ctx context.Context, in Intake, code string) (IntakeResult, error) {
	confidential := in.Confidential || domain.IsSensitive(in.Category)
	var takenBy sql.NullString
	actor := domain.Actor{Username: "pelapor", Role: domain.RoleComplainant}
	if in.TakenBy != nil {
		takenBy = nullable(in.TakenBy.Username)
		actor = *in.TakenBy
	}
	planJSON, err := planParam(in.StagePlan)
	if err != nil {
		return IntakeResult{}, err
	}
	// One statement, so one round trip and one commit, atomic without a transaction: the
	// complaint, its first audit event, the web complainant's feedback token and the
	// messages its number sent before, or none.
	var got string
	st, err := db.prepared(ctx, intakeSQL)
	if err != nil {
		return IntakeResult{}, err
	}
	err = st.GetContext(ctx, &got,
		code, in.Channel, in.Text, nullable(in.Name), nullable(in.Phone), nullable(in.Email), in.Anonymous,
		nullable(in.Kecamatan), nullable(in.Desa), nullable(in.Category), takenBy, nullable(in.IdempotencyKey),
		in.CreatedAt, confidential, in.Deadline, in.OverallDeadline,
		actor.Username, actor.Role, "Aduan diterima melalui kanal "+in.Channel+".", planJSON,
		in.NeedsReview, domain.PhoneConfirmation(in.Channel, takenBy.String), in.FeedbackTokenHash, in.AttachSince)
	if errors.Is(err, sql.ErrNoRows) {
		// The idempotency key is taken: answer with the complaint it made.
		err = db.GetContext(ctx, &got, `SELECT code FROM complaints WHERE idempotency_key = $1`, in.IdempotencyKey)
		return IntakeResult{Code: got}, err
	}
	if err != nil {
		return IntakeResult{}, err
	}
	state := domain.CaseState{
		Code: code, Channel: in.Channel, Kecamatan: in.Kecamatan, Desa: in.Desa, Status: domain.StatusReceived,
		Category: in.Category, Confidential: confidential, ReceivedAt: in.CreatedAt, StageStartedAt: in.CreatedAt,
		Deadline: in.Deadline, OverallDeadline: in.OverallDeadline, Seq: 1,
	}
	return IntakeResult{Code: code, Created: true, State: state}, nil
}

// intakeSQL is insertIntake's statement.
const intakeSQL = `WITH c AS (
		INSERT INTO complaints (code, channel, text, name, phone, email, anonymous,
			kecamatan, desa, reported_category, taken_by, idempotency_key, created_at,
			status, confidential, category, deadline, updated_at, last_seq, overall_deadline, stage_plan,
			needs_review, phone_confirmed_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'received', $14, $10, $15, $13, 1, $16, $20,
			$21, CASE WHEN $5::text IS NULL THEN NULL ELSE nullif($22, '') END)
		ON CONFLICT (idempotency_key) DO NOTHING
		RETURNING code
	), e AS (
		INSERT INTO complaint_events (code, seq, at, actor, role, action, status, note)
		SELECT code, 1, $13, $17, $18, 'submit', 'received', $19 FROM c
	), f AS (
		INSERT INTO feedback_tokens (token_hash, code, dedupe_key)
		SELECT $23, code, 'intake/' || code || '/' || left($23, 16) FROM c WHERE $23 <> ''
	), a AS (
		UPDATE complaint_messages m SET code = c.code FROM c
		WHERE $24::timestamptz IS NOT NULL AND m.code IS NULL AND m.from_phone = $5 AND m.at >= $24
	)
	SELECT code FROM c`

// WorkflowStarted reports whether a complaint's workflow has been started.
func (db *DB) WorkflowStarted(ctx context.Context, code string) (bool, error) {
	var started bool
	err := db.GetContext(ctx, &started, `SELECT workflow_started FROM complaints WHERE code = $1`, code)
	return started, err
}

// MarkWorkflowStarted notes that a complaint's workflow is running.
func (db *DB) MarkWorkflowStarted(ctx context.Context, code string) error {
	_, err := db.ExecContext(ctx, `UPDATE complaints SET workflow_started = true WHERE code = $1`, code)
	return err
}

// ApplyProjection writes one event of the audit trail and the complaint's state after
// it. It is idempotent: a retried projection neither duplicates the event nor lets an
// older state overwrite a newer one. A projection of the same event again replaces what
// the earlier attempt wrote: a local activity whose workflow task was lost (a worker or
// Temporal restart) runs again with the time of the new attempt, and that attempt is the
// one the workflow's history keeps.
//
// plan, when the event started a clock, is the plan laid out for it; it is kept as the
// complaint's stage plan (StagePlan). A publish's announcement (p.Announce) is queued with
// the event, once: an announcement an earlier attempt queued may already have gone out.
func (db *DB) ApplyProjection(ctx context.Context, p domain.Projection, plan *domain.Plan) error {
	planJSON, err := planParam(plan)
	if err != nil {
		return err
	}
	var announce any // the announcement's request as JSON text; NULL when none
	if p.Announce != nil {
		raw, err := json.Marshal(p.Announce)
		if err != nil {
			return err
		}
		announce = string(raw)
	}
	s := p.State
	// One statement, so one round trip and one commit, atomic without a transaction: the
	// event, the complaint's row (unless a later event was projected already) and the
	// publish's announcement, or none. Triggers on the event (the report's visits) run at
	// its end and see the row as updated.
	st, err := db.prepared(ctx, projectionSQL)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx,
		s.Code, s.Status, s.Confidential, nullable(s.Pokja), nullable(s.Partner), nullable(s.Category),
		nullable(s.Priority), nullable(s.Title), s.Deadline, s.Overdue, nullable(s.Question), nullable(s.Answer),
		nullable(s.PartnerAnswer), nullable(s.PublicTitle), nullable(s.PublicAnswer), nullable(s.RejectReason),
		nullable(s.DuplicateOf), s.PublishedAt, s.ClosedAt, p.At, p.Seq,
		s.OverallDeadline, s.OverallOverdue, nullable(s.CloseReason), s.ReopenCount, planJSON,
		p.Actor.Username, p.Actor.Role, p.Action, nullable(p.Note), announce)
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "23503" && pqErr.Table == "complaint_events" {
		// The event names a complaint that is not there (its foreign key).
		return fmt.Errorf("projection for unknown complaint %s: %w", s.Code, err)
	}
	return err
}

// projectionSQL is ApplyProjection's statement.
const projectionSQL = `WITH e AS (
		INSERT INTO complaint_events (code, seq, at, actor, role, action, status, note)
		VALUES ($1, $21, $20, $27, $28, $29, $2, $30) ON CONFLICT (code, seq) DO UPDATE SET at = EXCLUDED.at,
			actor = EXCLUDED.actor, role = EXCLUDED.role, action = EXCLUDED.action, status = EXCLUDED.status,
			note = EXCLUDED.note
	), a AS (
		INSERT INTO announcements (code, seq, request)
		SELECT $1, $21, $31::jsonb WHERE $31::jsonb IS NOT NULL
		ON CONFLICT (code, seq) DO NOTHING
	)
	UPDATE complaints SET status = $2, confidential = $3, pokja = $4, partner = $5,
		category = $6, priority = $7, title = $8, deadline = $9, overdue = $10, question = $11, answer = $12,
		partner_answer = $13, public_title = $14, public_answer = $15, reject_reason = $16, duplicate_of = $17,
		published_at = $18, closed_at = $19, updated_at = $20, last_seq = $21, workflow_started = true,
		overall_deadline = $22, overall_overdue = $23, close_reason = $24, reopen_count = $25,
		stage_plan = COALESCE($26::jsonb, stage_plan)
	WHERE code = $1 AND last_seq <= $21`

// Complaint is a complaint's row.
type Complaint struct {
	Code             string         `db:"code"`
	Channel          string         `db:"channel"`
	Text             string         `db:"text"`
	Name             sql.NullString `db:"name"`
	Phone            sql.NullString `db:"phone"`
	Email            sql.NullString `db:"email"`
	Anonymous        bool           `db:"anonymous"`
	Kecamatan        sql.NullString `db:"kecamatan"`
	Desa             sql.NullString `db:"desa"`
	ReportedCategory sql.NullString `db:"reported_category"`
	TakenBy          sql.NullString `db:"taken_by"`
	CreatedAt        time.Time      `db:"created_at"`
	Status           domain.Status  `db:"status"`
	Confidential     bool           `db:"confidential"`
	Pokja            sql.NullString `db:"pokja"`
	Partner          sql.NullString `db:"partner"`
	Category         sql.NullString `db:"category"`
	Priority         sql.NullString `db:"priority"`
	Title            sql.NullString `db:"title"`
	Deadline         *time.Time     `db:"deadline"`
	Overdue          bool           `db:"overdue"`
	OverallDeadline  *time.Time     `db:"overall_deadline"`
	OverallOverdue   bool           `db:"overall_overdue"`
	CloseReason      sql.NullString `db:"close_reason"`
	ReopenCount      int            `db:"reopen_count"`
	Question         sql.NullString `db:"question"`
	Answer           sql.NullString `db:"answer"`
	PartnerAnswer    sql.NullString `db:"partner_answer"`
	PublicTitle      sql.NullString `db:"public_title"`
	PublicAnswer     sql.NullString `db:"public_answer"`
	RejectReason     sql.NullString `db:"reject_reason"`
	DuplicateOf      sql.NullString `db:"duplicate_of"`
	PublishedAt      *time.Time     `db:"published_at"`
	ClosedAt         *time.Time     `db:"closed_at"`
	UpdatedAt        time.Time      `db:"updated_at"`
	LastSeq          int64          `db:"last_seq"`
	WorkflowStarted  bool           `db:"workflow_started"`
	// NeedsReview marks a complaint opened by a voice note or a picture alone, until
	// staff open it; PhoneConfirmedBy says who vouched for its number (domain.PhoneConfirmation).
	NeedsReview      bool           `db:"needs_review"`
	PhoneConfirmedBy sql.NullString `db:"phone_confirmed_by"`
}

// complaintColumns selects a Complaint; overdue also counts a passed deadline whose
// timer has not fired yet, so the API never shows a late complaint as on time.
var complaintColumns = `code, channel, text, name, phone, email, anonymous, kecamatan, desa, reported_category,
	taken_by, created_at, status, confidential, pokja, partner, category, priority, title, deadline,
	` + overdueSQL("") + ` AS overdue,
	overall_deadline, overall_overdue, close_reason, reopen_count,
	question, answer, partner_answer, public_title, public_answer, reject_reason, duplicate_of,
	published_at, closed_at, updated_at, last_seq, workflow_started, needs_review, phone_confirmed_by`

// summaryColumns selects what a list entry shows of a Complaint (complaints.Summary):
// an inbox lists up to 200, and their texts and answers, read and dropped, made up most of
// its time.
var summaryColumns = `code, channel, kecamatan, desa, created_at, status, confidential, pokja, partner, category,
	priority, title, deadline, ` + overdueSQL("") + ` AS overdue, updated_at, needs_review`

// CaseState is the workflow state the row stands for.
func (c Complaint) CaseState() domain.CaseState {
	return domain.CaseState{
		Code: c.Code, Channel: c.Channel, Kecamatan: c.Kecamatan.String, Desa: c.Desa.String, Status: c.Status,
		Pokja: c.Pokja.String, Partner: c.Partner.String, Category: c.Category.String, Priority: c.Priority.String,
		Title: c.Title.String, Confidential: c.Confidential, ReceivedAt: c.CreatedAt, StageStartedAt: c.UpdatedAt,
		Deadline: c.Deadline, Overdue: c.Overdue, Question: c.Question.String, Answer: c.Answer.String,
		PartnerAnswer: c.PartnerAnswer.String, PublicTitle: c.PublicTitle.String, PublicAnswer: c.PublicAnswer.String,
		RejectReason: c.RejectReason.String, DuplicateOf: c.DuplicateOf.String, PublishedAt: c.PublishedAt,
		ClosedAt: c.ClosedAt, Seq: c.LastSeq, OverallDeadline: c.OverallDeadline, OverallOverdue: c.OverallOverdue,
		CloseReason: c.CloseReason.String, ReopenCount: c.ReopenCount,
	}
}

// Complaint reads one complaint.
func (db *DB) Complaint(ctx context.Context, code string) (Complaint, error) {
	var c Complaint
	err := db.GetContext(ctx, &c, `SELECT `+complaintColumns+` FROM complaints WHERE code = $1`, code)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

// Event is one row of the audit trail.
type Event struct {
	Seq    int64          `db:"seq"`
	At     time.Time      `db:"at"`
	Actor  string         `db:"actor"`
	Role   string         `db:"role"`
	Action string         `db:"action"`
	Status domain.Status  `db:"status"`
	Note   sql.NullString `db:"note"`
}

// Events reads a complaint's audit trail in order.
func (db *DB) Events(ctx context.Context, code string) ([]Event, error) {
	var ev []Event
	err := db.SelectContext(ctx, &ev, `SELECT seq, at, actor, role, action, status, note
		FROM complaint_events WHERE code = $1 ORDER BY seq`, code)
	return ev, err
}

// Filter narrows a staff search.
type Filter struct {
	Status    string
	Pokja     string
	Partner   string
	Category  string
	Kecamatan string
	Channel   string
	// WithGroup keeps, of the complaints of the Pokja or Partner asked for, those whose
	// ball is with that group now (domain.TurnOf).
	WithGroup bool
	Overdue   *bool
	Q         string
	Page      int
	PerPage   int
}

// Search lists the complaints a user may see that match the filter, newest first, with
// the total count of matches.
func (db *DB) Search(ctx context.Context, viewer domain.Actor, f Filter) ([]Complaint, int, error) {
	return db.page(ctx, searchQuery(viewer, f), searchOrder, f.Page, f.PerPage)
}

// searchOrder is the order of Search: newest first.
const searchOrder = "created_at DESC, code"

// searchQuery is Search's conditions.
func searchQuery(viewer domain.Actor, f Filter) query {
	var q query
	visibleTo(viewer, &q)
	q.eq("status", f.Status)
	q.eq("pokja", f.Pokja)
	q.eq("partner", f.Partner)
	q.eq("category", f.Category)
	q.eq("kecamatan", f.Kecamatan)
	q.eq("channel", f.Channel)
	switch {
	case f.WithGroup && f.Pokja != "":
		q.cond("status IN " + statusList(domain.StatusesWithBall(domain.RolePokja)))
	case f.WithGroup && f.Partner != "":
		q.cond("status IN " + statusList(domain.StatusesWithBall(domain.RolePartner)))
	}
	if f.Overdue != nil {
		late := overdueSQL("")
		if !*f.Overdue {
			late = "NOT " + late
		}
		q.cond(late)
	}
	// Words (search.go); a confidential text is withheld from pokja and partners, and
	// from their search too.
	q.staffWords(viewer, f.Q)
	return q
}

// Tasks lists a user's open work: the complaints whose ball is with their role and group
// (domain.TurnOf), soonest deadline first. A supervisor's work is every overdue complaint.
// Only the columns of a list entry are read (summaryColumns).
func (db *DB) Tasks(ctx context.Context, a domain.Actor, limit int) ([]Complaint, error) {
	st, ok := tasksStatement(a, limit)
	if !ok {
		return nil, nil
	}
	var rows []Complaint
	err := db.SelectContext(ctx, &rows, st.SQL, st.Args...)
	return rows, err
}

// tasksStatement is Tasks' statement; ok is false when the user has no work at all.
func tasksStatement(a domain.Actor, limit int) (st Statement, ok bool) {
	var q query
	if !turnOf(a, &q) {
		return st, false
	}
	lim := q.arg(limit)
	return Statement{SQL: `SELECT ` + summaryColumns + ` FROM complaints` + q.whereClause() +
		` ORDER BY deadline ASC NULLS LAST, created_at LIMIT ` + lim, Args: q.args}, true
}

// StagePlan is the plan of a complaint's current stage as last laid out (nil: none).
func (db *DB) StagePlan(ctx context.Context, code string) (*domain.Plan, error) {
	var raw []byte
	err := db.GetContext(ctx, &raw, `SELECT stage_plan FROM complaints WHERE code = $1`, code)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil || raw == nil {
		return nil, err
	}
	var p domain.Plan
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// planParam is a plan as a jsonb parameter (NULL for none).
func planParam(p *domain.Plan) (any, error) {
	if p == nil {
		return nil, nil
	}
	raw, err := json.Marshal(p)
	return string(raw), err
}

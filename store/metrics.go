package store

import (
	"context"

	"aduan/domain"
)

// The figures an operator watches (package metrics turns them into Prometheus series
// when scraped). Each query a scrape runs reads a partial index, the open complaints or
// the last days of the outbox only, so it costs milliseconds however many complaints the
// regency has closed (checked with EXPLAIN on 100,000 complaints and 500,000 outbox
// rows). SettledFailures alone reads the whole outbox, and is run seldom.

// OpenCount is how many open complaints one status holds for one pokja ("" none), and
// how many of them are overdue.
type OpenCount struct {
	Status  string `db:"status"`
	Pokja   string `db:"pokja"`
	Open    int    `db:"open"`
	Overdue int    `db:"overdue"`
	// OldestOverdueSeconds is how long ago the earliest deadline that makes one of them
	// overdue passed (0: none overdue).
	OldestOverdueSeconds float64 `db:"oldest_overdue_seconds"`
}

// Backlogs are the queues of work the worker does from PostgreSQL.
type Backlogs struct {
	// Unstarted counts complaints recorded over relayGrace ago whose workflow is not
	// started: the relay's work (Temporal was unreachable at intake).
	Unstarted int `db:"unstarted"`
	// AckPending counts complaints whose acknowledgement has not gone out;
	// AckOldestSeconds is the age of the oldest (0: none).
	AckPending       int     `db:"ack_pending"`
	AckOldestSeconds float64 `db:"ack_oldest_seconds"`
	// OutboxNew counts outbox rows whose time has come and that no sender has tried yet;
	// OutboxRetrying those tried and failed that a sender will try again (see
	// WorkBacklogs). OutboxOldestNewSeconds is how long the oldest new row has waited
	// (0: none): a row waiting long for its first try means nothing is sending.
	OutboxNew              int     `db:"outbox_new"`
	OutboxRetrying         int     `db:"outbox_retrying"`
	OutboxOldestNewSeconds float64 `db:"outbox_oldest_new_seconds"`
	// Announcements counts publications whose announcement (the answer to the complainant,
	// the push to the websites) is not done: queued, or failed and due again.
	Announcements int `db:"announcements"`
}

// relayGrace is how old an unstarted complaint must be to count as waiting for the
// relay: intake's own starter starts a new complaint's workflow within seconds.
const relayGrace = "1 minute"

// OpenComplaints counts the open complaints (domain.OpenStatuses) by status and pokja,
// with the overdue ones among them: domain.IsOverdue in a staff stage, the supervisors'
// turn as turnOf reads it. It reads the open complaints only (complaints_status_deadline),
// never the closed ones; a status without complaints has no row.
func (db *DB) OpenComplaints(ctx context.Context) ([]OpenCount, error) {
	rows := []OpenCount{}
	err := db.SelectContext(ctx, &rows, openComplaintsSQL())
	return rows, err
}

// openComplaintsSQL is OpenComplaints' statement.
func openComplaintsSQL() string {
	late := overdueSQL("") + " AND status IN " + staffStages
	return `SELECT status, coalesce(pokja, '') AS pokja, count(*) AS open,
			count(*) FILTER (WHERE ` + late + `) AS overdue,
			coalesce(extract(epoch FROM now() - min(least(
				CASE WHEN deadline < now() THEN deadline END,
				CASE WHEN overall_overdue OR overall_deadline < now() THEN overall_deadline END))
				FILTER (WHERE ` + late + `)), 0)::float8 AS oldest_overdue_seconds
		FROM complaints WHERE status IN ` + statusList(domain.OpenStatuses()) + `
		GROUP BY 1, 2 ORDER BY 1, 2`
}

// WorkBacklogs reads the relay's, the acknowledger's, the announcer's and the outbox's
// queues in one statement, each from its partial index (complaints_unstarted,
// complaints_ack_pending, announcements_due, notifications_unsent).
//
// The outbox counts the rows a sender will still send: unsent, not an operator's
// call-back task, their time come (held rows once hold_until passed), and neither given
// up (attempts below the worker's limit) nor older than the two days after which no
// sender takes them (ClaimLoose's rules).
func (db *DB) WorkBacklogs(ctx context.Context) (Backlogs, error) {
	var b Backlogs
	err := db.GetContext(ctx, &b, workBacklogsSQL, looseAttempts)
	return b, err
}

// workBacklogsSQL is WorkBacklogs' statement ($1: the outbox's attempts limit).
const workBacklogsSQL = `WITH o AS (
			SELECT attempts, coalesce(hold_until, created_at) AS since FROM notifications
			WHERE sent_at IS NULL AND channel <> 'callback' AND attempts < $1
				AND coalesce(hold_until, created_at) <= now() AND coalesce(hold_until, created_at) > now() - interval '2 days'
		)
		SELECT
			(SELECT count(*) FROM complaints WHERE NOT workflow_started AND created_at < now() - interval '` + relayGrace + `') AS unstarted,
			(SELECT count(*) FROM complaints WHERE ack_pending) AS ack_pending,
			coalesce((SELECT extract(epoch FROM now() - min(created_at)) FROM complaints WHERE ack_pending), 0)::float8 AS ack_oldest_seconds,
			(SELECT count(*) FROM o WHERE attempts = 0) AS outbox_new,
			(SELECT count(*) FROM o WHERE attempts > 0) AS outbox_retrying,
			coalesce((SELECT extract(epoch FROM now() - min(since)) FROM o WHERE attempts = 0), 0)::float8 AS outbox_oldest_new_seconds,
			(SELECT count(*) FROM announcements WHERE done_at IS NULL) AS announcements`

// FailureCount is how many outbox messages on one channel ever failed.
type FailureCount struct {
	Channel string `db:"channel"`
	Count   int    `db:"failures"`
}

// DeliveryChannels are the outbox's channels a sender delivers on (the operators'
// call-back tasks are not deliveries).
var DeliveryChannels = []string{domain.ReachNone, domain.ReachEmail, domain.ReachWhatsApp, domain.ReachSMS}

// A message's delivery failed when a sender gave an error (last_error) or its provider
// reported failure. Both are kept for good (a later success leaves last_error; a failure
// report is never overwritten) and outbox rows are never deleted, so the number of
// failed messages only grows: a counter. Operators' call-back tasks are left out (an
// unanswered call is not a delivery).
const failedSQL = `(last_error IS NOT NULL OR delivery_status = 'failed') AND channel <> 'callback'`

// failuresSettle is how old an outbox row is when its failures are as good as settled:
// no sender takes a row older than two days (ClaimLoose), and providers report within
// hours.
const failuresSettle = "2 days"

// SettledFailures counts the failed messages (by channel) among the outbox rows up to
// the newest row older than failuresSettle, and returns that row's id as the mark (0:
// none). It reads the whole outbox (about 150 ms at half a million rows, with no index on
// failures), so it is meant for seldom: DeliveryFailuresSince counts the rest cheaply.
func (db *DB) SettledFailures(ctx context.Context) (mark int64, counts []FailureCount, err error) {
	// Ids grow with created_at (bigserial, created_at now()): a backward scan of the
	// primary key stops at the first row old enough.
	if err := db.GetContext(ctx, &mark, settledMarkSQL); err != nil {
		return 0, nil, err
	}
	counts = []FailureCount{}
	err = db.SelectContext(ctx, &counts, settledFailuresSQL, mark)
	return mark, counts, err
}

// settledMarkSQL and settledFailuresSQL ($1: the mark) are SettledFailures' statements.
const (
	settledMarkSQL = `SELECT coalesce((SELECT id FROM notifications
			WHERE created_at < now() - interval '` + failuresSettle + `' ORDER BY id DESC LIMIT 1), 0)`
	settledFailuresSQL = `SELECT channel, count(*) AS failures FROM notifications
		WHERE id <= $1 AND ` + failedSQL + ` GROUP BY channel ORDER BY channel`
)

// DeliveryFailuresSince counts the failed messages (by channel) among the outbox rows
// after mark: a range of the primary key, about two days of messages.
func (db *DB) DeliveryFailuresSince(ctx context.Context, mark int64) ([]FailureCount, error) {
	counts := []FailureCount{}
	err := db.SelectContext(ctx, &counts, failuresSinceSQL, mark)
	return counts, err
}

// failuresSinceSQL is DeliveryFailuresSince's statement ($1: the mark).
const failuresSinceSQL = `SELECT channel, count(*) AS failures FROM notifications
		WHERE id > $1 AND ` + failedSQL + ` GROUP BY channel ORDER BY channel`

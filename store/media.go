package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/lib/pq"

	"aduan/domain"
)

// The files inbound messages carry (message_media, media_blobs): the worker's media
// fetcher takes the pending ones in turns (ClaimMedia) and records each try's outcome;
// staff open the stored ones (Media, MediaBlob).

// Media states.
const (
	MediaStatePending = "pending"
	MediaStateStored  = "stored"
	MediaStateFailed  = "failed"
)

// PendingMedia is a file waiting to be fetched from its provider.
type PendingMedia struct {
	ID        int64  `db:"id"`
	MessageID int64  `db:"message_id"`
	Channel   string `db:"channel"`
	// ProviderRef is the provider's media id (WhatsApp's) or a URL a gateway gave.
	ProviderRef string `db:"provider_ref"`
	// MimeType and SHA256 are what the webhook announced ("" when not given).
	MimeType string `db:"mime_type"`
	SHA256   string `db:"sha256"`
	// Kind is the message's kind (image, video, document, audio, sticker).
	Kind domain.MessageKind `db:"kind"`
	// Attempts counts the tries before this one.
	Attempts  int            `db:"attempts"`
	LastError sql.NullString `db:"last_error"`
}

// ClaimMedia takes up to limit files of the given channels that are due, longest waiting
// first, for hold: no other worker takes them until then (or until an outcome is
// recorded with MediaStored, MediaRetry or MediaFailed). hold must outlast a batch's
// fetches (media.Fetcher: 5 min against a 2-minute bound on each file, the batch's files
// fetched at once), so two workers never fetch one file at once; a fetch repeated after a
// crash writes the same blob again, and the citizen's reply about a refused file is one
// outbox row (its dedupe key), sent once.
func (db *DB) ClaimMedia(ctx context.Context, channels []string, hold time.Duration, limit int) ([]PendingMedia, error) {
	rows := []PendingMedia{}
	err := db.SelectContext(ctx, &rows, `UPDATE message_media mm SET next_try_at = now() + make_interval(secs => $1)
		FROM complaint_messages m
		WHERE m.id = mm.message_id AND mm.id IN (SELECT id FROM message_media
			WHERE state = 'pending' AND next_try_at <= now() AND channel = ANY($2)
			ORDER BY next_try_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING mm.id, mm.message_id, mm.channel, mm.provider_ref, mm.mime_type, mm.sha256, m.kind, mm.attempts,
			mm.last_error`, hold.Seconds(), pq.Array(channels), limit)
	return rows, err
}

// MediaWaiting counts the pending files of the given channels.
func (db *DB) MediaWaiting(ctx context.Context, channels []string) (int, error) {
	var n int
	err := db.GetContext(ctx, &n, `SELECT count(*) FROM message_media WHERE state = 'pending' AND channel = ANY($1)`,
		pq.Array(channels))
	return n, err
}

// MediaStored records that a pending file is kept (its blob written), with its checked
// type (without parameters) and size.
func (db *DB) MediaStored(ctx context.Context, id int64, mimeType string, size int64) error {
	_, err := db.ExecContext(ctx, `UPDATE message_media SET state = 'stored', mime_type = $2, size_bytes = $3,
			stored_at = now(), attempts = attempts + 1, last_error = NULL
		WHERE id = $1 AND state = 'pending'`, id, mimeType, size)
	return err
}

// MediaRetry puts a pending file back to be tried again after a while; counted says
// whether this try counts towards the fetcher's limit (a refusal of our own credentials
// does not). lastError says what went wrong (never personal data).
func (db *DB) MediaRetry(ctx context.Context, id int64, after time.Duration, counted bool, lastError string) error {
	_, err := db.ExecContext(ctx, `UPDATE message_media SET next_try_at = now() + make_interval(secs => $2),
			attempts = attempts + CASE WHEN $3 THEN 1 ELSE 0 END, last_error = $4
		WHERE id = $1 AND state = 'pending'`, id, after.Seconds(), counted, lastError)
	return err
}

// MediaFailed gives up on a pending file, saying why (never personal data).
func (db *DB) MediaFailed(ctx context.Context, id int64, lastError string) error {
	_, err := db.ExecContext(ctx, `UPDATE message_media SET state = 'failed', attempts = attempts + 1, last_error = $2
		WHERE id = $1 AND state = 'pending'`, id, lastError)
	return err
}

// PutMediaBlob keeps a file's bytes (replacing any kept before: a retried try writes
// the same file again).
func (db *DB) PutMediaBlob(ctx context.Context, id int64, data []byte) error {
	if data == nil {
		data = []byte{}
	}
	_, err := db.ExecContext(ctx, `INSERT INTO media_blobs (media_id, data) VALUES ($1, $2)
		ON CONFLICT (media_id) DO UPDATE SET data = EXCLUDED.data`, id, data)
	return err
}

// MediaBlob is a kept file's bytes (ErrNotFound when none is kept).
func (db *DB) MediaBlob(ctx context.Context, id int64) ([]byte, error) {
	var data []byte
	err := db.GetContext(ctx, &data, `SELECT data FROM media_blobs WHERE media_id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return data, err
}

// Media is one message's file, with the complaint its message belongs to.
type Media struct {
	ID        int64 `db:"id"`
	MessageID int64 `db:"message_id"`
	// Code is the message's complaint (NULL while the message is not attached to one).
	Code     sql.NullString     `db:"code"`
	Kind     domain.MessageKind `db:"kind"`
	Channel  string             `db:"channel"`
	MimeType string             `db:"mime_type"`
	Filename sql.NullString     `db:"filename"`
	Voice    bool               `db:"voice"`
	// State is MediaStatePending, MediaStateStored or MediaStateFailed.
	State     string         `db:"state"`
	SizeBytes sql.NullInt64  `db:"size_bytes"`
	LastError sql.NullString `db:"last_error"`
	StoredAt  *time.Time     `db:"stored_at"`
}

// Media reads one file's row (ErrNotFound when there is none).
func (db *DB) Media(ctx context.Context, id int64) (Media, error) {
	var m Media
	err := db.GetContext(ctx, &m, `SELECT mm.id, mm.message_id, m.code, m.kind, mm.channel, mm.mime_type, mm.filename,
			mm.voice, mm.state, mm.size_bytes, mm.last_error, mm.stored_at
		FROM message_media mm JOIN complaint_messages m ON m.id = mm.message_id WHERE mm.id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	return m, err
}

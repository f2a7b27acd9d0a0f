package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// PublicRecord is what may leave for the regency's external websites about one
// complaint: its public answer, category and place, and whether it may leave at all
// (Confidential, PublishedAt). No personal data: no name, contact or complaint text.
type PublicRecord struct {
	Code          string     `db:"code"`
	Confidential  bool       `db:"confidential"`
	PublicTitle   string     `db:"public_title"`
	PublicAnswer  string     `db:"public_answer"`
	Category      string     `db:"category"`
	Kecamatan     string     `db:"kecamatan"`
	KecamatanName string     `db:"kecamatan_name"`
	Desa          string     `db:"desa"`
	DesaName      string     `db:"desa_name"`
	PublishedAt   *time.Time `db:"published_at"`
}

// PublicRecord reads the public record of a complaint (ErrNotFound when there is none).
// The caller checks Confidential and PublishedAt before pushing it anywhere.
func (db *DB) PublicRecord(ctx context.Context, code string) (PublicRecord, error) {
	var r PublicRecord
	err := db.GetContext(ctx, &r, `SELECT c.code, c.confidential,
			coalesce(c.public_title, '') AS public_title, coalesce(c.public_answer, '') AS public_answer,
			coalesce(c.category, '') AS category,
			coalesce(c.kecamatan, '') AS kecamatan, coalesce(k.name, '') AS kecamatan_name,
			coalesce(c.desa, '') AS desa, coalesce(d.name, '') AS desa_name, c.published_at
		FROM complaints c
			LEFT JOIN kecamatan k ON k.id = c.kecamatan
			LEFT JOIN desa d ON d.id = c.desa
		WHERE c.code = $1`, code)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// PublicationSync is what was pushed of one complaint to one external site.
type PublicationSync struct {
	Code        string         `db:"code"`
	Site        string         `db:"site"`
	PublishedAt *time.Time     `db:"published_at"`
	SyncedAt    *time.Time     `db:"synced_at"`
	Attempts    int            `db:"attempts"`
	LastError   sql.NullString `db:"last_error"`
	RemoteID    sql.NullString `db:"remote_id"`
	UpdatedAt   time.Time      `db:"updated_at"`
}

// PublicationSynced reports whether site has accepted the publication of code made at
// publishedAt. A later publication (a re-published answer) is not synced yet.
func (db *DB) PublicationSynced(ctx context.Context, code, site string, publishedAt time.Time) (bool, error) {
	var ok bool
	err := db.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM publication_sync
		WHERE code = $1 AND site = $2 AND synced_at IS NOT NULL AND published_at = $3)`, code, site, publishedAt)
	return ok, err
}

// MarkPublicationSynced records that site accepted the publication of code made at
// publishedAt, with the site's id of it ("" when it gave none: an id recorded earlier is
// kept).
func (db *DB) MarkPublicationSynced(ctx context.Context, code, site string, publishedAt, at time.Time, remoteID string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO publication_sync AS s
			(code, site, published_at, synced_at, attempts, last_error, remote_id, updated_at)
		VALUES ($1, $2, $3, $4, 1, NULL, $5, $4)
		ON CONFLICT (code, site) DO UPDATE SET published_at = $3, synced_at = $4, attempts = s.attempts + 1,
			last_error = NULL, remote_id = coalesce($5, s.remote_id), updated_at = $4`,
		code, site, publishedAt, at, nullable(remoteID))
	return err
}

// MarkPublicationFailed records a failed push of code to site. What an earlier push
// delivered (synced_at, published_at, remote_id) stays as it was.
func (db *DB) MarkPublicationFailed(ctx context.Context, code, site string, at time.Time, errText string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO publication_sync AS s (code, site, attempts, last_error, updated_at)
		VALUES ($1, $2, 1, $3, $4)
		ON CONFLICT (code, site) DO UPDATE SET attempts = s.attempts + 1, last_error = $3, updated_at = $4`,
		code, site, errText, at)
	return err
}

// PublicationSyncs lists what was pushed of code, by site.
func (db *DB) PublicationSyncs(ctx context.Context, code string) ([]PublicationSync, error) {
	var rows []PublicationSync
	err := db.SelectContext(ctx, &rows, `SELECT code, site, published_at, synced_at, attempts, last_error, remote_id,
			updated_at
		FROM publication_sync WHERE code = $1 ORDER BY site`, code)
	return rows, err
}

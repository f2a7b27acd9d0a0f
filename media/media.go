// Package media fetches the files citizens send with their messages (pictures, voice
// notes, videos, documents, stickers) from the messaging provider and keeps them: the
// worker's media fetcher (Fetcher, run by worker.RunMediaFetcher) takes each pending
// message_media row, downloads the file (WhatsApp Cloud API: media id → short-lived URL →
// bytes, both with the access token), checks it (the type allowed for the message's kind,
// the size limit of that kind, the SHA-256 the webhook announced) and keeps it in a Store
// (PostgreSQL's media_blobs first). A failed try is retried with a growing wait; a file
// that can never be kept (a type or size Aduan does not keep, a hash that does not match
// twice) is marked failed at once.
//
// Media never reach Temporal, the public pages or the feed: staff open them through the
// core (complaints.Service.Media), with the rights of the complaint's text. Nothing here
// logs phone numbers, names or what a file holds.
package media

import (
	"context"
	"errors"

	"aduan/store"
)

// ErrNotFound is a file the store does not hold.
var ErrNotFound = errors.New("media: file not found")

// Store keeps the files' bytes, by message_media id. PostgreSQL is the first
// implementation; another (an object store) would keep the same two calls.
type Store interface {
	// Put keeps a file's bytes, replacing any kept before for the same id.
	Put(ctx context.Context, mediaID int64, data []byte) error
	// Get reads a file's bytes (ErrNotFound when none is kept).
	Get(ctx context.Context, mediaID int64) ([]byte, error)
}

// PostgreSQL keeps the files in media_blobs.
type PostgreSQL struct{ DB *store.DB }

// NewPostgreSQL is the store of files in db.
func NewPostgreSQL(db *store.DB) PostgreSQL { return PostgreSQL{DB: db} }

// Put keeps a file's bytes.
func (p PostgreSQL) Put(ctx context.Context, mediaID int64, data []byte) error {
	return p.DB.PutMediaBlob(ctx, mediaID, data)
}

// Get reads a file's bytes.
func (p PostgreSQL) Get(ctx context.Context, mediaID int64) ([]byte, error) {
	data, err := p.DB.MediaBlob(ctx, mediaID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	return data, err
}

var _ Store = PostgreSQL{}

package store

import (
	"context"
	"database/sql"
	"errors"
)

// ClaimIntakeKey ties a public intake's idempotency key to the digest of its body: the
// first request with the key records its digest; a later one reports whether it brings
// the same body (a retry) or another (a key reused, which the caller refuses).
func (db *DB) ClaimIntakeKey(ctx context.Context, key, digest string) (sameBody bool, err error) {
	// Two tries: a row inserted by a request still committing is invisible to the
	// first statement's snapshot, and visible to the second.
	for attempt := 0; attempt < 2; attempt++ {
		var first string
		err = db.GetContext(ctx, &first, `WITH ins AS (
				INSERT INTO intake_keys (key, digest) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING digest
			)
			SELECT digest FROM ins UNION ALL SELECT digest FROM intake_keys WHERE key = $1 LIMIT 1`, key, digest)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		return first == digest, err
	}
	return false, err
}

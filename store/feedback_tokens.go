package store

import "context"

// FeedbackTokenHashes lists the hashes (HashToken) of the feedback tokens sent to a
// complaint's complainant; the tokens themselves were only ever in the messages
// (migration 00015 draws them as the answer is written to the outbox).
func (db *DB) FeedbackTokenHashes(ctx context.Context, code string) ([]string, error) {
	hashes := []string{}
	err := db.SelectContext(ctx, &hashes, `SELECT token_hash FROM feedback_tokens WHERE code = $1`, code)
	return hashes, err
}

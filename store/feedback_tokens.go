package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
)

// FeedbackTokenHashes lists the hashes (HashToken) of the feedback tokens sent to a
// complaint's complainant; the tokens themselves were only ever in the messages
// (migration 00015 draws them as the answer is written to the outbox).
func (db *DB) FeedbackTokenHashes(ctx context.Context, code string) ([]string, error) {
	hashes := []string{}
	err := db.SelectContext(ctx, &hashes, `SELECT token_hash FROM feedback_tokens WHERE code = $1`, code)
	return hashes, err
}

// IssueFeedbackToken draws a fresh feedback token for a complaint and keeps its hash: the
// web complainant's own link, handed to them once in the answer to their intake (they may
// have left no contact to send the answer's link to). Every call draws another.
func (db *DB) IssueFeedbackToken(ctx context.Context, code string) (string, error) {
	token, hash, err := NewFeedbackToken()
	if err != nil {
		return "", err
	}
	_, err = db.ExecContext(ctx, `INSERT INTO feedback_tokens (token_hash, code, dedupe_key) VALUES ($1, $2, $3)`,
		hash, code, intakeTokenKey(code, hash))
	return token, err
}

// NewFeedbackToken draws a feedback token and its hash (HashToken), the one kept. Intake
// hands the hash to InsertIntake, which keeps it with the complaint in one statement.
func NewFeedbackToken() (token, hash string, err error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, HashToken(token), nil
}

// intakeTokenKey is the dedupe key of a web complainant's own token (the insert in
// insertIntake builds the same in SQL).
func intakeTokenKey(code, hash string) string { return "intake/" + code + "/" + hash[:16] }

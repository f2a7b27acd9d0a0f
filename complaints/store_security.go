package complaints

import (
	"context"

	"aduan/store"
)

// securityStore is the part of Store that proves who sends what and makes the public's
// writes once-only: the complainant's feedback tokens, idempotent feedback, and intake
// keys tied to their bodies.
type securityStore interface {
	FeedbackTokenHashes(ctx context.Context, code string) ([]string, error)
	AddFeedbackOnce(ctx context.Context, code, channel, key string, satisfied bool, comment string) (int64, bool, error)
	FeedbackByKey(ctx context.Context, code, key string) (store.FeedbackRow, bool, error)
	MarkFeedbackApplied(ctx context.Context, id int64) error
	DeleteUnappliedFeedback(ctx context.Context, id int64) error
	ClaimIntakeKey(ctx context.Context, key, digest string) (bool, error)
}

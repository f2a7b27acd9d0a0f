package bench

import (
	"context"
	"time"

	"aduan/store"
)

// loadYear bulk-loads the closed complaints of a past year (LoadYear, year.go). Run calls
// it through this variable, once, right after the stack starts.
var loadYear func(ctx context.Context, db *store.DB, n int, seed int64) (time.Duration, error) = LoadYear

// Package activities holds the complaint workflow's side effects. They use the store;
// workflows call them by their registered names.
package activities

import (
	"context"

	"aduan/domain"
	"aduan/store"
)

// Activities bundles the activities with what they need.
type Activities struct {
	DB *store.DB
}

// ProjectComplaint writes one audit event and the complaint's new state to PostgreSQL.
// It is idempotent (keyed by the event's sequence number), so Temporal may retry it freely.
func (a *Activities) ProjectComplaint(ctx context.Context, p domain.Projection) error {
	return a.DB.ApplyProjection(ctx, p)
}

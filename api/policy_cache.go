package api

import (
	"context"
	"sync"
	"time"

	"aduan/domain"
	"aduan/store"
)

// policyTTL is how long intake reuses the deadline policy it read. A new policy version
// (aduan policy set) reaches intake within this time; the deadlines a workflow keeps are
// re-planned with the stored policy at every stage anyway.
const policyTTL = 10 * time.Second

// policyCache keeps the regency's current deadline policy for intake, which would
// otherwise read and parse it from PostgreSQL for every complaint.
type policyCache struct {
	mu      sync.Mutex
	policy  domain.SLAPolicy
	fetched time.Time
}

func (p *policyCache) current(ctx context.Context, db *store.DB) (domain.SLAPolicy, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.fetched.IsZero() && time.Since(p.fetched) < policyTTL {
		return p.policy, nil
	}
	policy, err := db.CurrentSLAPolicy(ctx)
	if err != nil {
		return policy, err
	}
	p.policy, p.fetched = policy, time.Now()
	return policy, nil
}

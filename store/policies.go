package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"aduan/domain"
)

// CurrentSLAPolicy returns the newest policy version. With none stored yet it stores the
// default as version 1, so a fresh installation has a policy to edit.
func (db *DB) CurrentSLAPolicy(ctx context.Context) (domain.SLAPolicy, error) {
	var row struct {
		Version int    `db:"version"`
		Policy  []byte `db:"policy"`
	}
	err := db.GetContext(ctx, &row, `SELECT version, policy FROM sla_policies ORDER BY version DESC LIMIT 1`)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := db.SaveSLAPolicy(ctx, domain.DefaultSLAPolicy(), "default policy"); err != nil {
			return domain.SLAPolicy{}, err
		}
		return db.CurrentSLAPolicy(ctx)
	}
	if err != nil {
		return domain.SLAPolicy{}, err
	}
	var p domain.SLAPolicy
	if err := json.Unmarshal(row.Policy, &p); err != nil {
		return p, err
	}
	p.Version = row.Version
	return p, nil
}

// SaveSLAPolicy stores a new policy version and returns its number.
func (db *DB) SaveSLAPolicy(ctx context.Context, p domain.SLAPolicy, note string) (int, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	p.Version = 0
	raw, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	var version int
	// The advisory lock keeps two first starts from both writing version 1.
	err = db.GetContext(ctx, &version, `WITH lock AS (SELECT pg_advisory_xact_lock(727001))
		INSERT INTO sla_policies (policy, note) SELECT $1, $2 FROM lock RETURNING version`, string(raw), nullable(note))
	return version, err
}

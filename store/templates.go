package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/lib/pq"
)

// The outbound texts as an admin changed them (migration 00018): numbered versions, the
// newest in force, like the deadline policy. A version holds only the texts that differ
// from their defaults, which live in code (notify's catalog); checking a text is the
// caller's (notify.Validate), keeping it is ours.

// TemplateVersion is one stored version of the texts.
type TemplateVersion struct {
	// Version is 0 when nothing was ever stored: every text is its default.
	Version int
	// Texts are the texts that differ from their defaults, by name.
	Texts map[string]string
	// Changed names the texts this version set or put back to their defaults.
	Changed   []string
	Note      string
	CreatedBy string
	CreatedAt time.Time
	// TextVersions is, for every text ever changed, the newest version that changed it.
	TextVersions map[string]int
}

// TemplateChange is a new version: some texts set, some back to their defaults, the rest
// as the version in force has them.
type TemplateChange struct {
	Set   map[string]string
	Reset []string
	// By is who makes it (an admin's username, "cli:<user>"); Note why (may be empty).
	By, Note string
	// Seen, when set, is the version of each changed text its author saw (0: never
	// changed): a text changed since by someone else refuses the whole change with
	// ErrTemplateChanged rather than overwrite theirs unseen.
	Seen map[string]int
}

// ErrTemplateChanged says a text was changed by someone else since its author saw it.
var ErrTemplateChanged = errors.New("message template changed since it was read")

// ErrNoTemplateChange says a change names no text.
var ErrNoTemplateChange = errors.New("no message template changed")

// templatesLock keeps two changes from both building on the same version.
const templatesLock = 727002

// CurrentTemplates reads the version in force (version 0, no texts, when none was ever
// stored), with each text's own version.
func (db *DB) CurrentTemplates(ctx context.Context) (TemplateVersion, error) {
	return currentTemplates(ctx, db.DB)
}

// queryer is a connection or a transaction.
type queryer interface {
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

type templateRow struct {
	Version   int            `db:"version"`
	Texts     []byte         `db:"texts"`
	Changed   pq.StringArray `db:"changed"`
	Note      sql.NullString `db:"note"`
	CreatedBy string         `db:"created_by"`
	CreatedAt time.Time      `db:"created_at"`
}

func (r templateRow) version() (TemplateVersion, error) {
	v := TemplateVersion{Version: r.Version, Changed: []string(r.Changed), Note: r.Note.String, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt}
	if err := json.Unmarshal(r.Texts, &v.Texts); err != nil {
		return v, fmt.Errorf("message templates version %d: %w", r.Version, err)
	}
	return v, nil
}

func currentTemplates(ctx context.Context, q queryer) (TemplateVersion, error) {
	var row templateRow
	err := q.GetContext(ctx, &row, `SELECT version, texts, changed, note, created_by, created_at
		FROM message_templates ORDER BY version DESC LIMIT 1`)
	if errors.Is(err, sql.ErrNoRows) {
		return TemplateVersion{Texts: map[string]string{}, TextVersions: map[string]int{}}, nil
	}
	if err != nil {
		return TemplateVersion{}, err
	}
	v, err := row.version()
	if err != nil {
		return v, err
	}
	var per []struct {
		Name    string `db:"name"`
		Version int    `db:"version"`
	}
	if err := q.SelectContext(ctx, &per, `SELECT name, max(version) AS version
		FROM message_templates, unnest(changed) AS name GROUP BY name`); err != nil {
		return v, err
	}
	v.TextVersions = make(map[string]int, len(per))
	for _, p := range per {
		v.TextVersions[p.Name] = p.Version
	}
	return v, nil
}

// TemplateHistory is the newest versions, newest first (at most limit).
func (db *DB) TemplateHistory(ctx context.Context, limit int) ([]TemplateVersion, error) {
	var rows []templateRow
	if err := db.SelectContext(ctx, &rows, `SELECT version, texts, changed, note, created_by, created_at
		FROM message_templates ORDER BY version DESC LIMIT $1`, limit); err != nil {
		return nil, err
	}
	out := make([]TemplateVersion, 0, len(rows))
	for _, r := range rows {
		v, err := r.version()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// SaveTemplates stores c as the next version, built on the version in force, and
// returns its number.
func (db *DB) SaveTemplates(ctx context.Context, c TemplateChange) (int, error) {
	if len(c.Set) == 0 && len(c.Reset) == 0 {
		return 0, ErrNoTemplateChange
	}
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, templatesLock); err != nil {
		return 0, err
	}
	cur, err := currentTemplates(ctx, tx)
	if err != nil {
		return 0, err
	}
	texts := make(map[string]string, len(cur.Texts)+len(c.Set))
	for name, text := range cur.Texts {
		texts[name] = text
	}
	var changed []string
	for name, text := range c.Set {
		texts[name] = text
		changed = append(changed, name)
	}
	for _, name := range c.Reset {
		delete(texts, name)
		changed = append(changed, name)
	}
	sort.Strings(changed)
	for _, name := range changed {
		if seen, ok := c.Seen[name]; ok && cur.TextVersions[name] != seen {
			return 0, fmt.Errorf("%w: %s is at version %d, not %d", ErrTemplateChanged, name, cur.TextVersions[name], seen)
		}
	}
	raw, err := json.Marshal(texts)
	if err != nil {
		return 0, err
	}
	var version int
	if err := tx.GetContext(ctx, &version, `INSERT INTO message_templates (texts, changed, note, created_by)
		VALUES ($1, $2, $3, $4) RETURNING version`, string(raw), pq.StringArray(changed), nullable(c.Note), c.By); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	db.forgetTemplates()
	return version, nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Group is a pokja or a partner organisation.
type Group struct {
	ID   string `db:"id"`
	Name string `db:"name"`
	// RetiredAt is set once the group is retired: it keeps its complaints but takes no new
	// ones (only GroupList reads it).
	RetiredAt sql.NullTime `db:"retired_at"`
}

// Desa is a village (desa or kelurahan) with its kecamatan.
type Desa struct {
	ID          string `db:"id"`
	KecamatanID string `db:"kecamatan_id"`
	Name        string `db:"name"`
	// Code is the Kemendagri code (NN.NN.NN.NNNN), empty for an entry made by hand.
	Code string `db:"code"`
}

// Kecamatan is a district with its villages.
type Kecamatan struct {
	ID   string `db:"id"`
	Name string `db:"name"`
	// Code is the Kemendagri code (NN.NN.NN), empty for an entry made by hand.
	Code string `db:"code"`
	Desa []Desa `db:"-"`
}

// Directory is everything /api/v1/directory serves: the active entries, those offered for
// new complaints. Retired ones stay in their tables for the complaints that name them.
type Directory struct {
	Pokja     []Group
	Partners  []Group
	Kecamatan []Kecamatan
}

// Directory reads the active directory (retired entries left out).
func (db *DB) Directory(ctx context.Context) (Directory, error) {
	var d Directory
	if err := db.SelectContext(ctx, &d.Pokja, `SELECT id, name FROM pokja WHERE retired_at IS NULL ORDER BY name`); err != nil {
		return d, err
	}
	if err := db.SelectContext(ctx, &d.Partners, `SELECT id, name FROM partners WHERE retired_at IS NULL ORDER BY name`); err != nil {
		return d, err
	}
	if err := db.SelectContext(ctx, &d.Kecamatan, `SELECT id, name, coalesce(code, '') AS code FROM kecamatan
		WHERE retired_at IS NULL ORDER BY name`); err != nil {
		return d, err
	}
	var desa []Desa
	if err := db.SelectContext(ctx, &desa, `SELECT id, kecamatan_id, name, coalesce(code, '') AS code FROM desa
		WHERE retired_at IS NULL ORDER BY name`); err != nil {
		return d, err
	}
	index := map[string]int{}
	for i, k := range d.Kecamatan {
		index[k.ID] = i
		d.Kecamatan[i].Desa = []Desa{}
	}
	for _, x := range desa {
		if i, ok := index[x.KecamatanID]; ok {
			d.Kecamatan[i].Desa = append(d.Kecamatan[i].Desa, x)
		}
	}
	return d, nil
}

func (db *DB) exists(ctx context.Context, query, id string) (bool, error) {
	var one int
	err := db.GetContext(ctx, &one, query, id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// PokjaExists reports whether a pokja ID is in the directory and not retired.
func (db *DB) PokjaExists(ctx context.Context, id string) (bool, error) {
	return db.exists(ctx, `SELECT 1 FROM pokja WHERE id = $1 AND retired_at IS NULL`, id)
}

// PartnerExists reports whether a partner ID is in the directory and not retired.
func (db *DB) PartnerExists(ctx context.Context, id string) (bool, error) {
	return db.exists(ctx, `SELECT 1 FROM partners WHERE id = $1 AND retired_at IS NULL`, id)
}

// ResolvePlace turns a kecamatan and desa, given by ID or by name in any case, into their
// IDs. ok is false when either is unknown or retired, or the desa lies in another kecamatan.
func (db *DB) ResolvePlace(ctx context.Context, kecamatan, desa string) (kecID, desaID string, kecOK, desaOK bool, err error) {
	kecOK, desaOK = true, true
	if kecamatan != "" {
		err = db.GetContext(ctx, &kecID, `SELECT id FROM kecamatan
			WHERE (id = lower($1) OR lower(name) = lower($1)) AND retired_at IS NULL ORDER BY id LIMIT 1`, strings.TrimSpace(kecamatan))
		if errors.Is(err, sql.ErrNoRows) {
			return "", "", false, true, nil
		}
		if err != nil {
			return "", "", false, false, err
		}
	}
	if desa != "" {
		var d Desa
		err = db.GetContext(ctx, &d, `SELECT id, kecamatan_id, name FROM desa
			WHERE (id = lower($1) OR lower(name) = lower($1)) AND ($2 = '' OR kecamatan_id = $2)
				AND retired_at IS NULL AND kecamatan_id IN (SELECT id FROM kecamatan WHERE retired_at IS NULL)
			ORDER BY id LIMIT 1`, strings.TrimSpace(desa), kecID)
		if errors.Is(err, sql.ErrNoRows) {
			return kecID, "", true, false, nil
		}
		if err != nil {
			return "", "", false, false, err
		}
		desaID = d.ID
		if kecID == "" {
			kecID = d.KecamatanID
		}
	}
	return kecID, desaID, kecOK, desaOK, nil
}

// UpsertPokja adds or renames a pokja (a retired one stays retired).
func (db *DB) UpsertPokja(ctx context.Context, g Group) error {
	_, err := db.ExecContext(ctx, `INSERT INTO pokja (id, name) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name`, g.ID, g.Name)
	return err
}

// UpsertPartner adds or renames a partner organisation (a retired one stays retired).
func (db *DB) UpsertPartner(ctx context.Context, g Group) error {
	_, err := db.ExecContext(ctx, `INSERT INTO partners (id, name) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name`, g.ID, g.Name)
	return err
}

// UpsertKecamatan adds a kecamatan and its villages.
func (db *DB) UpsertKecamatan(ctx context.Context, k Kecamatan) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO kecamatan (id, name) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name`, k.ID, k.Name); err != nil {
		return err
	}
	for _, d := range k.Desa {
		if _, err := tx.ExecContext(ctx, `INSERT INTO desa (id, kecamatan_id, name) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kecamatan_id = EXCLUDED.kecamatan_id`, d.ID, k.ID, d.Name); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// GroupKind names the directory's two kinds of groups: pokja and partners.
type GroupKind string

// The kinds of groups.
const (
	KindPokja   GroupKind = "pokja"
	KindPartner GroupKind = "partner"
)

// table is the kind's table; nothing else reaches the SQL.
func (k GroupKind) table() (string, error) {
	switch k {
	case KindPokja:
		return "pokja", nil
	case KindPartner:
		return "partners", nil
	}
	return "", fmt.Errorf("unknown kind of group %q (pokja or partner)", string(k))
}

// ErrGroupExists and ErrGroupUnknown are AddGroup's, RenameGroup's and RetireGroup's refusals.
var (
	ErrGroupExists  = errors.New("already exists")
	ErrGroupUnknown = errors.New("not in the directory")
)

// GroupList lists the pokja or partners, retired ones included (RetiredAt set), by ID.
func (db *DB) GroupList(ctx context.Context, kind GroupKind) ([]Group, error) {
	table, err := kind.table()
	if err != nil {
		return nil, err
	}
	var out []Group
	err = db.SelectContext(ctx, &out, `SELECT id, name, retired_at FROM `+table+` ORDER BY id`)
	return out, err
}

// AddGroup creates a pokja or partner; ErrGroupExists when the ID is taken (retired too:
// an ID is never given to another group).
func (db *DB) AddGroup(ctx context.Context, kind GroupKind, id, name string) error {
	table, err := kind.table()
	if err != nil {
		return err
	}
	res, err := db.ExecContext(ctx, `INSERT INTO `+table+` (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, id, name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s %q: %w", kind, id, ErrGroupExists)
	}
	return nil
}

// RenameGroup gives a pokja or partner a new name; its ID stays.
func (db *DB) RenameGroup(ctx context.Context, kind GroupKind, id, name string) error {
	table, err := kind.table()
	if err != nil {
		return err
	}
	return db.changeGroup(ctx, kind, id, `UPDATE `+table+` SET name = $2 WHERE id = $1`, id, name)
}

// RetireGroup retires a pokja or partner at now: its complaints keep it, new ones cannot
// be assigned to it, and it leaves the directory. Retiring a retired group changes nothing.
func (db *DB) RetireGroup(ctx context.Context, kind GroupKind, id string, now time.Time) error {
	table, err := kind.table()
	if err != nil {
		return err
	}
	return db.changeGroup(ctx, kind, id, `UPDATE `+table+` SET retired_at = coalesce(retired_at, $2) WHERE id = $1`, id, now)
}

func (db *DB) changeGroup(ctx context.Context, kind GroupKind, id, query string, args ...any) error {
	res, err := db.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s %q: %w", kind, id, ErrGroupUnknown)
	}
	return nil
}

// RestoreGroup brings a retired pokja or partner back into the directory (a group that is
// not retired stays as it is).
func (db *DB) RestoreGroup(ctx context.Context, kind GroupKind, id string) error {
	table, err := kind.table()
	if err != nil {
		return err
	}
	return db.changeGroup(ctx, kind, id, `UPDATE `+table+` SET retired_at = NULL WHERE id = $1`, id)
}

// PlaceKind names the directory's two kinds of places: kecamatan and desa/kelurahan.
type PlaceKind string

// The kinds of places.
const (
	KindKecamatan PlaceKind = "kecamatan"
	KindDesa      PlaceKind = "desa"
)

// table is the kind's table; nothing else reaches the SQL.
func (k PlaceKind) table() (string, error) {
	switch k {
	case KindKecamatan:
		return "kecamatan", nil
	case KindDesa:
		return "desa", nil
	}
	return "", fmt.Errorf("unknown kind of place %q (kecamatan or desa)", string(k))
}

// PlaceEntry is a kecamatan or desa as the admin's list shows it, retired ones included.
type PlaceEntry struct {
	ID          string       `db:"id"`
	KecamatanID string       `db:"kecamatan_id"`
	Name        string       `db:"name"`
	Code        string       `db:"code"`
	RetiredAt   sql.NullTime `db:"retired_at"`
}

// PlaceGroup is a kecamatan with its desa, retired ones included.
type PlaceGroup struct {
	PlaceEntry
	Desa []PlaceEntry
}

// PlaceList lists every kecamatan with its desa, retired ones included, by code (entries
// without a code after, by name).
func (db *DB) PlaceList(ctx context.Context) ([]PlaceGroup, error) {
	var kec, desa []PlaceEntry
	if err := db.SelectContext(ctx, &kec, `SELECT id, '' AS kecamatan_id, name, coalesce(code, '') AS code, retired_at
		FROM kecamatan ORDER BY code NULLS LAST, name`); err != nil {
		return nil, err
	}
	if err := db.SelectContext(ctx, &desa, `SELECT id, kecamatan_id, name, coalesce(code, '') AS code, retired_at
		FROM desa ORDER BY code NULLS LAST, name`); err != nil {
		return nil, err
	}
	out := make([]PlaceGroup, len(kec))
	index := map[string]int{}
	for i, k := range kec {
		out[i] = PlaceGroup{PlaceEntry: k}
		index[k.ID] = i
	}
	for _, d := range desa {
		if i, ok := index[d.KecamatanID]; ok {
			out[i].Desa = append(out[i].Desa, d)
		}
	}
	return out, nil
}

// RenamePlace gives a kecamatan or desa a new name; its ID and code stay (the next import
// of its kabupaten's list sets the file's name again). ErrNotFound when there is none.
func (db *DB) RenamePlace(ctx context.Context, kind PlaceKind, id, name string) error {
	table, err := kind.table()
	if err != nil {
		return err
	}
	return affectOne(db.ExecContext(ctx, `UPDATE `+table+` SET name = $2 WHERE id = $1`, id, name))
}

// RetirePlace retires a kecamatan or desa at now: complaints that name it keep it, new
// ones cannot (a retired kecamatan takes its desa with it). Retiring a retired one
// changes nothing. ErrNotFound when there is none.
func (db *DB) RetirePlace(ctx context.Context, kind PlaceKind, id string, now time.Time) error {
	table, err := kind.table()
	if err != nil {
		return err
	}
	return affectOne(db.ExecContext(ctx, `UPDATE `+table+` SET retired_at = coalesce(retired_at, $2) WHERE id = $1`, id, now))
}

// RestorePlace brings a retired kecamatan or desa back. ErrNotFound when there is none.
func (db *DB) RestorePlace(ctx context.Context, kind PlaceKind, id string) error {
	table, err := kind.table()
	if err != nil {
		return err
	}
	return affectOne(db.ExecContext(ctx, `UPDATE `+table+` SET retired_at = NULL WHERE id = $1`, id))
}

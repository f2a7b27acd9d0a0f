package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Group is a pokja or a partner organisation.
type Group struct {
	ID   string `db:"id"`
	Name string `db:"name"`
}

// Desa is a village with its kecamatan.
type Desa struct {
	ID          string `db:"id"`
	KecamatanID string `db:"kecamatan_id"`
	Name        string `db:"name"`
}

// Kecamatan is a district with its villages.
type Kecamatan struct {
	ID   string `db:"id"`
	Name string `db:"name"`
	Desa []Desa `db:"-"`
}

// Directory is everything /api/v1/directory serves.
type Directory struct {
	Pokja     []Group
	Partners  []Group
	Kecamatan []Kecamatan
}

// Directory reads the whole directory.
func (db *DB) Directory(ctx context.Context) (Directory, error) {
	var d Directory
	if err := db.SelectContext(ctx, &d.Pokja, `SELECT id, name FROM pokja ORDER BY name`); err != nil {
		return d, err
	}
	if err := db.SelectContext(ctx, &d.Partners, `SELECT id, name FROM partners ORDER BY name`); err != nil {
		return d, err
	}
	if err := db.SelectContext(ctx, &d.Kecamatan, `SELECT id, name FROM kecamatan ORDER BY name`); err != nil {
		return d, err
	}
	var desa []Desa
	if err := db.SelectContext(ctx, &desa, `SELECT id, kecamatan_id, name FROM desa ORDER BY name`); err != nil {
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

// PokjaExists reports whether a pokja ID is in the directory.
func (db *DB) PokjaExists(ctx context.Context, id string) (bool, error) {
	return db.exists(ctx, `SELECT 1 FROM pokja WHERE id = $1`, id)
}

// PartnerExists reports whether a partner ID is in the directory.
func (db *DB) PartnerExists(ctx context.Context, id string) (bool, error) {
	return db.exists(ctx, `SELECT 1 FROM partners WHERE id = $1`, id)
}

// ResolvePlace turns a kecamatan and desa, given by ID or by name in any case, into their
// IDs. ok is false when either is unknown or the desa lies in another kecamatan.
func (db *DB) ResolvePlace(ctx context.Context, kecamatan, desa string) (kecID, desaID string, kecOK, desaOK bool, err error) {
	kecOK, desaOK = true, true
	if kecamatan != "" {
		err = db.GetContext(ctx, &kecID, `SELECT id FROM kecamatan WHERE id = lower($1) OR lower(name) = lower($1) LIMIT 1`, strings.TrimSpace(kecamatan))
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

// UpsertPokja adds or renames a pokja.
func (db *DB) UpsertPokja(ctx context.Context, g Group) error {
	_, err := db.ExecContext(ctx, `INSERT INTO pokja (id, name) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name`, g.ID, g.Name)
	return err
}

// UpsertPartner adds or renames a partner organisation.
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

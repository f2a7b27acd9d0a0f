package store

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// A regency's list of kecamatan and desa, keyed by their Kemendagri codes, as
// `aduan directory import` reads it: a CSV file with the header
//
//	kecamatan_code,kecamatan_name,desa_code,desa_name,type
//
// (type, desa or kelurahan, may be left out or empty), one line a desa or kelurahan; a
// line with desa_code and desa_name empty names a kecamatan alone. Lines starting with #
// are comments. Every code belongs to one kabupaten (NN.NN).

// PlaceHeader is the import file's header (the last column, type, is optional).
var PlaceHeader = []string{"kecamatan_code", "kecamatan_name", "desa_code", "desa_name", "type"}

var (
	kecamatanCode = regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$`)
	desaCode      = regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$`)
)

// PlaceList is a parsed import file: one kabupaten's kecamatan with their desa, in the
// file's order.
type PlaceList struct {
	// Kabupaten is the code (NN.NN) every entry's code starts with.
	Kabupaten string
	Kecamatan []PlaceKecamatan
}

// PlaceKecamatan is a kecamatan of an import file.
type PlaceKecamatan struct {
	Code, Name string
	Desa       []PlaceDesa
}

// PlaceDesa is a desa or kelurahan of an import file.
type PlaceDesa struct {
	Code, Name string
	// Type is "desa", "kelurahan" or "" (not said).
	Type string
}

// Count is the number of kecamatan and of desa in the list.
func (l PlaceList) Count() (kecamatan, desa int) {
	for _, k := range l.Kecamatan {
		desa += len(k.Desa)
	}
	return len(l.Kecamatan), desa
}

// ParsePlaces reads and checks an import file. An error names the line.
func ParsePlaces(r io.Reader) (PlaceList, error) {
	var list PlaceList
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return list, errors.New("empty file: the first line must be the header " + strings.Join(PlaceHeader, ","))
	}
	if err != nil {
		return list, err
	}
	line, _ := cr.FieldPos(0)
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")))
	}
	if len(header) < len(PlaceHeader)-1 || len(header) > len(PlaceHeader) || !slices.Equal(header, PlaceHeader[:len(header)]) {
		return list, fmt.Errorf("line %d: the header must be %s (type may be left out), not %s",
			line, strings.Join(PlaceHeader, ","), strings.Join(header, ","))
	}
	kecIndex := map[string]int{}
	desaSeen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return list, err
		}
		line, _ = cr.FieldPos(0)
		if len(rec) != len(header) {
			return list, fmt.Errorf("line %d: %d fields, want %d (%s)", line, len(rec), len(header), strings.Join(header, ","))
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		kc, kn, dc, dn := rec[0], cleanName(rec[1]), rec[2], cleanName(rec[3])
		typ := ""
		if len(rec) > 4 {
			typ = strings.ToLower(rec[4])
		}
		fail := func(format string, args ...any) (PlaceList, error) {
			return list, fmt.Errorf("line %d: "+format, append([]any{line}, args...)...)
		}
		switch {
		case !kecamatanCode.MatchString(kc):
			return fail("kecamatan_code %q is not a Kemendagri kecamatan code (NN.NN.NN, like 76.02.12)", kc)
		case kn == "" || utf8.RuneCountInString(kn) > 100:
			return fail("kecamatan_name must have 1 to 100 characters")
		case list.Kabupaten != "" && kc[:5] != list.Kabupaten:
			return fail("kecamatan %s is not in kabupaten %s (one file is one kabupaten's list)", kc, list.Kabupaten)
		case dc == "" && (dn != "" || typ != ""):
			return fail("desa_code is empty but desa_name or type is not")
		case dc != "" && !desaCode.MatchString(dc):
			return fail("desa_code %q is not a Kemendagri desa/kelurahan code (NN.NN.NN.NNNN, like 76.02.12.2003)", dc)
		case dc != "" && !strings.HasPrefix(dc, kc+"."):
			return fail("desa %s is not under its kecamatan's code %s", dc, kc)
		case dc != "" && (dn == "" || utf8.RuneCountInString(dn) > 100):
			return fail("desa_name must have 1 to 100 characters")
		case typ != "" && typ != "desa" && typ != "kelurahan":
			return fail("type %q must be desa, kelurahan or empty", typ)
		}
		list.Kabupaten = kc[:5]
		i, ok := kecIndex[kc]
		if !ok {
			i = len(list.Kecamatan)
			kecIndex[kc] = i
			list.Kecamatan = append(list.Kecamatan, PlaceKecamatan{Code: kc, Name: kn})
		} else if list.Kecamatan[i].Name != kn {
			return fail("kecamatan %s is named %q here and %q above", kc, kn, list.Kecamatan[i].Name)
		}
		if dc == "" {
			continue
		}
		if prev, dup := desaSeen[dc]; dup {
			return fail("desa %s is already on line %d", dc, prev)
		}
		desaSeen[dc] = line
		list.Kecamatan[i].Desa = append(list.Kecamatan[i].Desa, PlaceDesa{Code: dc, Name: dn, Type: typ})
	}
	if len(list.Kecamatan) == 0 {
		return list, errors.New("no kecamatan: the file has a header and nothing else")
	}
	return list, nil
}

// cleanName trims a name and folds its inner runs of white space into one space.
func cleanName(s string) string { return strings.Join(strings.Fields(s), " ") }

// Slug is the ID a new entry gets from its name: lower case, every run of other characters
// than letters and digits one '-', none at either end ("Tapalang Barat" → tapalang-barat,
// "Pati'di" → pati-di).
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// ImportOptions tunes ImportPlaces.
type ImportOptions struct {
	// Slugs gives the ID a new entry takes, by code, instead of its name's slug (the demo
	// keeps the IDs its first, hand-written directory used).
	Slugs map[string]string
	// Now is the retirement time (default time.Now()).
	Now time.Time
}

// ImportCounts says what an import did to one table. Every entry of the file is counted
// once: created, linked (an entry made by hand, without a code, whose ID the entry would
// take, takes the code and the file's name and kecamatan), renamed (its name, or for a
// desa its kecamatan, changed), restored (it was retired: it is active again, with the
// file's name) or unchanged; retired counts the kabupaten's active entries missing from
// the file.
type ImportCounts struct {
	Created, Linked, Renamed, Restored, Retired, Unchanged int
}

// Changed reports whether the import changed anything in the table.
func (c ImportCounts) Changed() bool {
	return c.Created+c.Linked+c.Renamed+c.Restored+c.Retired > 0
}

// ImportResult is ImportPlaces' account.
type ImportResult struct {
	Kecamatan, Desa ImportCounts
}

// placeRow is a kecamatan or desa row as the import reads it.
type placeRow struct {
	ID          string  `db:"id"`
	Code        *string `db:"code"`
	Name        string  `db:"name"`
	KecamatanID string  `db:"kecamatan_id"`
	Retired     bool    `db:"retired"`
}

// ImportPlaces makes the directory's kecamatan and desa of list's kabupaten what the list
// says, in one transaction: an entry is found by its code (its ID, the slug complaints
// use, never changes: a new name is a rename); a new code gets an ID from opts.Slugs or
// its name's slug, with the code appended when another entry has it; an active entry of
// the kabupaten missing from the list is retired (never deleted); a retired entry in the
// list is restored. Importing the same list again changes nothing.
func (db *DB) ImportPlaces(ctx context.Context, list PlaceList, opts ImportOptions) (ImportResult, error) {
	var res ImportResult
	if list.Kabupaten == "" || len(list.Kecamatan) == 0 {
		return res, errors.New("import: empty list")
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	// One import at a time: two would both see a code as new.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('aduan directory import'))`); err != nil {
		return res, err
	}

	// The kecamatan.
	var kecRows []placeRow
	if err := tx.SelectContext(ctx, &kecRows, `SELECT id, code, name, '' AS kecamatan_id, retired_at IS NOT NULL AS retired
		FROM kecamatan`); err != nil {
		return res, err
	}
	kec := newPlaceIndex(kecRows)
	kecID := map[string]string{} // code → ID
	for _, k := range list.Kecamatan {
		id, err := kec.apply(ctx, tx, "kecamatan", k.Code, k.Name, "", opts.Slugs, &res.Kecamatan)
		if err != nil {
			return res, fmt.Errorf("kecamatan %s %s: %w", k.Code, k.Name, err)
		}
		kecID[k.Code] = id
	}

	// The desa.
	var desaRows []placeRow
	if err := tx.SelectContext(ctx, &desaRows, `SELECT id, code, name, kecamatan_id, retired_at IS NOT NULL AS retired
		FROM desa`); err != nil {
		return res, err
	}
	desa := newPlaceIndex(desaRows)
	for _, k := range list.Kecamatan {
		for _, d := range k.Desa {
			if _, err := desa.apply(ctx, tx, "desa", d.Code, d.Name, kecID[k.Code], opts.Slugs, &res.Desa); err != nil {
				return res, fmt.Errorf("desa %s %s: %w", d.Code, d.Name, err)
			}
		}
	}

	// Retire what the list leaves out: desa first, then kecamatan.
	prefix := list.Kabupaten + "."
	n, err := desa.retireMissing(ctx, tx, "desa", prefix, now)
	if err != nil {
		return res, err
	}
	res.Desa.Retired = n
	if n, err = kec.retireMissing(ctx, tx, "kecamatan", prefix, now); err != nil {
		return res, err
	}
	res.Kecamatan.Retired = n
	return res, tx.Commit()
}

// placeIndex is one table's rows during an import.
type placeIndex struct {
	byCode map[string]*placeRow
	byID   map[string]*placeRow
	seen   map[string]bool // codes in the list
}

func newPlaceIndex(rows []placeRow) *placeIndex {
	x := &placeIndex{byCode: map[string]*placeRow{}, byID: map[string]*placeRow{}, seen: map[string]bool{}}
	for i := range rows {
		r := &rows[i]
		x.byID[r.ID] = r
		if r.Code != nil {
			x.byCode[*r.Code] = r
		}
	}
	return x
}

// apply makes the entry with code what the list says and returns its ID. table is
// "kecamatan" or "desa" (constants, never input); kecID is the desa's kecamatan.
func (x *placeIndex) apply(ctx context.Context, tx *sqlx.Tx,
	table, code, name, kecID string, slugs map[string]string, c *ImportCounts) (string, error) {
	x.seen[code] = true
	isDesa := table == "desa"
	if r, ok := x.byCode[code]; ok {
		moved := isDesa && r.KecamatanID != kecID
		switch {
		case r.Retired:
			c.Restored++
		case r.Name != name || moved:
			c.Renamed++
		default:
			c.Unchanged++
			return r.ID, nil
		}
		if err := x.update(ctx, tx, table, r, code, name, kecID); err != nil {
			return "", err
		}
		return r.ID, nil
	}
	id := slugs[code]
	if id == "" {
		id = Slug(name)
	}
	if id == "" {
		id = strings.ReplaceAll(code, ".", "")
	}
	if r, ok := x.byID[id]; ok && r.Code == nil {
		// An entry made by hand (or by an earlier seed) under this ID: it is this one.
		c.Linked++
		if err := x.update(ctx, tx, table, r, code, name, kecID); err != nil {
			return "", err
		}
		x.byCode[code] = r
		return r.ID, nil
	}
	if _, taken := x.byID[id]; taken {
		id += "-" + strings.ReplaceAll(code, ".", "")
		if _, taken := x.byID[id]; taken {
			return "", fmt.Errorf("both its IDs are taken (%s)", id)
		}
	}
	var err error
	if isDesa {
		_, err = tx.ExecContext(ctx, `INSERT INTO desa (id, kecamatan_id, name, code) VALUES ($1, $2, $3, $4)`, id, kecID, name, code)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO kecamatan (id, name, code) VALUES ($1, $2, $3)`, id, name, code)
	}
	if err != nil {
		return "", err
	}
	c.Created++
	r := &placeRow{ID: id, Code: &code, Name: name, KecamatanID: kecID}
	x.byID[id], x.byCode[code] = r, r
	return id, nil
}

// update sets an existing entry's code, name (and kecamatan) and makes it active.
func (x *placeIndex) update(ctx context.Context, tx *sqlx.Tx,
	table string, r *placeRow, code, name, kecID string) error {
	var err error
	if table == "desa" {
		_, err = tx.ExecContext(ctx, `UPDATE desa SET code = $2, name = $3, kecamatan_id = $4, retired_at = NULL WHERE id = $1`,
			r.ID, code, name, kecID)
		r.KecamatanID = kecID
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE kecamatan SET code = $2, name = $3, retired_at = NULL WHERE id = $1`, r.ID, code, name)
	}
	r.Code, r.Name, r.Retired = &code, name, false
	return err
}

// retireMissing retires the active entries whose code starts with prefix and which the list
// left out.
func (x *placeIndex) retireMissing(ctx context.Context, tx *sqlx.Tx,
	table, prefix string, now time.Time) (int, error) {
	var ids []string
	for code, r := range x.byCode {
		if strings.HasPrefix(code, prefix) && !x.seen[code] && !r.Retired {
			ids = append(ids, r.ID)
			r.Retired = true
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	slices.Sort(ids)
	query := `UPDATE kecamatan SET retired_at = $2 WHERE id = ANY($1) AND retired_at IS NULL`
	if table == "desa" {
		query = `UPDATE desa SET retired_at = $2 WHERE id = ANY($1) AND retired_at IS NULL`
	}
	if _, err := tx.ExecContext(ctx, query, pq.Array(ids), now); err != nil {
		return 0, err
	}
	return len(ids), nil
}

// PlacesCoded reports whether the directory has a kecamatan of the kabupaten (NN.NN) with
// its code, retired or not: whether the kabupaten's list was ever imported.
func (db *DB) PlacesCoded(ctx context.Context, kabupaten string) (bool, error) {
	return db.exists(ctx, `SELECT 1 FROM kecamatan WHERE code LIKE $1 || '.%' LIMIT 1`, kabupaten)
}

package e2e

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"aduan/demo"
	"aduan/store"
)

// The demo directory's IDs from before the complete list: complaints, clients and tests
// name them, so the import of demo/mamuju.csv must keep every one.
var demoKecamatanIDs = []string{"mamuju", "simboro", "tapalang-barat", "tapalang", "kalukku", "papalang", "sampaga",
	"tommo", "kalumpang", "bonehau", "balabalakang"}

var demoDesaIDs = []string{"binanga", "karema", "rimuku", "mamunyu", "bambu", "botteng", "simboro", "rangas",
	"pati-di", "botteng-utara", "dungkait", "lebani", "bela", "tampalang", "galung", "taan", "pasa-bu", "kalukku",
	"beru-beru", "belang-belang", "pokkang", "papalang", "topore", "sampaga", "losso", "tommo", "kakullasan",
	"kalumpang", "karataun", "bonehau", "tamalea", "balabalakang-timur", "balabalakang-barat"}

// TestDirectoryMamuju: the seed holds Kabupaten Mamuju's complete list, 11 kecamatan and
// 101 desa and kelurahan with their codes, under the IDs the demo always had; importing the
// list again changes nothing.
func TestDirectoryMamuju(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var kec, desa int
	if err := testDB.GetContext(ctx, &kec, `SELECT count(*) FROM kecamatan WHERE code LIKE '76.02.%' AND retired_at IS NULL`); err != nil {
		t.Fatal(err)
	}
	if err := testDB.GetContext(ctx, &desa, `SELECT count(*) FROM desa d JOIN kecamatan k ON k.id = d.kecamatan_id
		WHERE k.code LIKE '76.02.%' AND d.code LIKE k.code || '.%' AND d.retired_at IS NULL`); err != nil {
		t.Fatal(err)
	}
	if kec != 11 || desa != 101 {
		t.Errorf("Mamuju after seeding: %d kecamatan and %d desa/kelurahan with codes, want 11 and 101", kec, desa)
	}
	list, err := demo.Mamuju()
	if err != nil {
		t.Fatal(err)
	}
	if k, d := list.Count(); list.Kabupaten != "76.02" || k != 11 || d != 101 {
		t.Errorf("demo/mamuju.csv: kabupaten %s, %d kecamatan, %d desa", list.Kabupaten, k, d)
	}
	for table, ids := range map[string][]string{"kecamatan": demoKecamatanIDs, "desa": demoDesaIDs} {
		for _, id := range ids {
			var code string
			if err := testDB.GetContext(ctx, &code, `SELECT coalesce(code, '') FROM `+table+` WHERE id = $1 AND retired_at IS NULL`, id); err != nil || code == "" {
				t.Errorf("%s %q: not in the seeded directory with a code (%q, %v)", table, id, code, err)
			}
		}
	}
	res, err := demo.ImportMamuju(ctx, testDB)
	if err != nil {
		t.Fatal(err)
	}
	want := store.ImportResult{Kecamatan: store.ImportCounts{Unchanged: 11}, Desa: store.ImportCounts{Unchanged: 101}}
	if res != want {
		t.Errorf("importing demo/mamuju.csv again: %+v, want %+v", res, want)
	}
	// The directory the API serves has them all.
	var d struct {
		Kecamatan []struct {
			ID   string                `json:"id"`
			Desa []struct{ ID string } `json:"desa"`
		} `json:"kecamatan"`
	}
	r := do(t, "GET", "/api/v1/directory", "", nil, nil)
	r.decode(t, &d)
	n := 0
	for _, k := range d.Kecamatan {
		if k.ID == "tapalang" {
			for _, x := range k.Desa {
				n += map[string]int{"bela": 1, "tampalang": 1, "galung": 1, "taan": 1}[x.ID]
			}
		}
	}
	if n != 4 {
		t.Errorf("directory: kecamatan tapalang lists %d of bela, tampalang, galung, taan (%s)", n, r)
	}
}

// TestDirectoryParse: a bad file stops with the line that is wrong.
func TestDirectoryParse(t *testing.T) {
	t.Parallel()
	const header = "kecamatan_code,kecamatan_name,desa_code,desa_name,type\n"
	for _, c := range []struct{ name, file, want string }{
		{"empty", "", "empty file"},
		{"header only", header, "no kecamatan"},
		{"bad header", "kode,nama\n", "line 1: the header"},
		{"kecamatan code", header + "76.02.1,Mamuju,,,\n", "line 2: kecamatan_code"},
		{"desa code", header + "# comment\n76.02.01,Mamuju,76.02.01.12,Binanga,kelurahan\n", "line 3: desa_code"},
		{"desa under another kecamatan", header + "76.02.01,Mamuju,76.02.02.1001,Galung,kelurahan\n", "line 2: desa 76.02.02.1001 is not under"},
		{"two kabupaten", header + "76.02.01,Mamuju,,,\n76.03.01,Mamasa,,,\n", "line 3: kecamatan 76.03.01 is not in kabupaten 76.02"},
		{"two names", header + "76.02.01,Mamuju,,,\n76.02.01,Mamuju Kota,,,\n", "line 3: kecamatan 76.02.01 is named"},
		{"duplicate desa", header + "76.02.01,Mamuju,76.02.01.1002,Binanga,\n76.02.01,Mamuju,76.02.01.1002,Binanga,\n", "line 3: desa 76.02.01.1002 is already on line 2"},
		{"type", header + "76.02.01,Mamuju,76.02.01.1002,Binanga,kota\n", "line 2: type"},
		{"fields", header + "76.02.01,Mamuju,76.02.01.1002\n", "line 2: 3 fields"},
		{"no desa name", header + "76.02.01,Mamuju,76.02.01.1002,,\n", "line 2: desa_name"},
	} {
		_, err := store.ParsePlaces(strings.NewReader(c.file))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	list, err := store.ParsePlaces(strings.NewReader("\ufeff" + header + "76.02.12, Simboro ,76.02.12.2009,Pati'di,desa\n76.02.13,Tapalang  Barat,,,\n"))
	if err != nil || list.Kabupaten != "76.02" || len(list.Kecamatan) != 2 || list.Kecamatan[0].Name != "Simboro" ||
		list.Kecamatan[0].Desa[0] != (store.PlaceDesa{Code: "76.02.12.2009", Name: "Pati'di", Type: "desa"}) ||
		list.Kecamatan[1].Name != "Tapalang Barat" || len(list.Kecamatan[1].Desa) != 0 {
		t.Errorf("parsed %+v, %v", list, err)
	}
	for name, want := range map[string]string{"Tapalang Barat": "tapalang-barat", "Pati'di": "pati-di", "Bala-Balakang  Timur": "bala-balakang-timur", "Lasa'": "lasa"} {
		if got := store.Slug(name); got != want {
			t.Errorf("Slug(%q) = %q, want %q", name, got, want)
		}
	}
}

// importFile parses and imports a list, which must succeed.
func importFile(t *testing.T, file string) store.ImportResult {
	t.Helper()
	list, err := store.ParsePlaces(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	res, err := testDB.ImportPlaces(context.Background(), list, store.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestDirectoryImport: an import of a kabupaten's list creates, renames (the ID stays),
// retires and restores, and the second import of the same file changes nothing. A retired
// desa is refused by intake and left out of the directory, while a complaint that names it
// keeps it. It uses a kabupaten of its own (76.99), so the other tests' Mamuju is untouched.
func TestDirectoryImport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Cleanup(func() { // out of the directory the other tests see (the /lapor form)
		_, _ = testDB.ExecContext(ctx, `UPDATE desa SET retired_at = now() WHERE code LIKE '76.99.%'`)
		_, _ = testDB.ExecContext(ctx, `UPDATE kecamatan SET retired_at = now() WHERE code LIKE '76.99.%'`)
	})
	const header = "# Kabupaten Uji\nkecamatan_code,kecamatan_name,desa_code,desa_name,type\n"
	first := header +
		"76.99.01,Uji Utara,76.99.01.2001,Sukamaju Uji,desa\n" +
		"76.99.01,Uji Utara,76.99.01.2002,Lebani,desa\n" + // Mamuju's lebani has the slug: the code is appended
		"76.99.02,Uji Selatan,76.99.02.1001,Kampung Lama Uji,kelurahan\n" +
		"76.99.02,Uji Selatan,76.99.02.1002,Kampung Tengah Uji,kelurahan\n" +
		"76.99.03,Uji Pesisir,76.99.03.2001,Pantai Uji,desa\n"
	res := importFile(t, first)
	want := store.ImportResult{Kecamatan: store.ImportCounts{Created: 3}, Desa: store.ImportCounts{Created: 5}}
	if res != want {
		t.Errorf("first import: %+v, want %+v", res, want)
	}
	if res := importFile(t, first); res != (store.ImportResult{Kecamatan: store.ImportCounts{Unchanged: 3}, Desa: store.ImportCounts{Unchanged: 5}}) {
		t.Errorf("the same file again: %+v, want all unchanged", res)
	}
	var ids []string
	if err := testDB.SelectContext(ctx, &ids, `SELECT id FROM desa WHERE code LIKE '76.99.%' ORDER BY code`); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, " ") != "sukamaju-uji lebani-7699012002 kampung-lama-uji kampung-tengah-uji pantai-uji" {
		t.Errorf("desa IDs %v", ids)
	}
	var lebani string
	if err := testDB.GetContext(ctx, &lebani, `SELECT coalesce(code, '') FROM desa WHERE id = 'lebani'`); err != nil || lebani != "76.02.13.2002" {
		t.Errorf("Mamuju's lebani has code %q (%v)", lebani, err)
	}

	// A complaint from Kampung Lama Uji, before it goes.
	old := submitBody(t, map[string]any{"text": uniqueText(t), "kecamatan": "uji-selatan", "desa": "kampung-lama-uji"}, nil)

	// The second list renames Sukamaju Uji, leaves out Kampung Lama Uji and all of Uji Pesisir.
	second := header +
		"76.99.01,Uji Utara,76.99.01.2001,Sukamaju Baru Uji,desa\n" +
		"76.99.01,Uji Utara,76.99.01.2002,Lebani,desa\n" +
		"76.99.02,Uji Selatan,76.99.02.1002,Kampung Tengah Uji,kelurahan\n"
	res = importFile(t, second)
	want = store.ImportResult{Kecamatan: store.ImportCounts{Retired: 1, Unchanged: 2},
		Desa: store.ImportCounts{Renamed: 1, Retired: 2, Unchanged: 2}}
	if res != want {
		t.Errorf("second import: %+v, want %+v", res, want)
	}
	if res := importFile(t, second); res != (store.ImportResult{Kecamatan: store.ImportCounts{Unchanged: 2}, Desa: store.ImportCounts{Unchanged: 3}}) {
		t.Errorf("the second file again: %+v, want all unchanged", res)
	}
	var renamed string
	if err := testDB.GetContext(ctx, &renamed, `SELECT name FROM desa WHERE id = 'sukamaju-uji'`); err != nil || renamed != "Sukamaju Baru Uji" {
		t.Errorf("after the rename, desa sukamaju-uji is named %q (%v)", renamed, err)
	}

	// Intake refuses the retired desa, by ID or by name, and the retired kecamatan.
	for _, body := range []map[string]any{
		{"text": uniqueText(t), "kecamatan": "uji-selatan", "desa": "kampung-lama-uji"},
		{"text": uniqueText(t), "desa": "Kampung Lama Uji"},
	} {
		r := do(t, "POST", "/api/v1/complaints", "", body, nil)
		wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "desa")
	}
	r := do(t, "POST", "/api/v1/complaints", "", map[string]any{"text": uniqueText(t), "kecamatan": "uji-pesisir"}, nil)
	wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "kecamatan")
	// The renamed desa is taken by its new name, under its old ID.
	code := submitBody(t, map[string]any{"text": uniqueText(t), "kecamatan": "Uji Utara", "desa": "Sukamaju Baru Uji"}, nil)
	if v := view(t, "admin", code); v.Kecamatan != "uji-utara" || v.Desa != "sukamaju-uji" {
		t.Errorf("a complaint from Sukamaju Baru Uji is placed in %s/%s", v.Kecamatan, v.Desa)
	}

	// The directory leaves the retired out and shows the new name.
	dir := directoryDesa(t)
	if _, ok := dir["kampung-lama-uji"]; ok {
		t.Errorf("the directory still lists the retired desa kampung-lama-uji")
	}
	if _, ok := dir["pantai-uji"]; ok {
		t.Errorf("the directory still lists pantai-uji of the retired kecamatan uji-pesisir")
	}
	if dir["sukamaju-uji"] != "Sukamaju Baru Uji" || dir["kampung-tengah-uji"] == "" {
		t.Errorf("the directory's 76.99 desa: sukamaju-uji %q, kampung-tengah-uji %q", dir["sukamaju-uji"], dir["kampung-tengah-uji"])
	}
	// The old complaint keeps its desa.
	if v := view(t, "admin", old); v.Kecamatan != "uji-selatan" || v.Desa != "kampung-lama-uji" {
		t.Errorf("the complaint from before the retirement is placed in %s/%s", v.Kecamatan, v.Desa)
	}

	// The first list again brings them back, under the same IDs.
	res = importFile(t, first)
	want = store.ImportResult{Kecamatan: store.ImportCounts{Restored: 1, Unchanged: 2},
		Desa: store.ImportCounts{Renamed: 1, Restored: 2, Unchanged: 2}}
	if res != want {
		t.Errorf("first file after the second: %+v, want %+v", res, want)
	}
	if _, ok := directoryDesa(t)["kampung-lama-uji"]; !ok {
		t.Errorf("the restored desa kampung-lama-uji is not in the directory")
	}
	submitBody(t, map[string]any{"text": uniqueText(t), "kecamatan": "uji-selatan", "desa": "kampung-lama-uji"}, nil)
}

// directoryDesa is GET /api/v1/directory's desa: ID → name.
func directoryDesa(t *testing.T) map[string]string {
	t.Helper()
	var d struct {
		Kecamatan []struct {
			Desa []struct{ ID, Name string } `json:"desa"`
		} `json:"kecamatan"`
	}
	r := do(t, "GET", "/api/v1/directory", "", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/directory: %s", r)
	}
	r.decode(t, &d)
	out := map[string]string{}
	for _, k := range d.Kecamatan {
		for _, x := range k.Desa {
			out[x.ID] = x.Name
		}
	}
	return out
}

// TestDirectoryGroups: a pokja is added, renamed and retired; retired, it leaves the
// directory and takes no new complaint, and stays in the list.
func TestDirectoryGroups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	id := "uji-" + randomHex(3)
	if err := testDB.AddGroup(ctx, store.KindPokja, id, "Pokja Uji"); err != nil {
		t.Fatal(err)
	}
	if err := testDB.AddGroup(ctx, store.KindPokja, id, "Pokja Uji Lagi"); !errors.Is(err, store.ErrGroupExists) {
		t.Errorf("adding %s twice: %v, want ErrGroupExists", id, err)
	}
	if err := testDB.RenameGroup(ctx, store.KindPokja, id, "Pokja Uji Baru"); err != nil {
		t.Fatal(err)
	}
	if err := testDB.RenameGroup(ctx, store.KindPartner, "tidak-ada", "X"); !errors.Is(err, store.ErrGroupUnknown) {
		t.Errorf("renaming an unknown partner: %v, want ErrGroupUnknown", err)
	}
	pokjaNames := func() map[string]string {
		var d struct {
			Pokja []struct{ ID, Name string } `json:"pokja"`
		}
		do(t, "GET", "/api/v1/directory", "", nil, nil).decode(t, &d)
		out := map[string]string{}
		for _, p := range d.Pokja {
			out[p.ID] = p.Name
		}
		return out
	}
	if got := pokjaNames()[id]; got != "Pokja Uji Baru" {
		t.Errorf("directory: pokja %s is named %q", id, got)
	}
	// A complaint triaged to it before it is retired keeps it.
	before := submit(t, uniqueText(t))
	triage(t, before, id, "hunian")
	if err := testDB.RetireGroup(ctx, store.KindPokja, id, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, ok := pokjaNames()[id]; ok {
		t.Errorf("directory still lists the retired pokja %s", id)
	}
	after := submit(t, uniqueText(t))
	r := act(t, "admin", after, "triage", map[string]any{"pokja": id, "category": "hunian", "priority": "high", "title": "Uji"})
	wantFields(t, wantError(t, r, http.StatusBadRequest, "invalid"), "pokja")
	if v := view(t, "admin", before); v.Pokja != id {
		t.Errorf("the complaint triaged before the retirement is at pokja %q", v.Pokja)
	}
	groups, err := testDB.GroupList(ctx, store.KindPokja)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, g := range groups {
		if g.ID == id {
			found = g.RetiredAt.Valid && g.Name == "Pokja Uji Baru"
		}
	}
	if !found {
		t.Errorf("the list of pokja lacks the retired %s: %+v", id, groups)
	}
}

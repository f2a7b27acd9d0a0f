// Package demo seeds a demonstration directory for Kabupaten Mamuju: pokja, partner
// organisations, kecamatan and desa, and demo staff users (every role) with a token.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"aduan/domain"
	"aduan/store"
)

// Pokja of the regency's disaster response.
var Pokja = []store.Group{
	{ID: "logistik", Name: "Pokja Logistik dan Bantuan"},
	{ID: "hunian", Name: "Pokja Hunian dan Pemulihan Rumah"},
	{ID: "kesehatan", Name: "Pokja Kesehatan"},
	{ID: "wash", Name: "Pokja Air Bersih dan Sanitasi"},
	{ID: "pelibatan", Name: "Pokja Pelibatan Masyarakat"},
}

// Partners are the organisations that distribute aid.
var Partners = []store.Group{
	{ID: "ypii", Name: "Yayasan Plan Internasional Indonesia"},
	{ID: "pmi", Name: "Palang Merah Indonesia Kabupaten Mamuju"},
	{ID: "dinsos", Name: "Dinas Sosial Kabupaten Mamuju"},
}

func desa(ids ...string) []store.Desa {
	out := make([]store.Desa, 0, len(ids)/2)
	for i := 0; i+1 < len(ids); i += 2 {
		out = append(out, store.Desa{ID: ids[i], Name: ids[i+1]})
	}
	return out
}

// Kecamatan of Kabupaten Mamuju, each with some of its desa and kelurahan (not every
// village: the regency completes the list in its own directory).
var Kecamatan = []store.Kecamatan{
	{ID: "mamuju", Name: "Mamuju", Desa: desa("binanga", "Binanga", "karema", "Karema", "rimuku", "Rimuku", "mamunyu", "Mamunyu", "bambu", "Bambu")},
	{ID: "simboro", Name: "Simboro", Desa: desa("botteng", "Botteng", "simboro", "Simboro", "rangas", "Rangas", "pati-di", "Pati'di", "botteng-utara", "Botteng Utara")},
	{ID: "tapalang-barat", Name: "Tapalang Barat", Desa: desa("dungkait", "Dungkait", "lebani", "Lebani", "bela", "Bela", "tampalang", "Tampalang")},
	{ID: "tapalang", Name: "Tapalang", Desa: desa("galung", "Galung", "taan", "Taan", "pasa-bu", "Pasa'bu")},
	{ID: "kalukku", Name: "Kalukku", Desa: desa("kalukku", "Kalukku", "beru-beru", "Beru-Beru", "belang-belang", "Belang-Belang", "pokkang", "Pokkang")},
	{ID: "papalang", Name: "Papalang", Desa: desa("papalang", "Papalang", "topore", "Topore")},
	{ID: "sampaga", Name: "Sampaga", Desa: desa("sampaga", "Sampaga", "losso", "Losso")},
	{ID: "tommo", Name: "Tommo", Desa: desa("tommo", "Tommo", "kakullasan", "Kakullasan")},
	{ID: "kalumpang", Name: "Kalumpang", Desa: desa("kalumpang", "Kalumpang", "karataun", "Karataun")},
	{ID: "bonehau", Name: "Bonehau", Desa: desa("bonehau", "Bonehau", "tamalea", "Tamalea")},
	{ID: "balabalakang", Name: "Balabalakang", Desa: desa("balabalakang-timur", "Balabalakang Timur", "balabalakang-barat", "Balabalakang Barat")},
}

// User is a demo staff user.
type User struct {
	Username string
	Name     string
	Role     domain.Role
	Group    string
	// HeadOfOffice receives the second level of escalation.
	HeadOfOffice bool
}

// Users has at least one of each role, two pokja and two partners with a member each,
// and two supervisors: the pokja coordinator and the head of office.
var Users = []User{
	{"admin", "Admin Call Center (demo)", domain.RoleAdmin, "", false},
	{"supervisor", "Koordinator Pokja Pelibatan Masyarakat (demo)", domain.RoleSupervisor, "", false},
	{"kepala-dinas", "Kepala Dinas Kominfosandi (demo)", domain.RoleSupervisor, "", true},
	{"pokja-logistik", "Anggota Pokja Logistik (demo)", domain.RolePokja, "logistik", false},
	{"pokja-hunian", "Anggota Pokja Hunian (demo)", domain.RolePokja, "hunian", false},
	{"mitra-ypii", "Staf YPII (demo)", domain.RolePartner, "ypii", false},
	{"mitra-pmi", "Staf PMI (demo)", domain.RolePartner, "pmi", false},
}

// Seed writes the demo directory and users, and makes sure tokensFile holds a working
// token for each demo user ({"username": "token"}). Running it again keeps what exists.
func Seed(ctx context.Context, db *store.DB, tokensFile string) (map[string]string, error) {
	for _, p := range Pokja {
		if err := db.UpsertPokja(ctx, p); err != nil {
			return nil, err
		}
	}
	for _, p := range Partners {
		if err := db.UpsertPartner(ctx, p); err != nil {
			return nil, err
		}
	}
	for _, k := range Kecamatan {
		if err := db.UpsertKecamatan(ctx, k); err != nil {
			return nil, err
		}
	}
	tokens := map[string]string{}
	if raw, err := os.ReadFile(tokensFile); err == nil {
		_ = json.Unmarshal(raw, &tokens)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	for _, u := range Users {
		s := store.NewStaff(u.Username, u.Name, u.Role, u.Group)
		s.HeadOfOffice = u.HeadOfOffice
		if err := db.UpsertStaff(ctx, s); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", u.Username, err)
		}
		if t, ok := tokens[u.Username]; ok {
			if s, err := db.StaffByToken(ctx, t); err == nil && s.Username == u.Username {
				continue
			}
		}
		t, err := db.IssueToken(ctx, u.Username)
		if err != nil {
			return nil, err
		}
		tokens[u.Username] = t
	}
	if err := writeTokens(tokensFile, tokens); err != nil {
		return nil, err
	}
	return tokens, nil
}

func writeTokens(path string, tokens map[string]string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(tokens, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(raw, '\n'), 0o600)
}

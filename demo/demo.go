// Package demo seeds a demonstration directory for Kabupaten Mamuju: pokja, partner
// organisations, every kecamatan, desa and kelurahan (mamuju.csv), and demo staff users
// (every role) with a token.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"aduan/accounts"
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

// mamujuCode is Kabupaten Mamuju's Kemendagri code.
const mamujuCode = "76.02"

// Partners are the organisations that distribute aid.
var Partners = []store.Group{
	{ID: "ypii", Name: "Yayasan Plan Internasional Indonesia"},
	{ID: "pmi", Name: "Palang Merah Indonesia Kabupaten Mamuju"},
	{ID: "dinsos", Name: "Dinas Sosial Kabupaten Mamuju"},
}

// MamujuCSV is Kabupaten Mamuju's complete list of kecamatan, desa and kelurahan with their
// Kemendagri codes (from idn-area-data 4.0.1, ODbL; see the file's header), in the format
// `aduan directory import` reads.
//
//go:embed mamuju.csv
var MamujuCSV []byte

// Slugs keeps the IDs of the demo's first, hand-written directory where the slug of the
// dataset's name differs (complaints, clients and tests use them).
var Slugs = map[string]string{
	"76.02.16":      "balabalakang",       // Kepulauan Bala Balakang
	"76.02.16.2001": "balabalakang-barat", // Bala Balakang
	"76.02.16.2002": "balabalakang-timur", // Bala-Balakang Timur
	"76.02.11.2008": "kakullasan",         // Kakullasang
	"76.02.13.2004": "pasa-bu",            // Pasabu (listed under Tapalang before)
}

// Mamuju parses MamujuCSV.
func Mamuju() (store.PlaceList, error) {
	return store.ParsePlaces(bytes.NewReader(MamujuCSV))
}

// ImportMamuju imports Mamuju's list into the directory (idempotent).
func ImportMamuju(ctx context.Context, db *store.DB) (store.ImportResult, error) {
	list, err := Mamuju()
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("demo/mamuju.csv: %w", err)
	}
	return db.ImportPlaces(ctx, list, store.ImportOptions{Slugs: Slugs})
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

// Login is a demo user's login for the staff pages, as demo-logins.json keeps it.
type Login struct {
	Password string `json:"password"`
	// TOTPSecret is the base32 TOTP secret of admins and supervisors (null for others).
	TOTPSecret *string `json:"totp_secret"`
}

// LoginsFileName is the file of the demo logins, next to the tokens' file by default.
const LoginsFileName = "demo-logins.json"

// Seed writes the demo directory and users, and makes sure tokensFile holds a working
// token for each demo user ({"username": "token"}) and demo-logins.json beside it a
// working login (see SeedLogins). Running it again keeps what exists.
func Seed(ctx context.Context, db *store.DB, tokensFile string) (map[string]string, error) {
	tokens, _, err := SeedLogins(ctx, db, tokensFile, filepath.Join(filepath.Dir(tokensFile), LoginsFileName))
	return tokens, err
}

// SeedLogins is Seed, and it also gives every demo user a password, admins and
// supervisors a TOTP secret, and writes them to loginsFile
// ({"username": {"password": "...", "totp_secret": "..." or null}}). Logins in the file
// that still work are kept.
func SeedLogins(ctx context.Context, db *store.DB, tokensFile, loginsFile string) (map[string]string, map[string]Login, error) {
	tokens, err := seedDirectoryAndTokens(ctx, db, tokensFile)
	if err != nil {
		return nil, nil, err
	}
	logins := map[string]Login{}
	if raw, err := os.ReadFile(loginsFile); err == nil {
		_ = json.Unmarshal(raw, &logins)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, err
	}
	acc := accounts.New(db, accounts.Config{})
	for _, u := range Users {
		creds, err := acc.Credentials(ctx, u.Username)
		if err != nil {
			return nil, nil, fmt.Errorf("demo user %s: %w", u.Username, err)
		}
		l, ok := logins[u.Username]
		if !ok || l.Password == "" || !accounts.CheckPassword(creds.PasswordHash, l.Password) {
			l = Login{Password: "demo-" + strings.ToLower(accounts.RandomToken()[:12])}
			if err := acc.SetPassword(ctx, u.Username, l.Password); err != nil {
				return nil, nil, fmt.Errorf("demo user %s: %w", u.Username, err)
			}
		}
		if accounts.NeedsTOTP(u.Role) {
			if creds.TOTPSecret == "" || l.TOTPSecret == nil || *l.TOTPSecret != creds.TOTPSecret {
				secret, err := accounts.NewTOTPSecret(u.Username)
				if err != nil {
					return nil, nil, err
				}
				if err := acc.SetTOTPSecret(ctx, u.Username, secret); err != nil {
					return nil, nil, fmt.Errorf("demo user %s: %w", u.Username, err)
				}
				l.TOTPSecret = &secret
			}
		} else {
			l.TOTPSecret = nil // a pokja or partner user may enrol 2FA themselves
		}
		logins[u.Username] = l
	}
	if err := writeJSON(loginsFile, logins); err != nil {
		return nil, nil, err
	}
	return tokens, logins, nil
}

func seedDirectoryAndTokens(ctx context.Context, db *store.DB, tokensFile string) (map[string]string, error) {
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
	// Mamuju's list, the first time: afterwards the directory is the regency's to keep
	// (aduan directory import), and a later seed leaves it as it is.
	if coded, err := db.PlacesCoded(ctx, mamujuCode); err != nil {
		return nil, err
	} else if !coded {
		if _, err := ImportMamuju(ctx, db); err != nil {
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
		if errors.Is(err, store.ErrNotFound) {
			continue // deactivated by hand: no new token
		}
		if err != nil {
			return nil, err
		}
		tokens[u.Username] = t
	}
	if err := writeJSON(tokensFile, tokens); err != nil {
		return nil, err
	}
	return tokens, nil
}

func writeJSON(path string, tokens any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(tokens, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(raw, '\n'), 0o600)
}

package metrics

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"aduan/store"
)

// FreshDatabase is a new PostgreSQL database on DATABASE_URL's server, migrated, dropped
// when the test ends. Without a server the test is skipped (failed when
// ADUAN_REQUIRE_INTEGRATION=1). Defined in a test file of package metrics so that the
// external tests (prometheus_test.go) use it too.
func FreshDatabase(t testing.TB) *store.DB {
	t.Helper()
	admin, err := sql.Open("postgres", databaseURL(t, "postgres"))
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("ADUAN_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("PostgreSQL does not answer: %v", err)
		}
		t.Skipf("PostgreSQL does not answer: %v", err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "aduan_metrics_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	db, err := store.Open(context.Background(), databaseURL(t, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// databaseURL is DATABASE_URL (or the default) with its database set to name.
func databaseURL(t testing.TB, name string) string {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/aduan?sslmode=disable"
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

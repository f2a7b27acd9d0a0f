// Package store is Aduan's PostgreSQL layer: migrations, the directory, staff and their
// tokens, complaint records and their audit trail. All SQL is parameterised.
package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"aduan/keyring"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the application's database handle.
type DB struct {
	*sqlx.DB
	// keys seal the staff's TOTP secrets at rest (UseKeys; nil: stored as given).
	keys *keyring.Ring
	// stmts are the prepared statements of the hottest writes, by their text (prepared).
	stmts sync.Map
}

// Open connects to PostgreSQL and checks the connection.
//
// Parameters go in binary mode (lib/pq's binary_parameters): a statement with parameters
// is then one round trip to PostgreSQL instead of two (parse and describe, then bind and
// execute), and every request makes several. A []byte parameter is then sent as binary
// data: right for bytea, and for text, but a jsonb column must be given a string.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pq.NewConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.BinaryParameters = true
	conn, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, err
	}
	db := sqlx.NewDb(sql.OpenDB(conn), "postgres")
	// As many kept idle as may be open: with fewer, a busy moment (a burst of intake)
	// closes a connection whenever a request gives one back over the idle limit and opens
	// another for the next, a new PostgreSQL backend each time. Measured, that doubled
	// intake's p99. Idle ones still close after ConnMaxIdleTime.
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return &DB{DB: db}, nil
}

// Migrate applies every pending migration. A PostgreSQL advisory lock lets several
// processes start at once without racing.
func (db *DB) Migrate(ctx context.Context) (applied int, err error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return 0, err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return 0, err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db.DB.DB, sub, goose.WithSessionLocker(locker))
	if err != nil {
		return 0, err
	}
	results, err := p.Up(ctx)
	return len(results), err
}

// DatabaseURL is the PostgreSQL URL raw with its database set to name (the rest, host,
// user and options, kept): how the tests, the bench and the soak reach the server's
// "postgres" database to create one of their own, and then that one.
func DatabaseURL(raw, name string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

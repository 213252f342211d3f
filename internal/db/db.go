// Package db opens the database behind wisselaar: PostgreSQL in production
// (DATABASE_URL), or an embedded SQLite file for the zero-setup run, and
// brings its schema up to date.
package db

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/lib/pq"  // PostgreSQL driver
	_ "modernc.org/sqlite" // pure-Go SQLite driver for the zero-setup run

	"wisselaar/ent"
	_ "wisselaar/ent/runtime" // registers the privacy policies and hooks
	"wisselaar/internal/search"
)

// SQLiteFile is the name of the embedded database file in the data directory.
const SQLiteFile = "wisselaar.db"

// DB is an open database.
type DB struct {
	// Client is the ent client over the database.
	Client *ent.Client
	// SQL is the underlying connection pool.
	SQL *sql.DB
	// Dialect is dialect.Postgres or dialect.SQLite.
	Dialect string
}

// Ping reports whether the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.SQL.PingContext(ctx) }

// Close closes the connection pool.
func (d *DB) Close() error { return d.Client.Close() }

// Open connects to the database: PostgreSQL when databaseURL is set, else
// the SQLite file in dataDir (created when missing).
func Open(ctx context.Context, databaseURL, dataDir string) (*DB, error) {
	if databaseURL != "" {
		return openPostgres(ctx, databaseURL)
	}
	return openSQLite(ctx, dataDir)
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	if !strings.HasPrefix(url, "postgres://") && !strings.HasPrefix(url, "postgresql://") {
		return nil, fmt.Errorf("DATABASE_URL must be a postgres:// URL")
	}
	conn, err := sql.Open("postgres", url)
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(20)
	conn.SetMaxIdleConns(10)
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	return &DB{Client: ent.NewClient(ent.Driver(entsql.OpenDB(dialect.Postgres, conn))), SQL: conn, Dialect: dialect.Postgres}, nil
}

func openSQLite(ctx context.Context, dataDir string) (*DB, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	path := filepath.Join(dataDir, SQLiteFile)
	// Foreign keys are off by default in SQLite; WAL lets readers proceed
	// while the one writer writes; the busy timeout waits for a lock
	// rather than failing; _txlock is explained below. Times are written in
	// SQLite's own format with a numeric offset, which reads back whatever
	// zone they were given in (the driver's default writes Go's String form,
	// which it cannot parse for fixed-offset zones such as +01:00).
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate&_time_format=sqlite"
	conn, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// Every transaction starts with BEGIN IMMEDIATE (_txlock), taking
	// SQLite's single write lock up front: writers run one after another,
	// so a budget reservation's read-then-write is as safe as under a row
	// lock in PostgreSQL, while readers outside transactions go on in
	// parallel thanks to WAL.
	conn.SetMaxOpenConns(4)
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	return &DB{Client: ent.NewClient(ent.Driver(entsql.OpenDB(dialect.SQLite, conn))), SQL: conn, Dialect: dialect.SQLite}, nil
}

// Migrate creates or updates the schema, and what full-text search needs
// besides (search.Install).
func Migrate(ctx context.Context, d *DB) error {
	if err := d.Client.Schema.Create(ctx); err != nil {
		return fmt.Errorf("migrating schema: %w", err)
	}
	return search.Install(ctx, d.SQL, d.Dialect)
}

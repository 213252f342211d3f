// Package db opens the database behind wisselaar: PostgreSQL in production
// (DATABASE_URL), or an embedded SQLite file for the zero-setup run, and
// brings its schema up to date.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"
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

// Options tune the PostgreSQL connection pool; the zero value gives the
// defaults. SQLite ignores them.
type Options struct {
	// StatementTimeout is PostgreSQL's statement_timeout on every
	// connection: the server itself ends a statement that runs longer,
	// even when the client that sent it is gone. Zero means 30s.
	StatementTimeout time.Duration
	// LockTimeout is PostgreSQL's lock_timeout: how long a statement waits
	// for a lock (a row another transaction holds) before failing. Zero
	// means 10s.
	LockTimeout time.Duration
	// MaxConns bounds the pool. Zero means 20.
	MaxConns int
	// QueryTracer, when set, is told of every PostgreSQL query (tracing
	// spans); nil costs nothing.
	QueryTracer pgx.QueryTracer
}

// Open connects to the database with the default Options: PostgreSQL when
// databaseURL is set, else the SQLite file in dataDir (created when
// missing).
func Open(ctx context.Context, databaseURL, dataDir string) (*DB, error) {
	return OpenWith(ctx, databaseURL, dataDir, Options{})
}

// OpenWith is Open with the pool's Options.
func OpenWith(ctx context.Context, databaseURL, dataDir string, opts Options) (*DB, error) {
	if databaseURL != "" {
		return openPostgres(ctx, databaseURL, opts)
	}
	return openSQLite(ctx, dataDir)
}

// cancelGrace is how long a cancelled query may take to end after its
// context is done: PostgreSQL is asked to cancel it at once, and a server
// that does not answer within cancelGrace (frozen, or the network gone)
// has its connection closed, so the caller returns at its deadline plus
// cancelGrace whatever the server does.
const cancelGrace = 500 * time.Millisecond

// PostgresConfig parses a postgres:// URL into pgx's configuration with
// the settings wisselaar relies on: the timeouts of opts as session
// parameters, a check that notices a vanished client while a statement
// runs, and cancellation that never waits on an unresponsive server.
// Queries go through pgx's prepared-statement cache: one round trip per
// query once a statement has been seen on a connection.
func PostgresConfig(url string, opts Options) (*pgx.ConnConfig, error) {
	if !strings.HasPrefix(url, "postgres://") && !strings.HasPrefix(url, "postgresql://") {
		return nil, fmt.Errorf("DATABASE_URL must be a postgres:// URL")
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if opts.StatementTimeout <= 0 {
		opts.StatementTimeout = 30 * time.Second
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 10 * time.Second
	}
	rp := cfg.RuntimeParams
	rp["statement_timeout"] = fmt.Sprint(opts.StatementTimeout.Milliseconds())
	rp["lock_timeout"] = fmt.Sprint(opts.LockTimeout.Milliseconds())
	// A backend whose client has gone (cancelled at its deadline, connection
	// closed) notices within this interval even while it waits or
	// computes, and rolls back, instead of running on to statement_timeout.
	rp["client_connection_check_interval"] = "1000"
	if rp["application_name"] == "" {
		rp["application_name"] = "wisselaar"
	}
	if cfg.ConnectTimeout == 0 {
		// A server that accepts the TCP connection but never answers (a
		// frozen one) must not hold a new connection forever; the caller's
		// context usually ends it sooner.
		cfg.ConnectTimeout = 30 * time.Second
	}
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: cancelGrace}
	}
	return cfg, nil
}

func openPostgres(ctx context.Context, url string, opts Options) (*DB, error) {
	cfg, err := PostgresConfig(url, opts)
	if err != nil {
		return nil, err
	}
	if opts.QueryTracer != nil {
		cfg.Tracer = opts.QueryTracer
	}
	conn := stdlib.OpenDB(*cfg)
	max := opts.MaxConns
	if max <= 0 {
		max = 20
	}
	conn.SetMaxOpenConns(max)
	conn.SetMaxIdleConns(max)
	// Connections are renewed now and then, so that a pool never holds on
	// to a connection from before a failover.
	conn.SetConnMaxLifetime(30 * time.Minute)
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	return &DB{Client: ent.NewClient(ent.Driver(txDriver{entsql.OpenDB(dialect.Postgres, conn)})), SQL: conn, Dialect: dialect.Postgres}, nil
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
	return &DB{Client: ent.NewClient(ent.Driver(txDriver{entsql.OpenDB(dialect.SQLite, conn)})), SQL: conn, Dialect: dialect.SQLite}, nil
}

// Migrate brings the schema up to date: PostgreSQL with the versioned
// migrations of package migrations (ApplyMigrations), the embedded SQLite
// automatically from the ent schema (MigrateFromEntSchema).
func Migrate(ctx context.Context, d *DB) error {
	if d.Dialect == dialect.Postgres {
		return ApplyMigrations(ctx, d)
	}
	return MigrateFromEntSchema(ctx, d)
}

// MigrateFromEntSchema creates or updates the schema from the ent schema
// (adding what is missing, never dropping), and what full-text search
// needs besides (search.Install) and the row counts (RowCountsTable). It
// is how the embedded SQLite database is migrated; on PostgreSQL the
// versioned migrations do the same (a test compares the two).
func MigrateFromEntSchema(ctx context.Context, d *DB) error {
	if err := d.Client.Schema.Create(ctx); err != nil {
		return fmt.Errorf("migrating schema: %w", err)
	}
	if err := search.Install(ctx, d.SQL, d.Dialect); err != nil {
		return err
	}
	if err := installAuditGuard(ctx, d.SQL, d.Dialect); err != nil {
		return err
	}
	return installRowCounts(ctx, d.SQL, d.Dialect)
}

// Unavailable reports whether err means that the database did not answer
// as a database should: no connection could be made, the connection broke,
// or PostgreSQL itself gave up on the statement (statement_timeout,
// lock_timeout, a cancel, a server shutting down). Such a request may work
// when tried again later; it is no fault of the client's nor a bug.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57014", // query_canceled: statement_timeout or a cancel request
			"55P03",                   // lock_not_available: lock_timeout
			"57P01", "57P02", "57P03", // admin_shutdown, crash_shutdown, cannot_connect_now
			"53300": // too_many_connections
			return true
		}
		return false
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) || errors.As(err, &netErr) || pgconn.Timeout(err) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded)
}

// Package migrations holds the versioned migrations of the PostgreSQL
// schema: SQL files written by the generator (go run ./migrations/gen NAME)
// from the ent schema, plus hand-written statements where ent has no words
// for what the database needs (full-text indexes, the row-count triggers),
// and atlas.sum, the checksum of the directory. Apply brings a database up
// to date; Plan writes the next migration.
//
// The files are embedded in the binary. Each one is applied in a
// transaction of its own and recorded in the table wisselaar_migrations,
// so a failed migration leaves nothing half done.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"

	entmigrate "wisselaar/ent/migrate"
)

//go:embed *.sql atlas.sum
var files embed.FS

// Command is how a developer writes the next migration after changing the
// ent schema; error messages name it.
const Command = "go run ./migrations/gen NAME"

// Table records the migrations applied to a database.
const Table = "wisselaar_migrations"

// lockKey is the key of the advisory lock that lets one server at a time
// migrate a database.
const lockKey = 7_771_205_311

// Dir returns the embedded migration directory.
func Dir() (migrate.Dir, error) {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil, err
	}
	dir := &migrate.MemDir{}
	for _, e := range entries {
		b, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, err
		}
	}
	return dir, nil
}

// AheadError means the database holds migrations this binary does not
// know: a newer version of wisselaar migrated it. Starting would run code
// against a schema it was not written for.
type AheadError struct {
	// Versions are the unknown versions, oldest first.
	Versions []string
}

func (e *AheadError) Error() string {
	return fmt.Sprintf("the database is ahead of this wisselaar: it has migration(s) %s, which this version does not know "+
		"(a newer version migrated it); run that newer version, or restore a backup made before the upgrade",
		strings.Join(e.Versions, ", "))
}

// Applied is one migration in the database's record.
type Applied struct {
	Version, Description, Hash string
	// Baseline is true for the migration that was recorded, not run, on a
	// database made by the automatic migration of earlier versions.
	Baseline bool
}

// Apply brings the PostgreSQL database up to date with the migrations of
// dir (Dir() in production) and returns the versions it ran. It refuses,
// changing nothing, a database that is ahead (AheadError) or whose applied
// migrations were edited afterwards.
//
// A database whose tables were made by the automatic migration of earlier
// versions (the tables exist but no migration was ever recorded) is taken
// to be at the first migration, the baseline: that is recorded without
// running it, and the later ones run. Servers starting at once take turns
// (an advisory lock).
func Apply(ctx context.Context, db *sql.DB, dir migrate.Dir) ([]string, error) {
	if err := migrate.Validate(dir); err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	sum, err := dir.Checksum()
	if err != nil {
		return nil, err
	}
	all, err := dir.Files()
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, errors.New("migrations: none found")
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := lock(ctx, conn); err != nil {
		return nil, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockKey)

	var fresh, legacy bool
	if err := conn.QueryRowContext(ctx, `SELECT to_regclass($1) IS NULL, to_regclass('trajectories') IS NOT NULL`, Table).Scan(&fresh, &legacy); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+Table+` (
		version text PRIMARY KEY,
		description text NOT NULL,
		hash text NOT NULL,
		baseline boolean NOT NULL DEFAULT false,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	if fresh && legacy {
		first := all[0]
		h, _ := sum.SumByName(first.Name())
		if _, err := conn.ExecContext(ctx, `INSERT INTO `+Table+` (version, description, hash, baseline) VALUES ($1, $2, $3, true)`,
			first.Version(), first.Desc(), h); err != nil {
			return nil, fmt.Errorf("migrations: recording the baseline: %w", err)
		}
	}
	done, err := read(ctx, conn)
	if err != nil {
		return nil, err
	}
	known := map[string]migrate.File{}
	for _, f := range all {
		known[f.Version()] = f
	}
	var ahead []string
	for _, a := range done {
		f, ok := known[a.Version]
		if !ok {
			ahead = append(ahead, a.Version)
			continue
		}
		if h, _ := sum.SumByName(f.Name()); !a.Baseline && h != a.Hash {
			return nil, fmt.Errorf("migrations: %s was changed after it was applied to this database; "+
				"never edit an applied migration, write a new one (%s)", f.Name(), Command)
		}
	}
	if len(ahead) > 0 {
		return nil, &AheadError{Versions: ahead}
	}
	applied := map[string]bool{}
	for _, a := range done {
		applied[a.Version] = true
	}
	var ran []string
	for _, f := range all {
		if applied[f.Version()] {
			continue
		}
		h, _ := sum.SumByName(f.Name())
		if err := run(ctx, conn, f, h); err != nil {
			return ran, err
		}
		ran = append(ran, f.Version())
	}
	return ran, nil
}

// lock waits for the advisory lock, without lock_timeout ending the wait
// (another server may take a while to migrate).
func lock(ctx context.Context, conn *sql.Conn) error {
	for {
		var ok bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, lockKey).Scan(&ok); err != nil {
			return fmt.Errorf("migrations: %w", err)
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// run applies one file in a transaction and records it.
func run(ctx context.Context, conn *sql.Conn, f migrate.File, hash string) error {
	stmts, err := f.Stmts()
	if err != nil {
		return fmt.Errorf("migrations: reading %s: %w", f.Name(), err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// A migration may rewrite a large table: no statement timeout.
	if _, err := tx.ExecContext(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
		return err
	}
	for _, st := range stmts {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("migrations: %s: %w\n%s", f.Name(), err, st)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+Table+` (version, description, hash) VALUES ($1, $2, $3)`,
		f.Version(), f.Desc(), hash); err != nil {
		return err
	}
	return tx.Commit()
}

// Status returns the migrations recorded in the database, oldest first.
func Status(ctx context.Context, db *sql.DB) ([]Applied, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return read(ctx, conn)
}

func read(ctx context.Context, conn *sql.Conn) ([]Applied, error) {
	rows, err := conn.QueryContext(ctx, `SELECT version, description, hash, baseline FROM `+Table+` ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	defer rows.Close()
	var out []Applied
	for rows.Next() {
		var a Applied
		if err := rows.Scan(&a.Version, &a.Description, &a.Hash, &a.Baseline); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Plan writes into dir the migration named name that takes a database at
// the last migration of dir to the ent schema, and updates the checksum.
// It replays dir on dev, an empty PostgreSQL database used as scratch
// space, and compares the result with the ent schema. It returns the new
// file's name, or "" when dir already matches the ent schema.
//
// Tables that are not ent's (the row counts, the record of migrations,
// those of other tools) are left alone: the diff never drops a table,
// column or index (write such a change by hand, then run the generator
// with -hash).
func Plan(ctx context.Context, dev *sql.DB, dir migrate.Dir, name string) (string, error) {
	before, err := dir.Files()
	if err != nil {
		return "", err
	}
	m, err := schema.NewMigrate(entsql.OpenDB(dialect.Postgres, dev),
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dialect.Postgres),
		schema.WithFormatter(migrate.DefaultFormatter),
	)
	if err != nil {
		return "", err
	}
	if err := m.NamedDiff(ctx, name, entmigrate.Tables...); err != nil {
		return "", fmt.Errorf("migrations: %w", err)
	}
	after, err := dir.Files()
	if err != nil {
		return "", err
	}
	for _, f := range after {
		if !slices.ContainsFunc(before, func(b migrate.File) bool { return b.Name() == f.Name() }) {
			return f.Name(), nil
		}
	}
	return "", nil
}

// First returns the first n migrations of dir with their checksum file: the
// migrations a binary of that time had (for tests of upgrades).
func First(dir migrate.Dir, n int) (migrate.Dir, error) {
	files, err := dir.Files()
	if err != nil {
		return nil, err
	}
	if n > len(files) {
		return nil, fmt.Errorf("want the first %d migrations of %d", n, len(files))
	}
	out := &migrate.MemDir{}
	for _, f := range files[:n] {
		if err := out.WriteFile(f.Name(), f.Bytes()); err != nil {
			return nil, err
		}
	}
	return out, Rehash(out)
}

// Rehash rewrites the checksum file of dir, after a migration was edited
// by hand before it was ever applied.
func Rehash(dir migrate.Dir) error {
	sum, err := dir.Checksum()
	if err != nil {
		return err
	}
	return migrate.WriteSumFile(dir, sum)
}

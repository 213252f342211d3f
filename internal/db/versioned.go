package db

import (
	"context"
	"fmt"
	"log/slog"

	"entgo.io/ent/dialect"

	"wisselaar/migrations"
)

// ApplyMigrations runs the versioned migrations the PostgreSQL database
// has not had yet (see package migrations). A database ahead of this
// binary is refused with a *migrations.AheadError.
func ApplyMigrations(ctx context.Context, d *DB) error {
	if d.Dialect != dialect.Postgres {
		return fmt.Errorf("versioned migrations are for PostgreSQL; %s migrates from the ent schema", d.Dialect)
	}
	dir, err := migrations.Dir()
	if err != nil {
		return err
	}
	ran, err := migrations.Apply(ctx, d.SQL, dir)
	if len(ran) > 0 {
		slog.InfoContext(ctx, "migrations applied", "versions", ran)
	}
	return err
}

// CheckMigrations reports, changing nothing, whether the PostgreSQL
// database is exactly at the last migration this binary knows: for a
// server started with MIGRATE=false, which must neither run on a database
// that is behind (its queries would fail) nor on one that is ahead. The
// embedded SQLite database always passes.
func CheckMigrations(ctx context.Context, d *DB) error {
	if d.Dialect != dialect.Postgres {
		return nil
	}
	dir, err := migrations.Dir()
	if err != nil {
		return err
	}
	files, err := dir.Files()
	if err != nil {
		return err
	}
	applied, err := migrations.Status(ctx, d.SQL)
	if err != nil {
		return fmt.Errorf("%w (MIGRATE=false needs a database migrated by `wisselaar migrate`)", err)
	}
	known := map[string]bool{}
	for _, f := range files {
		known[f.Version()] = true
	}
	done := map[string]bool{}
	var ahead []string
	for _, a := range applied {
		done[a.Version] = true
		if !known[a.Version] {
			ahead = append(ahead, a.Version)
		}
	}
	if len(ahead) > 0 {
		return &migrations.AheadError{Versions: ahead}
	}
	for _, f := range files {
		if !done[f.Version()] {
			return fmt.Errorf("the database lacks migration %s: run `wisselaar migrate` (or start the server without MIGRATE=false)", f.Name())
		}
	}
	return nil
}

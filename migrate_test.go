package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	atlas "ariga.io/atlas/sql/migrate"

	"wisselaar/internal/db"
	"wisselaar/internal/pgtest"
	"wisselaar/internal/seed"
	"wisselaar/migrations"
)

// migrateCmd runs `wisselaar migrate` (or, with cmd "serve", the server)
// against dsn with env.
func migrateCmd(t *testing.T, cmd, dsn string, env map[string]string) error {
	t.Helper()
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return dsn
		}
		return env[k]
	}
	return run(t.Context(), []string{"wisselaar", cmd}, getenv, io.Discard)
}

// schemaOf describes what a database holds besides data: tables and
// columns, indexes, constraints, triggers and functions, as PostgreSQL
// prints them. The record of migrations and the job queue's tables (which
// have their own migrator) are left out.
func schemaOf(t *testing.T, dsn string) []string {
	t.Helper()
	d, err := db.Open(t.Context(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	const skip = `NOT IN ('` + migrations.Table + `') AND %[1]s NOT LIKE 'river%%'`
	queries := []string{
		`SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable || ' default=' || COALESCE(column_default, '') ||
			' identity=' || is_identity || COALESCE(' start=' || identity_start, '')
			FROM information_schema.columns WHERE table_schema = 'public' AND table_name ` + fmt.Sprintf(skip, "table_name"),
		`SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename ` + fmt.Sprintf(skip, "tablename"),
		`SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
			FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text ` + fmt.Sprintf(skip, "conrelid::regclass::text"),
		`SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal`,
		`SELECT 'function ' || pg_get_functiondef(p.oid) FROM pg_proc p WHERE pronamespace = 'public'::regnamespace AND proname NOT LIKE 'river%'`,
	}
	var out []string
	for _, q := range queries {
		rows, err := d.SQL.QueryContext(t.Context(), q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.Join(strings.Fields(s), " "))
		}
		rows.Close()
	}
	slices.Sort(out)
	return out
}

// TestMigrateEqualsEntSchema: a database made by `wisselaar migrate` (the
// versioned migrations) has the same tables, columns, indexes,
// constraints, triggers and functions as one made from the ent schema by
// the automatic migration (what the embedded SQLite run still uses).
func TestMigrateEqualsEntSchema(t *testing.T) {
	versioned := pgtest.NewDatabase(t)
	if err := migrateCmd(t, "migrate", versioned, nil); err != nil {
		t.Fatal(err)
	}
	auto := pgtest.NewDatabase(t)
	d, err := db.Open(t.Context(), auto, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MigrateFromEntSchema(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	d.Close()
	a, b := schemaOf(t, versioned), schemaOf(t, auto)
	if len(a) < 50 {
		t.Fatalf("suspiciously little schema: %v", a)
	}
	var diff []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			diff = append(diff, "only from the migrations: "+s)
		}
	}
	for _, s := range b {
		if !slices.Contains(a, s) {
			diff = append(diff, "only from the ent schema: "+s)
		}
	}
	if len(diff) > 0 {
		t.Fatalf("the migrations and the ent schema make different databases (write the missing migration with %s):\n%s",
			migrations.Command, strings.Join(diff, "\n"))
	}
}

// TestDatabaseAhead: a database migrated by a newer version (a migration
// this binary does not know) is refused by `wisselaar migrate` and by the
// server, with or without MIGRATE=false, and left as it was.
func TestDatabaseAhead(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	if err := migrateCmd(t, "migrate", dsn, nil); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(t.Context(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.SQL.Exec(`INSERT INTO ` + migrations.Table + ` (version, description, hash) VALUES ('29991231235959', 'from_the_future', 'h1:x')`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cmd string
		env map[string]string
	}{
		{"migrate", nil},
		{"serve", nil},
		{"serve", map[string]string{"MIGRATE": "false"}},
	} {
		err := migrateCmd(t, c.cmd, dsn, c.env)
		if err == nil || !strings.Contains(err.Error(), "the database is ahead of this wisselaar") || !strings.Contains(err.Error(), "29991231235959") {
			t.Errorf("%s %v: got %v, want a refusal naming the unknown migration", c.cmd, c.env, err)
		}
	}
	var n int
	d.SQL.QueryRow(`SELECT count(*) FROM ` + migrations.Table).Scan(&n)
	if files, _ := mustDir(t).Files(); n != len(files)+1 {
		t.Errorf("%d migrations recorded, want the %d known plus the unknown one", n, len(files))
	}
}

// TestMigrateFalseRefusesABehindDatabase: with MIGRATE=false the server
// does not migrate, and refuses a database that lacks migrations.
func TestMigrateFalseRefusesABehindDatabase(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	err := migrateCmd(t, "serve", dsn, map[string]string{"MIGRATE": "false"})
	if err == nil || !strings.Contains(err.Error(), "wisselaar migrate") {
		t.Fatalf("got %v, want a refusal that says to run wisselaar migrate", err)
	}
	d, err := db.Open(t.Context(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var tables int
	d.SQL.QueryRow(`SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'trajectories'`).Scan(&tables)
	if tables != 0 {
		t.Error("MIGRATE=false migrated the database")
	}
}

// TestMigrateBaselinesAnAutomaticallyMigratedDatabase: a database made by
// the automatic migration of earlier versions, with data, is taken to be
// at the first migration; `wisselaar migrate` records that and runs the
// later ones, keeping the data.
func TestMigrateBaselinesAnAutomaticallyMigratedDatabase(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	d, err := db.Open(t.Context(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// The schema the last automatically migrating release made: that of
	// the first two migrations (the ent schema, then search and row
	// counts), with no record of migrations.
	if _, err := migrations.Apply(t.Context(), d.SQL, firstMigrations(t, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := d.SQL.Exec(`DROP TABLE ` + migrations.Table); err != nil {
		t.Fatal(err)
	}
	// With the demo data, made by today's code, in the columns it has.
	demo, err := db.Open(t.Context(), pgtest.NewDatabase(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer demo.Close()
	if err := db.Migrate(t.Context(), demo); err != nil {
		t.Fatal(err)
	}
	if err := seed.Load(t.Context(), demo.Client); err != nil {
		t.Fatal(err)
	}
	pgtest.CopyRows(t, demo.SQL, d.SQL, migrations.Table, "row_counts")
	if _, err := d.SQL.Exec(`UPDATE row_counts SET n = (SELECT count(*) FROM trajectories) WHERE table_name = 'trajectories'`); err != nil {
		t.Fatal(err)
	}
	var before int
	d.SQL.QueryRow(`SELECT count(*) FROM grants`).Scan(&before)
	if err := migrateCmd(t, "migrate", dsn, nil); err != nil {
		t.Fatal(err)
	}
	applied, err := migrations.Status(t.Context(), d.SQL)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := mustDir(t).Files()
	if len(applied) != len(files) || !applied[0].Baseline || applied[0].Version != files[0].Version() || applied[1].Baseline {
		t.Fatalf("recorded %+v, want the first as baseline and the rest run", applied)
	}
	var after int
	d.SQL.QueryRow(`SELECT count(*) FROM grants`).Scan(&after)
	if before == 0 || after != before {
		t.Errorf("grants: %d before, %d after", before, after)
	}
	// The server starts on it with MIGRATE=false: nothing is missing.
	if err := db.CheckMigrations(t.Context(), d); err != nil {
		t.Error(err)
	}
}

// firstMigrations is a copy of the first n migrations with their
// checksum, as a binary of that time had them.
func firstMigrations(t *testing.T, n int) atlas.Dir {
	t.Helper()
	out, err := migrations.First(mustDir(t), n)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustDir(t *testing.T) atlas.Dir {
	t.Helper()
	dir, err := migrations.Dir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

package migrations_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"ariga.io/atlas/sql/migrate"
	_ "github.com/jackc/pgx/v5/stdlib"

	"wisselaar/internal/db"
	"wisselaar/internal/pgtest"
	"wisselaar/internal/seed"
	"wisselaar/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	conn, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func dir(t *testing.T) migrate.Dir {
	t.Helper()
	d, err := migrations.Dir()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// upTo returns a copy of the migrations up to and including the n-th,
// with its checksum, as a binary of that time had them.
func upTo(t *testing.T, n int) migrate.Dir {
	t.Helper()
	out, err := migrations.First(dir(t), n)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMigrationsMatchTheEntSchema replays the migrations on an empty
// database and compares the result with the ent schema: a change of the
// ent schema without its migration fails here.
func TestMigrationsMatchTheEntSchema(t *testing.T) {
	ctx := t.Context()
	d := dir(t)
	name, err := migrations.Plan(ctx, open(t, pgtest.NewDatabase(t)), d, "missing")
	if err != nil {
		t.Fatal(err)
	}
	if name != "" {
		f, _ := d.Files()
		t.Fatalf("the ent schema and the migrations in migrations/ differ; write the missing migration with\n\n\t%s\n\n"+
			"(NAME says what it does, e.g. add_audit_events) and commit it with migrations/atlas.sum. It would hold:\n%s",
			migrations.Command, string(f[len(f)-1].Bytes()))
	}

	t.Run("the check sees a difference", func(t *testing.T) {
		empty := &migrate.MemDir{}
		name, err := migrations.Plan(ctx, open(t, pgtest.NewDatabase(t)), empty, "everything")
		if err != nil {
			t.Fatal(err)
		}
		if name == "" {
			t.Fatal("no migration planned from an empty directory")
		}
		f, _ := empty.Files()
		if got := string(f[0].Bytes()); !strings.Contains(got, `CREATE TABLE "trajectories"`) {
			t.Fatalf("planned migration lacks the trajectories table:\n%s", got)
		}
	})
}

// demoData is a database of the latest schema with the demo data.
func demoData(t *testing.T) *db.DB {
	t.Helper()
	d, err := db.Open(t.Context(), pgtest.NewDatabase(t), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := migrations.Apply(t.Context(), d.SQL, dir(t)); err != nil {
		t.Fatal(err)
	}
	if err := seed.Load(t.Context(), d.Client); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestUpgradeWithData migrates a database to the first migration, fills
// it with the demo data, then applies the later migrations: the data is
// kept and what they add works on it.
func TestUpgradeWithData(t *testing.T) {
	ctx := t.Context()
	dsn := pgtest.NewDatabase(t)
	d, err := db.Open(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ran, err := migrations.Apply(ctx, d.SQL, upTo(t, 1))
	if err != nil || len(ran) != 1 {
		t.Fatalf("first migration: ran %v, %v", ran, err)
	}
	// The demo data, made by today's code in a database of today's schema,
	// copied into the columns the first migration has.
	demo := demoData(t)
	pgtest.CopyRows(t, demo.SQL, d.SQL, migrations.Table)
	tables := []string{"municipalities", "mentors", "calls", "offers", "needs", "trajectories", "grants", "payments", "time_entries"}
	before := counts(t, d.SQL, tables)
	if before["trajectories"] == 0 || before["grants"] == 0 {
		t.Fatalf("demo data too thin for the test: %v", before)
	}

	all, _ := dir(t).Files()
	ran, err = migrations.Apply(ctx, d.SQL, dir(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(ran) != len(all)-1 {
		t.Fatalf("ran %v, want the %d later migrations", ran, len(all)-1)
	}
	after := counts(t, d.SQL, tables)
	for _, table := range tables {
		if before[table] != after[table] {
			t.Errorf("%s: %d rows before the upgrade, %d after", table, before[table], after[table])
		}
	}
	// The row count of the trajectories was taken from the data there, and
	// the triggers keep it.
	var n int
	if err := d.SQL.QueryRowContext(ctx, `SELECT n FROM row_counts WHERE table_name = 'trajectories'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != before["trajectories"] {
		t.Errorf("row_counts says %d trajectories, the table has %d", n, before["trajectories"])
	}
	// A trajectory deleted (with what hangs on it, in a transaction that is
	// rolled back) is counted off.
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{
		`CREATE TEMP TABLE victim ON COMMIT DROP AS SELECT max(id) AS id FROM trajectories`,
		`DELETE FROM payments WHERE grant_id IN (SELECT id FROM grants WHERE trajectory_id IN (SELECT id FROM victim))`,
		`DELETE FROM grants WHERE trajectory_id IN (SELECT id FROM victim)`,
		`DELETE FROM time_entries WHERE trajectory_id IN (SELECT id FROM victim)`,
		`DELETE FROM documents WHERE trajectory_id IN (SELECT id FROM victim)`,
		`DELETE FROM assignments WHERE trajectory_id IN (SELECT id FROM victim)`,
		`DELETE FROM trajectory_themes WHERE trajectory_id IN (SELECT id FROM victim)`,
		`DELETE FROM trajectories WHERE id IN (SELECT id FROM victim)`,
	} {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT n FROM row_counts WHERE table_name = 'trajectories'`).Scan(&n); err != nil || n != before["trajectories"]-1 {
		t.Errorf("after a delete row_counts says %d, want %d (%v)", n, before["trajectories"]-1, err)
	}
	tx.Rollback()
	// Full-text search uses the new index over the old rows.
	var found int
	if err := d.SQL.QueryRowContext(ctx, `SELECT count(*) FROM trajectories
		WHERE to_tsvector('dutch', title || ' ' || description || ' ' || COALESCE(topics::text, '')) @@ websearch_to_tsquery('dutch', split_part((SELECT title FROM trajectories ORDER BY id LIMIT 1), ' ', 1))`).Scan(&found); err != nil || found == 0 {
		t.Errorf("search over the upgraded rows found %d (%v)", found, err)
	}
	var indexes int
	d.SQL.QueryRowContext(ctx, `SELECT count(*) FROM pg_indexes WHERE indexname IN ('offers_search', 'needs_search', 'trajectories_search', 'trajectories_search_texts')`).Scan(&indexes)
	if indexes != 4 {
		t.Errorf("%d of the 4 search indexes exist", indexes)
	}

	// Applying again changes nothing.
	if ran, err := migrations.Apply(ctx, d.SQL, dir(t)); err != nil || len(ran) != 0 {
		t.Errorf("second apply ran %v, %v", ran, err)
	}
}

func counts(t *testing.T, conn *sql.DB, tables []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range tables {
		var n int
		if err := conn.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// TestEditedMigrationRefused: a migration changed after it was applied is
// refused rather than silently skipped.
func TestEditedMigrationRefused(t *testing.T) {
	ctx := t.Context()
	conn := open(t, pgtest.NewDatabase(t))
	if _, err := migrations.Apply(ctx, conn, upTo(t, 1)); err != nil {
		t.Fatal(err)
	}
	edited := upTo(t, 1)
	f, _ := edited.Files()
	edited.WriteFile(f[0].Name(), append(f[0].Bytes(), []byte("\nCREATE TABLE sneaky (id int);\n")...))
	migrations.Rehash(edited)
	_, err := migrations.Apply(ctx, conn, edited)
	if err == nil || !strings.Contains(err.Error(), "was changed after it was applied") {
		t.Fatalf("got %v", err)
	}
	var ahead *migrations.AheadError
	if errors.As(err, &ahead) {
		t.Fatal("an edited migration is not a database ahead")
	}
}

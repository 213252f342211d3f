// Command gen writes the next versioned migration of the PostgreSQL schema
// into migrations/ from the ent schema, and updates migrations/atlas.sum.
// Run it from the module root after changing ent/schema (and go generate):
//
//	go run ./migrations/gen NAME
//
// NAME says what the migration does (add_audit_events). Nothing is written
// when the migrations already match the ent schema. The generator needs an
// empty PostgreSQL to replay the migrations on: DEV_DATABASE_URL, or else
// a throwaway server it starts and removes itself (as the tests do; the
// PostgreSQL server binaries must be installed).
//
//	go run ./migrations/gen -hash
//
// rewrites atlas.sum after hand-written statements were added to a
// migration that was never applied anywhere.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"

	"ariga.io/atlas/sql/migrate"
	_ "github.com/jackc/pgx/v5/stdlib"

	"wisselaar/internal/pgtest"
	"wisselaar/migrations"
)

func main() {
	hash := flag.Bool("hash", false, "only rewrite migrations/atlas.sum")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./migrations/gen NAME   (or -hash)")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := run(*hash, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(hash bool, args []string) error {
	dir, err := migrate.NewLocalDir("migrations")
	if err != nil {
		return fmt.Errorf("%w (run from the module root)", err)
	}
	if hash {
		return migrations.Rehash(dir)
	}
	if len(args) != 1 {
		flag.Usage()
		os.Exit(2)
	}
	url := os.Getenv("DEV_DATABASE_URL")
	if url == "" {
		var stop func() error
		if url, stop, err = pgtest.StartServer(); err != nil {
			return fmt.Errorf("starting a PostgreSQL to replay the migrations on (or set DEV_DATABASE_URL): %w", err)
		}
		defer stop()
	}
	dev, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer dev.Close()
	name, err := migrations.Plan(context.Background(), dev, dir, args[0])
	if err != nil {
		return err
	}
	if name == "" {
		fmt.Println("the migrations already match the ent schema: nothing written")
		return nil
	}
	fmt.Println("wrote migrations/" + name)
	return nil
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"wisselaar/domain"
	"wisselaar/internal/anonymise"
	"wisselaar/internal/db"
	"wisselaar/server"
)

// anonymiseCommand runs `wisselaar anonymise --before DATE`: it removes the
// personal data of the mentors of trajectories settled before DATE
// (package anonymise) and prints what it did. A date after today, or none,
// is refused before anything is opened.
func anonymiseCommand(ctx context.Context, cfg server.Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("anonymise", flag.ContinueOnError)
	fs.SetOutput(stdout)
	beforeFlag := fs.String("before", "", "anonymise the mentors of trajectories settled before this date (YYYY-MM-DD), at most today")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("anonymise: unexpected argument %q", fs.Arg(0))
	}
	if *beforeFlag == "" {
		return errors.New("anonymise: --before DATE is required (YYYY-MM-DD)")
	}
	before, err := domain.ParseDate(*beforeFlag)
	if err != nil {
		return fmt.Errorf("anonymise: --before: %w", err)
	}
	today := domain.BrusselsDate(time.Now())
	if err := domain.CheckAnonymiseBefore(before, today); err != nil {
		return fmt.Errorf("anonymise: --%w", err)
	}
	database, err := db.OpenWith(ctx, cfg.DatabaseURL, cfg.DataDir, db.Options{
		StatementTimeout: cfg.Database.StatementTimeout,
		LockTimeout:      cfg.Database.LockTimeout,
		MaxConns:         cfg.Database.MaxConns,
	})
	if err != nil {
		return err
	}
	defer database.Close()
	if err := db.Migrate(ctx, database); err != nil {
		return err
	}
	documents, err := server.OpenDocuments(ctx, cfg)
	if err != nil {
		return err
	}
	defer documents.Close()
	r, err := anonymise.Run(ctx, database.Client, documents, before, today)
	if err != nil {
		return fmt.Errorf("anonymise: %w", err)
	}
	fmt.Fprintf(stdout, "anonymise: %d settled trajectories ended before %s; %d mentors anonymised, %d kept (still in an open trajectory or offer), %d salary records deleted, %d calculations without salary lines, %d documents emptied\n",
		r.Trajectories, before.Format("2006-01-02"), r.Mentors, r.Kept, r.Salaries, r.Calculations, r.Documents)
	return nil
}

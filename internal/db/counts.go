package db

import (
	"context"
	"database/sql"
	"fmt"

	"entgo.io/ent/dialect"
)

// RowCountsTable holds the exact number of rows of the tables whose total
// is asked often (the trajectories: every list of the portal shows its
// totalCount), kept by triggers in the same transaction as every insert
// and delete. Reading one row replaces counting the table, for viewers who
// read every row.
const RowCountsTable = "row_counts"

// installRowCounts creates the table and the triggers, and recounts.
func installRowCounts(ctx context.Context, conn *sql.DB, d string) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var statements []string
	if d == dialect.Postgres {
		statements = []string{
			// Self-exclusive: replicas migrating at once take turns, and no
			// insert slips between the recount and the triggers.
			`LOCK TABLE trajectories IN SHARE ROW EXCLUSIVE MODE`,
			`CREATE TABLE IF NOT EXISTS row_counts (table_name text PRIMARY KEY, n bigint NOT NULL)`,
			`CREATE OR REPLACE FUNCTION row_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF TG_OP = 'INSERT' THEN
					UPDATE row_counts SET n = n + (SELECT count(*) FROM new_rows) WHERE table_name = TG_TABLE_NAME;
				ELSIF TG_OP = 'DELETE' THEN
					UPDATE row_counts SET n = n - (SELECT count(*) FROM old_rows) WHERE table_name = TG_TABLE_NAME;
				ELSE
					UPDATE row_counts SET n = 0 WHERE table_name = TG_TABLE_NAME;
				END IF;
				RETURN NULL;
			END $$`,
			`CREATE OR REPLACE TRIGGER trajectories_count_insert AFTER INSERT ON trajectories
				REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION row_counts_apply()`,
			`CREATE OR REPLACE TRIGGER trajectories_count_delete AFTER DELETE ON trajectories
				REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION row_counts_apply()`,
			`CREATE OR REPLACE TRIGGER trajectories_count_truncate AFTER TRUNCATE ON trajectories
				FOR EACH STATEMENT EXECUTE FUNCTION row_counts_apply()`,
		}
	} else {
		statements = []string{
			`CREATE TABLE IF NOT EXISTS row_counts (table_name TEXT PRIMARY KEY, n INTEGER NOT NULL)`,
			`CREATE TRIGGER IF NOT EXISTS trajectories_count_insert AFTER INSERT ON trajectories
				BEGIN UPDATE row_counts SET n = n + 1 WHERE table_name = 'trajectories'; END`,
			`CREATE TRIGGER IF NOT EXISTS trajectories_count_delete AFTER DELETE ON trajectories
				BEGIN UPDATE row_counts SET n = n - 1 WHERE table_name = 'trajectories'; END`,
		}
	}
	// "WHERE true" tells SQLite's parser that ON CONFLICT belongs to the
	// INSERT, not to a join.
	statements = append(statements, `INSERT INTO row_counts (table_name, n) SELECT 'trajectories', count(*) FROM trajectories WHERE true
		ON CONFLICT (table_name) DO UPDATE SET n = excluded.n`)
	for _, st := range statements {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("row counts: %w", err)
		}
	}
	return tx.Commit()
}

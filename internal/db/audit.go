package db

import (
	"context"
	"database/sql"
	"fmt"

	"entgo.io/ent/dialect"
)

// installAuditGuard makes the audit trail append-only in the database
// itself, beneath the application: a trigger refuses every UPDATE, DELETE
// and TRUNCATE of audit_events, whoever sends it. The statements are
// idempotent and run at every migration.
func installAuditGuard(ctx context.Context, conn *sql.DB, d string) error {
	var statements []string
	if d == dialect.Postgres {
		statements = []string{
			`CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				RAISE EXCEPTION 'the audit trail is append-only: % on audit_events refused', TG_OP
					USING ERRCODE = 'insufficient_privilege';
			END $$`,
			`CREATE OR REPLACE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
				FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
			`CREATE OR REPLACE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
				FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`,
		}
	} else {
		statements = []string{
			`CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events
				BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE on audit_events refused'); END`,
			`CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events
				BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE on audit_events refused'); END`,
		}
	}
	for _, st := range statements {
		if _, err := conn.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("audit trail guard: %w", err)
		}
	}
	return nil
}

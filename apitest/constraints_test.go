package apitest

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"wisselaar/domain"
	"wisselaar/ent/municipality"
	"wisselaar/ent/viewer"
	"wisselaar/graph"
	"wisselaar/internal/db"
)

// TestDatabaseRefusesBadValues checks that the rules on identifiers,
// parties, amounts and periods hold in the database itself, for any write
// path, and that the error presenter names the field at fault.
func TestDatabaseRefusesBadValues(t *testing.T) {
	present := graph.ErrorPresenter(slog.New(slog.NewTextHandler(io.Discard, nil)))
	databases(t, func(t *testing.T, d *db.DB) {
		ctx := viewer.SystemContext(context.Background())
		c := d.Client
		mechelen := c.Municipality.Query().Where(municipality.NisCode("12025")).OnlyX(ctx)
		leuven := c.Municipality.Query().Where(municipality.NisCode("24062")).OnlyX(ctx)
		call := c.Call.Query().FirstX(ctx)
		count := func() int {
			return c.Municipality.Query().CountX(ctx) + c.Trajectory.Query().CountX(ctx) + c.Call.Query().CountX(ctx)
		}
		before := count()
		day := domain.NewDate

		tests := []struct {
			name, sql, field string
			args             []any
		}{
			{"NIS code not 5 digits", `INSERT INTO municipalities (nis_code, name, province, created_at, updated_at) VALUES ($1, 'X', 'LIMBURG', $2, $2)`, "nisCode", []any{"1202a", time.Now()}},
			{"NIS code too long", `INSERT INTO municipalities (nis_code, name, province, created_at, updated_at) VALUES ($1, 'X', 'LIMBURG', $2, $2)`, "nisCode", []any{"120255", time.Now()}},
			{"negative budget", `INSERT INTO calls (name, year, opens_at, closes_at, budget, per_project_cap, compensation_percent, created_at, updated_at) VALUES ('X', 2030, $1, $2, -1, 100, 50, $1, $1)`, "budget", []any{day(2030, 1, 1), day(2030, 2, 1)}},
			{"window closing before it opens", `INSERT INTO calls (name, year, opens_at, closes_at, budget, per_project_cap, compensation_percent, created_at, updated_at) VALUES ('X', 2030, $1, $2, 1, 1, 50, $1, $1)`, "closesAt", []any{day(2030, 2, 1), day(2030, 1, 1)}},
			{"giving = receiving", `INSERT INTO trajectories (title, description, form, status, planned_start, planned_end, giving_id, receiving_id, call_id, created_at, updated_at) VALUES ('X', '', 'MENTORING', 'MATCHED', $1, $2, $3, $3, $4, $5, $5)`, "receivingID", []any{day(2030, 1, 1), day(2030, 2, 1), mechelen.ID, call.ID, time.Now()}},
			{"end before start", `INSERT INTO trajectories (title, description, form, status, planned_start, planned_end, giving_id, receiving_id, call_id, created_at, updated_at) VALUES ('X', '', 'MENTORING', 'MATCHED', $1, $2, $3, $4, $5, $6, $6)`, "plannedEnd", []any{day(2030, 2, 1), day(2030, 1, 1), mechelen.ID, leuven.ID, call.ID, time.Now()}},
		}
		for _, tt := range tests {
			_, err := d.SQL.ExecContext(ctx, tt.sql, tt.args...)
			if err == nil {
				t.Errorf("%s: the database accepted it", tt.name)
				continue
			}
			got := present(ctx, err)
			if got.Extensions["code"] != "BAD_USER_INPUT" || got.Extensions["field"] != tt.field {
				t.Errorf("%s: presented as %v (%v), want BAD_USER_INPUT on %s", tt.name, got.Extensions, err, tt.field)
			}
		}

		// The same mistakes through ent are caught by validation before
		// they reach the database.
		_, err := c.Municipality.Create().SetNisCode("1202").SetName("X").SetProvince(municipality.ProvinceLimburg).Save(ctx)
		if got := present(ctx, err); got.Extensions["code"] != "BAD_USER_INPUT" || got.Extensions["field"] != "nisCode" {
			t.Errorf("ent validation: presented as %v", got.Extensions)
		}
		if after := count(); after != before {
			t.Errorf("rows changed from %d to %d", before, after)
		}
	})
}

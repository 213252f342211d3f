package report

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"wisselaar/ent"
	"wisselaar/ent/trajectory"
	"wisselaar/internal/db"
)

// TrajectoryTotal is the number of trajectories, read from the row counts
// the database keeps (db.RowCountsTable) instead of counting the table.
// It is every trajectory: only for a viewer who reads them all, without a
// filter.
func TrajectoryTotal(ctx context.Context, client *ent.Client) (int, error) {
	var rows []struct {
		N int `json:"n"`
	}
	// Through the trajectory query, so that its privacy policy still runs
	// (a viewer who may not list trajectories gets its refusal); for a
	// viewer who reads them all it adds no condition.
	err := client.Trajectory.Query().Modify(func(s *sql.Selector) {
		t := sql.Table(db.RowCountsTable)
		s.From(t).Select(t.C("n")).Where(sql.EQ(t.C("table_name"), trajectory.Table))
	}).Scan(ctx, &rows)
	if err != nil || len(rows) != 1 {
		return 0, err
	}
	return rows[0].N, nil
}

package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"wisselaar/ent"
	"wisselaar/ent/rule"
	"wisselaar/ent/viewer"
	"wisselaar/internal/report"
)

// cheapTotal reports whether the trajectories connection being resolved
// may take its totalCount from the database's row count instead of a
// COUNT over the table: the viewer reads every trajectory, nothing filters
// them, and pageInfo is not asked (the pager derives it from its own
// count). Then it returns a context in which the pager does not see
// totalCount, so it does not count.
func cheapTotal(ctx context.Context, filtered bool) (context.Context, bool) {
	fc := graphql.GetFieldContext(ctx)
	if filtered || fc == nil || !rule.ReadableTrajectories(viewer.FromContext(ctx)).All() {
		return ctx, false
	}
	total := false
	selections := make(ast.SelectionSet, 0, len(fc.Field.Selections))
	for _, s := range fc.Field.Selections {
		f, ok := s.(*ast.Field)
		switch {
		case !ok:
			return ctx, false // a fragment: keep the general path
		case f.Name == "pageInfo":
			return ctx, false
		case f.Name == "totalCount":
			total = true
		default:
			selections = append(selections, s)
		}
	}
	if !total {
		return ctx, false
	}
	cp := *fc
	cp.Field.Selections = selections
	parent := fc.Parent
	ctx = graphql.WithFieldContext(ctx, &cp)
	cp.Parent = parent
	return ctx, true
}

// trajectoryPage is Paginate with the cheap total where cheapTotal allows it.
func trajectoryPage(ctx context.Context, client *ent.Client, filtered bool,
	page func(context.Context) (*ent.TrajectoryConnection, error)) (*ent.TrajectoryConnection, error) {
	pageCtx, cheap := cheapTotal(ctx, filtered)
	conn, err := page(pageCtx)
	if err != nil || !cheap {
		return conn, err
	}
	if conn.TotalCount, err = report.TrajectoryTotal(ctx, client); err != nil {
		return nil, err
	}
	return conn, nil
}

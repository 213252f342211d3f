package search

import (
	"context"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect/sql"

	"wisselaar/ent"
	"wisselaar/ent/need"
	"wisselaar/ent/offer"
	"wisselaar/ent/trajectory"
	"wisselaar/internal/apierr"
)

// Search results come most relevant first. Relevance is computed in the
// query, so it is no column a list could be ordered and paged by the usual
// way; instead the IDs and relevance of all matches (at most MaxHits) are
// read in one query, the page is cut from them by Relay's arguments, and
// the page's rows are then read as any list's (with their edges, and the
// privacy rules once more). A cursor holds the row's ID and relevance.

// MaxHits bounds the matches of one search: the most relevant MaxHits.
const MaxHits = 10_000

// Hit is a match: a row's ID and its relevance, higher is better.
type Hit struct {
	ID   int     `json:"id"`
	Rank float64 `json:"rank"`
}

// scanner is ent's selection of a query (TrajectorySelect, ...).
type scanner interface {
	Scan(context.Context, any) error
}

// ranked reads the IDs and relevance of the rows a query selects, most
// relevant first (then by ID), at most MaxHits. modify is the query's Modify
// method: the query is already narrowed by the privacy rules, the client's
// filter and the search predicate.
func ranked[S scanner](ctx context.Context, modify func(...func(*sql.Selector)) S, rank func(*sql.Selector) sql.Querier) ([]Hit, error) {
	var hits []Hit
	err := modify(func(s *sql.Selector) {
		s.Select(s.C("id")).
			AppendSelectExprAs(rank(s), "rank").
			OrderExpr(sql.Expr("rank DESC")).
			OrderBy(s.C("id")).
			Limit(MaxHits)
	}).Scan(ctx, &hits)
	return hits, err
}

// page cuts the page Relay's arguments ask for from hits, in their order,
// and says whether hits were left out after it (first) or before it
// (last), as entgql's own pages do.
func page(hits []Hit, after, before *ent.Cursor, first, last *int) (out []Hit, hasPrev, hasNext bool, err error) {
	from, to := 0, len(hits)
	if after != nil {
		i, err := position(hits, after, "after")
		if err != nil {
			return nil, false, false, err
		}
		from = i + 1
	}
	if before != nil {
		i, err := position(hits, before, "before")
		if err != nil {
			return nil, false, false, err
		}
		to = i
	}
	if from > to {
		from = to
	}
	out = hits[from:to]
	if first != nil && len(out) > *first {
		out, hasNext = out[:*first], true
	}
	if last != nil && len(out) > *last {
		out, hasPrev = out[len(out)-*last:], true
	}
	return out, hasPrev, hasNext, nil
}

// position returns the index of the hit a cursor points at: by its ID, or,
// when that row no longer matches, where its relevance and ID would stand.
func position(hits []Hit, c *ent.Cursor, arg string) (int, error) {
	for i, h := range hits {
		if h.ID == c.ID {
			return i, nil
		}
	}
	rank, ok := c.Value.(float64)
	if !ok {
		return 0, apierr.BadInput(arg, "%s is not a cursor of this search", arg)
	}
	for i, h := range hits {
		if h.Rank < rank || h.Rank == rank && h.ID > c.ID {
			return i - 1, nil
		}
	}
	return len(hits) - 1, nil
}

func cursorOf(h Hit) ent.Cursor { return ent.Cursor{ID: h.ID, Value: h.Rank} }

func idsOf(hits []Hit) []int {
	ids := make([]int, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

func pageInfo[E any](edges []E, cursor func(E) ent.Cursor, hasPrev, hasNext bool) entgql.PageInfo[int] {
	info := entgql.PageInfo[int]{HasPreviousPage: hasPrev, HasNextPage: hasNext}
	if len(edges) > 0 {
		start, end := cursor(edges[0]), cursor(edges[len(edges)-1])
		info.StartCursor, info.EndCursor = &start, &end
	}
	return info
}

// order puts the edges of a loaded page in the hits' order, with the hits'
// cursors; rows the second read did not return are left out.
func order[E any](hits []Hit, edges []E, id func(E) int, setCursor func(E, ent.Cursor)) []E {
	byID := make(map[int]E, len(edges))
	for _, e := range edges {
		byID[id(e)] = e
	}
	out := make([]E, 0, len(hits))
	for _, h := range hits {
		if e, ok := byID[h.ID]; ok {
			setCursor(e, cursorOf(h))
			out = append(out, e)
		}
	}
	return out
}

// TrajectoryConnection is the page of trajectories that match search among
// those query selects (the viewer's, with the client's filter), most
// relevant first. client reads the page's rows with their edges.
func TrajectoryConnection(ctx context.Context, client *ent.Client, query *ent.TrajectoryQuery, search string,
	after *ent.Cursor, first *int, before *ent.Cursor, last *int) (*ent.TrajectoryConnection, error) {
	match, rank := Trajectories(ctx, search)
	hits, err := ranked(ctx, query.Where(match).Modify, rank)
	if err != nil {
		return nil, err
	}
	pg, hasPrev, hasNext, err := page(hits, after, before, first, last)
	if err != nil {
		return nil, err
	}
	n := len(pg)
	conn, err := client.Trajectory.Query().Where(trajectory.IDIn(idsOf(pg)...)).Paginate(ctx, nil, &n, nil, nil)
	if err != nil {
		return nil, err
	}
	conn.Edges = order(pg, conn.Edges, func(e *ent.TrajectoryEdge) int { return e.Node.ID },
		func(e *ent.TrajectoryEdge, c ent.Cursor) { e.Cursor = c })
	conn.TotalCount = len(hits)
	conn.PageInfo = pageInfo(conn.Edges, func(e *ent.TrajectoryEdge) ent.Cursor { return e.Cursor }, hasPrev, hasNext)
	return conn, nil
}

// OfferConnection is TrajectoryConnection for offers.
func OfferConnection(ctx context.Context, client *ent.Client, query *ent.OfferQuery, search string,
	after *ent.Cursor, first *int, before *ent.Cursor, last *int) (*ent.OfferConnection, error) {
	match, rank := Offers(search)
	hits, err := ranked(ctx, query.Where(match).Modify, rank)
	if err != nil {
		return nil, err
	}
	pg, hasPrev, hasNext, err := page(hits, after, before, first, last)
	if err != nil {
		return nil, err
	}
	n := len(pg)
	conn, err := client.Offer.Query().Where(offer.IDIn(idsOf(pg)...)).Paginate(ctx, nil, &n, nil, nil)
	if err != nil {
		return nil, err
	}
	conn.Edges = order(pg, conn.Edges, func(e *ent.OfferEdge) int { return e.Node.ID },
		func(e *ent.OfferEdge, c ent.Cursor) { e.Cursor = c })
	conn.TotalCount = len(hits)
	conn.PageInfo = pageInfo(conn.Edges, func(e *ent.OfferEdge) ent.Cursor { return e.Cursor }, hasPrev, hasNext)
	return conn, nil
}

// NeedConnection is TrajectoryConnection for needs.
func NeedConnection(ctx context.Context, client *ent.Client, query *ent.NeedQuery, search string,
	after *ent.Cursor, first *int, before *ent.Cursor, last *int) (*ent.NeedConnection, error) {
	match, rank := Needs(search)
	hits, err := ranked(ctx, query.Where(match).Modify, rank)
	if err != nil {
		return nil, err
	}
	pg, hasPrev, hasNext, err := page(hits, after, before, first, last)
	if err != nil {
		return nil, err
	}
	n := len(pg)
	conn, err := client.Need.Query().Where(need.IDIn(idsOf(pg)...)).Paginate(ctx, nil, &n, nil, nil)
	if err != nil {
		return nil, err
	}
	conn.Edges = order(pg, conn.Edges, func(e *ent.NeedEdge) int { return e.Node.ID },
		func(e *ent.NeedEdge, c ent.Cursor) { e.Cursor = c })
	conn.TotalCount = len(hits)
	conn.PageInfo = pageInfo(conn.Edges, func(e *ent.NeedEdge) ent.Cursor { return e.Cursor }, hasPrev, hasNext)
	return conn, nil
}

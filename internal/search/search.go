// Package search is the full-text search of offers, needs and trajectories
// in Dutch: the search argument of the offers, needs and trajectories lists.
//
// In PostgreSQL it is PostgreSQL's own full-text search with the dutch
// configuration (Snowball's Dutch stemmer: "uithuiszettingen" finds
// "uithuiszetting"), websearch syntax for the query ("a b" both words, "a or
// b", "-a", "\"a b\"" a phrase), ts_rank for relevance, and a GIN index on
// each searched text (Install). In the embedded SQLite database it is
// SQLite's FTS5, fed by triggers: the query's words are reduced to their
// stems by domain.SearchWords and matched as word beginnings, and bm25 ranks.
//
// Only text the viewer may read can match: a trajectory's action plan,
// evaluation report and decline reason are searched only for viewers who may
// read them (rule.TrajectoryTextsReadable); what lists the viewer may read
// at all is decided by the privacy policies, as for any query.
package search

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"strings"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"wisselaar/domain"
	"wisselaar/ent/need"
	"wisselaar/ent/offer"
	"wisselaar/ent/predicate"
	"wisselaar/ent/rule"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
)

// A searchable text: the SQL expression of the document in PostgreSQL, and
// the FTS5 table and column that hold it in SQLite.
type text struct {
	table  string // the searched table
	doc    string // PostgreSQL: the document, over the table's columns
	index  string // PostgreSQL: the GIN index on to_tsvector('dutch', doc)
	fts    string // SQLite: the FTS5 table, rowid = the row's id
	column string // SQLite: its column
	// fill is the SQLite expression of the column over a row, as new.*
	// in triggers.
	fill string
}

var (
	offerText = text{
		table: offer.Table, doc: "description || ' ' || COALESCE(topics::text, '')", index: "offers_search",
		fts: "offers_fts", column: "doc", fill: "%[1]sdescription || ' ' || COALESCE(%[1]stopics, '')",
	}
	needText = text{
		table: need.Table, doc: "description || ' ' || COALESCE(topics::text, '')", index: "needs_search",
		fts: "needs_fts", column: "doc", fill: "%[1]sdescription || ' ' || COALESCE(%[1]stopics, '')",
	}
	// A trajectory's facts, read by whoever reads the trajectory.
	trajectoryText = text{
		table: trajectory.Table, doc: "title || ' ' || description || ' ' || COALESCE(topics::text, '')", index: "trajectories_search",
		fts: "trajectories_fts", column: "facts", fill: "%[1]stitle || ' ' || %[1]sdescription || ' ' || COALESCE(%[1]stopics, '')",
	}
	// A trajectory's texts, read by its parties, the coordinator and the
	// ministry only.
	trajectoryTexts = text{
		table: trajectory.Table, doc: "COALESCE(action_plan, '') || ' ' || COALESCE(evaluation_report, '') || ' ' || COALESCE(decline_reason, '')",
		index: "trajectories_search_texts", fts: "trajectories_fts", column: "texts",
		fill: "COALESCE(%[1]saction_plan, '') || ' ' || COALESCE(%[1]sevaluation_report, '') || ' ' || COALESCE(%[1]sdecline_reason, '')",
	}
)

// query is a search as each database wants it.
type query struct {
	pg  string // websearch_to_tsquery syntax
	fts string // FTS5 words, as word beginnings; "" when no word is left
}

func parse(s string) query {
	var words []string
	for _, w := range domain.SearchWords(s) {
		words = append(words, `"`+strings.ReplaceAll(w, `"`, "")+`"*`)
	}
	return query{pg: strings.TrimSpace(s), fts: strings.Join(words, " ")}
}

// matches is the predicate that doc matches q, on selector s (whose table
// is the searched one).
func (t text) matches(s *sql.Selector, q query) *sql.Predicate {
	if s.Dialect() == dialect.Postgres {
		return sql.P(func(b *sql.Builder) {
			b.WriteString("to_tsvector('dutch', " + qualify(s, t.doc) + ") @@ websearch_to_tsquery('dutch', ").Arg(q.pg).WriteString(")")
		})
	}
	if q.fts == "" {
		return sql.False()
	}
	return sql.P(func(b *sql.Builder) {
		b.WriteString(s.C("id") + " IN (SELECT rowid FROM " + t.fts + " WHERE " + t.fts + " MATCH ").
			Arg(t.column + " : (" + q.fts + ")").WriteString(")")
	})
}

// rank is the expression of doc's relevance for q, higher is better.
func (t text) rank(s *sql.Selector, q query) sql.Querier {
	if s.Dialect() == dialect.Postgres {
		return sql.ExprFunc(func(b *sql.Builder) {
			b.WriteString("ts_rank(to_tsvector('dutch', " + qualify(s, t.doc) + "), websearch_to_tsquery('dutch', ").Arg(q.pg).WriteString("))")
		})
	}
	if q.fts == "" {
		return sql.Expr("0")
	}
	return sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("COALESCE((SELECT -bm25(" + t.fts + ") FROM " + t.fts + " WHERE " + t.fts + " MATCH ").
			Arg(t.column + " : (" + q.fts + ")").
			WriteString(" AND rowid = " + s.C("id") + "), 0)")
	})
}

// qualify prefixes the bare column names of a document expression with the
// selector's table, so that the expression stays unambiguous in joins.
func qualify(s *sql.Selector, doc string) string {
	for _, col := range []string{"description", "topics", "title", "action_plan", "evaluation_report", "decline_reason"} {
		doc = replaceWord(doc, col, s.C(col))
	}
	return doc
}

// replaceWord replaces the whole word w in s.
func replaceWord(s, w, by string) string {
	var out strings.Builder
	for {
		i := strings.Index(s, w)
		if i < 0 {
			out.WriteString(s)
			return out.String()
		}
		before := i == 0 || !isWordByte(s[i-1])
		after := i+len(w) == len(s) || !isWordByte(s[i+len(w)])
		out.WriteString(s[:i])
		if before && after {
			out.WriteString(by)
		} else {
			out.WriteString(w)
		}
		s = s[i+len(w):]
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// Offers is the predicate of the offers whose description or topics match
// the search, and the expression of their relevance.
func Offers(search string) (predicate.Offer, func(*sql.Selector) sql.Querier) {
	q := parse(search)
	return func(s *sql.Selector) { s.Where(offerText.matches(s, q)) },
		func(s *sql.Selector) sql.Querier { return offerText.rank(s, q) }
}

// Needs is the predicate of the needs whose description or topics match
// the search, and the expression of their relevance.
func Needs(search string) (predicate.Need, func(*sql.Selector) sql.Querier) {
	q := parse(search)
	return func(s *sql.Selector) { s.Where(needText.matches(s, q)) },
		func(s *sql.Selector) sql.Querier { return needText.rank(s, q) }
}

// Trajectories is the predicate of the trajectories whose title,
// description or topics match the search, or whose texts do when the viewer
// in ctx may read them, and the expression of their relevance.
func Trajectories(ctx context.Context, search string) (predicate.Trajectory, func(*sql.Selector) sql.Querier) {
	q := parse(search)
	readable := rule.TrajectoryTextsReadable(viewer.FromContext(ctx))
	match := func(s *sql.Selector) {
		facts := trajectoryText.matches(s, q)
		private := trajectoryTexts.matches(s, q)
		s.Where(sql.Or(facts, sql.And(textsReadable(s, readable), private)))
	}
	rank := func(s *sql.Selector) sql.Querier {
		return sql.ExprFunc(func(b *sql.Builder) {
			b.Join(trajectoryText.rank(s, q)).WriteString(" + CASE WHEN ")
			b.Join(textsReadable(s, readable)).WriteString(" THEN ")
			b.Join(trajectoryTexts.rank(s, q)).WriteString(" ELSE 0 END")
		})
	}
	return match, rank
}

// textsReadable turns the predicate of the trajectories whose texts the
// viewer may read into an SQL condition on selector s's row.
func textsReadable(s *sql.Selector, readable predicate.Trajectory) *sql.Predicate {
	if readable == nil {
		return sql.P(func(b *sql.Builder) { b.WriteString("1 = 1") })
	}
	sub := sql.Dialect(s.Dialect()).Select(sql.Table(trajectory.Table).As("tt").C("id")).From(sql.Table(trajectory.Table).As("tt"))
	sub.WithContext(s.Context())
	readable(sub)
	return sql.In(s.C("id"), sub)
}

// Install creates what search needs that the schema migration does not: in
// PostgreSQL the GIN index of each searched text, in SQLite the FTS5 tables
// and the triggers that keep them in step with their tables (and fills them
// for rows that exist already). Idempotent: it runs after every migration.
func Install(ctx context.Context, db *stdsql.DB, d string) error {
	for _, st := range statements(d) {
		if _, err := db.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	}
	return nil
}

// statements returns the statements Install runs for the dialect.
func statements(d string) []string {
	if d == dialect.Postgres {
		var out []string
		for _, t := range []text{offerText, needText, trajectoryText, trajectoryTexts} {
			out = append(out, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s USING GIN (to_tsvector('dutch', %s))", t.index, t.table, t.doc))
		}
		return out
	}
	var out []string
	for _, g := range []struct {
		fts, table string
		cols       []text
	}{
		{offerText.fts, offer.Table, []text{offerText}},
		{needText.fts, need.Table, []text{needText}},
		{trajectoryText.fts, trajectory.Table, []text{trajectoryText, trajectoryTexts}},
	} {
		var names, news, olds []string
		for _, c := range g.cols {
			names = append(names, c.column)
			news = append(news, fmt.Sprintf(c.fill, "new."))
			olds = append(olds, fmt.Sprintf(c.fill, ""))
		}
		cols := strings.Join(names, ", ")
		out = append(out,
			fmt.Sprintf("CREATE VIRTUAL TABLE IF NOT EXISTS %s USING fts5(%s, tokenize = 'unicode61 remove_diacritics 2')", g.fts, cols),
			fmt.Sprintf("CREATE TRIGGER IF NOT EXISTS %[1]s_insert AFTER INSERT ON %[2]s BEGIN INSERT INTO %[1]s(rowid, %[3]s) VALUES (new.id, %[4]s); END",
				g.fts, g.table, cols, strings.Join(news, ", ")),
			fmt.Sprintf("CREATE TRIGGER IF NOT EXISTS %[1]s_update AFTER UPDATE ON %[2]s BEGIN DELETE FROM %[1]s WHERE rowid = old.id; INSERT INTO %[1]s(rowid, %[3]s) VALUES (new.id, %[4]s); END",
				g.fts, g.table, cols, strings.Join(news, ", ")),
			fmt.Sprintf("CREATE TRIGGER IF NOT EXISTS %[1]s_delete AFTER DELETE ON %[2]s BEGIN DELETE FROM %[1]s WHERE rowid = old.id; END", g.fts, g.table),
			fmt.Sprintf("INSERT INTO %[1]s(rowid, %[3]s) SELECT id, %[4]s FROM %[2]s WHERE id NOT IN (SELECT rowid FROM %[1]s)",
				g.fts, g.table, cols, strings.Join(olds, ", ")),
		)
	}
	return out
}

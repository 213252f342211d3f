package graph

import (
	"context"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/vektah/gqlparser/v2"
)

// cost prices query as the cost limit does.
func cost(t *testing.T, query string) int {
	t.Helper()
	es := NewSchema(nil)
	doc, errs := gqlparser.LoadQuery(es.Schema(), query)
	if errs != nil {
		t.Fatalf("%s: %v", query, errs)
	}
	return complexity.Calculate(context.Background(), es, doc.Operations[0], nil)
}

func TestAggregatesCostTheirSQL(t *testing.T) {
	if c := cost(t, `{ grantStatistics(groupBy: [YEAR]) { count } }`); c < StatisticsCost {
		t.Errorf("grantStatistics costs %d, want at least %d", c, StatisticsCost)
	}
	if c := cost(t, `{ calls(first: 10) { edges { node { budgetStatus { remaining } } } } }`); c < 10*BudgetStatusCost {
		t.Errorf("ten budget statuses cost %d, want at least %d", c, 10*BudgetStatusCost)
	}
	if c := cost(t, `{ calls(first: 10) { edges { node { name } } } }`); c > 100 {
		t.Errorf("ten call names cost %d", c)
	}
}

// TestNestedPagesDoNotOverflow prices pages of 500 nested eight deep
// (500^8 does not fit in an int64): the cost must stay over the limit,
// not wrap round to a small or negative number.
func TestNestedPagesDoNotOverflow(t *testing.T) {
	q := "id"
	for range 8 {
		q = "givingTrajectories(first: 500) { edges { node { giving { " + q + " } } } }"
	}
	q = `{ node(id: "x") { ... on Municipality { ` + q + ` } } }`
	if c := cost(t, q); c <= MaxComplexity {
		t.Errorf("eight nested pages of 500 cost %d", c)
	}
	if c := cost(t, strings.Replace(q, "500", "1", -1)); c > 100 {
		t.Errorf("eight nested pages of 1 cost %d", c)
	}
	// A product that wraps round in int would be 1 here.
	four := 4
	if c := pageCost(1<<62, &four, nil); c <= MaxComplexity {
		t.Errorf("four elements of cost 2^62 cost %d", c)
	}
	if c := list(1 << 61); c <= MaxComplexity {
		t.Errorf("a list of elements of cost 2^61 costs %d", c)
	}
}

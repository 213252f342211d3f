// Package report answers the aggregate questions of analysts and of the
// ledger (budget status) in the database, with GROUP BY and SUM, never by
// loading rows into Go memory.
package report

import (
	"context"
	"fmt"
	"strconv"

	"entgo.io/ent/dialect/sql"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/call"
	"wisselaar/ent/grant"
	"wisselaar/ent/municipality"
	"wisselaar/ent/theme"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/graph/model"
	"wisselaar/graph/scalar"
)

// maxDimensions bounds groupBy: there are eight dimensions, each usable once.
const maxDimensions = 8

// statRow is one group as the database returns it. Key i of the group is
// in Ki (value) and Li (label); unused keys stay empty.
type statRow struct {
	K0, K1, K2, K3, K4, K5, K6, K7 string
	L0, L1, L2, L3, L4, L5, L6, L7 string
	Count                          int64
	Requested, Awarded, Settled    int64
	Paid                           int64
}

func (r *statRow) key(i int) (string, string) {
	ks := [...]*string{&r.K0, &r.K1, &r.K2, &r.K3, &r.K4, &r.K5, &r.K6, &r.K7}
	ls := [...]*string{&r.L0, &r.L1, &r.L2, &r.L3, &r.L4, &r.L5, &r.L6, &r.L7}
	return *ks[i], *ls[i]
}

// ProvinceLabels are the provinces' names for people.
var ProvinceLabels = map[string]string{
	"ANTWERPEN":       "Antwerpen",
	"LIMBURG":         "Limburg",
	"OOST_VLAANDEREN": "Oost-Vlaanderen",
	"VLAAMS_BRABANT":  "Vlaams-Brabant",
	"WEST_VLAANDEREN": "West-Vlaanderen",
}

// GrantStatistics groups the grants that query selects (already narrowed by
// the privacy policies to what the viewer may see, and by the client's
// where filter) by the dimensions, and sums their amounts.
func GrantStatistics(ctx context.Context, query *ent.GrantQuery, groupBy []model.GrantDimension) ([]*model.GrantStatistic, error) {
	if len(groupBy) == 0 {
		return nil, &domain.FieldError{Field: "groupBy", Message: "name at least one dimension to group by"}
	}
	if len(groupBy) > maxDimensions {
		return nil, &domain.FieldError{Field: "groupBy", Message: fmt.Sprintf("at most %d dimensions", maxDimensions)}
	}
	seen := map[model.GrantDimension]bool{}
	for _, d := range groupBy {
		if seen[d] {
			return nil, &domain.FieldError{Field: "groupBy", Message: fmt.Sprintf("dimension %s is asked twice", d)}
		}
		seen[d] = true
	}
	var rows []statRow
	err := query.Modify(func(s *sql.Selector) {
		// Only the tables the asked dimensions need: on a million grants
		// every join costs (the privacy filter, in WHERE, brings its own).
		need := func(ds ...model.GrantDimension) bool {
			for _, d := range ds {
				if seen[d] {
					return true
				}
			}
			return false
		}
		if need(model.GrantDimensionCall, model.GrantDimensionYear) {
			c := sql.Table(call.Table).As("c")
			s.Join(c).On(s.C(grant.FieldCallID), c.C(call.FieldID))
		}
		giving := need(model.GrantDimensionGivingProvince, model.GrantDimensionGivingMunicipality)
		receiving := need(model.GrantDimensionReceivingProvince, model.GrantDimensionReceivingMunicipality)
		if giving || receiving {
			tr := sql.Table(trajectory.Table).As("tr")
			s.Join(tr).On(s.C(grant.FieldTrajectoryID), tr.C(trajectory.FieldID))
			if giving {
				gm := sql.Table(municipality.Table).As("gm")
				s.Join(gm).On(tr.C(trajectory.FieldGivingID), gm.C(municipality.FieldID))
			}
			if receiving {
				rm := sql.Table(municipality.Table).As("rm")
				s.Join(rm).On(tr.C(trajectory.FieldReceivingID), rm.C(municipality.FieldID))
			}
		}
		if seen[model.GrantDimensionTheme] {
			// Straight from the grant's trajectory ID to its themes. A
			// grant with several themes is in several groups, once in each
			// (the pair is the join table's key), so COUNT(*) counts
			// grants, and a grant without a theme is in the NONE group.
			tt := sql.Table(trajectory.ThemesTable).As("tt")
			th := sql.Table(theme.Table).As("th")
			s.LeftJoin(tt).On(s.C(grant.FieldTrajectoryID), tt.C(trajectory.ThemesPrimaryKey[0])).
				LeftJoin(th).On(tt.C(trajectory.ThemesPrimaryKey[1]), th.C(theme.FieldID))
		}
		var cols, group []string
		for i, d := range groupBy {
			value, label := dimensionColumns(d)
			if d == model.GrantDimensionStatus {
				value = "CAST(" + s.C(grant.FieldStatus) + " AS TEXT)"
				label = value
			}
			// Plain "expr AS alias": sql.As would quote "c.name" as one
			// identifier. The expressions are fixed strings of this file,
			// never client input.
			cols = append(cols, fmt.Sprintf("%s AS k%d", value, i), fmt.Sprintf("%s AS l%d", label, i))
			group = append(group, value, label)
		}
		sum := func(col, as string) string {
			return sql.As("COALESCE(SUM("+s.C(col)+"), 0)", as)
		}
		cols = append(cols,
			sql.As("COUNT(*)", "count"),
			sum(grant.FieldRequested, "requested"),
			sum(grant.FieldAwarded, "awarded"),
			sum(grant.FieldSettled, "settled"),
			sum(grant.FieldPaid, "paid"),
		)
		s.Select(cols...)
		if len(group) > 0 {
			s.GroupBy(group...)
			s.OrderBy(group...)
		}
	}).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	groups := make([]domain.StatGroup, len(rows))
	for i := range rows {
		r := &rows[i]
		g := domain.StatGroup{
			Count:  int(r.Count),
			Sums:   [4]domain.Money{domain.Money(r.Requested), domain.Money(r.Awarded), domain.Money(r.Settled), domain.Money(r.Paid)},
			Keys:   make([]string, len(groupBy)),
			Labels: make([]string, len(groupBy)),
		}
		for j := range groupBy {
			g.Keys[j], g.Labels[j] = r.key(j)
		}
		groups[i] = g
	}
	if minGroupSizeApplies(viewer.FromContext(ctx)) {
		municipal := make([]bool, len(groupBy))
		for j, d := range groupBy {
			municipal[j] = d == model.GrantDimensionGivingMunicipality || d == model.GrantDimensionReceivingMunicipality
		}
		groups = domain.FoldSmallGroups(groups, municipal, OtherMunicipalitiesLabel)
	}
	out := make([]*model.GrantStatistic, 0, len(groups))
	for _, g := range groups {
		st := &model.GrantStatistic{
			Count:     g.Count,
			Requested: g.Sums[0],
			Awarded:   g.Sums[1],
			Settled:   g.Sums[2],
			Paid:      g.Sums[3],
			Keys:      make([]*model.GrantStatisticKey, len(groupBy)),
		}
		for j, d := range groupBy {
			value, label := g.Keys[j], g.Labels[j]
			switch d {
			case model.GrantDimensionCall:
				if id, err := strconv.Atoi(value); err == nil {
					value = scalar.EncodeID(id)
				}
			case model.GrantDimensionGivingProvince, model.GrantDimensionReceivingProvince:
				label = ProvinceLabels[value]
			}
			st.Keys[j] = &model.GrantStatisticKey{Dimension: d, Value: value, Label: label}
		}
		out = append(out, st)
	}
	return out, nil
}

// OtherMunicipalitiesLabel labels the group that an analyst's small
// municipality groups are folded into (key value domain.OtherKey).
const OtherMunicipalitiesLabel = "Andere gemeenten"

// minGroupSizeApplies tells whether the viewer sees municipality groups of
// fewer than domain.MinGroupSize grants folded together: analysts, who ask
// aggregate questions and have no part in the process. The ministry and the
// coordinator follow every application by name anyway.
func minGroupSizeApplies(v *viewer.Viewer) bool {
	return v.Has(viewer.Analyst) && !v.Has(viewer.Ministry) && !v.Has(viewer.Coordinator)
}

// dimensionColumns returns the SQL expressions of a dimension's value and
// label, over the aliases joined in GrantStatistics. Every expression is a
// cast to text: every key then scans as a string in both databases, and the
// SQL builder leaves an expression alone where it would quote a bare
// "alias.column" as one identifier in GROUP BY and ORDER BY.
func dimensionColumns(d model.GrantDimension) (value, label string) {
	text := func(expr string) string { return "CAST(" + expr + " AS TEXT)" }
	switch d {
	case model.GrantDimensionCall:
		return text("c.id"), text("c.name")
	case model.GrantDimensionYear:
		return text("c.year"), text("c.year")
	case model.GrantDimensionTheme:
		return "COALESCE(th.code, 'NONE')", "COALESCE(th.name, '(geen thema)')"
	case model.GrantDimensionGivingProvince:
		return text("gm.province"), text("gm.province")
	case model.GrantDimensionReceivingProvince:
		return text("rm.province"), text("rm.province")
	case model.GrantDimensionStatus:
		return "", "" // the grants table's own column: set by the caller
	case model.GrantDimensionGivingMunicipality:
		return text("gm.nis_code"), text("gm.name")
	case model.GrantDimensionReceivingMunicipality:
		return text("rm.nis_code"), text("rm.name")
	}
	panic("unknown dimension " + string(d))
}

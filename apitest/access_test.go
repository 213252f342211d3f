package apitest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"wisselaar/ent"
	"wisselaar/ent/mentor"
	"wisselaar/ent/municipality"
	"wisselaar/ent/salary"
	"wisselaar/ent/timeentry"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/graph/scalar"
	"wisselaar/internal/db"
	"wisselaar/internal/testutil"
)

// seen is what one viewer sees of the demo data through /graphql.
type seen struct {
	trajectories int      // trajectories(...).totalCount
	titles       []string // giving→receiving of the visible trajectories
	mentorNames  int      // distinct mentor names reachable through trajectories
	salaries     int      // salary records reachable through trajectories and mentors
	mentorsRoot  int      // mentors(...).totalCount
	grants       int      // grants(...).totalCount
	awarded      int      // trajectories whose grant's awarded amount is visible
	timeEntries  int      // time entries reachable through trajectories
	payments     int      // payments reachable through grants
	emails       int      // mentor e-mail addresses reachable anywhere
}

const everythingQuery = `{
  trajectories(first: 100) { totalCount edges { node {
    giving { nisCode } receiving { nisCode }
    mentors { name email salaries { monthlyCost } }
    grant { awarded payments { amount } }
    timeEntries { hours }
  } } }
  mentors(first: 100) { totalCount edges { node { email salaries { monthlyCost } } } }
  grants(first: 100) { totalCount }
}`

type everything struct {
	Trajectories struct {
		TotalCount int
		Edges      []struct {
			Node struct {
				Giving, Receiving struct{ NisCode string }
				Mentors           []struct {
					Name, Email string
					Salaries    []struct{ MonthlyCost string }
				}
				Grant *struct {
					Awarded  *string
					Payments []struct{ Amount string }
				}
				TimeEntries []struct{ Hours float64 }
			}
		}
	}
	Mentors struct {
		TotalCount int
		Edges      []struct {
			Node struct {
				Email    string
				Salaries []struct{ MonthlyCost string }
			}
		}
	}
	Grants struct{ TotalCount int }
}

func (e everything) seen() seen {
	var s seen
	s.trajectories = e.Trajectories.TotalCount
	names := map[string]bool{}
	for _, edge := range e.Trajectories.Edges {
		n := edge.Node
		s.titles = append(s.titles, n.Giving.NisCode+"→"+n.Receiving.NisCode)
		for _, m := range n.Mentors {
			names[m.Name] = true
			s.salaries += len(m.Salaries)
			if m.Email != "" {
				s.emails++
			}
		}
		if n.Grant != nil && n.Grant.Awarded != nil {
			s.awarded++
			s.payments += len(n.Grant.Payments)
		}
		s.timeEntries += len(n.TimeEntries)
	}
	slices.Sort(s.titles)
	s.mentorNames = len(names)
	s.mentorsRoot = e.Mentors.TotalCount
	for _, edge := range e.Mentors.Edges {
		s.salaries += len(edge.Node.Salaries)
		if edge.Node.Email != "" {
			s.emails++
		}
	}
	s.grants = e.Grants.TotalCount
	return s
}

// oracle computes, directly from the database as the system, what a viewer
// of the given municipalities (or of every trajectory) should see; it is
// the access matrix of DOMAIN.md restated as plain ent queries.
type oracle struct {
	ctx context.Context
	c   *ent.Client
}

func (o oracle) trajectories(nis ...string) (n int, titles []string) {
	q := o.c.Trajectory.Query().WithGiving().WithReceiving()
	if len(nis) > 0 {
		q.Where(trajectory.Or(
			trajectory.HasGivingWith(municipality.NisCodeIn(nis...)),
			trajectory.HasReceivingWith(municipality.NisCodeIn(nis...))))
	}
	for _, tr := range q.AllX(o.ctx) {
		titles = append(titles, tr.Edges.Giving.NisCode+"→"+tr.Edges.Receiving.NisCode)
	}
	slices.Sort(titles)
	return len(titles), titles
}

func (o oracle) mentorsOf(nis string) int {
	return o.c.Mentor.Query().Where(mentor.HasMunicipalityWith(municipality.NisCode(nis))).CountX(o.ctx)
}

// mentorsOnTrajectoriesOf counts distinct mentors working on trajectories
// the municipalities take part in (all trajectories when none given).
func (o oracle) mentorsOnTrajectoriesOf(nis ...string) int {
	q := o.c.Mentor.Query()
	if len(nis) > 0 {
		q.Where(mentor.HasTrajectoriesWith(trajectory.Or(
			trajectory.HasGivingWith(municipality.NisCodeIn(nis...)),
			trajectory.HasReceivingWith(municipality.NisCodeIn(nis...)))))
	} else {
		q.Where(mentor.HasTrajectories())
	}
	return q.CountX(o.ctx)
}

// salaryRecordsSeenBy counts the salary records a viewer reaches: through
// each assignment of a visible trajectory, plus through the mentors root.
func (o oracle) salaryRecordsOf(nis string) (viaTrajectories, viaMentors int) {
	own := salary.HasMentorWith(mentor.HasMunicipalityWith(municipality.NisCode(nis)))
	for _, tr := range o.c.Trajectory.Query().Where(trajectory.HasGivingWith(municipality.NisCode(nis))).AllX(o.ctx) {
		for _, m := range tr.QueryMentors().AllX(o.ctx) {
			viaTrajectories += m.QuerySalaries().Where(own).CountX(o.ctx)
		}
	}
	viaMentors = o.c.Salary.Query().Where(own).CountX(o.ctx)
	return viaTrajectories, viaMentors
}

func (o oracle) allSalaryRecords() (viaTrajectories, viaMentors int) {
	for _, tr := range o.c.Trajectory.Query().AllX(o.ctx) {
		for _, m := range tr.QueryMentors().AllX(o.ctx) {
			viaTrajectories += m.QuerySalaries().CountX(o.ctx)
		}
	}
	return viaTrajectories, o.c.Salary.Query().CountX(o.ctx)
}

func (o oracle) timeEntriesGivenBy(nis string) int {
	return o.c.TimeEntry.Query().Where(timeentry.HasTrajectoryWith(trajectory.HasGivingWith(municipality.NisCode(nis)))).CountX(o.ctx)
}

// TestAccessMatrix runs the same query as each kind of viewer of DOMAIN.md
// and checks what each sees, against the demo data.
func TestAccessMatrix(t *testing.T) {
	databases(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d, nil)
		o := oracle{viewer.SystemContext(context.Background()), s.DB.Client}

		allN, allTitles := o.trajectories()
		allMentors := o.c.Mentor.Query().CountX(o.ctx)
		allPayments := o.c.Payment.Query().CountX(o.ctx)
		allTimeEntries := o.c.TimeEntry.Query().CountX(o.ctx)
		allSalViaTr, allSalViaMentors := o.allSalaryRecords()
		if allN != 11 {
			t.Fatalf("demo data has %d trajectories, want 11", allN)
		}

		staff := func(nis string) seen {
			n, titles := o.trajectories(nis)
			viaTr, viaM := o.salaryRecordsOf(nis)
			mentorsRoot := o.c.Mentor.Query().Where(mentor.Or(
				mentor.HasMunicipalityWith(municipality.NisCode(nis)),
				mentor.HasTrajectoriesWith(trajectory.Or(
					trajectory.HasGivingWith(municipality.NisCode(nis)),
					trajectory.HasReceivingWith(municipality.NisCode(nis)))))).CountX(o.ctx)
			onTr := o.mentorsOnTrajectoriesOf(nis)
			var payments int
			for _, tr := range o.c.Trajectory.Query().Where(trajectory.HasGivingWith(municipality.NisCode(nis))).AllX(o.ctx) {
				payments += tr.QueryGrant().QueryPayments().CountX(o.ctx)
			}
			// E-mails: of the mentors on the visible trajectories (once per
			// assignment) and of the mentors root.
			var emails int
			for _, tr := range o.c.Trajectory.Query().Where(trajectory.Or(
				trajectory.HasGivingWith(municipality.NisCode(nis)),
				trajectory.HasReceivingWith(municipality.NisCode(nis)))).AllX(o.ctx) {
				emails += tr.QueryMentors().CountX(o.ctx)
			}
			return seen{
				trajectories: n, titles: titles, mentorNames: onTr, salaries: viaTr + viaM,
				mentorsRoot: mentorsRoot, grants: n, awarded: n, timeEntries: o.timeEntriesGivenBy(nis),
				payments: payments, emails: emails + mentorsRoot,
			}
		}
		var assignments int
		for _, tr := range o.c.Trajectory.Query().AllX(o.ctx) {
			assignments += tr.QueryMentors().CountX(o.ctx)
		}
		ministry := seen{allN, allTitles, o.mentorsOnTrajectoriesOf(), allSalViaTr + allSalViaMentors, allMentors, allN, allN, allTimeEntries, allPayments, assignments + allMentors}
		coordinator := ministry
		coordinator.salaries = 0
		nonPersonal := seen{trajectories: allN, titles: allTitles, grants: allN, awarded: allN}

		tests := []struct {
			login string
			want  seen
		}{
			{"ministry", ministry},
			{"vvsg", coordinator},
			{"analyst", nonPersonal},
			{"partner", nonPersonal},
			{"mechelen", staff("12025")}, // giving in five trajectories
			{"leuven", staff("24062")},   // receiving from Mechelen
			{"kortrijk", staff("34022")}, // giving in two, receiving in one
			{"brugge", staff("31005")},   // receiving only, unrelated to Mechelen's
		}
		for _, tt := range tests {
			t.Run(tt.login, func(t *testing.T) {
				var e everything
				s.Query(t, tt.login, everythingQuery, nil).Decode(t, &e)
				got := e.seen()
				if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", tt.want) {
					t.Errorf("%s sees\n %+v\nwant\n %+v", tt.login, got, tt.want)
				}
			})
		}

		// The figures of the issue, stated plainly.
		for login, want := range map[string]int{"leuven": 1, "mechelen": 5, "kortrijk": 3, "ministry": 11, "vvsg": 11, "analyst": 11, "partner": 11} {
			var e everything
			s.Query(t, login, everythingQuery, nil).Decode(t, &e)
			if e.Trajectories.TotalCount != want {
				t.Errorf("%s sees %d trajectories, want %d", login, e.Trajectories.TotalCount, want)
			}
		}
		if r := s.Query(t, "", everythingQuery, nil); r.Code() != "UNAUTHENTICATED" {
			t.Errorf("anonymous: %+v", r.Errors)
		}
	})
}

// TestNodeObeysTheSameRules checks that node(id) shows exactly what lists
// show: a thing the viewer may not see is null, not an error that reveals
// it exists.
func TestNodeObeysTheSameRules(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	ctx := viewer.SystemContext(context.Background())
	c := s.DB.Client
	vilvoorde := c.Trajectory.Query().Where(trajectory.HasReceivingWith(municipality.NisCode("23088"))).OnlyX(ctx)
	leuvenTr := c.Trajectory.Query().Where(trajectory.HasReceivingWith(municipality.NisCode("24062"))).OnlyX(ctx)
	sal := c.Salary.Query().Where(salary.HasMentorWith(mentor.HasTrajectoriesWith(trajectory.ID(leuvenTr.ID)))).FirstX(ctx)
	mentorOnLeuven := c.Mentor.Query().Where(mentor.HasTrajectoriesWith(trajectory.ID(leuvenTr.ID))).FirstX(ctx)

	type cell struct {
		login   string
		id      int
		visible bool
	}
	cells := []cell{
		{"leuven", leuvenTr.ID, true},
		{"leuven", vilvoorde.ID, false},
		{"leuven", mentorOnLeuven.ID, true},
		{"leuven", sal.ID, false},
		{"mechelen", sal.ID, true},
		{"vilvoorde", leuvenTr.ID, false},
		{"vilvoorde", mentorOnLeuven.ID, false},
		{"vvsg", sal.ID, false},
		{"vvsg", mentorOnLeuven.ID, true},
		{"analyst", mentorOnLeuven.ID, false},
		{"partner", mentorOnLeuven.ID, false},
		{"partner", leuvenTr.ID, true},
		{"ministry", sal.ID, true},
	}
	for _, c := range cells {
		var res struct{ Node *struct{ ID string } }
		s.Query(t, c.login, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": scalar.EncodeID(c.id)}).Decode(t, &res)
		if (res.Node != nil) != c.visible {
			t.Errorf("%s: node(%d) visible = %v, want %v", c.login, c.id, res.Node != nil, c.visible)
		}
	}
	// nodes(ids:) answers null for what the viewer may not see, with a
	// NOT_FOUND error that does not reveal the internal ID.
	r := s.Query(t, "leuven", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
		map[string]any{"ids": []string{scalar.EncodeID(leuvenTr.ID), scalar.EncodeID(vilvoorde.ID)}})
	var nodes struct{ Nodes []*struct{ ID string } }
	if err := json.Unmarshal(r.Data, &nodes); err != nil || len(nodes.Nodes) != 2 || nodes.Nodes[0] == nil || nodes.Nodes[1] != nil {
		t.Errorf("leuven nodes: %s", r.Data)
	}
	if r.Code() != "NOT_FOUND" || strings.Contains(r.Errors[0].Message, fmt.Sprint(vilvoorde.ID)) {
		t.Errorf("leuven nodes errors: %+v", r.Errors)
	}

	// Anonymous callers may look up public things by ID, nothing else.
	if r := s.Query(t, "", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": scalar.EncodeID(leuvenTr.ID)}); r.Code() != "UNAUTHENTICATED" {
		t.Errorf("anonymous node(trajectory): %+v %s", r.Errors, r.Data)
	}
}

// TestViewerAndStatistics checks the viewer field and that analysts get
// their aggregates.
func TestViewerAndStatistics(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	var v struct {
		Viewer struct {
			Subject        string
			Roles          []string
			Municipalities []struct{ NisCode string }
			Machine        bool
		}
	}
	s.Query(t, "mechelen", `{ viewer { subject roles municipalities { nisCode } machine } }`, nil).Decode(t, &v)
	if v.Viewer.Subject != "mechelen" || !slices.Equal(v.Viewer.Roles, []string{"municipality:12025"}) ||
		len(v.Viewer.Municipalities) != 1 || v.Viewer.Municipalities[0].NisCode != "12025" || !v.Viewer.Machine {
		t.Errorf("viewer: %+v", v.Viewer)
	}

	var st struct {
		GrantStatistics []struct {
			Keys []struct {
				Dimension, Value, Label string
			}
			Count                             int
			Requested, Awarded, Settled, Paid string
		}
	}
	s.Query(t, "analyst", `{ grantStatistics(groupBy: [YEAR]) { keys { dimension value label } count requested awarded settled paid } }`, nil).Decode(t, &st)
	if len(st.GrantStatistics) != 2 {
		t.Fatalf("by year: %+v", st)
	}
	want := []struct {
		year, awarded string
		count         int
	}{{"2022", "89122.00", 4}, {"2023", "123423.00", 7}}
	for i, w := range want {
		g := st.GrantStatistics[i]
		if g.Keys[0].Value != w.year || g.Count != w.count || g.Awarded != w.awarded || g.Settled != w.awarded || g.Paid != w.awarded {
			t.Errorf("year %s: %+v", w.year, g)
		}
	}

	s.Query(t, "analyst", `{ grantStatistics(groupBy: [GIVING_PROVINCE], where: {status: PAID}) { keys { value label } count awarded } }`, nil).Decode(t, &st)
	byProvince := map[string]string{}
	total := 0
	for _, g := range st.GrantStatistics {
		byProvince[g.Keys[0].Label] = g.Awarded
		total += g.Count
	}
	// Antwerpen gives Mechelen's five and Beerse's one; West-Vlaanderen
	// Roeselare's, Kortrijk's two and Oostende's; Oost-Vlaanderen Deinze's.
	if total != 11 || byProvince["Antwerpen"] != "111825.00" || byProvince["Oost-Vlaanderen"] != "34000.00" || byProvince["West-Vlaanderen"] != "66720.00" {
		t.Errorf("by giving province: %v (count %d)", byProvince, total)
	}

	// Staff aggregate only over what they see.
	s.Query(t, "leuven", `{ grantStatistics(groupBy: [YEAR]) { count awarded } }`, nil).Decode(t, &st)
	if len(st.GrantStatistics) != 1 || st.GrantStatistics[0].Count != 1 || st.GrantStatistics[0].Awarded != "21746.00" {
		t.Errorf("leuven's statistics: %+v", st.GrantStatistics)
	}
}

package apitest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"wisselaar/domain"
	"wisselaar/internal/anonymise"
	"wisselaar/internal/testutil"
)

// TestAnonymise runs the anonymisation over the demo data: the mentors of
// the settled trajectories lose their names, e-mail addresses and salaries,
// each change is in the audit trail without the values it removed, the
// statistics and the open-data feed do not move, a second run changes
// nothing, and a date in the future is refused with nothing changed.
func TestAnonymise(t *testing.T) {
	d := testutil.SeededPostgres(t)
	s := testutil.NewServer(t, d, nil)
	ctx := context.Background()
	today := domain.BrusselsDate(time.Now())

	const statistics = `{ grantStatistics(groupBy: [YEAR, THEME, GIVING_PROVINCE, STATUS]) { keys { dimension value } count requested awarded settled paid } }`
	const mentors = `{ mentors(first: 500) { totalCount edges { node { id name email jobTitle salaries { monthlyCost } } } } }`
	type mentorPage struct {
		Mentors struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID, Name, Email, JobTitle string
					Salaries                  []struct{ MonthlyCost string }
				}
			}
		}
	}
	snapshot := func() (stats, feed string) {
		t.Helper()
		res := s.Query(t, "analyst", statistics, nil)
		if len(res.Errors) > 0 {
			t.Fatalf("statistics: %+v", res.Errors)
		}
		resp, err := http.Get(s.URL + "/open-data/grants.json")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("open data: %d", resp.StatusCode)
		}
		return string(res.Data), string(body)
	}
	auditCount := func(where map[string]any) int {
		t.Helper()
		return len(readAudit(t, s, "ministry", where))
	}
	stats, feed := snapshot()
	var before mentorPage
	s.Query(t, "ministry", mentors, nil).Decode(t, &before)

	// A date in the future: refused, naming the flag's field, nothing changed.
	trail := auditCount(nil)
	_, err := anonymise.Run(ctx, d.Client, nil, today.AddDate(0, 0, 1), today)
	var fe *domain.FieldError
	if !errors.As(err, &fe) || fe.Field != "before" {
		t.Fatalf("a date in the future: %v, want a refusal naming before", err)
	}
	if n := auditCount(nil); n != trail {
		t.Fatalf("a refused run left %d audit entries", n-trail)
	}

	r, err := anonymise.Run(ctx, d.Client, nil, today, today)
	if err != nil {
		t.Fatal(err)
	}
	if r.Trajectories < 11 || r.Mentors == 0 || r.Salaries == 0 {
		t.Fatalf("the demo data's settled trajectories were not anonymised: %+v", r)
	}
	t.Logf("%+v", r)

	if s2, f2 := snapshot(); s2 != stats || f2 != feed {
		t.Errorf("the statistics or the open-data feed moved:\n%s\n%s", stats, s2)
	}
	var after mentorPage
	s.Query(t, "ministry", mentors, nil).Decode(t, &after)
	if after.Mentors.TotalCount != before.Mentors.TotalCount {
		t.Fatalf("mentors: %d, were %d", after.Mentors.TotalCount, before.Mentors.TotalCount)
	}
	anonymised := 0
	names := map[string]bool{}
	for _, e := range before.Mentors.Edges {
		names[e.Node.Name] = true
	}
	for i, e := range after.Mentors.Edges {
		m := e.Node
		if !strings.HasPrefix(m.Name, "Geanonimiseerde mentor") {
			if b := before.Mentors.Edges[i].Node; m.ID != b.ID || m.Name != b.Name || m.Email != b.Email || len(m.Salaries) != len(b.Salaries) {
				t.Errorf("a mentor left alone changed: %+v", m)
			}
			continue
		}
		anonymised++
		if names[m.Name] || strings.Contains(m.Email, before.Mentors.Edges[i].Node.Email) || len(m.Salaries) > 0 {
			t.Errorf("mentor %s keeps personal data: %+v", m.ID, m)
		}
		if m.JobTitle != before.Mentors.Edges[i].Node.JobTitle {
			t.Errorf("mentor %s lost the job title", m.ID)
		}
	}
	if anonymised != r.Mentors {
		t.Errorf("%d mentors read as anonymised, the run reported %d", anonymised, r.Mentors)
	}

	// The trail: one Mentor entry per anonymised mentor, by the system,
	// naming the fields without their values.
	events := readAudit(t, s, "ministry", map[string]any{"action": "ANONYMISE", "entityType": "Mentor"})
	if len(events) != r.Mentors {
		t.Fatalf("%d ANONYMISE entries on mentors, want %d", len(events), r.Mentors)
	}
	for _, e := range events {
		if e.ActorSubject != "system" || len(e.Changes) != 2 {
			t.Errorf("entry %+v", e)
		}
		for _, c := range e.Changes {
			if c.Before != nil || c.After != nil {
				t.Errorf("the trail keeps a removed value: %s %v → %v", c.Field, c.Before, c.After)
			}
		}
	}
	if n := auditCount(map[string]any{"action": "ANONYMISE", "entityType": "Salary"}); n != r.Salaries {
		t.Errorf("%d salary deletions in the trail, want %d", n, r.Salaries)
	}

	// Again: nothing to do.
	trail = auditCount(nil)
	again, err := anonymise.Run(ctx, d.Client, nil, today, today)
	if err != nil {
		t.Fatal(err)
	}
	if again.Mentors != 0 || again.Salaries != 0 || again.Calculations != 0 || again.Documents != 0 {
		t.Errorf("a second run changed things: %+v", again)
	}
	if n := auditCount(nil); n != trail {
		t.Errorf("a second run left %d audit entries", n-trail)
	}
	if s3, f3 := snapshot(); s3 != stats || f3 != feed {
		t.Errorf("the statistics or the open-data feed moved on the second run")
	}
}

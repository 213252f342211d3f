package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func planFixture() ActionPlan {
	return ActionPlan{
		Text:  " Een sociale dienst die werkt. ",
		Goals: []Goal{{Description: "Kortere wachttijden"}},
		Actions: []PlanAction{
			{What: "Werkbezoek", Side: Receiving, Due: time.Date(2027, 2, 1, 13, 0, 0, 0, time.UTC)},
		},
		Indicators: []Indicator{{Name: "Wachttijd", Unit: "dagen", Baseline: 21, Target: 10}},
	}
}

var (
	planStart = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	planEnd   = time.Date(2027, 4, 30, 0, 0, 0, 0, time.UTC)
)

func TestValidateActionPlan(t *testing.T) {
	tests := []struct {
		name   string
		change func(*ActionPlan)
		field  string // "" for valid
	}{
		{"valid", func(*ActionPlan) {}, ""},
		{"empty plan", func(p *ActionPlan) { *p = ActionPlan{} }, ""},
		{"blank goal", func(p *ActionPlan) { p.Goals[0].Description = "  " }, "goals"},
		{"long goal", func(p *ActionPlan) { p.Goals[0].Description = strings.Repeat("a", MaxPlanLine+1) }, "goals"},
		{"blank action", func(p *ActionPlan) { p.Actions[0].What = "" }, "actions"},
		{"coordinator side", func(p *ActionPlan) { p.Actions[0].Side = Coordinator }, "actions"},
		{"due two years later", func(p *ActionPlan) { p.Actions[0].Due = planEnd.AddDate(2, 0, 0) }, "actions"},
		{"indicator without unit", func(p *ActionPlan) { p.Indicators[0].Unit = "" }, "indicators"},
		{"target equals baseline", func(p *ActionPlan) { p.Indicators[0].Target = 21 }, "indicators"},
		{"huge target", func(p *ActionPlan) { p.Indicators[0].Target = 1e13 }, "indicators"},
		{"too many goals", func(p *ActionPlan) { p.Goals = make([]Goal, MaxPlanItems+1) }, "goals"},
		{"long text", func(p *ActionPlan) { p.Text = strings.Repeat("é", MaxPlanText+1) }, "actionPlan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planFixture()
			tt.change(&p)
			got, err := ValidateActionPlan(p, planStart, planEnd)
			var fe *FieldError
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.field != "" && (!errors.As(err, &fe) || fe.Field != tt.field):
				t.Fatalf("error = %v, want a field error on %s", err, tt.field)
			case tt.field == "" && tt.name == "valid":
				if got.Text != "Een sociale dienst die werkt." || !got.Actions[0].Due.Equal(DateOf(p.Actions[0].Due)) {
					t.Fatalf("not normalised: %+v", got)
				}
			}
		})
	}
}

func TestActionPlanHashIsCanonical(t *testing.T) {
	a, _ := ValidateActionPlan(planFixture(), planStart, planEnd)
	b := planFixture()
	b.Text = strings.TrimSpace(b.Text)
	b.Actions[0].Due = time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	if a.SHA256() != b.SHA256() {
		t.Fatalf("the same plan hashes differently:\n%s\n%s", a.Canonical(), b.Canonical())
	}
	want := `{"format":"wisselaar-action-plan/1","text":"Een sociale dienst die werkt.","goals":[{"description":"Kortere wachttijden"}],` +
		`"actions":[{"what":"Werkbezoek","side":"RECEIVING","due":"2027-02-01"}],"indicators":[{"name":"Wachttijd","unit":"dagen","baseline":21,"target":10}]}`
	if string(a.Canonical()) != want {
		t.Fatalf("canonical = %s\nwant        %s", a.Canonical(), want)
	}
	if len(a.SHA256()) != 64 {
		t.Fatalf("hash %q", a.SHA256())
	}
	c := a
	c.Indicators = []Indicator{{Name: "Wachttijd", Unit: "dagen", Baseline: 21, Target: 9}}
	if c.SHA256() == a.SHA256() {
		t.Fatal("a changed target kept the hash")
	}
	if (ActionPlan{}).SHA256() != (ActionPlan{Goals: []Goal{}}).SHA256() {
		t.Fatal("an absent list and an empty one hash differently")
	}
}

func TestValidateIndicatorResults(t *testing.T) {
	p := ActionPlan{Indicators: []Indicator{{Name: "a", Unit: "u", Baseline: 0, Target: 10}, {Name: "b", Unit: "u", Baseline: 5, Target: 1}}}
	tests := []struct {
		name    string
		results []IndicatorResult
		ok      bool
	}{
		{"both, any order", []IndicatorResult{{2, 1}, {1, 4}}, true},
		{"missing one", []IndicatorResult{{1, 4}}, false},
		{"twice", []IndicatorResult{{1, 4}, {1, 5}, {2, 1}}, false},
		{"unknown", []IndicatorResult{{1, 4}, {2, 1}, {3, 1}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateIndicatorResults(p, tt.results)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v", err)
			}
			var fe *FieldError
			if err != nil && (!errors.As(err, &fe) || fe.Field != "indicatorResults") {
				t.Fatalf("err = %v", err)
			}
			if tt.ok && (got[0].Indicator != 1 || got[1].Indicator != 2) {
				t.Fatalf("not in plan order: %v", got)
			}
		})
	}
}

func TestIndicatorAchievement(t *testing.T) {
	up := Indicator{Baseline: 10, Target: 20}
	down := Indicator{Baseline: 21, Target: 7}
	for _, tt := range []struct {
		in     Indicator
		result float64
		want   float64
		met    bool
	}{
		{up, 15, 0.5, false}, {up, 20, 1, true}, {up, 25, 1.5, true}, {up, 5, -0.5, false},
		{down, 14, 0.5, false}, {down, 7, 1, true}, {down, 28, -0.5, false},
	} {
		if got := tt.in.Achievement(tt.result); got != tt.want || tt.in.Met(tt.result) != tt.met {
			t.Errorf("%+v result %v: achievement %v met %v, want %v %v", tt.in, tt.result, got, tt.in.Met(tt.result), tt.want, tt.met)
		}
	}
}

package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// ActionPlan is the plan both municipalities draw up for a trajectory: what
// they aim for (goals), who does what by when (actions) and how they will
// know it worked (indicators). Both sides sign the agreement on one version
// of it; from then on it is frozen, and the agreement names that version
// and the SHA-256 of its canonical encoding (Canonical).
type ActionPlan struct {
	// Text is the plan's introduction in free text.
	Text       string       `json:"text"`
	Goals      []Goal       `json:"goals"`
	Actions    []PlanAction `json:"actions"`
	Indicators []Indicator  `json:"indicators"`
}

// Goal is one aim of the action plan.
type Goal struct {
	Description string `json:"description"`
}

// PlanAction is one action of the action plan: what is done, by which side,
// by when.
type PlanAction struct {
	What string `json:"what"`
	// Side is Giving or Receiving.
	Side Side `json:"side"`
	// Due is the day the action is done by.
	Due time.Time `json:"due"`
}

// Indicator is how the parties measure the effect of the trajectory: a
// quantity with its unit, its value before the trajectory (baseline) and
// the value aimed for (target). The evaluation records its result.
type Indicator struct {
	Name     string  `json:"name"`
	Unit     string  `json:"unit"`
	Baseline float64 `json:"baseline"`
	Target   float64 `json:"target"`
}

// Limits of an action plan, so that one plan stays a page, not a book.
const (
	MaxPlanItems    = 50
	MaxPlanLine     = 500
	MaxPlanText     = 20000
	maxIndicatorAbs = 1e12
)

// ValidateActionPlan checks a plan as the parties typed it, naming the
// input field at fault ("goals", "actions", "indicators", "actionPlan").
// Texts are trimmed; an action's side is GIVING or RECEIVING, its due day
// inside the trajectory's planned period extended by one year (follow-up
// actions may come after the exchange); an indicator has a name, a unit
// and finite numbers whose target differs from the baseline (else nothing
// could be measured).
func ValidateActionPlan(p ActionPlan, plannedStart, plannedEnd time.Time) (ActionPlan, error) {
	p.Text = strings.TrimSpace(p.Text)
	if utf8.RuneCountInString(p.Text) > MaxPlanText {
		return p, fieldError("actionPlan", fmt.Sprintf("the action plan's text is longer than %d characters", MaxPlanText))
	}
	for _, n := range []struct {
		field string
		n     int
	}{{"goals", len(p.Goals)}, {"actions", len(p.Actions)}, {"indicators", len(p.Indicators)}} {
		if n.n > MaxPlanItems {
			return p, fieldError(n.field, fmt.Sprintf("at most %d %s", MaxPlanItems, n.field))
		}
	}
	line := func(field, what string, i int, s *string) error {
		*s = strings.TrimSpace(*s)
		switch {
		case *s == "":
			return fieldError(field, fmt.Sprintf("%s %d has no %s", singular(field), i+1, what))
		case utf8.RuneCountInString(*s) > MaxPlanLine:
			return fieldError(field, fmt.Sprintf("the %s of %s %d is longer than %d characters", what, singular(field), i+1, MaxPlanLine))
		}
		return nil
	}
	p.Goals = append([]Goal(nil), p.Goals...)
	for i := range p.Goals {
		if err := line("goals", "description", i, &p.Goals[i].Description); err != nil {
			return p, err
		}
	}
	earliest := DateOf(plannedStart).AddDate(-1, 0, 0)
	latest := DateOf(plannedEnd).AddDate(1, 0, 0)
	p.Actions = append([]PlanAction(nil), p.Actions...)
	for i := range p.Actions {
		a := &p.Actions[i]
		if err := line("actions", "description (what)", i, &a.What); err != nil {
			return p, err
		}
		if a.Side != Giving && a.Side != Receiving {
			return p, fieldError("actions", fmt.Sprintf("action %d: who must be GIVING or RECEIVING", i+1))
		}
		a.Due = DateOf(a.Due)
		if a.Due.Before(earliest) || a.Due.After(latest) {
			return p, fieldError("actions", fmt.Sprintf("action %d: the due day must lie within a year of the planned period (%s to %s)",
				i+1, FormatDate(plannedStart), FormatDate(plannedEnd)))
		}
	}
	p.Indicators = append([]Indicator(nil), p.Indicators...)
	for i := range p.Indicators {
		in := &p.Indicators[i]
		if err := line("indicators", "name", i, &in.Name); err != nil {
			return p, err
		}
		if err := line("indicators", "unit", i, &in.Unit); err != nil {
			return p, err
		}
		if !finite(in.Baseline) || !finite(in.Target) {
			return p, fieldError("indicators", fmt.Sprintf("indicator %d: baseline and target must be numbers of at most 10^12", i+1))
		}
		if in.Baseline == in.Target {
			return p, fieldError("indicators", fmt.Sprintf("indicator %d: the target must differ from the baseline", i+1))
		}
	}
	return p, nil
}

func singular(field string) string { return strings.TrimSuffix(field, "s") }

func finite(f float64) bool {
	return !math.IsNaN(f) && !math.IsInf(f, 0) && math.Abs(f) <= maxIndicatorAbs
}

// Canonical is the plan's canonical encoding, the bytes its hash is taken
// of: JSON with the fields in the order of the Go types, no insignificant
// white space, dates as "YYYY-MM-DD", numbers in Go's shortest form, lists
// empty rather than absent. The same plan always encodes to the same bytes.
func (p ActionPlan) Canonical() []byte {
	type action struct {
		What string `json:"what"`
		Side Side   `json:"side"`
		Due  string `json:"due"`
	}
	c := struct {
		Format     string      `json:"format"`
		Text       string      `json:"text"`
		Goals      []Goal      `json:"goals"`
		Actions    []action    `json:"actions"`
		Indicators []Indicator `json:"indicators"`
	}{Format: "wisselaar-action-plan/1", Text: p.Text, Goals: p.Goals, Indicators: p.Indicators, Actions: []action{}}
	if c.Goals == nil {
		c.Goals = []Goal{}
	}
	if c.Indicators == nil {
		c.Indicators = []Indicator{}
	}
	for _, a := range p.Actions {
		c.Actions = append(c.Actions, action{What: a.What, Side: a.Side, Due: FormatDate(a.Due)})
	}
	b, err := json.Marshal(c)
	if err != nil {
		// Only NaN or infinite numbers fail, which ValidateActionPlan
		// refuses.
		panic(fmt.Sprintf("encoding an action plan: %v", err))
	}
	return b
}

// SHA256 is the lower-case hex SHA-256 of the plan's canonical encoding.
func (p ActionPlan) SHA256() string {
	sum := sha256.Sum256(p.Canonical())
	return hex.EncodeToString(sum[:])
}

// IndicatorResult is the value an indicator reached, recorded in the
// evaluation at completion. Indicator is its 1-based number in the plan.
type IndicatorResult struct {
	Indicator int     `json:"indicator"`
	Result    float64 `json:"result"`
}

// ValidateIndicatorResults checks the results of an evaluation against the
// signed plan: exactly one finite result per indicator of the plan (field
// "indicatorResults"). The results come back in the plan's order.
func ValidateIndicatorResults(p ActionPlan, results []IndicatorResult) ([]IndicatorResult, error) {
	out := make([]IndicatorResult, len(p.Indicators))
	seen := make([]bool, len(p.Indicators))
	for _, r := range results {
		if r.Indicator < 1 || r.Indicator > len(p.Indicators) {
			return nil, fieldError("indicatorResults", fmt.Sprintf("the plan has no indicator %d (it has %d)", r.Indicator, len(p.Indicators)))
		}
		if seen[r.Indicator-1] {
			return nil, fieldError("indicatorResults", fmt.Sprintf("indicator %d has two results", r.Indicator))
		}
		if !finite(r.Result) {
			return nil, fieldError("indicatorResults", fmt.Sprintf("indicator %d: the result must be a number of at most 10^12", r.Indicator))
		}
		seen[r.Indicator-1] = true
		out[r.Indicator-1] = r
	}
	for i, ok := range seen {
		if !ok {
			return nil, fieldError("indicatorResults", fmt.Sprintf("indicator %d (%s) has no result", i+1, p.Indicators[i].Name))
		}
	}
	return out, nil
}

// Achievement is how far an indicator got from its baseline towards its
// target: 0 at the baseline, 1 at the target, more beyond it, negative when
// it moved away. It works for targets below the baseline too (fewer
// evictions).
func (in Indicator) Achievement(result float64) float64 {
	return (result - in.Baseline) / (in.Target - in.Baseline)
}

// Met reports whether result reached the target.
func (in Indicator) Met(result float64) bool { return in.Achievement(result) >= 1 }

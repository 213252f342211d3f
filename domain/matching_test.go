package domain_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"wisselaar/domain"
)

// The test day of the matching tests: before the autumn the needs ask for.
var matchToday = domain.NewDate(2027, time.June, 15)

// matchNeed is a need of Balen (Antwerpen) on impact measurement and
// participation, by mentoring, for the autumn of 2027 (122 days).
func matchNeed() domain.MatchNeed {
	return domain.MatchNeed{
		Municipality:  "13003",
		Province:      "ANTWERPEN",
		Themes:        []string{"IMPACT_MEASUREMENT", "PARTICIPATION"},
		Topics:        []string{"impactmeting"},
		Description:   "De impact van ons armoedebeleid meten, samen met mensen in armoede.",
		PreferredForm: "MENTORING",
		DesiredStart:  domain.NewDate(2027, time.September, 1),
		DesiredEnd:    domain.NewDate(2027, time.December, 31),
	}
}

// matchOffer is an offer of Mechelen that answers matchNeed on every
// component but COOPERATION and TEXT.
func matchOffer() domain.MatchOffer {
	return domain.MatchOffer{
		Municipality:         "12025",
		Province:             "ANTWERPEN",
		Themes:               []string{"PARTICIPATION", "IMPACT_MEASUREMENT", "LOCAL_COORDINATION"},
		Topics:               []string{"organisatieontwikkeling"},
		Description:          "Reorganisatie van de sociale dienst.",
		Forms:                []string{"MENTORING", "INTERNSHIP"},
		AvailableFrom:        domain.NewDate(2027, time.January, 1),
		AvailableUntil:       domain.NewDate(2027, time.December, 31),
		CapacityHoursPerWeek: domain.HoursOf(19),
	}
}

func component(t *testing.T, s domain.MatchScore, name string) domain.ScoreComponent {
	t.Helper()
	for _, c := range s.Components {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no component %s in %+v", name, s)
	return domain.ScoreComponent{}
}

func TestMatchWeights(t *testing.T) {
	want := []string{"THEMES", "FORM", "PERIOD", "CAPACITY", "PROVINCE", "COOPERATION", "LOAD", "TEXT"}
	var names []string
	sum := 0.0
	for _, w := range domain.MatchWeights {
		names = append(names, w.Name)
		if !(w.Weight > 0) {
			t.Errorf("weight of %s = %v, want > 0", w.Name, w.Weight)
		}
		sum += w.Weight
	}
	if !slices.Equal(names, want) {
		t.Errorf("names = %q, want %q", names, want)
	}
	// Exactly 1, not within a tolerance: ScoreMatch relies on it to keep
	// every score in [0, 1] without a clamp (see its doc comment). If a
	// change of weights breaks this, reorder or adjust them.
	if sum != 1 {
		t.Errorf("weights sum to %.17g, want exactly 1", sum)
	}
	// Every component is scored, in this order, with its weight.
	s := domain.ScoreMatch(matchNeed(), matchOffer(), matchToday)
	if len(s.Components) != len(domain.MatchWeights) {
		t.Fatalf("%d components, want %d", len(s.Components), len(domain.MatchWeights))
	}
	for i, c := range s.Components {
		if c.Name != domain.MatchWeights[i].Name || c.Weight != domain.MatchWeights[i].Weight {
			t.Errorf("component %d = %s (%v), want %s (%v)", i, c.Name, c.Weight, domain.MatchWeights[i].Name, domain.MatchWeights[i].Weight)
		}
	}
}

func TestRemainingCapacity(t *testing.T) {
	tests := []struct {
		capacity, promised, want domain.Hours
	}{
		{19_00, 0, 19_00},
		{38_00, 19_00, 19_00},
		{20_00, 7_50, 12_50},
		{20_00, 20_00, 0},
		{20_00, 25_00, 0}, // over-promised: nothing left, not a debt
		{0, 0, 0},
		{-5_00, 0, 0},
		{20_00, -5_00, 20_00}, // a negative promise does not add capacity
		{-1_50, -2_00, 0},
		{math.MaxInt64, -1, math.MaxInt64},
	}
	for _, tt := range tests {
		o := domain.MatchOffer{CapacityHoursPerWeek: tt.capacity, PromisedHoursPerWeek: tt.promised}
		if got := o.RemainingCapacity(); got != tt.want {
			t.Errorf("RemainingCapacity(%d, %d) = %d, want %d", tt.capacity, tt.promised, got, tt.want)
		}
	}
}

// TestScoreMatchComponents pins the value and the explanation of each
// component on cases that change one thing of matchNeed and matchOffer.
func TestScoreMatchComponents(t *testing.T) {
	d := domain.NewDate
	type change func(n *domain.MatchNeed, o *domain.MatchOffer)
	// themes sets the need's themes and, unless offer is nil, the offer's.
	themes := func(need, offer []string) change {
		return func(n *domain.MatchNeed, o *domain.MatchOffer) {
			n.Themes = need
			if offer != nil {
				o.Themes = offer
			}
		}
	}
	form := func(preferred string, forms ...string) change {
		return func(n *domain.MatchNeed, o *domain.MatchOffer) { n.PreferredForm, o.Forms = preferred, forms }
	}
	available := func(from, until time.Time) change {
		return func(_ *domain.MatchNeed, o *domain.MatchOffer) { o.AvailableFrom, o.AvailableUntil = from, until }
	}
	desired := func(start, end time.Time) change {
		return func(n *domain.MatchNeed, _ *domain.MatchOffer) { n.DesiredStart, n.DesiredEnd = start, end }
	}
	capacity := func(capacity, promised domain.Hours) change {
		return func(_ *domain.MatchNeed, o *domain.MatchOffer) {
			o.CapacityHoursPerWeek, o.PromisedHoursPerWeek = capacity, promised
		}
	}
	provinces := func(need, offer string) change {
		return func(n *domain.MatchNeed, o *domain.MatchOffer) { n.Province, o.Province = need, offer }
	}
	cooperations := func(k int) change {
		return func(_ *domain.MatchNeed, o *domain.MatchOffer) { o.EarlierCooperations = k }
	}
	load := func(k int) change { return func(_ *domain.MatchNeed, o *domain.MatchOffer) { o.OpenCallLoad = k } }
	text := func(needTopics []string, needDescription string, offerTopics []string, offerDescription string) change {
		return func(n *domain.MatchNeed, o *domain.MatchOffer) {
			n.Topics, n.Description, o.Topics, o.Description = needTopics, needDescription, offerTopics, offerDescription
		}
	}
	const autumn = "de gewenste periode (1 september 2027 tot en met 31 december 2027)"
	tests := []struct {
		name        string
		component   string
		change      change
		today       time.Time // matchToday if zero
		value       float64
		explanation string
	}{
		// THEMES: shared ÷ asked.
		{"both themes offered", "THEMES", nil, time.Time{}, 1, "alle 2 gevraagde thema's worden aangeboden"},
		{"one of two", "THEMES", themes([]string{"IMPACT_MEASUREMENT", "PARTICIPATION"}, []string{"IMPACT_MEASUREMENT"}), time.Time{},
			0.5, "1 van de 2 gevraagde thema's wordt aangeboden"},
		{"two of three", "THEMES", themes([]string{"IMPACT_MEASUREMENT", "PARTICIPATION", "RIGHTS_BASED"}, nil), time.Time{},
			2.0 / 3, "2 van de 3 gevraagde thema's worden aangeboden"},
		{"none of two", "THEMES", themes([]string{"IMPACT_MEASUREMENT", "PARTICIPATION"}, []string{"RIGHTS_BASED"}), time.Time{},
			0, "geen van de 2 gevraagde thema's wordt aangeboden"},
		{"the one asked", "THEMES", themes([]string{"PARTICIPATION"}, nil), time.Time{}, 1, "het gevraagde thema wordt aangeboden"},
		{"not the one asked", "THEMES", themes([]string{"RIGHTS_BASED"}, nil), time.Time{}, 0, "het gevraagde thema wordt niet aangeboden"},
		{"a need without themes", "THEMES", themes(nil, nil), time.Time{}, 0, "de vraag noemt geen thema's"},
		{"an offer without themes", "THEMES", themes([]string{"PARTICIPATION"}, []string{}), time.Time{}, 0,
			"het gevraagde thema wordt niet aangeboden"},
		{"a theme listed twice counts once", "THEMES", themes([]string{"RIGHTS_BASED", "PARTICIPATION", "RIGHTS_BASED"}, nil), time.Time{},
			0.5, "1 van de 2 gevraagde thema's wordt aangeboden"},
		{"an empty code is no theme", "THEMES", themes([]string{"", "PARTICIPATION"}, nil), time.Time{}, 1, "het gevraagde thema wordt aangeboden"},
		{"themes beyond the need cost nothing", "THEMES", themes([]string{"PARTICIPATION"}, []string{"LOCAL_COORDINATION", "PARTICIPATION",
			"DATA_AND_TOOLS", "RIGHTS_BASED", "GOOD_PRACTICES", "INTEGRATED_POLICY", "IMPACT_MEASUREMENT", "ORGANISATIONAL_EMBEDDING"}),
			time.Time{}, 1, "het gevraagde thema wordt aangeboden"},

		// FORM.
		{"the preferred form is hosted", "FORM", nil, time.Time{}, 1, "de gevraagde vorm (mentoring) wordt aangeboden"},
		{"internship hosted", "FORM", form("INTERNSHIP", "MENTORING", "INTERNSHIP"), time.Time{}, 1, "de gevraagde vorm (stage) wordt aangeboden"},
		{"internship not hosted", "FORM", form("INTERNSHIP", "MENTORING"), time.Time{}, 0, "de gevraagde vorm (stage) wordt niet aangeboden"},
		{"no forms hosted", "FORM", form("MENTORING"), time.Time{}, 0, "de gevraagde vorm (mentoring) wordt niet aangeboden"},
		{"no preference", "FORM", form(""), time.Time{}, 1, "de vraag heeft geen voorkeur voor een vorm"},

		// PERIOD: 1 September to 31 December 2027 is 122 days.
		{"available all year", "PERIOD", nil, time.Time{}, 1,
			autumn + " valt helemaal binnen de beschikbaarheid (1 januari 2027 tot en met 31 december 2027)"},
		{"available exactly then", "PERIOD", available(d(2027, 9, 1), d(2027, 12, 31)), time.Time{}, 1,
			autumn + " valt helemaal binnen de beschikbaarheid (1 september 2027 tot en met 31 december 2027)"},
		{"available half of it", "PERIOD", available(d(2027, 9, 1), d(2027, 10, 31)), time.Time{}, 61.0 / 122,
			"61 van de 122 dagen van " + autumn + " vallen binnen de beschikbaarheid (1 september 2027 tot en met 31 oktober 2027)"},
		{"available on the first day only", "PERIOD", available(d(2027, 1, 1), d(2027, 9, 1)), time.Time{}, 1.0 / 122,
			"1 van de 122 dagen van " + autumn + " valt binnen de beschikbaarheid (1 januari 2027 tot en met 1 september 2027)"},
		{"available on the last day only", "PERIOD", available(d(2027, 12, 31), d(2028, 6, 30)), time.Time{}, 1.0 / 122,
			"1 van de 122 dagen van " + autumn + " valt binnen de beschikbaarheid (31 december 2027 tot en met 30 juni 2028)"},
		{"available only after", "PERIOD", available(d(2028, 1, 1), d(2028, 6, 30)), time.Time{}, 0,
			"geen dag van " + autumn + " valt binnen de beschikbaarheid (1 januari 2028 tot en met 30 juni 2028)"},
		{"available only before", "PERIOD", available(d(2027, 1, 1), d(2027, 8, 31)), time.Time{}, 0,
			"geen dag van " + autumn + " valt binnen de beschikbaarheid (1 januari 2027 tot en met 31 augustus 2027)"},
		{"an availability that ends before it starts", "PERIOD", available(d(2027, 12, 31), d(2027, 9, 1)), time.Time{}, 0,
			"geen dag van " + autumn + " valt binnen de beschikbaarheid (31 december 2027 tot en met 1 september 2027)"},
		// Once the desired period has begun, only the days ahead count
		// (15 October to 31 December is 78 days): the first half of the
		// autumn is mostly gone, the second is all still ahead.
		{"begun: available in the first half", "PERIOD", available(d(2027, 9, 1), d(2027, 10, 31)), d(2027, 10, 15), 17.0 / 78,
			"17 van de 78 dagen van de rest van de gewenste periode (15 oktober 2027 tot en met 31 december 2027) vallen binnen de beschikbaarheid (1 september 2027 tot en met 31 oktober 2027)"},
		{"begun: available in the second half", "PERIOD", available(d(2027, 11, 1), d(2027, 12, 31)), d(2027, 10, 15), 61.0 / 78,
			"61 van de 78 dagen van de rest van de gewenste periode (15 oktober 2027 tot en met 31 december 2027) vallen binnen de beschikbaarheid (1 november 2027 tot en met 31 december 2027)"},
		{"begun: only the past was available", "PERIOD", available(d(2027, 9, 1), d(2027, 10, 14)), d(2027, 10, 15), 0,
			"geen dag van de rest van de gewenste periode (15 oktober 2027 tot en met 31 december 2027) valt binnen de beschikbaarheid (1 september 2027 tot en met 14 oktober 2027)"},
		{"the last desired day is today", "PERIOD", nil, d(2027, 12, 31), 1,
			"de rest van de gewenste periode (31 december 2027 tot en met 31 december 2027) valt helemaal binnen de beschikbaarheid (1 januari 2027 tot en met 31 december 2027)"},
		{"today is the first desired day", "PERIOD", available(d(2027, 9, 1), d(2027, 10, 31)), d(2027, 9, 1), 61.0 / 122,
			"61 van de 122 dagen van " + autumn + " vallen binnen de beschikbaarheid (1 september 2027 tot en met 31 oktober 2027)"},
		{"the desired period is over", "PERIOD", nil, d(2028, 1, 1), 0, "de gewenste periode is voorbij (tot en met 31 december 2027)"},
		{"a desired period that ends before it starts", "PERIOD", desired(d(2027, 12, 31), d(2027, 9, 1)), time.Time{}, 0,
			"de vraag heeft geen geldige gewenste periode"},
		{"a one-day desired period", "PERIOD", desired(d(2027, 9, 1), d(2027, 9, 1)), time.Time{}, 1,
			"de gewenste periode (1 september 2027 tot en met 1 september 2027) valt helemaal binnen de beschikbaarheid (1 januari 2027 tot en met 31 december 2027)"},
		// Dates are read by their UTC day (DateOf), also when they come
		// back from a database in another location or with a time of day.
		{"dates in another location", "PERIOD", func(n *domain.MatchNeed, o *domain.MatchOffer) {
			n.DesiredStart = n.DesiredStart.In(domain.Brussels())
			n.DesiredEnd = n.DesiredEnd.In(time.FixedZone("EST", -5*3600))
			o.AvailableFrom = d(2027, 9, 1).In(domain.Brussels())
			o.AvailableUntil = d(2027, 10, 31).Add(23 * time.Hour)
		}, d(2027, 9, 1).Add(12 * time.Hour), 61.0 / 122,
			"61 van de 122 dagen van " + autumn + " vallen binnen de beschikbaarheid (1 september 2027 tot en met 31 oktober 2027)"},

		// CAPACITY: remaining ÷ 19 hours, at most 1.
		{"half-time free", "CAPACITY", nil, time.Time{}, 1, "nog 19 uur per week vrij: genoeg voor een halftijdse mentor (19 uur)"},
		{"full time free counts as half-time", "CAPACITY", capacity(38_00, 0), time.Time{}, 1,
			"nog 38 uur per week vrij: genoeg voor een halftijdse mentor (19 uur)"},
		{"half of 38 promised", "CAPACITY", capacity(38_00, 19_00), time.Time{}, 1,
			"nog 19 uur per week vrij: genoeg voor een halftijdse mentor (19 uur)"},
		{"less than half-time free", "CAPACITY", capacity(20_00, 7_50), time.Time{}, 12.5 / 19,
			"nog 12,5 uur per week vrij: minder dan een halftijdse mentor (19 uur)"},
		{"a hundredth free", "CAPACITY", capacity(20_00, 19_99), time.Time{}, 0.01 / 19,
			"nog 0,01 uur per week vrij: minder dan een halftijdse mentor (19 uur)"},
		{"all promised", "CAPACITY", capacity(20_00, 20_00), time.Time{}, 0,
			"geen uren meer vrij: 20 van de 20 uur per week zijn al beloofd"},
		{"more than all promised", "CAPACITY", capacity(20_00, 22_50), time.Time{}, 0,
			"geen uren meer vrij: 22,5 van de 20 uur per week zijn al beloofd"},
		{"no capacity", "CAPACITY", capacity(0, 0), time.Time{}, 0, "het aanbod vermeldt geen uren per week"},

		// PROVINCE.
		{"same province", "PROVINCE", nil, time.Time{}, 1, "zelfde provincie (Antwerpen)"},
		{"another province", "PROVINCE", provinces("ANTWERPEN", "LIMBURG"), time.Time{}, 0,
			"andere provincie: het aanbod komt uit Limburg, de vraag uit Antwerpen"},
		{"West and East Flanders", "PROVINCE", provinces("OOST_VLAANDEREN", "WEST_VLAANDEREN"), time.Time{}, 0,
			"andere provincie: het aanbod komt uit West-Vlaanderen, de vraag uit Oost-Vlaanderen"},
		{"Flemish Brabant", "PROVINCE", provinces("VLAAMS_BRABANT", "VLAAMS_BRABANT"), time.Time{}, 1, "zelfde provincie (Vlaams-Brabant)"},
		{"an unknown code is compared as it is", "PROVINCE", provinces("BRUSSEL", "BRUSSEL"), time.Time{}, 1, "zelfde provincie (BRUSSEL)"},
		{"two unknown provinces are not the same", "PROVINCE", provinces("", ""), time.Time{}, 0, "de provincie is niet gekend"},
		{"the offer's province unknown", "PROVINCE", provinces("ANTWERPEN", ""), time.Time{}, 0, "de provincie is niet gekend"},

		// COOPERATION.
		{"never cooperated", "COOPERATION", nil, time.Time{}, 0, "de besturen werkten nog niet samen"},
		{"cooperated once", "COOPERATION", cooperations(1), time.Time{}, 1, "de besturen werkten al 1 keer samen"},
		{"cooperated three times", "COOPERATION", cooperations(3), time.Time{}, 1, "de besturen werkten al 3 keer samen"},
		{"a negative count", "COOPERATION", cooperations(-1), time.Time{}, 0, "de besturen werkten nog niet samen"},

		// LOAD: 1 ÷ (1 + trajectories in the open call).
		{"no trajectories yet", "LOAD", nil, time.Time{}, 1, "het gevende bestuur geeft nog geen trajecten in de lopende oproep"},
		{"one trajectory", "LOAD", load(1), time.Time{}, 0.5, "het gevende bestuur geeft al 1 traject in de lopende oproep"},
		{"three trajectories", "LOAD", load(3), time.Time{}, 0.25, "het gevende bestuur geeft al 3 trajecten in de lopende oproep"},
		{"a negative count", "LOAD", load(-2), time.Time{}, 1, "het gevende bestuur geeft nog geen trajecten in de lopende oproep"},

		// TEXT: Jaccard of the normalised words of topics and description.
		{"nothing in common", "TEXT", text([]string{"impactmeting"}, "", []string{"organisatieontwikkeling"}, ""), time.Time{},
			0, "geen gemeenschappelijke woorden"},
		{"no text on either side", "TEXT", text(nil, "", nil, " … "), time.Time{}, 0, "er is geen tekst om te vergelijken"},
		{"no text on one side", "TEXT", text(nil, "", []string{"uithuiszetting"}, ""), time.Time{}, 0, "geen gemeenschappelijke woorden"},
		{"singular and plural meet", "TEXT",
			text([]string{"uithuiszettingen"}, "", []string{"uithuiszetting"}, "Preventie van uithuiszettingen bij sociale huurders."),
			time.Time{}, 0.25, "1 van de 4 woorden gemeenschappelijk: uithuiszettingen"},
		// The explanation shows the need's words as written, not their
		// stems ("idee", "signa").
		{"words as the need writes them", "TEXT", text([]string{"Ideeën"}, "Signalen opvangen.", []string{"idee", "signaal"}, ""),
			time.Time{}, 2.0 / 3, "2 van de 3 woorden gemeenschappelijk: ideeën, signalen"},
		{"topics and description together", "TEXT",
			text([]string{"dakloosheid", "uithuiszetting"}, "Begeleiding bij uithuiszettingen door de vrederechter.",
				[]string{"uithuiszettingen"}, "Dakloosheid voorkomen: begeleiding van huurders."),
			time.Time{}, 0.5, "3 van de 6 woorden gemeenschappelijk: begeleiding, dakloosheid, uithuiszetting"},
		{"the same text", "TEXT",
			text([]string{"Voedselbedeling"}, "Voedselstrategie en rechten.", []string{"voedselbedeling", "voedselstrategie", "recht"}, ""),
			time.Time{}, 1, "3 van de 3 woorden gemeenschappelijk: rechten, voedselbedeling, voedselstrategie"},
		{"at most eight words are listed", "TEXT",
			text(nil, "armoede activering budget dienst fusie gezin huurder impact kansen", nil,
				"kans impact huurders gezinnen fusie diensten budget activering armoede"),
			time.Time{}, 1, "9 van de 9 woorden gemeenschappelijk: activering, armoede, budget, dienst, fusie, gezin, huurder, impact, …"},
	}
	for _, tt := range tests {
		n, o := matchNeed(), matchOffer()
		if tt.change != nil {
			tt.change(&n, &o)
		}
		today := tt.today
		if today.IsZero() {
			today = matchToday
		}
		c := component(t, domain.ScoreMatch(n, o, today), tt.component)
		if math.Abs(c.Value-tt.value) > 1e-15 || c.Explanation != tt.explanation {
			t.Errorf("%s: %s = %v, %q\n want %v, %q", tt.name, tt.component, c.Value, c.Explanation, tt.value, tt.explanation)
		}
		if c.Contribution != c.Weight*c.Value {
			t.Errorf("%s: contribution %v ≠ %v × %v", tt.name, c.Contribution, c.Weight, c.Value)
		}
	}
}

// TestScoreMatchSum pins a whole score: the weights times the values of
// matchNeed and matchOffer, added up.
func TestScoreMatchSum(t *testing.T) {
	o := matchOffer()
	o.EarlierCooperations = 2
	o.OpenCallLoad = 1
	o.PromisedHoursPerWeek = 9_50
	o.Topics = []string{"impactmeting", "participatie"}
	o.Description = ""
	s := domain.ScoreMatch(matchNeed(), o, matchToday)
	// Need words: armoede, armoedebeleid, impact, impactmeting, meten, mens,
	// samen; offer words: impactmeting, participatie. Jaccard 1/8.
	values := []float64{1, 1, 1, 0.5, 1, 1, 0.5, 1.0 / 8}
	want := 0.35 + 0.10 + 0.15 + 0.10*0.5 + 0.10 + 0.05 + 0.05*0.5 + 0.10/8
	for i, c := range s.Components {
		if c.Value != values[i] {
			t.Errorf("%s = %v (%s), want %v", c.Name, c.Value, c.Explanation, values[i])
		}
	}
	if math.Abs(s.Score-want) > 1e-12 {
		t.Errorf("Score = %v, want %v", s.Score, want)
	}
}

// autumnNeed is the need of TestRankOffers: Balen (Antwerpen) asks for
// impact measurement and participation, by mentoring, in the autumn.
func autumnNeed() domain.MatchNeed {
	return domain.MatchNeed{
		Municipality:  "13003",
		Province:      "ANTWERPEN",
		Themes:        []string{"IMPACT_MEASUREMENT", "PARTICIPATION"},
		Topics:        []string{"impactmeting", "participatie"},
		PreferredForm: "MENTORING",
		DesiredStart:  domain.NewDate(2027, time.September, 1),
		DesiredEnd:    domain.NewDate(2027, time.December, 31),
	}
}

func TestRankOffers(t *testing.T) {
	year := func(o domain.MatchOffer) domain.MatchOffer {
		o.AvailableFrom, o.AvailableUntil = domain.NewDate(2027, 1, 1), domain.NewDate(2027, 12, 31)
		return o
	}
	offers := []domain.MatchOffer{
		// 0. Kortrijk, elsewhere, one of the two themes, otherwise fine:
		// 0.35×½ + 0.10 + 0.15 + 0.10 + 0 + 0 + 0.05 + 0.10×½ = 0.625.
		year(domain.MatchOffer{
			Municipality: "34022", Province: "WEST_VLAANDEREN",
			Themes: []string{"IMPACT_MEASUREMENT", "DATA_AND_TOOLS"}, Topics: []string{"impactmeting"},
			Forms: []string{"MENTORING"}, CapacityHoursPerWeek: 19_00,
		}),
		// 1. Mechelen, same province, both themes, capacity, cooperated
		// before, one trajectory already:
		// 0.35 + 0.10 + 0.15 + 0.10 + 0.10 + 0.05 + 0.05×½ + 0.10 = 0.975.
		{
			Municipality: "12025", Province: "ANTWERPEN",
			Themes: []string{"PARTICIPATION", "IMPACT_MEASUREMENT", "LOCAL_COORDINATION"},
			Topics: []string{"participatie", "impactmeting"}, Forms: []string{"MENTORING", "INTERNSHIP"},
			AvailableFrom: domain.NewDate(2027, 9, 1), AvailableUntil: domain.NewDate(2028, 6, 30),
			CapacityHoursPerWeek: 22_80, EarlierCooperations: 1, OpenCallLoad: 1,
		},
		// 2. Beerse, same province, both themes, but internships only,
		// half the period and all hours promised:
		// 0.35 + 0 + 0.15×½ + 0 + 0.10 + 0 + 0.05 + 0.10×½ = 0.625, a tie
		// with Kortrijk, which it wins on shared themes.
		{
			Municipality: "13004", Province: "ANTWERPEN",
			Themes: []string{"IMPACT_MEASUREMENT", "PARTICIPATION"}, Topics: []string{"participatie"},
			Forms:         []string{"INTERNSHIP"},
			AvailableFrom: domain.NewDate(2027, 9, 1), AvailableUntil: domain.NewDate(2027, 10, 31),
			CapacityHoursPerWeek: 19_00, PromisedHoursPerWeek: 19_00,
		},
		// 3. Balen itself: left out.
		year(domain.MatchOffer{
			Municipality: "13003", Province: "ANTWERPEN",
			Themes: []string{"IMPACT_MEASUREMENT", "PARTICIPATION"}, Topics: []string{"impactmeting", "participatie"},
			Forms: []string{"MENTORING"}, CapacityHoursPerWeek: 38_00,
		}),
		// 4. Oud-Turnhout, same province, none of the themes, busy:
		// 0 + 0.10 + 0.15 + 0.10 + 0.10 + 0 + 0.05×⅓ + 0 = 0.4667.
		year(domain.MatchOffer{
			Municipality: "13031", Province: "ANTWERPEN",
			Themes: []string{"ORGANISATIONAL_EMBEDDING"}, Forms: []string{"MENTORING"},
			CapacityHoursPerWeek: 38_00, PromisedHoursPerWeek: 19_00, OpenCallLoad: 2,
		}),
	}
	ranked := domain.RankOffers(autumnNeed(), offers, matchToday)
	want := []struct {
		index int
		score float64
	}{{1, 0.975}, {2, 0.625}, {0, 0.625}, {4, 0.45 + 0.05/3}}
	if len(ranked) != len(want) {
		t.Fatalf("ranked %d offers, want %d: %+v", len(ranked), len(want), ranked)
	}
	for i, w := range want {
		r := ranked[i]
		if r.Index != w.index || math.Abs(r.Score-w.score) > 1e-12 {
			t.Errorf("place %d: offer %d with %v, want offer %d with %v", i+1, r.Index, r.Score, w.index, w.score)
		}
		if s := domain.ScoreMatch(autumnNeed(), offers[r.Index], matchToday); r.Score != s.Score || len(r.Components) != len(s.Components) {
			t.Errorf("place %d: the ranking's score %v differs from ScoreMatch's %v", i+1, r.Score, s.Score)
		}
	}
}

// TestRankOffersTies pins the tie rule, also when two scores that are equal
// on paper differ in their last bit.
func TestRankOffersTies(t *testing.T) {
	need := domain.MatchNeed{
		Municipality: "31005", Province: "WEST_VLAANDEREN",
		Themes:        []string{"RIGHTS_BASED", "GOOD_PRACTICES"},
		PreferredForm: "INTERNSHIP",
		DesiredStart:  domain.NewDate(2027, 9, 1), DesiredEnd: domain.NewDate(2027, 12, 31),
	}
	// One shared theme and one trajectory in the call:
	// 0.35×½ + 0.05×½ = 0.2, which float64 adds up to 0.19999999999999998.
	oneTheme := domain.MatchOffer{Municipality: "44083", Province: "OOST_VLAANDEREN", Themes: []string{"RIGHTS_BASED"}, OpenCallLoad: 1}
	// No shared theme, but same province and an earlier cooperation:
	// 0.10 + 0.05 + 0.05 = 0.2, which float64 adds up to 0.2.
	noTheme := domain.MatchOffer{Municipality: "36015", Province: "WEST_VLAANDEREN", EarlierCooperations: 1}

	a, b := domain.ScoreMatch(need, oneTheme, matchToday), domain.ScoreMatch(need, noTheme, matchToday)
	if !(a.Score < b.Score) || b.Score-a.Score > 1e-15 {
		t.Fatalf("the premise changed: scores %.17g and %.17g should differ by float noise only", a.Score, b.Score)
	}
	tests := []struct {
		name   string
		offers []domain.MatchOffer
		want   []int
	}{
		{"more shared themes first, whatever the noise", []domain.MatchOffer{noTheme, oneTheme}, []int{1, 0}},
		{"and in the other order", []domain.MatchOffer{oneTheme, noTheme}, []int{0, 1}},
		{"then the lower index", []domain.MatchOffer{noTheme, noTheme, oneTheme, oneTheme}, []int{2, 3, 0, 1}},
		{"no offers", nil, []int{}},
		{"only the need's own municipality", []domain.MatchOffer{{Municipality: "31005"}}, []int{}},
		// An unknown municipality is not the need's own.
		{"empty municipality codes", []domain.MatchOffer{{}, noTheme}, []int{1, 0}},
	}
	for _, tt := range tests {
		var got []int
		for _, r := range domain.RankOffers(need, tt.offers, matchToday) {
			got = append(got, r.Index)
		}
		if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("%s: order %v, want %v", tt.name, got, tt.want)
		}
	}
	// The need's municipality empty: no offer is its own.
	need.Municipality = ""
	if got := domain.RankOffers(need, []domain.MatchOffer{{}}, matchToday); len(got) != 1 {
		t.Errorf("a need without municipality leaves out %d offers without one", 1-len(got))
	}
}

// randomMatch draws a need and an offer from small pools, so that themes,
// provinces, forms and words often coincide and periods often overlap, and
// with edge cases (empty lists, reversed periods, zero and negative
// counts) mixed in.
func randomMatch(r *rand.Rand) (domain.MatchNeed, domain.MatchOffer, time.Time) {
	themes := []string{"LOCAL_COORDINATION", "PARTICIPATION", "DATA_AND_TOOLS", "RIGHTS_BASED",
		"GOOD_PRACTICES", "INTEGRATED_POLICY", "IMPACT_MEASUREMENT", "ORGANISATIONAL_EMBEDDING", ""}
	provinces := []string{"ANTWERPEN", "LIMBURG", "OOST_VLAANDEREN", "VLAAMS_BRABANT", "WEST_VLAANDEREN", ""}
	forms := []string{"MENTORING", "INTERNSHIP", ""}
	words := []string{"uithuiszettingen", "uithuiszetting", "dakloosheid", "voedselbedeling", "activering",
		"schuldbemiddeling", "armoede", "woningen", "signalen", "diensten", "trajecten", "de", "een", "en",
		"sociale", "dienst", "Ideeën", "thema's", "2027", ""}
	pick := func(pool []string, max int) []string {
		var out []string
		for range r.IntN(max + 1) {
			out = append(out, pool[r.IntN(len(pool))])
		}
		return out
	}
	sentence := func() string {
		s := ""
		for _, w := range pick(words, 8) {
			s += w + " "
		}
		return s
	}
	day := func() time.Time { return domain.NewDate(2027, 1, 1+r.IntN(730)) }
	n := domain.MatchNeed{
		Municipality:  fmt.Sprint(10000 + r.IntN(5)),
		Province:      provinces[r.IntN(len(provinces))],
		Themes:        pick(themes, 4),
		Topics:        pick(words, 3),
		Description:   sentence(),
		PreferredForm: forms[r.IntN(len(forms))],
		DesiredStart:  day(), DesiredEnd: day(),
	}
	o := domain.MatchOffer{
		Municipality:         fmt.Sprint(10000 + r.IntN(5)),
		Province:             provinces[r.IntN(len(provinces))],
		Themes:               pick(themes, 5),
		Topics:               pick(words, 3),
		Description:          sentence(),
		Forms:                pick(forms[:2], 2),
		AvailableFrom:        day(),
		AvailableUntil:       day(),
		CapacityHoursPerWeek: domain.Hours(r.IntN(42_00) - 2_00),
		PromisedHoursPerWeek: domain.Hours(r.IntN(42_00) - 2_00),
		EarlierCooperations:  r.IntN(5) - 1,
		OpenCallLoad:         r.IntN(6) - 1,
	}
	return n, o, day()
}

// checkScore checks what holds for every score: the components in the
// order of MatchWeights, every value in [0, 1], every contribution its
// weight times its value, the score their sum and in [0, 1].
func checkScore(t *testing.T, s domain.MatchScore) {
	t.Helper()
	if len(s.Components) != len(domain.MatchWeights) {
		t.Fatalf("%d components, want %d", len(s.Components), len(domain.MatchWeights))
	}
	sum := 0.0
	for i, c := range s.Components {
		w := domain.MatchWeights[i]
		if c.Name != w.Name || c.Weight != w.Weight {
			t.Fatalf("component %d is %s (%v), want %s (%v)", i, c.Name, c.Weight, w.Name, w.Weight)
		}
		if !(c.Value >= 0 && c.Value <= 1) {
			t.Fatalf("%s = %v (%s), not in [0, 1]", c.Name, c.Value, c.Explanation)
		}
		if c.Contribution != c.Weight*c.Value {
			t.Fatalf("%s: contribution %v ≠ %v × %v", c.Name, c.Contribution, c.Weight, c.Value)
		}
		if c.Explanation == "" {
			t.Fatalf("%s has no explanation", c.Name)
		}
		sum += c.Contribution
	}
	if math.Abs(s.Score-sum) > 1e-12 || !(s.Score >= 0 && s.Score <= 1) {
		t.Fatalf("Score = %.17g, want Σ contributions %.17g, in [0, 1]", s.Score, sum)
	}
}

// TestScoreMatchProperties checks on thousands of random needs and offers
// the invariants of checkScore, that adding a theme to both the need and
// the offer never lowers the score, that the order of the lists does not
// matter, that ScoreMatch leaves its input alone, and that RankOffers
// orders by score.
func TestScoreMatchProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(2027, 9))
	extra := []string{"LOCAL_COORDINATION", "PARTICIPATION", "RIGHTS_BASED", "IMPACT_MEASUREMENT", "NEW_THEME"}
	for i := range 5000 {
		n, o, today := randomMatch(r)
		s := domain.ScoreMatch(n, o, today)
		checkScore(t, s)

		// Adding a theme to both sides: exactly ≥, not within a
		// tolerance, because THEMES grows from s/k to (s+1)/(k+1) ≥ s/k and
		// float addition never decreases when an addend grows.
		theme := extra[r.IntN(len(extra))]
		n2, o2 := n, o
		n2.Themes = append(slices.Clone(n.Themes), theme)
		o2.Themes = append(slices.Clone(o.Themes), theme)
		s2 := domain.ScoreMatch(n2, o2, today)
		checkScore(t, s2)
		if s2.Score < s.Score || s2.Components[0].Value < s.Components[0].Value {
			t.Fatalf("case %d: adding %s to both lowered the score from %v to %v\nneed %+v\noffer %+v", i, theme, s.Score, s2.Score, n, o)
		}

		// The order of the lists does not matter.
		n3, o3 := n, o
		n3.Themes, n3.Topics = reversed(n.Themes), reversed(n.Topics)
		o3.Themes, o3.Topics, o3.Forms = reversed(o.Themes), reversed(o.Topics), reversed(o.Forms)
		if s3 := domain.ScoreMatch(n3, o3, today); s3.Score != s.Score {
			t.Fatalf("case %d: reversing the lists changed the score from %v to %v", i, s.Score, s3.Score)
		}

		// ScoreMatch does not touch its input (matchText appends to the
		// topics: it must not write into the caller's array).
		topics := slices.Clone(n.Topics)
		if len(n.Topics) > 0 {
			n4 := n
			n4.Topics = n.Topics[:len(n.Topics)-1]
			domain.ScoreMatch(n4, o, today)
			if !slices.Equal(n.Topics, topics) {
				t.Fatalf("case %d: ScoreMatch changed the need's topics from %q to %q", i, topics, n.Topics)
			}
		}
	}

	// RankOffers returns every offer not of the need's municipality once,
	// by score (at the resolution of nine decimals), and its scores are
	// ScoreMatch's.
	for range 300 {
		n, _, today := randomMatch(r)
		var offers []domain.MatchOffer
		for range r.IntN(8) {
			_, o, _ := randomMatch(r)
			offers = append(offers, o)
		}
		ranked := domain.RankOffers(n, offers, today)
		var seen []int
		for i, ro := range ranked {
			if offers[ro.Index].Municipality == n.Municipality {
				t.Fatalf("offer %d of the need's own municipality %s is ranked", ro.Index, n.Municipality)
			}
			if s := domain.ScoreMatch(n, offers[ro.Index], today); s.Score != ro.Score {
				t.Fatalf("offer %d: ranked with %v, ScoreMatch gives %v", ro.Index, ro.Score, s.Score)
			}
			if i > 0 && ro.Score > ranked[i-1].Score+1e-9 {
				t.Fatalf("offer %d (%v) is ranked after offer %d (%v)", ro.Index, ro.Score, ranked[i-1].Index, ranked[i-1].Score)
			}
			seen = append(seen, ro.Index)
		}
		own := 0
		for _, o := range offers {
			if o.Municipality == n.Municipality {
				own++
			}
		}
		slices.Sort(seen)
		if len(slices.Compact(seen)) != len(offers)-own {
			t.Fatalf("ranked %v of %d offers, %d of them the need's own", seen, len(offers), own)
		}
	}
}

func reversed(s []string) []string {
	c := slices.Clone(s)
	slices.Reverse(c)
	return c
}

// The coordinator looks for a mentor for Brugge, which asks for help to
// prevent evictions. Deinze offers exactly that; Mechelen offers more
// capacity and the theme, but is elsewhere and busy.
func ExampleRankOffers() {
	brugge := domain.MatchNeed{
		Municipality:  "31005",
		Province:      "WEST_VLAANDEREN",
		Themes:        []string{"RIGHTS_BASED", "GOOD_PRACTICES"},
		Topics:        []string{"dakloosheid", "uithuiszettingen"},
		Description:   "Uithuiszettingen voorkomen.",
		PreferredForm: "MENTORING",
		DesiredStart:  domain.NewDate(2027, time.September, 1),
		DesiredEnd:    domain.NewDate(2027, time.December, 31),
	}
	offers := []domain.MatchOffer{
		{
			Municipality: "12025", Province: "ANTWERPEN", // Mechelen
			Themes: []string{"RIGHTS_BASED", "ORGANISATIONAL_EMBEDDING"},
			Topics: []string{"dakloosheid"}, Description: "Begeleiding bij uithuiszetting, samen met de vrederechter.",
			Forms:         []string{"MENTORING"},
			AvailableFrom: domain.NewDate(2027, time.January, 1), AvailableUntil: domain.NewDate(2027, time.October, 31),
			CapacityHoursPerWeek: domain.HoursOf(38), OpenCallLoad: 3,
		},
		{
			Municipality: "44083", Province: "OOST_VLAANDEREN", // Deinze
			Themes: []string{"RIGHTS_BASED", "GOOD_PRACTICES"},
			Topics: []string{"uithuiszetting"}, Description: "Preventie van uithuiszettingen.",
			Forms:         []string{"MENTORING", "INTERNSHIP"},
			AvailableFrom: domain.NewDate(2027, time.August, 1), AvailableUntil: domain.NewDate(2028, time.January, 31),
			CapacityHoursPerWeek: domain.HoursOf(19), PromisedHoursPerWeek: domain.HoursOf(4),
		},
	}
	for _, r := range domain.RankOffers(brugge, offers, domain.NewDate(2027, time.June, 15)) {
		fmt.Printf("offer %d: %.3f\n", r.Index, r.Score)
		for _, c := range r.Components {
			fmt.Printf("  %-11s %.2f × %.3f  %s\n", c.Name, c.Weight, c.Value, c.Explanation)
		}
	}
	// Output:
	// offer 1: 0.754
	//   THEMES      0.35 × 1.000  alle 2 gevraagde thema's worden aangeboden
	//   FORM        0.10 × 1.000  de gevraagde vorm (mentoring) wordt aangeboden
	//   PERIOD      0.15 × 1.000  de gewenste periode (1 september 2027 tot en met 31 december 2027) valt helemaal binnen de beschikbaarheid (1 augustus 2027 tot en met 31 januari 2028)
	//   CAPACITY    0.10 × 0.789  nog 15 uur per week vrij: minder dan een halftijdse mentor (19 uur)
	//   PROVINCE    0.10 × 0.000  andere provincie: het aanbod komt uit Oost-Vlaanderen, de vraag uit West-Vlaanderen
	//   COOPERATION 0.05 × 0.000  de besturen werkten nog niet samen
	//   LOAD        0.05 × 1.000  het gevende bestuur geeft nog geen trajecten in de lopende oproep
	//   TEXT        0.10 × 0.250  1 van de 4 woorden gemeenschappelijk: uithuiszettingen
	// offer 0: 0.496
	//   THEMES      0.35 × 0.500  1 van de 2 gevraagde thema's wordt aangeboden
	//   FORM        0.10 × 1.000  de gevraagde vorm (mentoring) wordt aangeboden
	//   PERIOD      0.15 × 0.500  61 van de 122 dagen van de gewenste periode (1 september 2027 tot en met 31 december 2027) vallen binnen de beschikbaarheid (1 januari 2027 tot en met 31 oktober 2027)
	//   CAPACITY    0.10 × 1.000  nog 38 uur per week vrij: genoeg voor een halftijdse mentor (19 uur)
	//   PROVINCE    0.10 × 0.000  andere provincie: het aanbod komt uit Antwerpen, de vraag uit West-Vlaanderen
	//   COOPERATION 0.05 × 0.000  de besturen werkten nog niet samen
	//   LOAD        0.05 × 0.250  het gevende bestuur geeft al 3 trajecten in de lopende oproep
	//   TEXT        0.10 × 0.333  2 van de 6 woorden gemeenschappelijk: dakloosheid, uithuiszettingen
}

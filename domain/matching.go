package domain

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// The coordinator (VVSG) matches an offer of expertise with a need. The
// portal helps by ranking the open offers for a need; the coordinator still
// decides and both municipalities still accept or decline. So the ranking
// must above all be explainable: every score is a weighted sum of a few
// components, each a number from 0 to 1 with a sentence in Dutch that says
// why, and the weights are in one place (MatchWeights).
//
// Scores are float64. They are not money and nothing is paid on them; they
// only order suggestions, and exact arithmetic would buy nothing there.
//
// The ranking and its explanations are meant for the coordinator, who may
// read both sides: an explanation quotes words of the need's text and counts
// trajectories of the offering municipality, so it is not for the other
// municipality's eyes as it stands.

// MatchNeed is what the ranking knows of a need.
type MatchNeed struct {
	Municipality  string   // NIS code of the municipality that asks
	Province      string   // its province, as the Province enum spells it: "ANTWERPEN"
	Themes        []string // theme codes, such as "IMPACT_MEASUREMENT"
	Topics        []string // free topics, such as "uithuiszetting"
	Description   string
	PreferredForm string // "MENTORING", "INTERNSHIP", or "" for no preference
	// DesiredStart and DesiredEnd are dates (see DateOf); the period
	// includes both.
	DesiredStart, DesiredEnd time.Time
}

// MatchOffer is what the ranking knows of an offer and of the municipality
// that makes it.
type MatchOffer struct {
	Municipality, Province string // as in MatchNeed
	Themes, Topics         []string
	Description            string
	Forms                  []string // the forms it can host: "MENTORING", "INTERNSHIP"
	// AvailableFrom and AvailableUntil are dates; the period includes both.
	AvailableFrom, AvailableUntil time.Time
	CapacityHoursPerWeek          Hours // mentor hours a week on offer
	PromisedHoursPerWeek          Hours // of which already promised in accepted trajectories
	// EarlierCooperations counts the earlier trajectories between the two
	// municipalities, in either direction, that were not declined or
	// cancelled.
	EarlierCooperations int
	// OpenCallLoad counts the trajectories the offering municipality
	// already gives in the open call.
	OpenCallLoad int
}

// RemainingCapacity returns the mentor hours a week the offer can still
// give: capacity minus what is already promised, never below zero (an offer
// that promised more than it offered has nothing left, not a debt).
func (o MatchOffer) RemainingCapacity() Hours {
	// A negative promise is nonsense; it must not raise the capacity.
	promised := max(o.PromisedHoursPerWeek, 0)
	if o.CapacityHoursPerWeek <= promised {
		return 0
	}
	return o.CapacityHoursPerWeek - promised
}

// ScoreComponent is one reason in a score.
type ScoreComponent struct {
	Name         string  // a stable code from MatchWeights: THEMES, FORM, PERIOD, CAPACITY, PROVINCE, COOPERATION, LOAD, TEXT
	Weight       float64 // the component's weight in MatchWeights
	Value        float64 // how well the offer does on this component, from 0 to 1
	Contribution float64 // Weight × Value
	Explanation  string  // one sentence in Dutch for the coordinator, such as "2 van de 3 gevraagde thema's worden aangeboden"
}

// MatchScore is an offer's score for a need. Score is the sum of the
// Contributions of the Components, which come in the order of MatchWeights,
// and lies in [0, 1].
type MatchScore struct {
	Score      float64
	Components []ScoreComponent
}

// The stable codes of the components.
const (
	componentThemes      = "THEMES"
	componentForm        = "FORM"
	componentPeriod      = "PERIOD"
	componentCapacity    = "CAPACITY"
	componentProvince    = "PROVINCE"
	componentCooperation = "COOPERATION"
	componentLoad        = "LOAD"
	componentText        = "TEXT"
)

// MatchWeights are the components of a match score and their weights, in
// the order in which a MatchScore lists them. The weights are positive and
// sum to 1, so a score is a weighted average and lies in [0, 1]. Treat it as
// read-only: ScoreMatch reads it, so changing it changes every score.
//
// What each component measures, and why it weighs what it weighs:
//
//   - THEMES (0.35): the share of the need's themes that the offer covers.
//     Expertise on the right theme is what a trajectory exchanges, so it
//     weighs most. Themes the offer has beyond the need cost nothing: a
//     broad offer is not a worse answer. A need without themes gets 0.
//   - FORM (0.10): 1 when the need has no preferred form or the offer can
//     host it, else 0. A preference, not a condition: the coordinator may
//     still propose the other form.
//   - PERIOD (0.15): the share of the desired period, from today on, that
//     falls inside the offer's availability. Days already past cannot be
//     worked any more, so they do not count for or against an offer.
//   - CAPACITY (0.10): the remaining capacity as a share of 19 hours a
//     week, at most 1. A trajectory typically needs a mentor about
//     half-time (19 of 38 hours); more than that does not make an offer
//     better for one need.
//   - PROVINCE (0.10): 1 in the same province. Travel is shorter and the
//     context is alike; the programme does not require it.
//   - COOPERATION (0.05): 1 when the two municipalities cooperated before.
//     An existing relation makes a start easier, but a new one is the
//     programme's aim too, so it weighs little.
//   - LOAD (0.05): 1 / (1 + the trajectories the offering municipality
//     already gives in the open call), so that the work, and the budget,
//     spread over more municipalities.
//   - TEXT (0.10): the Jaccard similarity of the normalised words (see
//     SearchWords) of the need's topics and description and those of the
//     offer. Free text catches what the themes are too coarse for
//     ("uithuiszetting" under RIGHTS_BASED), but it is noisy, so it weighs
//     no more than a single yes/no component.
var MatchWeights = []struct {
	Name   string
	Weight float64
}{
	{componentThemes, 0.35},
	{componentForm, 0.10},
	{componentPeriod, 0.15},
	{componentCapacity, 0.10},
	{componentProvince, 0.10},
	{componentCooperation, 0.05},
	{componentLoad, 0.05},
	{componentText, 0.10},
}

// halfTimeMentor is the weekly capacity at which an offer counts as having
// enough for one trajectory: a mentor about half-time on a 38-hour week.
const halfTimeMentor Hours = 19_00

// ScoreMatch scores offer o for need n on the day today: the date in
// Brussels (a date as DateOf reads it), which decides what part of the
// desired period is still ahead. The day is a parameter, not time.Now, so
// that the rule is a plain function that tests can pin.
// Every component of MatchWeights is in the result, in that order, so the
// coordinator sees each reason, also those that score 0.
//
// Score is the sum of the contributions, added in that order, and nothing
// is rounded or clamped. It needs no clamp: every contribution lies between
// 0 and its weight, floating-point addition never decreases when an addend
// grows, and the weights added in the same order give exactly 1 (a test
// holds that), so the sum lies in [0, 1] exactly.
//
// ScoreMatch scores whatever it is given, also an offer of the need's own
// municipality; RankOffers leaves those out.
func ScoreMatch(n MatchNeed, o MatchOffer, today time.Time) MatchScore {
	s := MatchScore{Components: make([]ScoreComponent, 0, len(MatchWeights))}
	for _, w := range MatchWeights {
		value, explanation := componentValue(w.Name, n, o, today)
		c := ScoreComponent{
			Name:         w.Name,
			Weight:       w.Weight,
			Value:        value,
			Contribution: w.Weight * value,
			Explanation:  explanation,
		}
		s.Score += c.Contribution
		s.Components = append(s.Components, c)
	}
	return s
}

// componentValue returns the value in [0, 1] of one component and its
// explanation.
func componentValue(name string, n MatchNeed, o MatchOffer, today time.Time) (float64, string) {
	switch name {
	case componentThemes:
		return themesValue(n, o)
	case componentForm:
		return formValue(n, o)
	case componentPeriod:
		return periodValue(n, o, today)
	case componentCapacity:
		return capacityValue(o)
	case componentProvince:
		return provinceValue(n, o)
	case componentCooperation:
		return cooperationValue(o)
	case componentLoad:
		return loadValue(o)
	case componentText:
		return textValue(n, o)
	}
	panic("domain: MatchWeights names an unknown component " + name)
}

// sharedThemes counts the distinct themes of the need (asked) and how many
// of them the offer has (shared). Duplicates and empty codes are ignored,
// so that a theme listed twice does not count twice.
func sharedThemes(n MatchNeed, o MatchOffer) (shared, asked int) {
	offered := make(map[string]bool, len(o.Themes))
	for _, t := range o.Themes {
		offered[t] = true
	}
	seen := make(map[string]bool, len(n.Themes))
	for _, t := range n.Themes {
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		asked++
		if offered[t] {
			shared++
		}
	}
	return shared, asked
}

// themesValue is shared ÷ asked. Adding a theme to both sides turns s/k
// into (s+1)/(k+1), which is never less because s ≤ k: covering one more
// theme can only help.
func themesValue(n MatchNeed, o MatchOffer) (float64, string) {
	shared, asked := sharedThemes(n, o)
	switch {
	case asked == 0:
		return 0, "de vraag noemt geen thema's"
	case asked == 1 && shared == 1:
		return 1, "het gevraagde thema wordt aangeboden"
	case asked == 1:
		return 0, "het gevraagde thema wordt niet aangeboden"
	case shared == asked:
		return 1, fmt.Sprintf("alle %d gevraagde thema's worden aangeboden", asked)
	case shared == 0:
		return 0, fmt.Sprintf("geen van de %d gevraagde thema's wordt aangeboden", asked)
	case shared == 1:
		return 1 / float64(asked), fmt.Sprintf("1 van de %d gevraagde thema's wordt aangeboden", asked)
	}
	return float64(shared) / float64(asked), fmt.Sprintf("%d van de %d gevraagde thema's worden aangeboden", shared, asked)
}

func formValue(n MatchNeed, o MatchOffer) (float64, string) {
	switch {
	case n.PreferredForm == "":
		return 1, "de vraag heeft geen voorkeur voor een vorm"
	case slices.Contains(o.Forms, n.PreferredForm):
		return 1, fmt.Sprintf("de gevraagde vorm (%s) wordt aangeboden", formName(n.PreferredForm))
	}
	return 0, fmt.Sprintf("de gevraagde vorm (%s) wordt niet aangeboden", formName(n.PreferredForm))
}

// formName is the Dutch name of a form code.
func formName(code string) string {
	switch code {
	case "MENTORING":
		return "mentoring"
	case "INTERNSHIP":
		return "stage"
	}
	return code
}

// periodValue is the share of the days of the desired period, from today
// on, that fall inside the offer's availability. An offer that can start
// only after the days already past is as good as one that could have
// started earlier: those days are gone for both.
func periodValue(n MatchNeed, o MatchOffer, today time.Time) (float64, string) {
	start, end := dayNumber(n.DesiredStart), dayNumber(n.DesiredEnd)
	if end < start {
		return 0, "de vraag heeft geen geldige gewenste periode"
	}
	from := max(start, dayNumber(today))
	if end < from {
		return 0, fmt.Sprintf("de gewenste periode is voorbij (tot en met %s)", dutchDate(n.DesiredEnd))
	}
	wanted := end - from + 1
	overlap := max(min(end, dayNumber(o.AvailableUntil))-max(from, dayNumber(o.AvailableFrom))+1, 0)

	period := "de gewenste periode"
	if from > start {
		period = "de rest van de gewenste periode"
	}
	period += fmt.Sprintf(" (%s tot en met %s)", dutchDate(dayDate(from)), dutchDate(n.DesiredEnd))
	available := fmt.Sprintf("de beschikbaarheid (%s tot en met %s)", dutchDate(o.AvailableFrom), dutchDate(o.AvailableUntil))
	value := float64(overlap) / float64(wanted)
	switch {
	case overlap == wanted:
		return value, fmt.Sprintf("%s valt helemaal binnen %s", period, available)
	case overlap == 0:
		return value, fmt.Sprintf("geen dag van %s valt binnen %s", period, available)
	case overlap == 1:
		return value, fmt.Sprintf("1 van de %d dagen van %s valt binnen %s", wanted, period, available)
	}
	return value, fmt.Sprintf("%d van de %d dagen van %s vallen binnen %s", overlap, wanted, period, available)
}

func capacityValue(o MatchOffer) (float64, string) {
	remaining := o.RemainingCapacity()
	value := float64(min(remaining, halfTimeMentor)) / float64(halfTimeMentor)
	switch {
	case remaining >= halfTimeMentor:
		return value, fmt.Sprintf("nog %s uur per week vrij: genoeg voor een halftijdse mentor (%s uur)",
			dutchHours(remaining), dutchHours(halfTimeMentor))
	case remaining > 0:
		return value, fmt.Sprintf("nog %s uur per week vrij: minder dan een halftijdse mentor (%s uur)",
			dutchHours(remaining), dutchHours(halfTimeMentor))
	case o.CapacityHoursPerWeek > 0:
		return value, fmt.Sprintf("geen uren meer vrij: %s van de %s uur per week zijn al beloofd",
			dutchHours(o.PromisedHoursPerWeek), dutchHours(o.CapacityHoursPerWeek))
	}
	return value, "het aanbod vermeldt geen uren per week"
}

func provinceValue(n MatchNeed, o MatchOffer) (float64, string) {
	switch {
	case n.Province == "" || o.Province == "":
		// Two unknown provinces are not the same province.
		return 0, "de provincie is niet gekend"
	case n.Province == o.Province:
		return 1, fmt.Sprintf("zelfde provincie (%s)", provinceName(o.Province))
	}
	return 0, fmt.Sprintf("andere provincie: het aanbod komt uit %s, de vraag uit %s",
		provinceName(o.Province), provinceName(n.Province))
}

// provinceName is the Dutch name of a province code.
func provinceName(code string) string {
	switch code {
	case "ANTWERPEN":
		return "Antwerpen"
	case "LIMBURG":
		return "Limburg"
	case "OOST_VLAANDEREN":
		return "Oost-Vlaanderen"
	case "VLAAMS_BRABANT":
		return "Vlaams-Brabant"
	case "WEST_VLAANDEREN":
		return "West-Vlaanderen"
	}
	return code
}

func cooperationValue(o MatchOffer) (float64, string) {
	if o.EarlierCooperations >= 1 {
		return 1, fmt.Sprintf("de besturen werkten al %d keer samen", o.EarlierCooperations)
	}
	return 0, "de besturen werkten nog niet samen"
}

func loadValue(o MatchOffer) (float64, string) {
	load := max(o.OpenCallLoad, 0) // a negative count is nonsense; it must not score above 1
	value := 1 / (1 + float64(load))
	switch load {
	case 0:
		return value, "het gevende bestuur geeft nog geen trajecten in de lopende oproep"
	case 1:
		return value, "het gevende bestuur geeft al 1 traject in de lopende oproep"
	}
	return value, fmt.Sprintf("het gevende bestuur geeft al %d trajecten in de lopende oproep", load)
}

// maxWordsExplained is how many shared words a TEXT explanation lists.
const maxWordsExplained = 8

// textValue is the Jaccard similarity |A ∩ B| ÷ |A ∪ B| of the normalised
// word sets (SearchWords) of the need's text and the offer's. Jaccard rather
// than a count of shared words, so that a long description does not win by
// length alone. The explanation lists the shared words as the need writes
// them: a stem such as "signa" means nothing to the coordinator.
func textValue(n MatchNeed, o MatchOffer) (float64, string) {
	needWords := map[string]string{} // stem → the word as the need first writes it
	eachWord(matchText(n.Topics, n.Description), func(stem, written string) {
		if _, ok := needWords[stem]; !ok {
			needWords[stem] = written
		}
	})
	offerWords := map[string]bool{}
	eachWord(matchText(o.Topics, o.Description), func(stem, _ string) { offerWords[stem] = true })
	var shared []string
	for stem, written := range needWords {
		if offerWords[stem] {
			shared = append(shared, written)
		}
	}
	union := len(needWords) + len(offerWords) - len(shared)
	switch {
	case union == 0:
		return 0, "er is geen tekst om te vergelijken"
	case len(shared) == 0:
		return 0, "geen gemeenschappelijke woorden"
	}
	value := float64(len(shared)) / float64(union)
	slices.Sort(shared)
	listed := strings.Join(shared[:min(len(shared), maxWordsExplained)], ", ")
	if len(shared) > maxWordsExplained {
		listed += ", …"
	}
	return value, fmt.Sprintf("%d van de %d woorden gemeenschappelijk: %s", len(shared), union, listed)
}

// matchText is the text of a need or an offer for TEXT: its topics and its
// description.
func matchText(topics []string, description string) string {
	return strings.Join(append(slices.Clip(topics), description), "\n")
}

// RankedOffer is one offer in a ranking: its index in the offers given to
// RankOffers and its score for the need.
type RankedOffer struct {
	Index int
	MatchScore
}

// scoreResolution is the step at which RankOffers compares scores: scores
// that agree to nine decimals are a tie.
const scoreResolution = 1e-9

// RankOffers scores every offer for need n on the day today and returns
// them best first, each with its index in offers, so the caller can show
// the scores and their explanations without scoring again.
//
// Offers of the need's own municipality are left out: a trajectory is
// between two municipalities, and such an offer would otherwise rank high
// (same province, same words). The result therefore can be shorter than
// offers.
//
// Ties are broken by a stable rule: more shared themes first, then the
// lower index (the caller's order, such as the oldest offer first). Scores
// count as tied when they agree to nine decimals, so that two scores that
// are equal on paper but were summed from different components (0.175 +
// 0.025 and 0.1 + 0.05 + 0.05) and differ in the last bit are decided by
// the rule, not by floating-point noise.
func RankOffers(n MatchNeed, offers []MatchOffer, today time.Time) []RankedOffer {
	type entry struct {
		RankedOffer
		key    float64 // the score on the grid of scoreResolution
		shared int
	}
	entries := make([]entry, 0, len(offers))
	for i, o := range offers {
		if o.Municipality != "" && o.Municipality == n.Municipality {
			continue
		}
		s := ScoreMatch(n, o, today)
		shared, _ := sharedThemes(n, o)
		entries = append(entries, entry{
			RankedOffer: RankedOffer{Index: i, MatchScore: s},
			key:         math.Round(s.Score / scoreResolution),
			shared:      shared,
		})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := cmp.Compare(b.key, a.key); c != 0 {
			return c
		}
		if c := cmp.Compare(b.shared, a.shared); c != 0 {
			return c
		}
		return cmp.Compare(a.Index, b.Index)
	})
	ranked := make([]RankedOffer, len(entries))
	for i, e := range entries {
		ranked[i] = e.RankedOffer
	}
	return ranked
}

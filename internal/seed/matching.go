package seed

import (
	"context"
	"fmt"
	"time"

	"wisselaar/domain"
	"wisselaar/ent/call"
	"wisselaar/ent/need"
	"wisselaar/ent/offer"
)

// The current programme year, for the coordinator's side: an open call, and
// open offers and needs among the demo municipalities. All invented, and
// dated from the day the demo data is loaded, so that `go run .` always has
// something to match. The supply is short on participation (three
// municipalities need it, one offers it) and on impact measurement.

// openCall is the call of the year the demo data is loaded in, open for
// the whole year, with the money rules of 2022.
func openCall(now time.Time) callData {
	year := domain.BrusselsDate(now).Year()
	return callData{
		name:     fmt.Sprintf("De Wisselaar %d", year),
		year:     year,
		opensAt:  brussels(year, time.January, 1, 0, 0, 0),
		closesAt: brussels(year, time.December, 31, 23, 59, 59),
		budget:   domain.Euro(250_000),
		cap:      domain.Euro(50_000),
		percent:  50,
	}
}

// offerData is an open offer of a demo municipality. Its period runs from
// the day the demo data is loaded for months months.
type offerData struct {
	municipality string
	description  string
	topics       []string
	themes       []string
	forms        []string
	hours        domain.Hours
	months       int
	mentors      []*mentorData
}

// needData is an open need. Its desired period starts a month after the
// day the demo data is loaded and runs for months months.
type needData struct {
	municipality  string
	description   string
	topics        []string
	themes        []string
	preferredForm string // "" for either
	months        int
}

var offers = []offerData{
	{
		municipality: deinze,
		description: "Uithuiszettingen voorkomen: signalen van de sociale huisvestingsmaatschappij en de vrederechter " +
			"samen opvolgen, binnen de week een huisbezoek, en afspraken met verhuurders.",
		topics: []string{"uithuiszetting", "dakloosheid", "woonbegeleiding"},
		themes: []string{localCoordination, rightsBased}, forms: []string{"MENTORING", "INTERNSHIP"},
		hours: 19_00, months: 9, mentors: []*mentorData{deinzePrevention},
	},
	{
		municipality: mechelen,
		description: "Organisatieontwikkeling van de sociale dienst: teamsamenstelling, een heldere basiswerking " +
			"en een visietraject met de medewerkers.",
		topics: []string{"reorganisatie", "sociale dienst"},
		themes: []string{organisationalEmbedding, goodPractices}, forms: []string{"MENTORING"},
		hours: 30_00, months: 10, mentors: []*mentorData{mechelenHead, mechelenTeamLead},
	},
	{
		municipality: oostende,
		description:  "Voedselbedeling herdenken tot een sociale kruidenier, met doorverwijzing naar het OCMW en het opnemen van rechten.",
		topics:       []string{"voedselbedeling", "sociale kruidenier"},
		themes:       []string{goodPractices, rightsBased}, forms: []string{"INTERNSHIP"},
		hours: 10_00, months: 8, mentors: []*mentorData{oostendeFood},
	},
	{
		municipality: roeselare,
		description:  "De sociale balans en referentiebudgetten (REMI) gebruiken om steun op maat te geven en het effect ervan te meten.",
		topics:       []string{"referentiebudgetten", "REMI"},
		themes:       []string{dataAndTools, impactMeasurement}, forms: []string{"MENTORING"},
		hours: 15_00, months: 9, mentors: []*mentorData{roeselareBudget},
	},
	{
		municipality: beerse,
		description: "Een armoedebeleid opbouwen samen met ervaringsdeskundigen, en meten wat het lokaal verandert: " +
			"een participatieraad, een nulmeting en een jaarlijkse opvolging.",
		topics: []string{"ervaringsdeskundigen", "nulmeting"},
		themes: []string{participation, impactMeasurement}, forms: []string{"MENTORING", "INTERNSHIP"},
		hours: 19_00, months: 9, mentors: []*mentorData{beersePolicy},
	},
	{
		municipality: kortrijk,
		description:  "Signalen van eerstelijnsdiensten (loketten, scholen, huisartsen) opvangen en geïntegreerd opvolgen.",
		topics:       []string{"signalen", "eerstelijn"},
		themes:       []string{integratedPolicy, localCoordination}, forms: []string{"MENTORING"},
		hours: 19_00, months: 8, mentors: []*mentorData{kortrijkFirstLine},
	},
}

var needs = []needData{
	{
		municipality: vilvoorde,
		description:  "We willen meten wat onze armoedeacties opleveren, met cijfers die we al hebben.",
		topics:       []string{"impactmeting"},
		themes:       []string{impactMeasurement, dataAndTools}, preferredForm: "MENTORING", months: 5,
	},
	{
		municipality: liedekerke,
		description:  "Mensen in armoede structureel betrekken bij ons beleid.",
		topics:       []string{"ervaringsdeskundigen"},
		themes:       []string{participation}, months: 6,
	},
	{
		municipality: oudTurnhout,
		description:  "Een participatietraject met gezinnen in armoede opzetten en opvolgen wat het oplevert.",
		topics:       []string{"participatie"},
		themes:       []string{participation, impactMeasurement}, months: 6,
	},
	{
		municipality: ronse,
		description:  "Rechten automatisch toekennen: wie recht heeft op een verhoogde tegemoetkoming, moet er niets voor doen.",
		topics:       []string{"automatische rechtentoekenning"},
		themes:       []string{rightsBased}, preferredForm: "INTERNSHIP", months: 4,
	},
	{
		municipality: brugge,
		description:  "Onze voedselbedeling ombouwen tot een sociale kruidenier.",
		topics:       []string{"voedselbedeling"},
		themes:       []string{goodPractices}, months: 5,
	},
}

// matching loads the open call, offers and needs. An offer or need is known
// by its municipality and description; the call by its name.
func (l *loader) matching(ctx context.Context, now time.Time) error {
	c := l.c
	k := openCall(now)
	if _, err := ensure(ctx,
		c.Call.Query().Where(call.Name(k.name)).Only,
		c.Call.Create().SetName(k.name).SetYear(k.year).SetOpensAt(k.opensAt).SetClosesAt(k.closesAt).
			SetBudget(k.budget).SetPerProjectCap(k.cap).SetCompensationPercent(k.percent).Save); err != nil {
		return fmt.Errorf("call %s: %w", k.name, err)
	}
	today := domain.BrusselsDate(now)
	for _, o := range offers {
		municipalityID := l.municipalities[o.municipality]
		var mentorIDs []int
		for _, m := range o.mentors {
			id, err := l.mentor(ctx, m)
			if err != nil {
				return err
			}
			mentorIDs = append(mentorIDs, id)
		}
		if _, err := ensure(ctx,
			c.Offer.Query().Where(offer.MunicipalityID(municipalityID), offer.Description(o.description)).Only,
			c.Offer.Create().
				SetMunicipalityID(municipalityID).SetDescription(o.description).SetTopics(o.topics).
				SetForms(o.forms).SetCapacityHoursPerWeek(o.hours).
				SetAvailableFrom(today).SetAvailableUntil(today.AddDate(0, o.months, 0)).
				AddThemeIDs(l.themeIDs(o.themes)...).AddMentorIDs(mentorIDs...).Save); err != nil {
			return fmt.Errorf("offer of %s: %w", o.municipality, err)
		}
	}
	for _, n := range needs {
		municipalityID := l.municipalities[n.municipality]
		start := today.AddDate(0, 1, 0)
		create := c.Need.Create().
			SetMunicipalityID(municipalityID).SetDescription(n.description).SetTopics(n.topics).
			SetDesiredStart(start).SetDesiredEnd(start.AddDate(0, n.months, -1)).
			AddThemeIDs(l.themeIDs(n.themes)...)
		if n.preferredForm != "" {
			create.SetPreferredForm(need.PreferredForm(n.preferredForm))
		}
		if _, err := ensure(ctx,
			c.Need.Query().Where(need.MunicipalityID(municipalityID), need.Description(n.description)).Only,
			create.Save); err != nil {
			return fmt.Errorf("need of %s: %w", n.municipality, err)
		}
	}
	return nil
}

func (l *loader) themeIDs(codes []string) []int {
	ids := make([]int, len(codes))
	for i, code := range codes {
		ids[i] = l.themes[code]
	}
	return ids
}

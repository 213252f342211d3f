package testutil

import (
	"context"
	"fmt"
	"time"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/call"
	"wisselaar/ent/document"
	"wisselaar/ent/grant"
	"wisselaar/ent/mentor"
	"wisselaar/ent/municipality"
	"wisselaar/ent/need"
	"wisselaar/ent/offer"
	"wisselaar/ent/theme"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/grantcalc"
	"wisselaar/internal/seed"
)

// ScenarioCall is the name of the call LoadScenario adds.
const ScenarioCall = "Scenario 2026"

// LoadScenario loads the demo data and adds a call, "Scenario 2026", with
// trajectories in every state the demo data lacks: proposed, matched with a
// plan (from an offer and a need), agreed with a reserved and a waitlisted
// application, running with an approved grant, an advance and recorded
// hours, and cancelled; and a withdrawn offer and an expired need. Each has
// its mentors, salaries and calculation lines, so that every kind of hidden
// data is there to hide. Every moment is fixed: two
// databases loaded with it differ only in their IDs' order of creation,
// which is the same.
func LoadScenario(ctx context.Context, client *ent.Client) error {
	if err := seed.Load(ctx, client); err != nil {
		return err
	}
	ctx = viewer.SystemContext(ctx)
	tx, err := client.Tx(ctx)
	if err != nil {
		return err
	}
	if err := loadScenario(ctx, tx.Client()); err != nil {
		return fmt.Errorf("scenario: %w (%v)", err, tx.Rollback())
	}
	return tx.Commit()
}

// at is a fixed moment in 2026, Brussels summer time.
func at(month time.Month, day, hour int) time.Time {
	return time.Date(2026, month, day, hour, 0, 0, 0, time.FixedZone("CEST", 2*3600))
}

func day(month time.Month, d int) time.Time { return time.Date(2026, month, d, 0, 0, 0, 0, time.UTC) }

// scenarioTrajectory is one trajectory of the scenario.
type scenarioTrajectory struct {
	giving, receiving string // NIS codes
	title, plan       string
	status            trajectory.Status
	themes            []string
	mentors           []scenarioMentor
	grant             *scenarioGrant
	hours             []domain.Hours // recorded per month, from July, per mentor
}

type scenarioMentor struct {
	name, email, job string
	cost             domain.Money
	planned          domain.Hours
}

type scenarioGrant struct {
	status    string
	requested domain.Money
	awarded   *domain.Money
	advance   domain.Money
}

var scenario = []scenarioTrajectory{
	{
		giving: "12025", receiving: "24062", status: trajectory.StatusMATCHED,
		title:  "Schuldhulp in de eerste lijn",
		plan:   "Intake samen opzetten; wekelijkse intervisie met de schuldbemiddelaars.",
		themes: []string{"RIGHTS_BASED"},
		mentors: []scenarioMentor{{"Els Wouters", "els.wouters@mechelen.example", "schuldbemiddelaar",
			domain.Euro(5_900), domain.Hours(1600)}},
	},
	{
		giving: "34022", receiving: "36015", status: trajectory.StatusAGREED,
		title:  "Armoedetoets bij nieuw beleid",
		plan:   "Toetsingskader uitschrijven en op twee beslissingen uitproberen.",
		themes: []string{"INTEGRATED_POLICY", "IMPACT_MEASUREMENT"},
		mentors: []scenarioMentor{{"Bram Declercq", "bram.declercq@kortrijk.example", "beleidsadviseur armoede",
			domain.Euro(6_400), domain.Hours(1900)}},
		grant: &scenarioGrant{status: "RESERVED", requested: domain.Money(1_234_567)},
	},
	{
		giving: "35013", receiving: "31005", status: trajectory.StatusAGREED,
		title:  "Sociale kruidenier met buurtwerking",
		plan:   "Aanbod en doorverwijzing afstemmen met het OCMW.",
		themes: []string{"GOOD_PRACTICES"},
		mentors: []scenarioMentor{{"Nora El Amrani", "nora.elamrani@oostende.example", "coördinator voedselbedeling",
			domain.Euro(5_600), domain.Hours(3800)}},
		grant: &scenarioGrant{status: "WAITLISTED", requested: domain.Euro(40_000)},
	},
	{
		giving: "44083", receiving: "12025", status: trajectory.StatusRUNNING,
		title:  "Uithuiszettingen voorkomen met de vrederechter",
		plan:   "Signalen van de huisvestingsmaatschappij opvolgen binnen de week.",
		themes: []string{"LOCAL_COORDINATION", "RIGHTS_BASED"},
		mentors: []scenarioMentor{
			{"Lotte Vermeersch", "lotte.vermeersch@deinze.example", "maatschappelijk werker wonen", domain.Euro(5_200), domain.Hours(1900)},
			{"Tom Goossens", "tom.goossens@deinze.example", "diensthoofd welzijn", domain.Euro(7_100), domain.Hours(800)},
		},
		grant: &scenarioGrant{status: "APPROVED", requested: domain.Euro(21_000), awarded: ptr(domain.Euro(20_000)), advance: domain.Euro(10_000)},
		hours: []domain.Hours{8000, 3200},
	},
	{
		giving: "13003", receiving: "23088", status: trajectory.StatusPROPOSED,
		title:  "Digitaal sociaal dossier",
		themes: []string{"DATA_AND_TOOLS"},
	},
	{
		giving: "13004", receiving: "23044", status: trajectory.StatusCANCELLED,
		title:  "Participatieraad met ervaringsdeskundigen",
		plan:   "Drie avonden met de raad, daarna een advies aan het college.",
		themes: []string{"PARTICIPATION"},
		mentors: []scenarioMentor{{"Jef Peeters", "jef.peeters@beerse.example", "participatiemedewerker",
			domain.Euro(4_900), domain.Hours(1000)}},
	},
}

func ptr[T any](v T) *T { return &v }

func loadScenario(ctx context.Context, c *ent.Client) error {
	call, err := c.Call.Create().
		SetName(ScenarioCall).SetYear(2026).
		SetOpensAt(at(time.March, 1, 0)).SetClosesAt(at(time.December, 31, 23)).
		SetBudget(domain.Euro(60_000)).SetPerProjectCap(domain.Euro(50_000)).SetCompensationPercent(50).
		SetCreatedAt(at(time.February, 1, 9)).SetUpdatedAt(at(time.February, 1, 9)).
		Save(ctx)
	if err != nil {
		return err
	}
	for i, s := range scenario {
		if err := loadScenarioTrajectory(ctx, c, call, i, s); err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
	}
	if err := loadScenarioDossiers(ctx, c); err != nil {
		return fmt.Errorf("dossiers: %w", err)
	}
	if err := loadScenarioMatching(ctx, c); err != nil {
		return err
	}
	return loadScenarioWebhooks(ctx, c)
}

// ScenarioWebhookOwner is the subject of the partner tool that owns the
// scenario's webhook: none of the demo users, so none of them may read it.
const ScenarioWebhookOwner = "other-partner-tool"

// loadScenarioWebhooks registers a webhook of another partner tool, with
// one event delivered and one that failed.
func loadScenarioWebhooks(ctx context.Context, c *ent.Client) error {
	h, err := c.Webhook.Create().SetOwnerSubject(ScenarioWebhookOwner).
		SetURL("https://partner.example/hooks").SetEvents([]string{"grant.changed"}).
		SetSecret("whsec_c2NlbmFyaW8tc2VjcmV0LXNjZW5hcmlvLXNlY3JldA==").
		SetCreatedAt(at(time.May, 2, 9)).SetUpdatedAt(at(time.May, 2, 9)).Save(ctx)
	if err != nil {
		return err
	}
	return c.WebhookDelivery.CreateBulk(
		c.WebhookDelivery.Create().SetWebhookID(h.ID).SetEventID("msg_scenario1").SetEventType("grant.changed").
			SetPayload(`{"type":"grant.changed"}`).SetAttempts(1).SetStatusCode(204).
			SetAttemptedAt(at(time.May, 3, 9)).SetDeliveredAt(at(time.May, 3, 9)).
			SetCreatedAt(at(time.May, 3, 9)).SetUpdatedAt(at(time.May, 3, 9)),
		c.WebhookDelivery.Create().SetWebhookID(h.ID).SetEventID("msg_scenario2").SetEventType("grant.changed").
			SetPayload(`{"type":"grant.changed"}`).SetAttempts(3).SetStatusCode(500).SetError("the endpoint answered 500").
			SetAttemptedAt(at(time.May, 4, 9)).
			SetCreatedAt(at(time.May, 4, 9)).SetUpdatedAt(at(time.May, 4, 9)),
	).Exec(ctx)
}

// scenarioPlan is a structured action plan with two indicators.
func scenarioPlan(title string, due time.Time) domain.ActionPlan {
	return domain.ActionPlan{
		Goals:   []domain.Goal{{Description: "Doel van " + title}},
		Actions: []domain.PlanAction{{What: "Eerste stap van " + title, Side: domain.Receiving, Due: due}},
		Indicators: []domain.Indicator{
			{Name: "Wachttijd", Unit: "dagen", Baseline: 20, Target: 10},
			{Name: "Bereik", Unit: "%", Baseline: 30, Target: 60},
		},
	}
}

// loadScenarioDossiers gives trajectories the dossier the demo data lacks:
// a structured plan on the matched and the agreed trajectories (the agreed
// one signed on its version), a document on each, and plans with the
// indicators' results on the first two completed trajectories of the demo
// data.
func loadScenarioDossiers(ctx context.Context, c *ent.Client) error {
	ts, err := c.Trajectory.Query().Where(trajectory.HasCallWith(call.Name(ScenarioCall)),
		trajectory.StatusIn(trajectory.StatusMATCHED, trajectory.StatusAGREED)).Order(trajectory.ByID()).All(ctx)
	if err != nil {
		return err
	}
	for i, t := range ts {
		p := scenarioPlan(t.Title, t.PlannedStart)
		p.Text = t.ActionPlan
		u := t.Update().SetPlan(p).SetPlanVersion(1 + i).SetUpdatedAt(t.UpdatedAt)
		if t.Status == trajectory.StatusAGREED {
			u.SetAgreedPlanVersion(1 + i).SetAgreedPlanSha256(p.SHA256())
		}
		if err := u.Exec(ctx); err != nil {
			return err
		}
		kind := document.KindACTION_PLAN
		if t.Status == trajectory.StatusAGREED {
			kind = document.KindAGREEMENT_SIGNED
		}
		if err := c.Document.Create().SetTrajectoryID(t.ID).SetKind(kind).SetFilename(fmt.Sprintf("dossier-%d.pdf", i+1)).
			SetContentType("application/pdf").SetSize(int64(1000 + i)).SetSha256(fmt.Sprintf("%064x", 1000+i)).
			SetStorageKey(fmt.Sprintf("documents/scenario-%d", i+1)).SetUploadedBy("scenario").
			SetCreatedAt(at(time.May, 1+i, 9)).SetUpdatedAt(at(time.May, 1+i, 9)).Exec(ctx); err != nil {
			return err
		}
	}
	done, err := c.Trajectory.Query().Where(trajectory.StatusEQ(trajectory.StatusCOMPLETED)).Order(trajectory.ByID()).Limit(2).All(ctx)
	if err != nil {
		return err
	}
	for i, t := range done {
		p := scenarioPlan(t.Title, t.PlannedStart)
		p.Text = t.ActionPlan
		results := []domain.IndicatorResult{{Indicator: 1, Result: float64(12 - 2*i)}, {Indicator: 2, Result: float64(45 + 20*i)}}
		if err := t.Update().SetUpdatedAt(t.UpdatedAt).SetPlan(p).SetPlanVersion(1).SetAgreedPlanVersion(1).SetAgreedPlanSha256(p.SHA256()).
			SetIndicatorResults(results).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// loadScenarioMatching adds offers and needs in the states the demo data
// lacks: the matched offer and need behind the Mechelen → Leuven trajectory
// of the scenario, an offer Kortrijk withdrew and a need of Ronse that
// expired.
func loadScenarioMatching(ctx context.Context, c *ent.Client) error {
	id := func(nis string) int { return c.Municipality.Query().Where(municipality.NisCode(nis)).OnlyIDX(ctx) }
	themes := c.Theme.Query().Where(theme.CodeIn("RIGHTS_BASED")).IDsX(ctx)
	mechelenMentor := c.Mentor.Query().Where(mentor.Email("els.wouters@mechelen.example")).OnlyIDX(ctx)
	matched, err := c.Offer.Create().
		SetMunicipalityID(id("12025")).SetDescription("Schuldhulp in de eerste lijn: intake en intervisie.").
		SetTopics([]string{"schuldhulp"}).SetForms([]string{"MENTORING"}).SetCapacityHoursPerWeek(domain.Hours(1600)).
		SetAvailableFrom(day(time.March, 1)).SetAvailableUntil(day(time.December, 31)).SetStatus(offer.StatusMATCHED).
		AddThemeIDs(themes...).AddMentorIDs(mechelenMentor).
		SetCreatedAt(at(time.March, 1, 9)).SetUpdatedAt(at(time.April, 2, 9)).Save(ctx)
	if err != nil {
		return err
	}
	need1, err := c.Need.Create().
		SetMunicipalityID(id("24062")).SetDescription("Onze schuldhulp moet sneller en dichter bij de mensen.").
		SetTopics([]string{"schuldhulp"}).SetPreferredForm(need.PreferredFormMENTORING).
		SetDesiredStart(day(time.July, 1)).SetDesiredEnd(day(time.October, 31)).SetStatus(need.StatusMATCHED).
		AddThemeIDs(themes...).
		SetCreatedAt(at(time.March, 2, 9)).SetUpdatedAt(at(time.April, 2, 9)).Save(ctx)
	if err != nil {
		return err
	}
	if err := c.Trajectory.Update().Where(trajectory.Title("Schuldhulp in de eerste lijn")).
		SetOfferID(matched.ID).SetNeedID(need1.ID).SetOfferHoursPerWeek(domain.Hours(1600)).Exec(ctx); err != nil {
		return err
	}
	if _, err := c.Offer.Create().
		SetMunicipalityID(id("34022")).SetDescription("Activering naar werk met een jobcoach op de sociale dienst.").
		SetTopics([]string{"activering"}).SetForms([]string{"MENTORING", "INTERNSHIP"}).SetCapacityHoursPerWeek(domain.Hours(1000)).
		SetAvailableFrom(day(time.February, 1)).SetAvailableUntil(day(time.November, 30)).SetStatus(offer.StatusWITHDRAWN).
		AddThemeIDs(themes...).AddMentorIDs(c.Mentor.Query().Where(mentor.Email("dries.verhaeghe@kortrijk.example")).OnlyIDX(ctx)).
		SetCreatedAt(at(time.February, 1, 9)).SetUpdatedAt(at(time.February, 20, 9)).Save(ctx); err != nil {
		return err
	}
	_, err = c.Need.Create().
		SetMunicipalityID(id("45041")).SetDescription("Een laagdrempelig loket voor energiearmoede.").
		SetTopics([]string{"energiearmoede"}).
		SetDesiredStart(time.Date(2025, time.March, 1, 0, 0, 0, 0, time.UTC)).
		SetDesiredEnd(time.Date(2025, time.June, 30, 0, 0, 0, 0, time.UTC)).SetStatus(need.StatusEXPIRED).
		AddThemeIDs(themes...).
		SetCreatedAt(time.Date(2025, time.February, 1, 9, 0, 0, 0, time.UTC)).
		SetUpdatedAt(time.Date(2025, time.July, 1, 0, 1, 0, 0, time.UTC)).Save(ctx)
	return err
}

func loadScenarioTrajectory(ctx context.Context, c *ent.Client, call *ent.Call, i int, s scenarioTrajectory) error {
	created := at(time.April, 1+i, 10)
	municipalityID := func(nis string) (int, error) {
		return c.Municipality.Query().Where(municipality.NisCode(nis)).OnlyID(ctx)
	}
	giving, err := municipalityID(s.giving)
	if err != nil {
		return err
	}
	receiving, err := municipalityID(s.receiving)
	if err != nil {
		return err
	}
	themes, err := c.Theme.Query().Where(theme.CodeIn(s.themes...)).IDs(ctx)
	if err != nil {
		return err
	}
	create := c.Trajectory.Create().
		SetTitle(s.title).SetDescription("Scenario: " + s.title).
		SetForm(trajectory.FormMENTORING).SetStatus(s.status).
		SetPlannedStart(day(time.July, 1)).SetPlannedEnd(day(time.October, 31)).
		SetGivingID(giving).SetReceivingID(receiving).SetCallID(call.ID).AddThemeIDs(themes...).
		SetCreatedAt(created).SetUpdatedAt(created.Add(time.Hour))
	if s.plan != "" {
		create.SetActionPlan(s.plan)
	}
	switch s.status {
	case trajectory.StatusAGREED, trajectory.StatusRUNNING:
		create.SetGivingSignedAt(created.Add(24 * time.Hour)).SetReceivingSignedAt(created.Add(48 * time.Hour))
	case trajectory.StatusPROPOSED:
		create.SetGivingAcceptedAt(created.Add(2 * time.Hour))
	case trajectory.StatusCANCELLED:
		create.SetEndedAt(created.Add(72 * time.Hour))
	}
	if s.status == trajectory.StatusRUNNING {
		create.SetStartedAt(at(time.July, 1, 9))
	}
	t, err := create.Save(ctx)
	if err != nil {
		return err
	}
	var lines []grantcalc.Line
	for j, m := range s.mentors {
		mentor, err := c.Mentor.Create().
			SetName(m.name).SetEmail(m.email).SetJobTitle(m.job).SetMunicipalityID(giving).
			SetCreatedAt(created).SetUpdatedAt(created).
			Save(ctx)
		if err != nil {
			return err
		}
		if _, err := c.Salary.Create().
			SetMentorID(mentor.ID).SetMonthlyCost(m.cost).SetWeeklyHours(domain.Hours(3800)).
			SetValidFrom(day(time.January, 1)).SetCreatedAt(created).SetUpdatedAt(created).
			Save(ctx); err != nil {
			return err
		}
		if _, err := c.Assignment.Create().
			SetTrajectoryID(t.ID).SetMentorID(mentor.ID).SetPlannedWeeklyHours(m.planned).
			SetCreatedAt(created).SetUpdatedAt(created).
			Save(ctx); err != nil {
			return err
		}
		lines = append(lines, grantcalc.Line{
			MentorID: mentor.ID, Month: "2026-07", From: day(time.July, 1), To: day(time.July, 31),
			MonthlyCost: m.cost, WeeklyHours: domain.Hours(3800), PlannedWeeklyHours: ptr(m.planned),
			Share: "1/2", Amount: m.cost / 4,
		})
		if j < len(s.hours) {
			if _, err := c.TimeEntry.Create().
				SetTrajectoryID(t.ID).SetMentorID(mentor.ID).SetMonth("2026-07").SetHours(s.hours[j]).
				SetCreatedAt(at(time.August, 1, 9)).SetUpdatedAt(at(time.August, 1, 9)).
				Save(ctx); err != nil {
				return err
			}
		}
	}
	if s.grant == nil {
		return nil
	}
	g := c.Grant.Create().
		SetTrajectoryID(t.ID).SetCallID(call.ID).SetStatus(grant.Status(s.grant.status)).
		SetSubmittedAt(created.Add(96 * time.Hour)).SetRequested(s.grant.requested).
		SetCalculation(grantcalc.Calculation{
			Total: s.grant.requested, Uncapped: s.grant.requested,
			CompensationPercent: 50, PerProjectCap: domain.Euro(50_000), Lines: lines,
		}).
		SetPaid(s.grant.advance).
		SetCreatedAt(created.Add(96 * time.Hour)).SetUpdatedAt(created.Add(120 * time.Hour))
	if s.grant.awarded != nil {
		g.SetAwarded(*s.grant.awarded).SetDecidedAt(created.Add(120 * time.Hour)).SetDecisionReason("Goedgekeurd.")
	}
	saved, err := g.Save(ctx)
	if err != nil {
		return err
	}
	if s.grant.advance > 0 {
		_, err = c.Payment.Create().
			SetGrantID(saved.ID).SetAmount(s.grant.advance).SetPaidOn(day(time.July, 15)).
			SetCreatedAt(at(time.July, 15, 9)).SetUpdatedAt(at(time.July, 15, 9)).
			Save(ctx)
	}
	return err
}

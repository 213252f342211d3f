package seed

import (
	"time"

	"wisselaar/domain"
	"wisselaar/ent/municipality"
)

// This file holds the demo data as plain values. What is public comes from
// design/DOMAIN.md ("Real data"): the municipalities, the themes, the calls
// of 2022, the eleven trajectories and their awarded amounts. Everything
// about people is invented: the mentors, their salaries, the planned and
// recorded hours, the signatures and the texts of action plans and
// evaluation reports. The invented figures are tuned so that the grant rules
// reproduce the real awarded amounts (see plan.go, which checks it).

// municipalityData is one local government.
type municipalityData struct {
	nis      string
	name     string
	province municipality.Province
}

// municipalities are the thirteen local governments of the first two
// project years. KBO numbers are left out on purpose: a made-up enterprise
// number would belong to some real enterprise.
var municipalities = []municipalityData{
	{"12025", "Mechelen", municipality.ProvinceAntwerpen},
	{"24062", "Leuven", municipality.ProvinceVlaamsBrabant},
	{"23088", "Vilvoorde", municipality.ProvinceVlaamsBrabant},
	{"13003", "Balen", municipality.ProvinceAntwerpen},
	{"45041", "Ronse", municipality.ProvinceOostVlaanderen},
	{"36015", "Roeselare", municipality.ProvinceWestVlaanderen},
	{"34022", "Kortrijk", municipality.ProvinceWestVlaanderen},
	{"13031", "Oud-Turnhout", municipality.ProvinceAntwerpen},
	{"35013", "Oostende", municipality.ProvinceWestVlaanderen},
	{"13004", "Beerse", municipality.ProvinceAntwerpen},
	{"23044", "Liedekerke", municipality.ProvinceVlaamsBrabant},
	{"44083", "Deinze", municipality.ProvinceOostVlaanderen},
	{"31005", "Brugge", municipality.ProvinceWestVlaanderen},
}

// publishedAt is when the coordinator published the trajectory (invented):
// a month after its planned end, once the evaluation was in.
func (t trajectoryData) publishedAt() time.Time { return t.end.AddDate(0, 1, 0) }

// NIS codes used below, named so the trajectory table reads like DOMAIN.md.
const (
	mechelen    = "12025"
	leuven      = "24062"
	vilvoorde   = "23088"
	balen       = "13003"
	ronse       = "45041"
	roeselare   = "36015"
	kortrijk    = "34022"
	oudTurnhout = "13031"
	oostende    = "35013"
	beerse      = "13004"
	liedekerke  = "23044"
	deinze      = "44083"
	brugge      = "31005"
)

// themeData is one theme of the call.
type themeData struct {
	code   string
	name   string // Dutch, as the call words it
	nameEN string
}

// Theme codes, stable identifiers that clients may rely on.
const (
	localCoordination       = "LOCAL_COORDINATION"
	participation           = "PARTICIPATION"
	dataAndTools            = "DATA_AND_TOOLS"
	rightsBased             = "RIGHTS_BASED"
	goodPractices           = "GOOD_PRACTICES"
	integratedPolicy        = "INTEGRATED_POLICY"
	impactMeasurement       = "IMPACT_MEASUREMENT"
	organisationalEmbedding = "ORGANISATIONAL_EMBEDDING"
)

// themes are the eight themes of the call, in the call's order.
var themes = []themeData{
	{localCoordination, "Lokale regie", "Local coordination"},
	{participation, "Participatief werken met mensen in armoede", "Participatory work with people in poverty"},
	{dataAndTools, "Werken met relevante data en tools", "Working with relevant data and tools"},
	{rightsBased, "Rechtengerichte aanpak van armoede", "Rights-based approach to poverty"},
	{goodPractices, "Specifieke goede praktijken en acties", "Specific good practices and actions"},
	{integratedPolicy, "Transversaal en integraal beleid", "Transversal and integrated policy"},
	{impactMeasurement, "Impactmeting", "Impact measurement"},
	{organisationalEmbedding, "Organisatorische inbedding", "Organisational embedding"},
}

// callData is one yearly call with its rules.
type callData struct {
	name     string
	year     int
	opensAt  time.Time
	closesAt time.Time
	budget   domain.Money
	cap      domain.Money
	percent  int
}

// rule returns the compensation rule of the call.
func (c callData) rule() domain.Rule { return domain.Rule{Percent: c.percent, Cap: c.cap} }

// window returns the application window of the call.
func (c callData) window() domain.Window {
	return domain.Window{OpensAt: c.opensAt, ClosesAt: c.closesAt}
}

const (
	call2022 = "De Wisselaar 2022"
	call2023 = "De Wisselaar 2023"
)

// calls are the calls of project years 1.0 and 2.0. The 2022 call is the
// published one. No public source gives the window of the 2023 call: its
// dates (1 March to 31 October 2023) are assumed; its money rules are those
// of 2022, which the second year kept.
var calls = []callData{
	{
		name:     call2022,
		year:     2022,
		opensAt:  brussels(2022, time.June, 14, 0, 0, 0),
		closesAt: brussels(2022, time.October, 31, 23, 59, 59),
		budget:   domain.Euro(250_000),
		cap:      domain.Euro(50_000),
		percent:  50,
	},
	{
		name:     call2023,
		year:     2023,
		opensAt:  brussels(2023, time.March, 1, 0, 0, 0),       // assumed
		closesAt: brussels(2023, time.October, 31, 23, 59, 59), // assumed
		budget:   domain.Euro(250_000),
		cap:      domain.Euro(50_000),
		percent:  50,
	},
}

// mentorData is an invented staff member of a giving municipality. The
// e-mail address is the natural key within the municipality.
type mentorData struct {
	municipality string // NIS code of the employer
	name         string
	email        string
	jobTitle     string
	salaries     []domain.Salary
}

// fullTime is the contractual week of every demo mentor.
const fullTime = domain.Hours(38_00)

// salaryFrom is a full-time salary record from the given day, open-ended.
// Monthly costs are written as cents with the euro part grouped, so
// 7_481_36 reads as EUR 7,481.36.
func salaryFrom(cost domain.Money, from time.Time) domain.Salary {
	return domain.Salary{MonthlyCost: cost, WeeklyHours: fullTime, ValidFrom: from}
}

// The dates from which demo salaries apply: the first day of the project
// year in which the mentor first works on a trajectory, so that a salary is
// in force on every day of it. Mentors who work in both years get a second
// record on 1 January 2023, for the index jumps of 2022 (Belgian
// public-sector pay follows the consumer price index).
var (
	jan2022 = domain.NewDate(2022, time.January, 1)
	jan2023 = domain.NewDate(2023, time.January, 1)
)

// The mentors. Monthly costs are gross salary plus employer contributions,
// in the range of Flemish local-government scales for social workers (B),
// team leaders (A1–A2) and heads of service (A3–A4).
var (
	// Mechelen gives in five trajectories. The head of the social service and
	// one team leader work in both years; the policy officer and the head
	// work in two trajectories at once in autumn 2022, within their hours.
	mechelenHead = &mentorData{mechelen, "Katrien Van den Bossche", "katrien.vandenbossche@mechelen.example", "diensthoofd sociale dienst",
		[]domain.Salary{salaryFrom(7_481_36, jan2022), salaryFrom(7_968_52, jan2023)}}
	mechelenTeamLead = &mentorData{mechelen, "Pieter Coppens", "pieter.coppens@mechelen.example", "teamleider sociale dienst",
		[]domain.Salary{salaryFrom(6_874_10, jan2022), salaryFrom(7_321_08, jan2023)}}
	mechelenPolicy = &mentorData{mechelen, "Griet Claes", "griet.claes@mechelen.example", "beleidsmedewerker organisatieontwikkeling",
		[]domain.Salary{salaryFrom(6_312_75, jan2022)}}
	mechelenHousingLead = &mentorData{mechelen, "Sofie Aerts", "sofie.aerts@mechelen.example", "teamleider woonbegeleiding",
		[]domain.Salary{salaryFrom(6_705_40, jan2022)}}
	mechelenHousingWorker = &mentorData{mechelen, "Jonas De Smedt", "jonas.desmedt@mechelen.example", "maatschappelijk werker woonbegeleiding",
		[]domain.Salary{salaryFrom(5_462_18, jan2022)}}
	mechelenLegal = &mentorData{mechelen, "Ellen Smets", "ellen.smets@mechelen.example", "juridisch consulent sociale dienst",
		[]domain.Salary{salaryFrom(6_298_90, jan2022)}}
	mechelenDigital = &mentorData{mechelen, "Lien Verstraeten", "lien.verstraeten@mechelen.example", "coördinator digitalisering sociale dienst",
		[]domain.Salary{salaryFrom(6_512_64, jan2022)}}
	mechelenFrontOffice = &mentorData{mechelen, "Bram Geerts", "bram.geerts@mechelen.example", "teamleider onthaal",
		[]domain.Salary{salaryFrom(6_398_27, jan2022)}}
	mechelenBackOffice = &mentorData{mechelen, "Nele Maes", "nele.maes@mechelen.example", "coördinator administratie sociale dienst",
		[]domain.Salary{salaryFrom(5_684_03, jan2022)}}
	mechelenTeamLead2 = &mentorData{mechelen, "Tom Hermans", "tom.hermans@mechelen.example", "teamleider algemeen maatschappelijk werk",
		[]domain.Salary{salaryFrom(6_851_77, jan2022)}}
	mechelenQuality = &mentorData{mechelen, "Evelien Baert", "evelien.baert@mechelen.example", "coördinator kwaliteit en organisatie",
		[]domain.Salary{salaryFrom(6_447_20, jan2022)}}

	roeselareBudget = &mentorData{roeselare, "Hanne Vandenberghe", "hanne.vandenberghe@roeselare.example", "maatschappelijk werker budgetbegeleiding",
		[]domain.Salary{salaryFrom(5_452_30, jan2023)}}
	roeselareTeamLead = &mentorData{roeselare, "Wouter Declercq", "wouter.declercq@roeselare.example", "teamleider sociale dienst",
		[]domain.Salary{salaryFrom(6_764_85, jan2023)}}

	// Kortrijk gives in two trajectories; the team leader of activation
	// works in both, from June to September 2023 at the same time.
	kortrijkJobCoach = &mentorData{kortrijk, "Dries Verhaeghe", "dries.verhaeghe@kortrijk.example", "trajectbegeleider activering",
		[]domain.Salary{salaryFrom(5_611_42, jan2023)}}
	kortrijkActivationLead = &mentorData{kortrijk, "Annelies Vanneste", "annelies.vanneste@kortrijk.example", "teamleider activering",
		[]domain.Salary{salaryFrom(6_597_15, jan2023)}}
	kortrijkHead = &mentorData{kortrijk, "Elke Vandamme", "elke.vandamme@kortrijk.example", "diensthoofd welzijn",
		[]domain.Salary{salaryFrom(7_648_90, jan2023)}}
	kortrijkFirstLine = &mentorData{kortrijk, "Stijn Lambrecht", "stijn.lambrecht@kortrijk.example", "coördinator eerstelijnswerking",
		[]domain.Salary{salaryFrom(6_912_33, jan2023)}}
	kortrijkWelfareDesk = &mentorData{kortrijk, "Karen Deprez", "karen.deprez@kortrijk.example", "maatschappelijk werker welzijnsloket",
		[]domain.Salary{salaryFrom(5_368_74, jan2023)}}

	oostendeFood = &mentorData{oostende, "Fien Vandecasteele", "fien.vandecasteele@oostende.example", "coördinator voedselhulp",
		[]domain.Salary{salaryFrom(5_918_60, jan2023)}}

	beersePolicy = &mentorData{beerse, "Lotte Verhoeven", "lotte.verhoeven@beerse.example", "beleidsmedewerker armoedebestrijding",
		[]domain.Salary{salaryFrom(6_104_25, jan2023)}}
	beerseHead = &mentorData{beerse, "Kris Michiels", "kris.michiels@beerse.example", "diensthoofd sociaal huis",
		[]domain.Salary{salaryFrom(7_296_40, jan2023)}}

	deinzeHousingLead = &mentorData{deinze, "Sarah Verbeke", "sarah.verbeke@deinze.example", "teamleider wonen",
		[]domain.Salary{salaryFrom(7_012_58, jan2023)}}
	deinzePrevention = &mentorData{deinze, "Bart Van Hecke", "bart.vanhecke@deinze.example", "maatschappelijk werker preventie uithuiszetting",
		[]domain.Salary{salaryFrom(5_503_91, jan2023)}}
	deinzeLegal = &mentorData{deinze, "Ine Vanhoutte", "ine.vanhoutte@deinze.example", "juridisch medewerker woonbeleid",
		[]domain.Salary{salaryFrom(6_211_47, jan2023)}}
)

// assignmentData is a mentor planned on a trajectory for some hours a week.
type assignmentData struct {
	mentor *mentorData
	weekly domain.Hours
}

// trajectoryData is one real trajectory with its invented details. The
// grant's requested, settled and paid amounts are not here: plan.go
// computes them with the grant rules.
type trajectoryData struct {
	call      string
	giving    string // NIS code
	receiving string // NIS code
	// title and description render the published subject in Dutch, the
	// language of the portal's users.
	title       string
	description string
	// summary is the coordinator's public summary, drawn from the subject
	// as the coordinator published it; every demo trajectory is published.
	summary    string
	themes     []string
	topics     []string
	start, end time.Time // planned, both days included
	mentors    []assignmentData

	givingSigned, receivingSigned time.Time
	actionPlan                    string
	evaluation                    string

	submitted time.Time
	decided   time.Time
	// awarded is the real amount the ministry awarded.
	awarded domain.Money
	// paidOn are the days of the payments: with two, the first is an
	// advance of half the awarded amount and the second the balance after
	// settlement; with one, the whole amount is paid after settlement.
	paidOn []time.Time
}

// trajectories are the eleven trajectories of DOMAIN.md's table, in the
// order the coordinator lists them, which is also their order of submission
// within each call.
var trajectories = []trajectoryData{
	// 1.0 — Mechelen → Leuven: organisational development of the social
	// service (basic operation, team composition, reorganisation).
	{
		call: call2022, giving: mechelen, receiving: leuven,
		title:       "Organisatieontwikkeling van de sociale dienst",
		description: "Leuven herbekijkt de basiswerking van zijn sociale dienst: de samenstelling van de teams en een reorganisatie. Mechelen deelt hoe het zijn eigen sociale dienst heeft hervormd.",
		summary:     "Mechelen hielp Leuven de basiswerking van zijn sociale dienst te herbekijken: de samenstelling van de teams en een reorganisatie.",
		themes:      []string{organisationalEmbedding, localCoordination},
		topics:      []string{"organisational development", "team composition", "reorganisation"},
		start:       domain.NewDate(2022, time.August, 1), end: domain.NewDate(2022, time.November, 30),
		mentors: []assignmentData{
			{mechelenHead, 19_00},
			{mechelenTeamLead, 22_80},
			{mechelenPolicy, 19_00},
		},
		givingSigned:    brussels(2022, time.June, 15, 14, 20, 0),
		receivingSigned: brussels(2022, time.June, 17, 9, 45, 0),
		actionPlan: "1. Doorlichting van de basiswerking van de sociale dienst (augustus).\n" +
			"2. Voorstel van teamsamenstelling en rolverdeling, getoetst aan de Mechelse werking (september).\n" +
			"3. Begeleiding van de reorganisatie en coaching van de teamleiders (oktober–november).",
		evaluation: "De nieuwe teamstructuur is ingevoerd en de teamleiders zijn gecoacht. " +
			"Leuven zet het traject zelf verder met een jaarlijkse opvolging van de basiswerking.",
		submitted: brussels(2022, time.June, 20, 10, 12, 0),
		decided:   brussels(2022, time.July, 12, 15, 0, 0),
		awarded:   domain.Euro(21_746),
		paidOn:    []time.Time{domain.NewDate(2022, time.August, 23), domain.NewDate(2023, time.March, 14)},
	},
	// 1.0 — Mechelen → Vilvoorde: homelessness: support during eviction
	// proceedings, flow between social service and justice of the peace.
	{
		call: call2022, giving: mechelen, receiving: vilvoorde,
		title:       "Dakloosheid: begeleiding bij uithuiszettingsprocedures",
		description: "Vilvoorde wil huurders beter begeleiden tijdens een procedure tot uithuiszetting en de doorstroom tussen de sociale dienst en het vredegerecht verbeteren, naar het Mechelse model.",
		summary:     "Mechelen deelde met Vilvoorde hoe het huurders begeleidt tijdens een procedure tot uithuiszetting, en hoe de sociale dienst en het vredegerecht vlot samenwerken.",
		themes:      []string{rightsBased, goodPractices, integratedPolicy},
		topics:      []string{"homelessness", "eviction prevention", "justice of the peace"},
		start:       domain.NewDate(2022, time.September, 1), end: domain.NewDate(2022, time.December, 31),
		mentors: []assignmentData{
			{mechelenHousingLead, 22_80},
			{mechelenHousingWorker, 26_60},
			{mechelenLegal, 11_40},
		},
		givingSigned:    brussels(2022, time.June, 22, 11, 5, 0),
		receivingSigned: brussels(2022, time.June, 24, 16, 30, 0),
		actionPlan: "1. Afspraken met het vredegerecht over het doorsturen van vorderingen tot uithuiszetting (september).\n" +
			"2. Opzet van een vast aanspreekpunt en werkproces in de sociale dienst (oktober).\n" +
			"3. Meelopen met de Mechelse woonbegeleiders en casusbesprekingen (oktober–december).",
		evaluation: "Het vredegerecht meldt vorderingen nu systematisch aan de sociale dienst, die binnen de week contact opneemt. " +
			"Het werkproces is beschreven en overgedragen aan het team wonen.",
		submitted: brussels(2022, time.June, 28, 9, 30, 0),
		decided:   brussels(2022, time.July, 19, 14, 0, 0),
		awarded:   domain.Euro(19_446),
		paidOn:    []time.Time{domain.NewDate(2022, time.September, 13), domain.NewDate(2023, time.March, 14)},
	},
	// 1.0 — Mechelen → Balen: effective back-office processes to free time
	// for social work (digital social file, smooth front office).
	{
		call: call2022, giving: mechelen, receiving: balen,
		title:       "Efficiënte backofficeprocessen: meer tijd voor sociaal werk",
		description: "Balen wil administratie wegwerken uit het sociaal werk: een digitaal sociaal dossier en een vlotte onthaalwerking, zodat maatschappelijk werkers meer tijd hebben voor hun cliënten.",
		summary:     "Mechelen hielp Balen zijn backoffice efficiënter te maken, met een digitaal sociaal dossier en een vlotte onthaalwerking, zodat er meer tijd overblijft voor sociaal werk.",
		themes:      []string{organisationalEmbedding, dataAndTools},
		topics:      []string{"digital social file", "front-office accessibility", "back-office processes"},
		start:       domain.NewDate(2022, time.September, 1), end: domain.NewDate(2022, time.December, 31),
		mentors: []assignmentData{
			{mechelenDigital, 26_60},
			{mechelenFrontOffice, 22_80},
			{mechelenBackOffice, 26_60},
		},
		givingSigned:    brussels(2022, time.June, 29, 13, 50, 0),
		receivingSigned: brussels(2022, time.July, 1, 10, 15, 0),
		actionPlan: "1. In kaart brengen van de backofficeprocessen en hun doorlooptijden (september).\n" +
			"2. Inrichting van het digitaal sociaal dossier en sjablonen voor verslagen (oktober–november).\n" +
			"3. Herinrichting van het onthaal met een eerste screening aan de balie (november–december).",
		evaluation: "Het digitaal sociaal dossier is in gebruik en de verslaggeving is gestandaardiseerd. " +
			"Maatschappelijk werkers schatten de tijdwinst op een halve dag per week.",
		submitted: brussels(2022, time.July, 5, 11, 40, 0),
		decided:   brussels(2022, time.July, 26, 10, 0, 0),
		awarded:   domain.Euro(23_965),
		paidOn:    []time.Time{domain.NewDate(2022, time.September, 13), domain.NewDate(2023, time.March, 21)},
	},
	// 1.0 — Mechelen → Ronse: organisational development of the social
	// service (turnaround of operations, vision exercise).
	{
		call: call2022, giving: mechelen, receiving: ronse,
		title:       "Ommekeer in de werking van de sociale dienst",
		description: "Ronse wil de werking van zijn sociale dienst omgooien, vertrekkend van een gedeelde visie. Mechelen begeleidt de visieoefening en de vertaling ervan naar de dagelijkse werking.",
		summary:     "Mechelen begeleidde Ronse bij een ommekeer in de werking van zijn sociale dienst, vertrekkend van een gezamenlijke visieoefening.",
		themes:      []string{organisationalEmbedding, localCoordination},
		topics:      []string{"organisational development", "vision exercise"},
		start:       domain.NewDate(2022, time.September, 1), end: domain.NewDate(2022, time.December, 31),
		mentors: []assignmentData{
			{mechelenHead, 7_60},
			{mechelenTeamLead2, 26_60},
			{mechelenQuality, 22_80},
			{mechelenPolicy, 11_40},
		},
		givingSigned:    brussels(2022, time.July, 6, 15, 10, 0),
		receivingSigned: brussels(2022, time.July, 8, 9, 0, 0),
		actionPlan: "1. Visieoefening met medewerkers en mandatarissen (september).\n" +
			"2. Vertaling van de visie naar processen, rollen en overlegstructuren (oktober–november).\n" +
			"3. Coaching van de leidinggevenden bij de invoering (november–december).",
		evaluation: "De visietekst is goedgekeurd en de nieuwe overlegstructuur draait. " +
			"De leidinggevenden volgen de invoering verder op met de Mechelse collega's als klankbord.",
		submitted: brussels(2022, time.July, 12, 14, 25, 0),
		decided:   brussels(2022, time.August, 9, 11, 0, 0),
		awarded:   domain.Euro(23_965),
		paidOn:    []time.Time{domain.NewDate(2022, time.September, 27), domain.NewDate(2023, time.March, 21)},
	},
	// 2.0 — Roeselare → Kortrijk: use of the social balance for reference
	// budgets (REMI).
	{
		call: call2023, giving: roeselare, receiving: kortrijk,
		title:       "De sociale balans en referentiebudgetten (REMI)",
		description: "Kortrijk wil aanvullende steun toekennen op basis van referentiebudgetten. Roeselare leert de maatschappelijk werkers de sociale balans en de REMI-tool gebruiken.",
		summary:     "Roeselare leerde Kortrijk de sociale balans gebruiken om aanvullende steun toe te kennen op basis van referentiebudgetten (REMI).",
		themes:      []string{dataAndTools, rightsBased},
		topics:      []string{"reference budgets", "REMI", "social balance"},
		start:       domain.NewDate(2023, time.May, 1), end: domain.NewDate(2023, time.August, 31),
		mentors: []assignmentData{
			{roeselareBudget, 26_60},
			{roeselareTeamLead, 17_10},
		},
		givingSigned:    brussels(2023, time.March, 8, 10, 30, 0),
		receivingSigned: brussels(2023, time.March, 10, 14, 0, 0),
		actionPlan: "1. Opleiding sociale balans en REMI voor de maatschappelijk werkers (mei).\n" +
			"2. Samen dossiers doorrekenen en een kader voor aanvullende steun opstellen (juni–juli).\n" +
			"3. Voorstel aan het bijzonder comité voor de sociale dienst (augustus).",
		evaluation: "Het bijzonder comité keurde het kader voor aanvullende steun op basis van referentiebudgetten goed. " +
			"Alle maatschappelijk werkers gebruiken de sociale balans.",
		submitted: brussels(2023, time.March, 14, 9, 15, 0),
		decided:   brussels(2023, time.April, 11, 15, 30, 0),
		awarded:   domain.Euro(13_435),
		paidOn:    []time.Time{domain.NewDate(2023, time.May, 9), domain.NewDate(2024, time.February, 20)},
	},
	// 2.0 — Kortrijk → Roeselare: activation and transition to the labour
	// market.
	{
		call: call2023, giving: kortrijk, receiving: roeselare,
		title:       "Activering en doorstroom naar de arbeidsmarkt",
		description: "Roeselare wil meer leefloongerechtigden naar werk begeleiden. Kortrijk deelt zijn aanpak van trajectbegeleiding en samenwerking met werkgevers en de VDAB.",
		summary:     "Kortrijk deelde met Roeselare zijn aanpak van activering en doorstroom naar de arbeidsmarkt.",
		themes:      []string{integratedPolicy, goodPractices},
		topics:      []string{"activation towards work"},
		start:       domain.NewDate(2023, time.June, 1), end: domain.NewDate(2023, time.September, 30),
		mentors: []assignmentData{
			{kortrijkJobCoach, 22_80},
			{kortrijkActivationLead, 11_40},
		},
		givingSigned:    brussels(2023, time.March, 15, 16, 0, 0),
		receivingSigned: brussels(2023, time.March, 17, 11, 20, 0),
		actionPlan: "1. Vergelijking van de activeringstrajecten van beide steden (juni).\n" +
			"2. Meelopen met Kortrijkse trajectbegeleiders bij werkgevers (juli–augustus).\n" +
			"3. Uitwerking van een Roeselaars activeringsaanbod met de VDAB (september).",
		evaluation: "Roeselare startte een activeringsaanbod met vaste contactpersonen bij de VDAB. " +
			"Het aantal leefloongerechtigden in een traject naar werk steeg in het najaar.",
		submitted: brussels(2023, time.March, 21, 10, 5, 0),
		decided:   brussels(2023, time.April, 18, 14, 0, 0),
		awarded:   domain.Euro(10_214),
		paidOn:    []time.Time{domain.NewDate(2023, time.May, 16), domain.NewDate(2024, time.February, 20)},
	},
	// 2.0 — Kortrijk → Oud-Turnhout: capturing and handling signals from
	// first-line services.
	{
		call: call2023, giving: kortrijk, receiving: oudTurnhout,
		title:       "Signalen van eerstelijnsdiensten opvangen en opvolgen",
		description: "Oud-Turnhout wil signalen van armoede die eerstelijnsdiensten opvangen (school, huisarts, thuiszorg, verenigingen) sneller bij de sociale dienst krijgen en opvolgen. Kortrijk deelt zijn signalenwerking.",
		summary:     "Kortrijk hielp Oud-Turnhout signalen van armoede van eerstelijnsdiensten op te vangen en op te volgen.",
		themes:      []string{localCoordination, rightsBased},
		topics:      []string{"first-line signals", "proactive rights"},
		start:       domain.NewDate(2023, time.May, 1), end: domain.NewDate(2023, time.September, 30),
		mentors: []assignmentData{
			{kortrijkHead, 22_80},
			{kortrijkFirstLine, 22_80},
			{kortrijkActivationLead, 19_00},
			{kortrijkWelfareDesk, 22_80},
		},
		givingSigned:    brussels(2023, time.March, 22, 9, 40, 0),
		receivingSigned: brussels(2023, time.March, 24, 15, 15, 0),
		actionPlan: "1. Overzicht van de eerstelijnsdiensten en hun contactpunten (mei).\n" +
			"2. Opzet van een meldpunt en een afsprakenkader voor het doorgeven van signalen (juni–juli).\n" +
			"3. Opvolging van signalen in een gezamenlijk overleg, naar het Kortrijkse model (augustus–september).",
		evaluation: "Het meldpunt is bekend bij de partners en ontving in de eerste maanden de eerste signalen. " +
			"Het maandelijkse signalenoverleg is ingebed in de werking van de sociale dienst.",
		submitted: brussels(2023, time.March, 28, 13, 45, 0),
		decided:   brussels(2023, time.April, 25, 10, 30, 0),
		awarded:   domain.Euro(37_226),
		paidOn:    []time.Time{domain.NewDate(2023, time.May, 23), domain.NewDate(2024, time.February, 27)},
	},
	// 2.0 — Oostende → Beerse: redesigning food distribution and food
	// strategy, link with exploring and taking up rights.
	{
		call: call2023, giving: oostende, receiving: beerse,
		title:       "Voedselbedeling en voedselstrategie herdenken",
		description: "Beerse wil zijn voedselbedeling herdenken tot een voedselstrategie en elke aanvraag koppelen aan een verkenning van rechten. Oostende deelt zijn ervaring met voedselhulp en rechtenverkenning.",
		summary:     "Oostende hielp Beerse zijn voedselbedeling te herdenken tot een voedselstrategie, gekoppeld aan het verkennen en opnemen van rechten.",
		themes:      []string{goodPractices, rightsBased, participation},
		topics:      []string{"food distribution", "food strategy", "taking up rights"},
		start:       domain.NewDate(2023, time.September, 1), end: domain.NewDate(2023, time.December, 31),
		mentors: []assignmentData{
			{oostendeFood, 19_00},
		},
		givingSigned:    brussels(2023, time.May, 3, 10, 0, 0),
		receivingSigned: brussels(2023, time.May, 5, 14, 30, 0),
		actionPlan: "1. Bezoek aan de Oostendse voedselhulp en gesprekken met gebruikers (september).\n" +
			"2. Uitwerking van een voedselstrategie met de lokale partners (oktober–november).\n" +
			"3. Invoering van een rechtenverkenning bij elke aanvraag voor voedselhulp (december).",
		evaluation: "De voedselstrategie is opgesteld met de lokale partners en gebruikers. " +
			"Bij elke nieuwe aanvraag voor voedselhulp volgt nu een verkenning van rechten.",
		submitted: brussels(2023, time.May, 9, 11, 10, 0),
		decided:   brussels(2023, time.June, 6, 15, 0, 0),
		awarded:   domain.Euro(5_845),
		paidOn:    []time.Time{domain.NewDate(2024, time.March, 5)},
	},
	// 2.0 — Beerse → Liedekerke: drawing up an anti-poverty policy starting
	// from an analysis of the local context.
	{
		call: call2023, giving: beerse, receiving: liedekerke,
		title:       "Armoedebeleid vanuit een analyse van de lokale context",
		description: "Liedekerke wil een armoedebeleid opstellen dat vertrekt van een analyse van de lokale context. Beerse deelt zijn omgevingsanalyse en de manier waarop het daaruit een actieplan maakte.",
		summary:     "Beerse hielp Liedekerke een armoedebeleid op te stellen vanuit een analyse van de lokale context.",
		themes:      []string{localCoordination, dataAndTools, impactMeasurement},
		topics:      []string{"local poverty analysis", "anti-poverty plan"},
		start:       domain.NewDate(2023, time.September, 1), end: domain.NewDate(2023, time.December, 31),
		mentors: []assignmentData{
			{beersePolicy, 19_00},
			{beerseHead, 7_60},
		},
		givingSigned:    brussels(2023, time.May, 17, 9, 30, 0),
		receivingSigned: brussels(2023, time.May, 19, 16, 45, 0),
		actionPlan: "1. Verzamelen van lokale cijfers en gesprekken met partners en mensen in armoede (september–oktober).\n" +
			"2. Analyse en prioriteiten in een werksessie met de sociale dienst (november).\n" +
			"3. Ontwerp van een armoedeactieplan met indicatoren om de impact te volgen (december).",
		evaluation: "De omgevingsanalyse is klaar en het ontwerp van armoedeactieplan ligt voor bij het bestuur. " +
			"De indicatoren worden jaarlijks opgevolgd.",
		submitted: brussels(2023, time.May, 23, 14, 0, 0),
		decided:   brussels(2023, time.June, 20, 11, 30, 0),
		awarded:   domain.Euro(8_781),
		paidOn:    []time.Time{domain.NewDate(2024, time.March, 5)},
	},
	// 2.0 — Deinze → Brugge: homelessness: preventing evictions.
	{
		call: call2023, giving: deinze, receiving: brugge,
		title:       "Dakloosheid: uithuiszettingen voorkomen",
		description: "Brugge wil uithuiszettingen voorkomen door huurders met betalingsachterstand vroeg te bereiken. Deinze deelt zijn preventieve aanpak met verhuurders, het vredegerecht en de sociale dienst.",
		summary:     "Deinze deelde met Brugge zijn aanpak om uithuiszettingen te voorkomen en dakloosheid tegen te gaan.",
		themes:      []string{goodPractices, rightsBased},
		topics:      []string{"homelessness", "eviction prevention"},
		start:       domain.NewDate(2023, time.July, 1), end: domain.NewDate(2023, time.November, 30),
		mentors: []assignmentData{
			{deinzeHousingLead, 26_60},
			{deinzePrevention, 30_40},
			{deinzeLegal, 26_60},
		},
		givingSigned:    brussels(2023, time.May, 24, 11, 0, 0),
		receivingSigned: brussels(2023, time.May, 26, 10, 20, 0),
		actionPlan: "1. Afspraken met verhuurders en sociale huisvestingsmaatschappijen over vroege signalen van huurachterstand (juli).\n" +
			"2. Werkproces voor huisbezoeken en bemiddeling voor de zitting bij de vrederechter (augustus–september).\n" +
			"3. Opleiding van de Brugse medewerkers en samen opgevolgde dossiers (oktober–november).",
		evaluation: "Brugse huurders met huurachterstand worden nu vóór de zitting bezocht. " +
			"In de opgevolgde dossiers kon een meerderheid van de uithuiszettingen worden vermeden.",
		submitted: brussels(2023, time.May, 30, 9, 50, 0),
		decided:   brussels(2023, time.June, 27, 14, 30, 0),
		awarded:   domain.Euro(34_000),
		paidOn:    []time.Time{domain.NewDate(2023, time.July, 25), domain.NewDate(2024, time.February, 27)},
	},
	// 2.0 — Mechelen → Deinze: streamlining services after a merger,
	// handling multiple problems.
	{
		call: call2023, giving: mechelen, receiving: deinze,
		title:       "Dienstverlening stroomlijnen na een fusie",
		description: "Deinze wil na de fusie de dienstverlening van de deelgemeenten stroomlijnen en cliënten met meervoudige problemen beter begeleiden. Mechelen deelt zijn geïntegreerde onthaal en casusoverleg.",
		summary:     "Mechelen hielp Deinze na de fusie zijn dienstverlening te stroomlijnen en cliënten met meervoudige problemen beter te begeleiden.",
		themes:      []string{organisationalEmbedding, integratedPolicy},
		topics:      []string{"merger", "multiple problems", "service streamlining"},
		start:       domain.NewDate(2023, time.September, 1), end: domain.NewDate(2023, time.December, 31),
		mentors: []assignmentData{
			{mechelenHead, 11_40},
			{mechelenTeamLead, 24_70},
		},
		givingSigned:    brussels(2023, time.June, 7, 15, 30, 0),
		receivingSigned: brussels(2023, time.June, 9, 10, 0, 0),
		actionPlan: "1. Overzicht van de dienstverlening en werkprocessen in alle deelgemeenten (september).\n" +
			"2. Eén onthaal- en intakeproces voor de hele gemeente (oktober–november).\n" +
			"3. Casusoverleg voor cliënten met meervoudige problemen, naar het Mechelse model (november–december).",
		evaluation: "Deinze werkt met één intakeproces in alle deelgemeenten en een maandelijks casusoverleg. " +
			"De wachttijd voor een eerste gesprek is korter geworden.",
		submitted: brussels(2023, time.June, 13, 11, 25, 0),
		decided:   brussels(2023, time.July, 11, 10, 0, 0),
		awarded:   domain.Euro(13_922),
		paidOn:    []time.Time{domain.NewDate(2023, time.August, 22), domain.NewDate(2024, time.March, 5)},
	},
}

// brussels returns a wall-clock moment in Europe/Brussels, the zone the
// programme's dates are meant in.
func brussels(year int, month time.Month, day, hour, min, sec int) time.Time {
	return time.Date(year, month, day, hour, min, sec, 0, domain.Brussels())
}

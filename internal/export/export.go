// Package export writes the grants a viewer may read as a spreadsheet: CSV
// (RFC 4180, UTF-8 with a byte order mark, so that Excel reads accents
// right) or XLSX (typed cells: amounts as numbers with two decimals, days
// as dates). Rows are read through ent with the request's viewer, so the
// privacy rules decide which grants appear, exactly as on /graphql.
package export

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/call"
	"wisselaar/ent/grant"
	"wisselaar/ent/municipality"
	"wisselaar/ent/predicate"
	"wisselaar/ent/theme"
	"wisselaar/ent/trajectory"
)

// Options are an export's query parameters, checked.
type Options struct {
	Where     []predicate.Grant
	English   bool
	Delimiter rune
}

// Parameters lists every query parameter an export takes; any other is
// BAD_USER_INPUT.
var Parameters = []string{"year", "callID", "status", "theme", "givingProvince", "receivingProvince", "lang", "delimiter"}

// ParseOptions checks the query parameters. decodeID turns a call's API ID
// into its number. Each parameter may be given once; an unknown parameter
// or value is a *domain.FieldError naming it.
func ParseOptions(q url.Values, csv bool, decodeID func(string) (int, error)) (Options, error) {
	o := Options{Delimiter: ';'}
	for name, values := range q {
		if !slices.Contains(Parameters, name) || (name == "delimiter" && !csv) {
			return o, &domain.FieldError{Field: name, Message: "unknown parameter; the parameters are " + strings.Join(allowed(csv), ", ")}
		}
		if len(values) != 1 {
			return o, &domain.FieldError{Field: name, Message: "give it once"}
		}
	}
	bad := func(field, format string, args ...any) error {
		return &domain.FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
	}
	if v, ok := q["year"]; ok {
		y, err := strconv.Atoi(v[0])
		if err != nil || y < 2000 || y > 9999 {
			return o, bad("year", "a year such as 2022")
		}
		o.Where = append(o.Where, grant.HasCallWith(call.Year(y)))
	}
	if v, ok := q["callID"]; ok {
		id, err := decodeID(v[0])
		if err != nil {
			return o, bad("callID", "not a call's ID")
		}
		o.Where = append(o.Where, grant.CallID(id))
	}
	if v, ok := q["status"]; ok {
		s := grant.Status(v[0])
		if grant.StatusValidator(s) != nil {
			return o, bad("status", "one of RESERVED, WAITLISTED, APPROVED, REJECTED, WITHDRAWN, SETTLED, PAID")
		}
		o.Where = append(o.Where, grant.StatusEQ(s))
	}
	if v, ok := q["theme"]; ok {
		if v[0] == "" {
			return o, bad("theme", "a theme code such as LOCAL_COORDINATION")
		}
		o.Where = append(o.Where, grant.HasTrajectoryWith(trajectory.HasThemesWith(theme.Code(v[0]))))
	}
	for _, side := range []struct {
		name string
		with func(...predicate.Municipality) predicate.Trajectory
	}{{"givingProvince", trajectory.HasGivingWith}, {"receivingProvince", trajectory.HasReceivingWith}} {
		if v, ok := q[side.name]; ok {
			p := municipality.Province(v[0])
			if municipality.ProvinceValidator(p) != nil {
				return o, bad(side.name, "one of ANTWERPEN, LIMBURG, OOST_VLAANDEREN, VLAAMS_BRABANT, WEST_VLAANDEREN")
			}
			o.Where = append(o.Where, grant.HasTrajectoryWith(side.with(municipality.ProvinceEQ(p))))
		}
	}
	if v, ok := q["lang"]; ok {
		switch v[0] {
		case "nl":
		case "en":
			o.English = true
		default:
			return o, bad("lang", "nl or en")
		}
	}
	if v, ok := q["delimiter"]; ok {
		switch v[0] {
		case ";", "semicolon":
			o.Delimiter = ';'
		case ",", "comma":
			o.Delimiter = ','
		default:
			return o, bad("delimiter", `";" (the default) or ","`)
		}
	}
	return o, nil
}

func allowed(csv bool) []string {
	if csv {
		return Parameters
	}
	return Parameters[:len(Parameters)-1]
}

// Row is one grant as the export shows it.
type Row struct {
	Call, Trajectory                     string
	Year                                 int
	Giving, GivingNIS, GivingProvince    string
	Receiving, ReceivingNIS, RecProvince string
	Themes                               string
	Status                               string
	SubmittedOn                          time.Time
	DecidedOn                            *time.Time
	Requested, Awarded, Settled, Paid    domain.Money
}

// Column is one column: its headings and whether it holds money or a day.
type Column struct {
	NL, EN string
	Kind   Kind
}

// Kind is how a column's cells are typed in XLSX.
type Kind int

// The kinds of columns.
const (
	Text Kind = iota
	Number
	Money
	Date
)

// Columns are the export's columns, in order.
var Columns = []Column{
	{"Projectoproep", "Call", Text},
	{"Jaar", "Year", Number},
	{"Traject", "Trajectory", Text},
	{"Gevend bestuur", "Giving municipality", Text},
	{"NIS-code gevend bestuur", "Giving NIS code", Text},
	{"Provincie gevend bestuur", "Giving province", Text},
	{"Ontvangend bestuur", "Receiving municipality", Text},
	{"NIS-code ontvangend bestuur", "Receiving NIS code", Text},
	{"Provincie ontvangend bestuur", "Receiving province", Text},
	{"Thema's", "Themes", Text},
	{"Status", "Status", Text},
	{"Ingediend op", "Submitted on", Date},
	{"Beslist op", "Decided on", Date},
	{"Gevraagd (EUR)", "Requested (EUR)", Money},
	{"Toegekend (EUR)", "Awarded (EUR)", Money},
	{"Afgerekend (EUR)", "Settled (EUR)", Money},
	{"Betaald (EUR)", "Paid (EUR)", Money},
}

// Headings are the column headings in the export's language.
func Headings(english bool) []string {
	out := make([]string, len(Columns))
	for i, c := range Columns {
		out[i] = c.NL
		if english {
			out[i] = c.EN
		}
	}
	return out
}

// Cells are a row's values in column order: strings, an int, domain.Money,
// and time.Time or nil for days.
func (r *Row) Cells() []any {
	var decided any
	if r.DecidedOn != nil {
		decided = *r.DecidedOn
	}
	return []any{r.Call, r.Year, r.Trajectory, r.Giving, r.GivingNIS, r.GivingProvince,
		r.Receiving, r.ReceivingNIS, r.RecProvince, r.Themes, r.Status, r.SubmittedOn, decided,
		r.Requested, r.Awarded, r.Settled, r.Paid}
}

// batch is how many grants are read per query while a file is written.
const batch = 500

// Rows reads the grants the viewer may see (the context's viewer) in the
// order they were submitted (by ID), batch by batch, calling each with
// every row. The first batch is read before each is first called, so that
// a failure to read is reported before anything is written.
func Rows(ctx context.Context, c *ent.Client, o Options, each func(*Row) error) error {
	provinces := provinceNames(o.English)
	lastID := 0
	for {
		gs, err := c.Grant.Query().Where(o.Where...).Where(grant.IDGT(lastID)).
			WithCall().
			WithTrajectory(func(q *ent.TrajectoryQuery) {
				q.WithGiving().WithReceiving().WithThemes(func(q *ent.ThemeQuery) { q.Order(theme.ByID()) })
			}).
			Order(grant.ByID()).Limit(batch).All(ctx)
		if err != nil {
			return err
		}
		for _, g := range gs {
			t := g.Edges.Trajectory
			var themes []string
			for _, th := range t.Edges.Themes {
				if o.English {
					themes = append(themes, th.NameEn)
				} else {
					themes = append(themes, th.Name)
				}
			}
			r := &Row{
				Call: g.Edges.Call.Name, Year: g.Edges.Call.Year, Trajectory: t.Title,
				Giving: t.Edges.Giving.Name, GivingNIS: t.Edges.Giving.NisCode, GivingProvince: provinces[t.Edges.Giving.Province],
				Receiving: t.Edges.Receiving.Name, ReceivingNIS: t.Edges.Receiving.NisCode, RecProvince: provinces[t.Edges.Receiving.Province],
				Themes: strings.Join(themes, ", "), Status: string(g.Status),
				SubmittedOn: domain.BrusselsDate(g.SubmittedAt),
				Requested:   g.Requested, Paid: g.Paid,
			}
			if g.DecidedAt != nil {
				d := domain.BrusselsDate(*g.DecidedAt)
				r.DecidedOn = &d
			}
			if g.Awarded != nil {
				r.Awarded = *g.Awarded
			}
			if g.Settled != nil {
				r.Settled = *g.Settled
			}
			if err := each(r); err != nil {
				return err
			}
		}
		if len(gs) < batch {
			return nil
		}
		lastID = gs[len(gs)-1].ID
	}
}

func provinceNames(english bool) map[municipality.Province]string {
	if english {
		return map[municipality.Province]string{
			municipality.ProvinceAntwerpen: "Antwerp", municipality.ProvinceLimburg: "Limburg",
			municipality.ProvinceOostVlaanderen: "East Flanders", municipality.ProvinceVlaamsBrabant: "Flemish Brabant",
			municipality.ProvinceWestVlaanderen: "West Flanders",
		}
	}
	return map[municipality.Province]string{
		municipality.ProvinceAntwerpen: "Antwerpen", municipality.ProvinceLimburg: "Limburg",
		municipality.ProvinceOostVlaanderen: "Oost-Vlaanderen", municipality.ProvinceVlaamsBrabant: "Vlaams-Brabant",
		municipality.ProvinceWestVlaanderen: "West-Vlaanderen",
	}
}

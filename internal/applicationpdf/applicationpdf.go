// Package applicationpdf renders the application file of a grant: the PDF
// the ministry receives instead of the e-mail of the real programme, with
// the call, both parties, the signed version of the action plan, the
// mentors, the calculation lines the reader may see, the requested amount
// and where the call's ledger stood at submission. Labels are Dutch; the
// font (DejaVu Sans, see fonts/LICENSE) is embedded in the binary and in
// the PDF, so accents render everywhere.
//
// The package only lays out what it is given: what goes in (salary lines
// or not, the ledger or not) is decided by the caller from the reader's
// rights (process.ApplicationFile).
package applicationpdf

import (
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"wisselaar/domain"
	"wisselaar/internal/grantcalc"
)

//go:embed fonts/DejaVuSans.ttf
var regular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var bold []byte

// Application is what the application file shows.
type Application struct {
	Title, Form       string
	CallName          string
	CallYear          int
	Percent           int
	PerProjectCap     domain.Money
	Giving, Receiving Party
	// PlanVersion and PlanSHA256 name the signed version of the action
	// plan; PlanVersion is nil when no plan was signed.
	PlanVersion  *int
	PlanSHA256   string
	Plan         domain.ActionPlan
	PlannedStart time.Time
	PlannedEnd   time.Time
	Mentors      []Mentor
	// Lines are the calculation lines the reader may see (nil: none; the
	// receiving side and the coordinator see no salaries).
	Lines       []Line
	Requested   domain.Money
	Uncapped    domain.Money
	Capped      bool
	SubmittedAt time.Time
	Status      string
	// Ledger is where the call's ledger stood at submission, for readers
	// of every grant of the call; the status at submission is shown to
	// every reader.
	Ledger          *grantcalc.LedgerPosition
	LedgerStatus    string
	AgreementSigned []string
}

// Party is a municipality.
type Party struct{ Name, NISCode string }

// Mentor is a mentor on the trajectory and her planned hours.
type Mentor struct {
	Name, JobTitle     string
	PlannedWeeklyHours domain.Hours
}

// Line is a calculation line with the mentor's name.
type Line struct {
	Mentor string
	grantcalc.Line
}

// Euro formats an amount as Dutch readers write it: "€ 21.746,00".
func Euro(m domain.Money) string {
	s := m.String() // "21746.00"
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, cents, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	out := "€ " + b.String() + "," + cents
	if neg {
		out = "-" + out
	}
	return out
}

func hours(h domain.Hours) string { return strings.Replace(h.String(), ".", ",", 1) }

func number(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}

func date(t time.Time) string { return domain.DateOf(t).Format("02-01-2006") }

// Write renders the application file to w.
func Write(w io.Writer, a *Application) error {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetTitle("Subsidieaanvraag De Wisselaar: "+a.Title, true)
	p.SetCreator("wisselaar", true)
	p.SetCreationDate(a.SubmittedAt)
	p.SetModificationDate(a.SubmittedAt)
	p.AddUTF8FontFromBytes("dejavu", "", regular)
	p.AddUTF8FontFromBytes("dejavu", "B", bold)
	p.SetMargins(18, 18, 18)
	p.SetAutoPageBreak(true, 18)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetY(-12)
		p.SetFont("dejavu", "", 8)
		p.CellFormat(0, 5, fmt.Sprintf("Pagina %d van {nb}", p.PageNo()), "", 0, "C", false, 0, "")
	})
	p.AddPage()

	h1 := func(s string) {
		p.SetFont("dejavu", "B", 16)
		p.MultiCell(0, 8, s, "", "L", false)
		p.Ln(2)
	}
	h2 := func(s string) {
		p.Ln(3)
		p.SetFont("dejavu", "B", 12)
		p.MultiCell(0, 7, s, "", "L", false)
		p.SetFont("dejavu", "", 10)
	}
	row := func(label, value string) {
		p.SetFont("dejavu", "B", 10)
		p.CellFormat(60, 6, label, "", 0, "L", false, 0, "")
		p.SetFont("dejavu", "", 10)
		p.MultiCell(0, 6, value, "", "L", false)
	}
	text := func(s string) {
		p.SetFont("dejavu", "", 10)
		p.MultiCell(0, 5.5, s, "", "L", false)
	}

	h1("Subsidieaanvraag De Wisselaar")
	row("Traject", a.Title)
	row("Vorm", formLabel(a.Form))
	row("Geplande periode", date(a.PlannedStart)+" tot en met "+date(a.PlannedEnd))

	h2("Projectoproep")
	row("Oproep", fmt.Sprintf("%s (projectjaar %d)", a.CallName, a.CallYear))
	row("Tegemoetkoming", fmt.Sprintf("%d %% van de loonkost", a.Percent))
	row("Maximum per project", Euro(a.PerProjectCap))

	h2("Partijen")
	row("Gevend bestuur", fmt.Sprintf("%s (NIS %s)", a.Giving.Name, a.Giving.NISCode))
	row("Ontvangend bestuur", fmt.Sprintf("%s (NIS %s)", a.Receiving.Name, a.Receiving.NISCode))
	for _, s := range a.AgreementSigned {
		row("Overeenkomst", s)
	}

	h2("Actieplan")
	if a.PlanVersion == nil {
		text("Er is geen ondertekende versie van het actieplan.")
	} else {
		row("Ondertekende versie", strconv.Itoa(*a.PlanVersion))
		row("SHA-256", a.PlanSHA256)
		if a.Plan.Text != "" {
			text(a.Plan.Text)
		}
		if len(a.Plan.Goals) > 0 {
			p.SetFont("dejavu", "B", 10)
			p.CellFormat(0, 6, "Doelstellingen", "", 1, "L", false, 0, "")
			for i, g := range a.Plan.Goals {
				text(fmt.Sprintf("%d. %s", i+1, g.Description))
			}
		}
		if len(a.Plan.Actions) > 0 {
			p.SetFont("dejavu", "B", 10)
			p.CellFormat(0, 6, "Acties", "", 1, "L", false, 0, "")
			for i, ac := range a.Plan.Actions {
				text(fmt.Sprintf("%d. %s — %s, uiterlijk %s", i+1, ac.What, sideLabel(ac.Side), date(ac.Due)))
			}
		}
		if len(a.Plan.Indicators) > 0 {
			p.SetFont("dejavu", "B", 10)
			p.CellFormat(0, 6, "Indicatoren", "", 1, "L", false, 0, "")
			for i, in := range a.Plan.Indicators {
				text(fmt.Sprintf("%d. %s (%s): nulmeting %s, doel %s", i+1, in.Name, in.Unit, number(in.Baseline), number(in.Target)))
			}
		}
	}

	h2("Mentoren")
	if len(a.Mentors) == 0 {
		text("Geen mentoren die u mag inzien.")
	}
	for _, m := range a.Mentors {
		desc := m.Name
		if m.JobTitle != "" {
			desc += ", " + m.JobTitle
		}
		text(fmt.Sprintf("%s — %s uur per week gepland", desc, hours(m.PlannedWeeklyHours)))
	}

	h2("Berekening")
	if a.Lines == nil {
		text("De berekeningsregels tonen loonkosten; die zijn enkel zichtbaar voor het gevend bestuur en het departement.")
	} else {
		widths := []float64{44, 18, 28, 18, 20, 18, 28}
		heads := []string{"Mentor", "Maand", "Loonkost/maand", "Uren/week", "Gepland", "Aandeel", "Bedrag"}
		p.SetFont("dejavu", "B", 8)
		for i, h := range heads {
			p.CellFormat(widths[i], 6, h, "B", 0, "L", false, 0, "")
		}
		p.Ln(-1)
		p.SetFont("dejavu", "", 8)
		for _, l := range a.Lines {
			planned := ""
			if l.PlannedWeeklyHours != nil {
				planned = hours(*l.PlannedWeeklyHours)
			}
			cells := []string{l.Mentor, l.Month, Euro(l.MonthlyCost), hours(l.WeeklyHours), planned, l.Share, Euro(l.Amount)}
			for i, c := range cells {
				p.CellFormat(widths[i], 5, c, "", 0, "L", false, 0, "")
			}
			p.Ln(-1)
		}
		p.SetFont("dejavu", "", 10)
	}
	row("Som van de regels", Euro(a.Uncapped))
	if a.Capped {
		row("Begrensd", "tot het maximum per project")
	}
	row("Gevraagd bedrag", Euro(a.Requested))

	h2("Indiening")
	row("Ingediend op", a.SubmittedAt.In(domain.Brussels()).Format("02-01-2006 15:04:05")+" (Brussel)")
	row("Stand bij indiening", ledgerLabel(a.LedgerStatus))
	if a.Ledger != nil {
		row("Budget van de oproep", Euro(a.Ledger.Budget))
		row("Beschikbaar vóór indiening", Euro(a.Ledger.RemainingBefore))
		row("Wachtende aanvragen vóór", strconv.Itoa(a.Ledger.WaitingAhead))
	}
	row("Huidige status", statusLabel(a.Status))
	return p.Output(w)
}

func formLabel(f string) string {
	if f == "INTERNSHIP" {
		return "Stage"
	}
	return "Mentoring"
}

func sideLabel(s domain.Side) string {
	if s == domain.Receiving {
		return "ontvangend bestuur"
	}
	return "gevend bestuur"
}

func ledgerLabel(s string) string {
	switch s {
	case "RESERVED":
		return "budget gereserveerd"
	case "WAITLISTED":
		return "op de wachtlijst"
	case "":
		return "niet bewaard"
	}
	return s
}

func statusLabel(s string) string {
	switch s {
	case "RESERVED":
		return "ingediend, budget gereserveerd"
	case "WAITLISTED":
		return "ingediend, op de wachtlijst"
	case "APPROVED":
		return "goedgekeurd"
	case "REJECTED":
		return "afgewezen"
	case "WITHDRAWN":
		return "ingetrokken"
	case "SETTLED":
		return "afgerekend"
	case "PAID":
		return "uitbetaald"
	}
	return s
}

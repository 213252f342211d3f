package domain_test

import (
	"fmt"
	"math/big"

	"wisselaar/domain"
)

// The rule of the call "De Wisselaar 2022": 50 %, at most EUR 50,000 per
// trajectory.
var call2022 = domain.Rule{Percent: 50, Cap: domain.Euro(50_000)}

// fullTime is a salary record valid since before any example starts.
func fullTime(monthlyCost domain.Money) []domain.Salary {
	return []domain.Salary{{
		MonthlyCost: monthlyCost,
		WeeklyHours: domain.HoursOf(38),
		ValidFrom:   domain.NewDate(2020, 1, 1),
	}}
}

// A mentor with a monthly salary cost of EUR 6,400.00 on a 38-hour week
// spends 19 hours a week (time share 0.5) for 4 months: cost share
// 6,400.00 × 0.5 × 4 = 12,800.00, of which 50 % is compensated.
func ExamplePlannedCompensation() {
	calc, err := domain.PlannedCompensation(call2022,
		domain.NewDate(2027, 1, 1), domain.NewDate(2027, 4, 30),
		[]domain.Assignment{{Mentor: "An", PlannedWeeklyHours: domain.HoursOf(19), Salaries: fullTime(domain.Euro(6_400))}})
	if err != nil {
		panic(err)
	}
	for _, l := range calc.Lines {
		fmt.Println(l.Mentor, l.Month, l.MonthlyCost, "×", l.Share.RatString(), "×", "50 % =", l.Amount)
	}
	fmt.Println("EUR", calc.Total)
	// Output:
	// An 2027-01 6400.00 × 1/2 × 50 % = 1600.00
	// An 2027-02 6400.00 × 1/2 × 50 % = 1600.00
	// An 2027-03 6400.00 × 1/2 × 50 % = 1600.00
	// An 2027-04 6400.00 × 1/2 × 50 % = 1600.00
	// EUR 6400.00
}

// Three mentors at EUR 7,000.00 a month each, full time for 5 months: cost
// share 105,000.00, 50 % = 52,500.00, capped to EUR 50,000.00. The cap
// applies to the rounded total; the lines still explain the uncapped amount.
func ExamplePlannedCompensation_capped() {
	var team []domain.Assignment
	for _, name := range []string{"An", "Bart", "Chloé"} {
		team = append(team, domain.Assignment{Mentor: name, PlannedWeeklyHours: domain.HoursOf(38), Salaries: fullTime(domain.Euro(7_000))})
	}
	calc, err := domain.PlannedCompensation(call2022, domain.NewDate(2027, 1, 1), domain.NewDate(2027, 5, 31), team)
	if err != nil {
		panic(err)
	}
	fmt.Println("lines:", len(calc.Lines))
	fmt.Println("uncapped: EUR", calc.Uncapped)
	fmt.Println("total: EUR", calc.Total, "capped:", calc.Capped)
	// Output:
	// lines: 15
	// uncapped: EUR 52500.00
	// total: EUR 50000.00 capped: true
}

// The example of the API contract: a salary of EUR 7,500.00 a month on a
// 38-hour week, planned for 19 hours a week during eight whole months at
// 50 %, requests exactly EUR 15,000.00.
func ExamplePlannedCompensation_eightMonths() {
	calc, err := domain.PlannedCompensation(call2022,
		domain.NewDate(2027, 1, 1), domain.NewDate(2027, 8, 31),
		[]domain.Assignment{{Mentor: "An", PlannedWeeklyHours: domain.HoursOf(19), Salaries: fullTime(domain.Euro(7_500))}})
	if err != nil {
		panic(err)
	}
	fmt.Println("requested: EUR", calc.Total)
	// Output:
	// requested: EUR 15000.00
}

// A mentor at EUR 5,123.45 a month spends 10 hours in a month in which her
// contract counts 164 hours: cost share 5,123.45 × 10 ÷ 164 = 312.40548…,
// 50 % = 156.20274… → EUR 156.20. The time share is given directly here,
// because no whole number of hundredths of weekly hours gives exactly 164
// hours a month; ActualCompensation derives it from the salary.
func ExampleRule_Calculate() {
	calc, err := call2022.Calculate([]domain.Line{{
		Mentor:      "Fatima",
		MonthlyCost: domain.Money(5_123_45),
		Share:       big.NewRat(10, 164),
	}})
	if err != nil {
		panic(err)
	}
	fmt.Println("EUR", calc.Total)
	// Output:
	// EUR 156.20
}

// The same mentor on a 38-hour week: a month counts 38 × 52 ÷ 12 =
// 164.666… contractual hours, so 10 hours are worth a little less.
func ExampleActualCompensation() {
	calc, err := domain.ActualCompensation(call2022, []domain.TimeSheet{{
		Mentor:   "Fatima",
		Salaries: fullTime(domain.Money(5_123_45)),
		Entries:  []domain.TimeEntry{{Month: domain.NewMonth(2027, 1), Hours: domain.HoursOf(10)}},
	}})
	if err != nil {
		panic(err)
	}
	fmt.Println("share:", calc.Lines[0].Share.RatString())
	fmt.Println("EUR", calc.Total)
	// Output:
	// share: 15/247
	// EUR 155.57
}

// A grant is settled on the hours actually spent, never above the award.
func ExampleSettle() {
	fmt.Println(domain.Settle(domain.Euro(23_965), domain.Euro(21_746)))
	fmt.Println(domain.Settle(domain.Euro(19_000), domain.Euro(21_746)))
	// Output:
	// 21746.00
	// 19000.00
}

// Waiting applications are promoted strictly in submission order: the
// EUR 10,000 application behind the EUR 40,000 one waits, although it would
// fit.
func ExamplePromote() {
	remaining := domain.Euro(35_000)
	line := []domain.Money{domain.Euro(20_000), domain.Euro(40_000), domain.Euro(10_000)}
	fmt.Println(domain.Promote(remaining, line))
	// Output:
	// 1
}

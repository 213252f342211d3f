package schema

import (
	"fmt"
	"regexp"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect"
)

// How the domain's value types are stored and shown, declared once: money
// as integer cents (Money scalar), hours as integer hundredths (Float in the
// API), calendar dates as SQL dates (Date scalar).
var (
	gqlMoney   = entgql.Type("Money")
	gqlHours   = entgql.Type("Float")
	gqlDate    = entgql.Type("Date")
	dateSchema = map[string]string{dialect.Postgres: "date", dialect.SQLite: "date"}
)

// Patterns that identifiers must match, checked in Go before a write.
var (
	nisPattern   = regexp.MustCompile(`^[0-9]{5}$`)
	kboPattern   = regexp.MustCompile(`^[0-9]{10}$`)
	codePattern  = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	monthPattern = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// digits returns a CHECK expression, valid in both PostgreSQL and SQLite,
// that holds when column consists of exactly n decimal digits. The database
// repeats the rule so that no write path can store a malformed code.
func digits(column string, n int) string {
	expr := column
	for d := 0; d <= 9; d++ {
		expr = fmt.Sprintf("replace(%s, '%d', '')", expr, d)
	}
	return fmt.Sprintf("length(%s) = %d AND %s = ''", column, n, expr)
}

package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// CopyRows copies every row of from's tables into the tables of the same
// name in to, in the columns both have: the way to fill a database of an
// older schema (a test of an upgrade) with data made by today's code, such
// as the demo data. Tables or columns only one side has are left out;
// to's foreign keys and triggers are not checked while copying
// (session_replication_role), so the order of the tables does not matter.
func CopyRows(t testing.TB, from, to *sql.DB, skip ...string) {
	t.Helper()
	ctx := t.Context()
	if err := copyRows(ctx, from, to, skip); err != nil {
		t.Fatalf("copying rows into the older schema: %v", err)
	}
}

func copyRows(ctx context.Context, from, to *sql.DB, skip []string) error {
	fromCols, err := columns(ctx, from)
	if err != nil {
		return err
	}
	toCols, err := columns(ctx, to)
	if err != nil {
		return err
	}
	conn, err := to.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET session_replication_role = replica`); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SET session_replication_role = DEFAULT`) //nolint:errcheck
	skipped := map[string]bool{}
	for _, s := range skip {
		skipped[s] = true
	}
	for table, cols := range toCols {
		if skipped[table] || fromCols[table] == nil {
			continue
		}
		var common []string
		for c := range cols {
			if fromCols[table][c] {
				common = append(common, `"`+c+`"`)
			}
		}
		if err := copyTable(ctx, from, conn, table, common); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

func copyTable(ctx context.Context, from *sql.DB, to *sql.Conn, table string, cols []string) error {
	list := strings.Join(cols, ", ")
	rows, err := from.QueryContext(ctx, `SELECT `+list+` FROM "`+table+`"`)
	if err != nil {
		return err
	}
	defer rows.Close()
	params := make([]string, len(cols))
	for i := range params {
		params[i] = fmt.Sprintf("$%d", i+1)
	}
	insert := `INSERT INTO "` + table + `" (` + list + `) VALUES (` + strings.Join(params, ", ") + `)`
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if _, err := to.ExecContext(ctx, insert, vals...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// columns lists the columns of every table of the public schema.
func columns(ctx context.Context, db *sql.DB) (map[string]map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT c.table_name, c.column_name FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]bool{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return nil, err
		}
		if out[table] == nil {
			out[table] = map[string]bool{}
		}
		out[table][col] = true
	}
	return out, rows.Err()
}

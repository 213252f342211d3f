// Package pagecursor checks that a connection's cursor fits the ordering it
// is used with, so that a cursor from another query, or one a client
// altered, is refused as bad input instead of reaching the database (where
// it would be a type error in PostgreSQL, or silently compared in SQLite).
//
// A cursor (entgql's) holds the ID of the last row of a page and, unless
// the page was ordered by ID, that row's value of the ordering field. The
// generated Paginate methods (ent/template/paginate.tmpl) call Fit before
// they query. A cursor from an ordering on another field of the same type
// (title for description, say) fits and positions the page by its value:
// it cannot reveal anything, since it only holds values the viewer read.
package pagecursor

import (
	"reflect"
	"time"

	"entgo.io/contrib/entgql"

	"wisselaar/internal/apierr"
)

// Fit reports whether the after and before cursors fit an ordering: byID
// when the page is ordered by ID alone (the cursor then holds no value),
// and sample giving a value of the ordering field's type otherwise. The
// error is BAD_USER_INPUT naming the argument.
func Fit(after, before *entgql.Cursor[int], byID bool, sample func() (any, error)) error {
	for _, c := range []struct {
		name   string
		cursor *entgql.Cursor[int]
	}{{"after", after}, {"before", before}} {
		if c.cursor == nil {
			continue
		}
		if err := fit(c.name, c.cursor, byID, sample); err != nil {
			return err
		}
	}
	return nil
}

func fit(name string, c *entgql.Cursor[int], byID bool, sample func() (any, error)) error {
	if c.ID <= 0 {
		return refuse(name)
	}
	if byID {
		if c.Value != nil {
			return refuse(name)
		}
		return nil
	}
	if c.Value == nil {
		return refuse(name)
	}
	want, err := sample()
	if err != nil {
		return err
	}
	if kind(want) != kind(c.Value) {
		return refuse(name)
	}
	return nil
}

func refuse(name string) error {
	return apierr.BadInput(name, "%s is not a cursor of this list in this order: use a cursor from a page of the same query", name)
}

// valueKind is the family of a value as it survives the cursor's encoding
// (MessagePack): the exact Go type does not, its family does.
type valueKind int

const (
	other valueKind = iota
	text
	integer
	float
	boolean
	moment
)

func kind(v any) valueKind {
	if _, ok := v.(time.Time); ok {
		return moment
	}
	if _, ok := v.(*time.Time); ok {
		return moment
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.String:
		return text
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return integer
	case reflect.Float32, reflect.Float64:
		return float
	case reflect.Bool:
		return boolean
	}
	return other
}

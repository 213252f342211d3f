package db

import (
	"context"
	"database/sql"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// txDriver is ent's SQL driver that also hands out the *sql.Tx under a
// transaction it opens, when the context asks for it (CaptureSQLTx): the
// job queue inserts jobs in a mutation's own transaction (River's InsertTx
// takes a *sql.Tx), and ent keeps its transaction's connection to itself.
type txDriver struct{ *entsql.Driver }

// Tx opens a transaction (see BeginTx).
func (d txDriver) Tx(ctx context.Context) (dialect.Tx, error) { return d.BeginTx(ctx, nil) }

// BeginTx opens a transaction and, when ctx carries a slot from
// CaptureSQLTx, puts its *sql.Tx there.
func (d txDriver) BeginTx(ctx context.Context, opts *entsql.TxOptions) (dialect.Tx, error) {
	tx, err := d.Driver.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	if slot, ok := ctx.Value(sqlTxKey{}).(*sqlTxSlot); ok {
		if t, ok := tx.(*entsql.Tx); ok {
			slot.tx, _ = t.Tx.(*sql.Tx)
		}
	}
	return tx, nil
}

type sqlTxKey struct{}

type sqlTxSlot struct{ tx *sql.Tx }

// CaptureSQLTx returns a context for opening an ent transaction
// (client.Tx) and a function that, once the transaction is open, returns
// its *sql.Tx: nil for a client not opened by this package.
func CaptureSQLTx(ctx context.Context) (context.Context, func() *sql.Tx) {
	slot := &sqlTxSlot{}
	return context.WithValue(ctx, sqlTxKey{}, slot), func() *sql.Tx { return slot.tx }
}

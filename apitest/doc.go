// Package apitest holds the integration tests of wisselaar: they run the
// real HTTP handler against a real database (PostgreSQL, and the embedded
// SQLite where the zero-setup path matters) and assert what a client sees.
package apitest

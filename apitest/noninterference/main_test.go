// Package noninterference holds the differential test of DOMAIN.md's rule
// that what a viewer may not read changes no answer it gets. It is a
// package of its own so that it runs beside the other API tests, not after
// them.
package noninterference

import (
	"testing"

	"wisselaar/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

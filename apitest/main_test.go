package apitest

import (
	"testing"

	"wisselaar/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

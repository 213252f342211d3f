package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestAnonymiseCommandRefusals: a date in the future, a malformed date or
// no date is refused with an error (a non-zero exit) before any database is
// opened, so nothing changes.
func TestAnonymiseCommandRefusals(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"DATA_DIR": dir}
	tomorrow := time.Now().AddDate(0, 0, 2).Format("2006-01-02")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--before", tomorrow}, "in the future"},
		{[]string{"--before", "2024-02-30"}, "--before"},
		{nil, "--before DATE is required"},
		{[]string{"--before", "2024-01-01", "extra"}, "unexpected argument"},
	} {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"wisselaar", "anonymise"}, c.args...), func(k string) string { return env[k] }, &out)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("anonymise %v: %v, want an error saying %q", c.args, err, c.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("a refused run created %d files in the data directory", len(entries))
	}
}

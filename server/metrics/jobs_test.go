package metrics

import (
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/prometheus/client_golang/prometheus/testutil"
	_ "modernc.org/sqlite"

	"wisselaar/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestJobQueue: no series while the job queue's table does not exist; once
// it does, its jobs counted by state, on PostgreSQL and on SQLite.
func TestJobQueue(t *testing.T) {
	pg, err := sql.Open("pgx", pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	lite, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "jobs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tt := range []struct {
		dialect string
		db      *sql.DB
		table   string
	}{
		{"postgres", pg, `CREATE TYPE river_job_state AS ENUM ('available', 'running', 'completed');
			CREATE TABLE river_job (id bigserial PRIMARY KEY, state river_job_state NOT NULL)`},
		{"sqlite3", lite, `CREATE TABLE river_job (id INTEGER PRIMARY KEY, state TEXT NOT NULL)`},
	} {
		c := JobQueue(tt.db, tt.dialect, logger)
		if n := testutil.CollectAndCount(c); n != 0 {
			t.Errorf("%s without the table: %d series, want none", tt.dialect, n)
		}
		for _, q := range strings.Split(tt.table, ";") {
			if _, err := tt.db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := tt.db.Exec(`INSERT INTO river_job (state) VALUES ('available'), ('available'), ('completed')`); err != nil {
			t.Fatal(err)
		}
		want := `# HELP wisselaar_jobs Jobs in the job queue by state (available, running, retryable, completed, discarded, …).
# TYPE wisselaar_jobs gauge
wisselaar_jobs{state="available"} 2
wisselaar_jobs{state="completed"} 1
`
		if err := testutil.CollectAndCompare(c, strings.NewReader(want)); err != nil {
			t.Errorf("%s: %v", tt.dialect, err)
		}
	}
}

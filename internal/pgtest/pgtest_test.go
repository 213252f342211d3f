package pgtest

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

func TestMain(m *testing.M) { Main(m) }

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func tableExists(t *testing.T, db *sql.DB, table string) bool {
	t.Helper()
	var ok bool
	if err := db.QueryRow(`SELECT to_regclass($1) IS NOT NULL`, table).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

func databaseExists(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func dbName(t *testing.T, db *sql.DB) string {
	t.Helper()
	var name string
	if err := db.QueryRow(`SELECT current_database()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestDatabasesAreIsolated(t *testing.T) {
	t.Parallel()
	a := open(t, NewDatabase(t))
	b := open(t, NewDatabase(t))
	if dbName(t, a) == dbName(t, b) {
		t.Fatalf("both databases are %s", dbName(t, a))
	}
	if _, err := a.Exec(`CREATE TABLE only_in_a (id int)`); err != nil {
		t.Fatal(err)
	}
	if !tableExists(t, a, "only_in_a") {
		t.Fatal("table missing in the database it was created in")
	}
	if tableExists(t, b, "only_in_a") {
		t.Fatal("table created in one database is visible in another")
	}
	if tableExists(t, a, "pg_temp_nonexistent") {
		t.Fatal("tableExists is broken")
	}
}

func TestTemplateClones(t *testing.T) {
	t.Parallel()
	var builds atomic.Int32
	build := func(dsn string) error {
		builds.Add(1)
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.Exec(`CREATE TABLE seed (v text); INSERT INTO seed VALUES ('hello')`)
		return err
	}

	// Clones asked for at the same time all get the built template.
	var wg sync.WaitGroup
	dsns := make([]string, 4)
	for i := range dsns {
		wg.Add(1)
		t.Run(fmt.Sprint("clone", i), func(t *testing.T) {
			t.Parallel()
			defer wg.Done()
			dsn := NewDatabaseFromTemplate(t, "seeded", build)
			db := open(t, dsn)
			var v string
			if err := db.QueryRow(`SELECT v FROM seed`).Scan(&v); err != nil {
				t.Fatal(err)
			}
			if v != "hello" {
				t.Fatalf("seed row = %q, want hello", v)
			}
			// Each clone is its own database.
			if _, err := db.Exec(`INSERT INTO seed VALUES ('mine')`); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.QueryRow(`SELECT count(*) FROM seed`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Fatalf("clone has %d rows, want 2: clones share data", n)
			}
			dsns[i] = dsn
		})
	}
	t.Cleanup(func() {
		wg.Wait()
		if n := builds.Load(); n != 1 {
			t.Errorf("build ran %d times, want 1", n)
		}
		seen := map[string]bool{}
		for _, dsn := range dsns {
			if seen[dsn] {
				t.Errorf("two clones got the same DSN %s", dsn)
			}
			seen[dsn] = true
		}
	})
}

func TestTemplateBuildError(t *testing.T) {
	t.Parallel()
	c := get(t)
	calls := 0
	build := func(string) error { calls++; return fmt.Errorf("boom") }
	for range 2 {
		if _, err := c.template("broken", build); err == nil || !strings.Contains(err.Error(), "boom") {
			t.Fatalf("template error = %v, want boom", err)
		}
	}
	if calls != 1 {
		t.Fatalf("build ran %d times, want 1", calls)
	}
}

func TestCleanupDropsDatabase(t *testing.T) {
	t.Parallel()
	observer := open(t, NewDatabase(t))
	var names []string
	for _, tpl := range []bool{false, true} {
		t.Run(fmt.Sprint("template=", tpl), func(t *testing.T) {
			var dsn string
			if tpl {
				dsn = NewDatabaseFromTemplate(t, "empty", func(string) error { return nil })
			} else {
				dsn = NewDatabase(t)
			}
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			// Left open on purpose: the drop must not depend on it.
			name := dbName(t, db)
			if !databaseExists(t, observer, name) {
				t.Fatalf("database %s does not exist", name)
			}
			names = append(names, name)
		})
	}
	for _, name := range names {
		if databaseExists(t, observer, name) {
			t.Errorf("database %s still exists after its test ended", name)
		}
	}
	if len(names) != 2 {
		t.Fatalf("got %d names", len(names))
	}
}

func TestUniqueNameFits(t *testing.T) {
	c := &cluster{}
	long := strings.Repeat("TestSomething/with_a_very_long_name/ünïcode ", 5)
	a, b := c.uniqueName(long), c.uniqueName(long)
	if a == b {
		t.Fatalf("same name twice: %s", a)
	}
	for _, n := range []string{a, b, c.uniqueName("")} {
		if len(n) > 63 {
			t.Errorf("%s is %d bytes, PostgreSQL keeps 63", n, len(n))
		}
		for _, r := range n {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
				t.Errorf("%s has %q", n, r)
			}
		}
	}
}

// The private cluster, tested in child processes of this test binary that
// have no WISSELAAR_TEST_DATABASE_URL (CI sets it for everyone else): it
// starts, and it is gone afterwards however the process ends.

const helperEnv = "PGTEST_HELPER_MODE"

// TestHelperPrivateCluster is not a test on its own: the tests below run it
// in a child process.
func TestHelperPrivateCluster(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("helper for TestPrivateCluster")
	}
	db := open(t, NewDatabase(t))
	if _, err := db.Exec(`CREATE TABLE x (id int)`); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	s := current.proc
	mu.Unlock()
	if s == nil {
		t.Fatal("not a private cluster")
	}
	fmt.Printf("HELPER dir=%s pid=%d\n", s.dir, s.child.Process.Pid)
	switch mode {
	case "panic":
		panic("helper panics on purpose")
	case "wait":
		time.Sleep(time.Minute) // until the parent sends SIGTERM
	}
}

func TestPrivateCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts clusters in child processes")
	}
	if _, err := findBinDir(); err != nil && !required() {
		t.Skipf("no private cluster possible: %v", err)
	}
	if _, err := credential(); err != nil && !required() {
		t.Skipf("no private cluster possible: %v", err)
	}
	for _, mode := range []string{"ok", "panic", "wait"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPrivateCluster$", "-test.v", "-test.count=1")
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, EnvDatabaseURL+"=") {
					cmd.Env = append(cmd.Env, kv)
				}
			}
			cmd.Env = append(cmd.Env, helperEnv+"="+mode, EnvRequire+"=1")
			// If this test process dies first, the helper cleans up as on a
			// SIGTERM from anyone else.
			cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
			var out strings.Builder
			pipe, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = cmd.Stdout // the pipe: one stream, read below
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var dir string
			var pid int
			sc := bufio.NewScanner(pipe)
			for sc.Scan() {
				line := sc.Text()
				fmt.Fprintln(&out, line)
				if strings.HasPrefix(line, "HELPER ") {
					fmt.Sscanf(line, "HELPER dir=%s pid=%d", &dir, &pid)
					if mode == "wait" {
						cmd.Process.Signal(syscall.SIGTERM)
					}
				}
			}
			err = cmd.Wait()
			if pid == 0 {
				t.Fatalf("helper printed no cluster (err %v):\n%s", err, &out)
			}
			if mode == "ok" && err != nil {
				t.Fatalf("helper failed: %v\n%s", err, &out)
			}
			if mode != "ok" && err == nil {
				t.Fatalf("helper succeeded, want it to die:\n%s", &out)
			}
			deadline := time.Now().Add(10 * time.Second)
			for alive(pid) {
				if time.Now().After(deadline) {
					syscall.Kill(pid, syscall.SIGKILL)
					t.Fatalf("postgres %d still runs after its test process ended:\n%s", pid, &out)
				}
				time.Sleep(20 * time.Millisecond)
			}
			if mode == "panic" {
				// Nobody could remove it; the next private cluster will.
				os.RemoveAll(dir)
				return
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				os.RemoveAll(dir)
				t.Fatalf("cluster directory %s not removed (%v):\n%s", dir, err, &out)
			}
		})
	}
}

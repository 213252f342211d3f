// Package pgtest gives tests a real, empty PostgreSQL database.
//
// Tests never use a mock: every database handed out lives on a real
// PostgreSQL server. Which server depends on the environment:
//
//   - If WISSELAAR_TEST_DATABASE_URL is set, it must be a URL
//     (postgres://user@host:port/db?sslmode=disable) of a role that may
//     create databases on a running cluster. .ci/run starts one cluster for
//     the whole CI run and sets it, which saves a cluster start per package.
//   - Otherwise the first test that asks for a database starts a private,
//     throwaway cluster for the test process (initdb into a temporary
//     directory, trust auth, 127.0.0.1 on a free port, fsync off). Main stops
//     it and removes its directory when the tests are done. The server
//     binaries are looked up on PATH and then in /usr/lib/postgresql/*/bin.
//     When the process runs as root, the cluster runs as the unprivileged
//     "postgres" account, since PostgreSQL refuses to run as root.
//
// When no server can be found or started, tests that ask for a database are
// skipped with a message that says how to install one, or fail if CI=true or
// WISSELAAR_REQUIRE_POSTGRES=1.
//
// Every package that uses pgtest must call Main from its TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Environment variables read by this package.
const (
	// EnvDatabaseURL names a running cluster to use instead of a private one.
	EnvDatabaseURL = "WISSELAAR_TEST_DATABASE_URL"
	// EnvRequire, when "1", turns "PostgreSQL not available" into a test
	// failure instead of a skip. CI=true does the same.
	EnvRequire = "WISSELAAR_REQUIRE_POSTGRES"
)

const installHint = "install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql; " +
	"the binaries are found on PATH or in /usr/lib/postgresql/*/bin), " +
	"or set " + EnvDatabaseURL + " to the URL of a running cluster " +
	"(e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)"

// The lazily started cluster: the only package-level state.
var (
	mu          sync.Mutex
	mainCalled  bool
	current     *cluster // non-nil once started successfully
	startErr    error    // non-nil if starting failed; not retried
	startedOnce bool
)

// Main runs the tests of a package and then tears down what pgtest started:
// the private cluster (stopped at once and its directory removed) or, on a
// shared cluster, the template databases this process built. It exits the
// process with the tests' exit code. Call it from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// If a test panics or the test binary is killed, the private server still
// goes away: it is started with a parent-death signal. A SIGINT or SIGTERM
// also stops the server and removes its directory.
func Main(m *testing.M) {
	mu.Lock()
	mainCalled = true
	mu.Unlock()

	code := m.Run()

	mu.Lock()
	c := current
	mu.Unlock()
	if c != nil {
		if err := c.close(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	os.Exit(code)
}

// NewDatabase creates a fresh, empty, uniquely named database, drops it
// (WITH (FORCE)) when the test and its subtests are done, and returns a
// postgres:// URL for it (for db.Open, or sql.Open("pgx", dsn)).
func NewDatabase(t testing.TB) string {
	t.Helper()
	c := get(t)
	name := c.uniqueName(t.Name())
	if err := c.createDatabase(name, ""); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { c.dropForTest(t, name) })
	return c.dsn(name)
}

// NewDatabaseFromTemplate returns a fresh database cloned from a template
// built once per test process and per name: the first call for a name
// creates an empty template database and runs build on it (typically: run
// the migrations and load seed data); every call, the first included, then
// returns a new database made with CREATE DATABASE … TEMPLATE, which is much
// faster than building each one. The clone is dropped when the test is done.
//
// build must close every connection it opened (db.Close()) before it
// returns: PostgreSQL cannot copy a database that someone is connected to.
// If build fails, every test that asks for that template fails.
//
// The template database is named after name and this process (not just
// name), so test packages sharing a cluster never build into each other's
// template; on a shared cluster, Main drops it after the tests.
func NewDatabaseFromTemplate(t testing.TB, name string, build func(dsn string) error) string {
	t.Helper()
	c := get(t)
	tpl, err := c.template(name, build)
	if err != nil {
		t.Fatalf("pgtest: template %q: %v", name, err)
	}
	db := c.uniqueName(t.Name())
	if err := c.createDatabase(db, tpl); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { c.dropForTest(t, db) })
	return c.dsn(db)
}

// get returns the cluster, starting it on first use, or ends the test.
func get(t testing.TB) *cluster {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if !mainCalled {
		t.Fatal("pgtest: the package's TestMain must call pgtest.Main(m), " +
			"so that the test cluster is stopped after the tests: " +
			"func TestMain(m *testing.M) { pgtest.Main(m) }")
	}
	if !startedOnce {
		startedOnce = true
		current, startErr = start()
	}
	if startErr != nil {
		var u unavailable
		if errors.As(startErr, &u) && !required() {
			t.Skipf("pgtest: PostgreSQL not available, skipping: %v; to run this test, %s", startErr, installHint)
		}
		t.Fatalf("pgtest: PostgreSQL not available: %v\n(%s)", startErr, installHint)
	}
	return current
}

// required reports whether a missing PostgreSQL is a failure, not a skip.
func required() bool {
	return os.Getenv("CI") == "true" || os.Getenv(EnvRequire) == "1"
}

// unavailable marks errors meaning "no PostgreSQL can be found or started
// here": they skip tests unless required() says otherwise. Errors with a
// cluster named by WISSELAAR_TEST_DATABASE_URL always fail.
type unavailable struct{ err error }

func (u unavailable) Error() string { return u.err.Error() }
func (u unavailable) Unwrap() error { return u.err }

// cluster is a server that tests get databases on.
type cluster struct {
	base  *url.URL // URL of the maintenance database; path replaced per database
	admin *sql.DB  // connection pool to the maintenance database
	proc  *server  // nil when the cluster is not ours (WISSELAAR_TEST_DATABASE_URL)

	mu        sync.Mutex
	seq       int
	templates map[string]*template
	closeOnce sync.Once
	closeErr  error
}

type template struct {
	once sync.Once
	db   string
	err  error
}

func start() (*cluster, error) {
	if raw := os.Getenv(EnvDatabaseURL); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, fmt.Errorf("%s must be a URL like postgres://user@host:port/postgres?sslmode=disable, got %q", EnvDatabaseURL, raw)
		}
		if u.Path == "" || u.Path == "/" {
			u.Path = "/postgres"
		}
		q := u.Query()
		if q.Get("sslmode") == "" {
			q.Set("sslmode", "disable")
			u.RawQuery = q.Encode()
		}
		c := &cluster{base: u, templates: map[string]*template{}}
		if c.admin, err = openAndPing(u.String(), 10*time.Second); err != nil {
			return nil, fmt.Errorf("cannot connect to %s: %w", EnvDatabaseURL, err)
		}
		return c, nil
	}

	s, err := startServer()
	if err != nil {
		return nil, unavailable{err}
	}
	u := &url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)),
		Path:     "/postgres",
		RawQuery: "sslmode=disable",
	}
	c := &cluster{base: u, proc: s, templates: map[string]*template{}}
	if c.admin, err = openAndPing(u.String(), 5*time.Second); err != nil {
		s.stop()
		return nil, unavailable{err}
	}
	return c, nil
}

func openAndPing(dsn string, timeout time.Duration) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		err = db.PingContext(ctx)
		if err == nil {
			return db, nil
		}
		select {
		case <-ctx.Done():
			db.Close()
			return nil, err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// close tears down what this process made; see Main.
func (c *cluster) close() error {
	c.closeOnce.Do(func() {
		if c.proc != nil {
			// Our own cluster: throwing it away drops everything at once.
			c.admin.Close()
			c.closeErr = c.proc.stop()
			return
		}
		// Shared cluster: drop the templates (tests dropped their own).
		c.mu.Lock()
		var dbs []string
		for _, tpl := range c.templates {
			if tpl.db != "" {
				dbs = append(dbs, tpl.db)
			}
		}
		c.mu.Unlock()
		var errs []error
		for _, db := range dbs {
			errs = append(errs, c.dropDatabase(db))
		}
		errs = append(errs, c.admin.Close())
		c.closeErr = errors.Join(errs...)
	})
	return c.closeErr
}

func (c *cluster) dsn(db string) string {
	u := *c.base
	u.Path = "/" + db
	return u.String()
}

// uniqueName makes a database name that is unique in this process (a
// counter) and among processes sharing a cluster (pid and random bytes),
// and readable in psql's \l (the test's name).
func (c *cluster) uniqueName(hint string) string {
	c.mu.Lock()
	c.seq++
	n := c.seq
	c.mu.Unlock()
	var r [3]byte
	rand.Read(r[:])
	suffix := fmt.Sprintf("_%d_%d_%s", os.Getpid(), n, hex.EncodeToString(r[:]))
	return sanitize(hint, 63-len("t_")-len(suffix)) + suffix
}

// sanitize turns s into a lower-case identifier part of at most max bytes.
func sanitize(s string, max int) string {
	var b strings.Builder
	b.WriteString("t_")
	for _, r := range strings.ToLower(s) {
		if b.Len() >= max+len("t_") {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// template returns the name of the template database for name, building it
// on first use.
func (c *cluster) template(name string, build func(dsn string) error) (string, error) {
	c.mu.Lock()
	tpl := c.templates[name]
	if tpl == nil {
		tpl = &template{}
		c.templates[name] = tpl
	}
	c.mu.Unlock()

	tpl.once.Do(func() {
		db := c.uniqueName("tpl_" + name)
		if err := c.createDatabase(db, ""); err != nil {
			tpl.err = err
			return
		}
		c.mu.Lock()
		tpl.db = db // from now on close() drops it
		c.mu.Unlock()
		if err := build(c.dsn(db)); err != nil {
			tpl.err = fmt.Errorf("build: %w", err)
			return
		}
		tpl.err = c.waitNoConnections(db, 5*time.Second)
	})
	return tpl.db, tpl.err
}

// waitNoConnections waits until nobody is connected to db: a connection
// closed by a client goes away on the server a moment later.
func (c *cluster) waitNoConnections(db string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		var n int
		err := c.admin.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = $1`, db).Scan(&n)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("build left %d connection(s) open to the template database %s; "+
				"build must close every connection it opens (db.Close()) before returning", n, db)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// createDatabase creates db, as a copy of template if that is not empty.
func (c *cluster) createDatabase(db, template string) error {
	q := "CREATE DATABASE " + pgx.Identifier{db}.Sanitize()
	if template != "" {
		q += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	// Copying a template fails while anyone is connected to it. Ours has no
	// clients, but a shared cluster's autovacuum may visit it for a moment.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := c.admin.Exec(q)
		if err == nil {
			return nil
		}
		var pgErr *pgconn.PgError
		busy := errors.As(err, &pgErr) && pgErr.Code == "55006" // object_in_use
		if !busy || time.Now().After(deadline) {
			if busy {
				err = fmt.Errorf("%w (is a connection to the template still open?)", err)
			}
			return fmt.Errorf("create database %s: %w", db, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *cluster) dropDatabase(db string) error {
	if _, err := c.admin.Exec("DROP DATABASE IF EXISTS " + pgx.Identifier{db}.Sanitize() + " WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", db, err)
	}
	return nil
}

func (c *cluster) dropForTest(t testing.TB, db string) {
	if err := c.dropDatabase(db); err != nil {
		t.Errorf("pgtest: %v", err)
	}
}

// server is a private PostgreSQL server run by this process.
type server struct {
	dir  string // temporary directory: data/, socket, log
	port int
	sigs chan os.Signal
	once sync.Once
	err  error

	mu      sync.Mutex    // guards the fields below, which a signal may stop
	child   *exec.Cmd     // initdb, then the postmaster
	exited  chan struct{} // closed when child has exited
	stopped bool          // no child may start any more
}

const dirPrefix = "wisselaar-pgtest-"

func startServer() (*server, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := credential()
	if err != nil {
		return nil, err
	}
	removeStaleDirs()

	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir}
	s.handleSignals() // from now on, a SIGINT or SIGTERM removes dir
	fail := func(err error) (*server, error) {
		s.stop()
		return nil, err
	}
	// Lets a later process remove the directory if this one dies without
	// cleaning up (see removeStaleDirs).
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return fail(err)
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return fail(err)
		}
	}

	data := filepath.Join(dir, "data")
	var out strings.Builder
	initdb := exec.Command(filepath.Join(bin, "initdb"),
		"-D", data, "-U", "postgres", "--auth=trust",
		"--no-locale", "--encoding=UTF8", "--no-sync", "--no-instructions")
	initdb.Stdout, initdb.Stderr = &out, &out
	exited, err := s.startChild(initdb, cred)
	if err != nil {
		return fail(fmt.Errorf("start initdb: %w", err))
	}
	<-exited
	if !initdb.ProcessState.Success() {
		return fail(fmt.Errorf("initdb: %v\n%s", initdb.ProcessState, out.String()))
	}

	// Another process may take the free port between our check and the
	// server's bind: then try another one.
	for attempt := 1; ; attempt++ {
		err := s.run(bin, data, cred)
		if err == nil {
			break
		}
		if !errors.Is(err, errPortTaken) || attempt == 5 {
			return fail(err)
		}
	}
	return s, nil
}

// startChild starts cmd, initdb or postgres, as cred, and returns a channel
// closed when it has exited.
func (s *server) startChild(cmd *exec.Cmd, cred *syscall.Credential) (<-chan struct{}, error) {
	cmd.Dir = s.dir // our working directory may be closed to cred's user
	cmd.Env = serverEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: cred,
		// The kernel sends SIGQUIT (for the postmaster: immediate shutdown)
		// when this process dies in any way, so a panicking or killed test
		// binary leaks no server.
		Pdeathsig: syscall.SIGQUIT,
		// A process group of its own: a Ctrl-C reaches only us, and we stop
		// the child and its children (kill reaches the group) before we go.
		Setpgid: true,
	}
	// The parent-death signal fires when the thread that started the child
	// exits, not the process. Go ends a thread when a goroutine locked to it
	// returns, so start the child from a goroutine that locks its own thread
	// and keeps it until the child has exited.
	errc := make(chan error, 1)
	exited := make(chan struct{})
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil, errors.New("stopped by a signal")
	}
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			errc <- err
			return // ends the thread: nothing depends on it
		}
		errc <- nil
		cmd.Wait()
		close(exited)
		runtime.UnlockOSThread()
	}()
	if err := <-errc; err != nil {
		return nil, err
	}
	s.child, s.exited = cmd, exited
	return exited, nil
}

var errPortTaken = errors.New("port taken")

// run starts the postmaster and waits until it accepts connections.
func (s *server) run(bin, data string, cred *syscall.Credential) error {
	return s.runOn(bin, data, cred, 0)
}

// runOn is run on port, or on a free port when port is 0.
func (s *server) runOn(bin, data string, cred *syscall.Credential, port int) error {
	var err error
	if port == 0 {
		if port, err = freePort(); err != nil {
			return err
		}
	}
	sock := s.dir
	if len(sock) > 90 { // a socket path must fit in 107 bytes
		sock = ""
	}
	logPath := filepath.Join(s.dir, "postgres.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(filepath.Join(bin, "postgres"),
		"-D", data,
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+sock,
		// Durability is worthless for a throwaway cluster; speed is not.
		"-c", "fsync=off",
		"-c", "full_page_writes=off",
		"-c", "synchronous_commit=off",
		// Keeps autovacuum from connecting to templates being copied.
		"-c", "autovacuum=off",
		"-c", "max_connections=200",
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	exited, err := s.startChild(cmd, cred)
	if err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	s.port = port

	dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=2", port)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		s.kill()
		return err
	}
	defer db.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if err = db.Ping(); err == nil {
			return nil
		}
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			if strings.Contains(string(log), "could not bind") || strings.Contains(string(log), "could not create any TCP/IP sockets") {
				return errPortTaken
			}
			return fmt.Errorf("postgres exited during startup:\n%s", log)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.kill()
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("postgres did not accept connections within 60s: %v\n%s", err, log)
		}
	}
}

// handleSignals stops the server (if started) and removes its directory on
// SIGINT or SIGTERM, then lets the signal end the process as it would have.
func (s *server) handleSignals() {
	s.sigs = make(chan os.Signal, 1)
	signal.Notify(s.sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig, ok := <-s.sigs
		if !ok {
			return
		}
		s.stop()
		signal.Reset(sig)
		syscall.Kill(os.Getpid(), sig.(syscall.Signal))
	}()
}

// stop is pg_ctl stop -m immediate (SIGQUIT to the postmaster), or the end
// of an unfinished initdb. Then the directory goes.
func (s *server) stop() error {
	s.once.Do(func() {
		if s.sigs != nil {
			signal.Stop(s.sigs)
		}
		s.kill()
		s.err = os.RemoveAll(s.dir)
	})
	return s.err
}

// kill sends SIGQUIT to the child's process group, so that initdb's
// helpers or the server's backends go too, and waits until the child has
// exited; SIGKILL if that takes over 10 s.
func (s *server) kill() {
	s.mu.Lock()
	s.stopped = true
	child, exited := s.child, s.exited
	s.mu.Unlock()
	if child == nil {
		return
	}
	syscall.Kill(-child.Process.Pid, syscall.SIGQUIT)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		syscall.Kill(-child.Process.Pid, syscall.SIGKILL)
		<-exited
	}
}

// findBinDir returns the directory that holds initdb and postgres: the one
// on PATH, else the newest /usr/lib/postgresql/N/bin (Debian's layout,
// which the postgresql package does not put on PATH).
func findBinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		dir := filepath.Dir(p)
		if isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, dir := range dirs {
		if isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", errors.New("no initdb and postgres on PATH nor in /usr/lib/postgresql/*/bin")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// credential returns whom to run the server as: nil (ourselves), or, when
// we are root, which PostgreSQL refuses, the "postgres" account.
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, and PostgreSQL refuses to run as root, but there is no "+
			"\"postgres\" account to run it as (%v); create one: useradd --system --user-group postgres", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// serverEnv is our environment without PG* variables, which would change
// what initdb and postgres do.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// removeStaleDirs removes the directories of private clusters whose test
// process died without removing them (killed, or a test panicked; the
// server itself died with it).
func removeStaleDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, dir := range dirs {
		owner, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if err != nil {
			// Being set up (for a moment), or left half removed.
			if fi, err := os.Stat(dir); err == nil && time.Since(fi.ModTime()) > time.Hour {
				os.RemoveAll(dir)
			}
			continue
		}
		if pid, err := strconv.Atoi(string(owner)); err != nil || alive(pid) {
			continue
		}
		if pm, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid")); err == nil {
			line, _, _ := strings.Cut(string(pm), "\n")
			if pid, err := strconv.Atoi(strings.TrimSpace(line)); err == nil && alive(pid) {
				continue
			}
		}
		os.RemoveAll(dir)
	}
}

// alive reports whether process pid exists and is not a zombie.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc: trust kill
	}
	// Format: pid (comm) state ...; comm may contain spaces and parens.
	s := string(stat)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}

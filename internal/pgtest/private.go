package pgtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Private is a PostgreSQL server of its own for one test, which the test
// may freeze, thaw and restart to see how its clients cope with a database
// that stops answering or goes away. Unlike the databases of NewDatabase,
// it never lives on the shared cluster of WISSELAAR_TEST_DATABASE_URL:
// freezing that would stall every other test.
type Private struct {
	t    testing.TB
	s    *server
	bin  string
	cred *syscall.Credential
}

// StartPrivate starts a private server (initdb, then postgres on a free
// port of 127.0.0.1) and stops it when the test is done. Without the
// server binaries the test is skipped, or fails under CI=true.
func StartPrivate(t testing.TB) *Private {
	t.Helper()
	bin, err := findBinDir()
	if err == nil {
		var s *server
		if s, err = startServer(); err == nil {
			cred, _ := credential()
			p := &Private{t: t, s: s, bin: bin, cred: cred}
			t.Cleanup(func() { s.stop() })
			return p
		}
	}
	if !required() {
		t.Skipf("pgtest: no private PostgreSQL server: %v; to run this test, %s", err, installHint)
	}
	t.Fatalf("pgtest: no private PostgreSQL server: %v\n(%s)", err, installHint)
	return nil
}

// URL is the address of the server's postgres database.
func (p *Private) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.s.port)
}

// Freeze stops every process of the server (SIGSTOP): connections stay
// open and new ones are accepted by the kernel, but nothing answers.
func (p *Private) Freeze() { p.signal(syscall.SIGSTOP) }

// Thaw lets a frozen server go on (SIGCONT).
func (p *Private) Thaw() { p.signal(syscall.SIGCONT) }

func (p *Private) signal(sig syscall.Signal) {
	p.t.Helper()
	p.s.mu.Lock()
	child := p.s.child
	p.s.mu.Unlock()
	if err := syscall.Kill(-child.Process.Pid, sig); err != nil {
		p.t.Fatalf("pgtest: %v: %v", sig, err)
	}
	// PostgreSQL makes each of its processes (backends, background
	// workers) a process group of its own, so the group's signal reaches
	// only the postmaster: signal its children one by one too. A backend
	// forked in between was forked by a postmaster that is now stopped.
	for _, pid := range childrenOf(child.Process.Pid) {
		syscall.Kill(pid, sig)
	}
}

// childrenOf returns the processes whose parent is pid (Linux /proc).
func childrenOf(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// The fields after the command (which is in parentheses and may
		// hold spaces): state, then the parent's pid.
		i := strings.LastIndexByte(string(stat), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat)[i+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, n)
		}
	}
	return out
}

// Stop ends the server at once (as a crash would: every connection drops)
// and keeps its data for Start.
func (p *Private) Stop() {
	p.t.Helper()
	p.s.mu.Lock()
	child, exited := p.s.child, p.s.exited
	p.s.mu.Unlock()
	syscall.Kill(-child.Process.Pid, syscall.SIGCONT) // a frozen server cannot quit
	syscall.Kill(-child.Process.Pid, syscall.SIGQUIT)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		syscall.Kill(-child.Process.Pid, syscall.SIGKILL)
		<-exited
	}
}

// Start starts a stopped server again on the same port, with its data.
func (p *Private) Start() {
	p.t.Helper()
	if err := p.s.runOn(p.bin, filepath.Join(p.s.dir, "data"), p.cred, p.s.port); err != nil {
		p.t.Fatalf("pgtest: restarting PostgreSQL: %v", err)
	}
}

// StartServer starts a throwaway server outside of tests, the way tests
// get theirs (initdb into a temporary directory, 127.0.0.1 on a free port),
// for development tools that need an empty PostgreSQL for a moment, such
// as the generator of migrations. It returns the URL of the server's
// postgres database and a function that stops the server and removes its
// directory.
func StartServer() (url string, stop func() error, err error) {
	s, err := startServer()
	if err != nil {
		return "", nil, fmt.Errorf("%w; %s", err, installHint)
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port), s.stop, nil
}

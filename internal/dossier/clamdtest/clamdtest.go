// Package clamdtest starts a real ClamAV daemon for tests, with a
// signature database made for the test: no freshclam, no internet. The
// database holds one MD5 signature (a .hdb line) of the "virus" the test
// uploads, so that clamd finds exactly that file and nothing else.
package clamdtest

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// VirusName is the name clamd reports for Infected; clamd adds ".UNOFFICIAL"
// to signatures outside the official databases.
const VirusName = "Wisselaar.Test.Virus"

// Infected returns the test's "virus": a small file that looks like a PDF
// (so that it passes the type check and reaches the scanner).
func Infected() []byte {
	return []byte("%PDF-1.4\n% wisselaar test signature: not a real virus\n%%EOF\n")
}

// Start runs clamd on a Unix socket in a temporary directory and returns
// the socket's address for CLAMD_ADDRESS ("unix:///…"). It skips the test
// when clamd is not installed, except under CI=true, where that fails it.
func Start(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("clamd")
	if err != nil {
		for _, p := range []string{"/usr/sbin/clamd", "/usr/local/sbin/clamd"} {
			if _, statErr := os.Stat(p); statErr == nil {
				bin, err = p, nil
			}
		}
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("clamd is missing (Debian: apt-get install clamav-daemon)")
		}
		t.Skip("clamd is missing (Debian: apt-get install clamav-daemon); skipping the virus scan test")
	}
	dir, err := os.MkdirTemp("", "clamd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// clamd may drop to its own account; let it read the directory.
	_ = os.Chmod(dir, 0o755)
	db := filepath.Join(dir, "db")
	if err := os.Mkdir(db, 0o755); err != nil {
		t.Fatal(err)
	}
	v := Infected()
	sum := md5.Sum(v)
	sig := fmt.Sprintf("%s:%d:%s\n", hex.EncodeToString(sum[:]), len(v), VirusName)
	if err := os.WriteFile(filepath.Join(db, "wisselaar.hdb"), []byte(sig), 0o644); err != nil {
		t.Fatal(err)
	}
	socket := filepath.Join(dir, "clamd.sock")
	conf := filepath.Join(dir, "clamd.conf")
	cfg := strings.Join([]string{
		"Foreground yes",
		"LocalSocket " + socket,
		"DatabaseDirectory " + db,
		"TemporaryDirectory " + dir,
		"LogFile " + filepath.Join(dir, "clamd.log"),
		"LogVerbose no",
		"Bytecode no",
		"MaxThreads 2",
	}, "\n") + "\n"
	if os.Geteuid() == 0 {
		cfg += "User root\n"
	}
	if err := os.WriteFile(conf, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config-file="+conf)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("starting clamd: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(60 * time.Second)
	for {
		if c, err := net.Dial("unix", socket); err == nil {
			_, _ = c.Write([]byte("zPING\x00"))
			buf := make([]byte, 16)
			_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
			n, _ := c.Read(buf)
			c.Close()
			if strings.HasPrefix(string(buf[:n]), "PONG") {
				return "unix://" + socket
			}
		}
		select {
		case <-done:
			log, _ := os.ReadFile(filepath.Join(dir, "clamd.log"))
			t.Fatalf("clamd stopped: %s\n%s", out.String(), log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("clamd did not answer within a minute: %s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

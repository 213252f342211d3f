package apitest

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"wisselaar/internal/jobs"
	"wisselaar/internal/testutil"
)

const acceptOp = `mutation($input: AcceptTrajectoryInput!) { acceptTrajectory(input: $input) { trajectory { status } } }`

// mailpit is a real SMTP server for a test: Mailpit, run with `go tool`
// from its own module (e2e/mailpit), read through its HTTP API.
type mailpit struct {
	t          *testing.T
	smtp, http string // host:port
	cmd        *exec.Cmd
}

// freePort returns a loopback address no one listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// newMailpit chooses Mailpit's addresses and builds it; start runs it.
func newMailpit(t *testing.T) *mailpit {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to run Mailpit with")
	}
	m := &mailpit{t: t, smtp: freePort(t), http: freePort(t)}
	// Build it first (go tool caches the binary), so that start is quick.
	build := m.command("--help")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building Mailpit: %v\n%s", err, out)
	}
	return m
}

func (m *mailpit) command(args ...string) *exec.Cmd {
	cmd := exec.Command("go", append([]string{"tool", "mailpit"}, args...)...)
	cmd.Dir = filepath.Join("..", "e2e", "mailpit")
	// go tool runs Mailpit as its child: the group is stopped together.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

// start runs Mailpit and waits until its API answers.
func (m *mailpit) start() {
	m.t.Helper()
	m.cmd = m.command("--smtp", m.smtp, "--listen", m.http, "--database", filepath.Join(m.t.TempDir(), "mailpit.db"),
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--quiet")
	if err := m.cmd.Start(); err != nil {
		m.t.Fatal(err)
	}
	pid := m.cmd.Process.Pid
	m.t.Cleanup(func() {
		syscall.Kill(-pid, syscall.SIGTERM)
		m.cmd.Wait()
	})
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get("http://" + m.http + "/api/v1/messages")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("Mailpit did not start: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// message is an e-mail as Mailpit received it.
type message struct {
	To      []string
	Subject string
	Text    string
	Lang    string
}

func (m *mailpit) get(path string, v any) {
	m.t.Helper()
	resp, err := http.Get("http://" + m.http + path)
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		m.t.Fatal(err)
	}
}

// wait returns the messages once n have arrived, or fails after a minute.
func (m *mailpit) wait(n int) []message {
	m.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var list struct {
			Total    int
			Messages []struct {
				ID      string
				To      []struct{ Address string }
				Subject string
			}
		}
		m.get("/api/v1/messages?limit=100", &list)
		if list.Total >= n {
			var out []message
			for _, s := range list.Messages {
				var full struct{ Text string }
				m.get("/api/v1/message/"+s.ID, &full)
				var headers map[string][]string
				m.get("/api/v1/message/"+s.ID+"/headers", &headers)
				msg := message{Subject: s.Subject, Text: full.Text}
				if l := headers["Content-Language"]; len(l) > 0 {
					msg.Lang = l[0]
				}
				for _, a := range s.To {
					msg.To = append(msg.To, a.Address)
				}
				slices.Sort(msg.To)
				out = append(out, msg)
			}
			return out
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("%d e-mails arrived, want %d: %+v", list.Total, n, list.Messages)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestGrantStoryMails follows a grant story through /graphql with the
// e-mail going to a real SMTP server (Mailpit), and checks that each
// person a step waits for got a Dutch e-mail saying so: a proposed match
// (both sides), an acceptance and a signature (the other side), a
// submission (the ministry), a rejection (both sides), which promotes the
// waiting application (the giving side, and the ministry), and an
// approval (both sides). The SMTP server is down when the story starts:
// the mutations succeed all the same, and the e-mail follows once it is up.
func TestGrantStoryMails(t *testing.T) {
	mp := newMailpit(t)
	host, port, _ := net.SplitHostPort(mp.smtp)
	mail, err := jobs.MailConfigFromEnv(func(k string) string {
		return map[string]string{
			"SMTP_HOST": host, "SMTP_PORT": port, "SMTP_TLS": "none", "SMTP_USER": "wisselaar", "SMTP_PASSWORD": "geheim",
			"SMTP_FROM": "De Wisselaar <portaal@wisselaar.example>", "MINISTRY_EMAIL": "subsidies@vlaanderen.example",
		}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := testutil.NewServerWithQueue(t, testutil.SeededPostgres(t), nil,
		jobs.Config{Mail: jobs.NewMailer(mail), RetryBase: 100 * time.Millisecond, RetryMax: time.Second})
	f := newFixtureOn(t, s)
	in := callInput("Oproep met klein budget")
	in["budget"], in["perProjectCap"] = "10000.00", "10000.00" // room for one application of 7,500.00
	call := f.must("ministry", createCallOp, in).str(t, "createCall.call.id")

	// SMTP is down: the proposal is made all the same, and its e-mail waits.
	tr1 := f.match(call, true)
	waitFor(t, "a failed attempt to send e-mail", func() bool {
		var n int
		err := s.DB.SQL.QueryRowContext(context.Background(),
			`SELECT count(*) FROM river_job WHERE kind = 'mail' AND coalesce(array_length(errors, 1), 0) > 0`).Scan(&n)
		return err == nil && n > 0
	})
	mp.start()

	f.must("mechelen", acceptOp, map[string]any{"trajectoryID": tr1})
	f.must("leuven", acceptOp, map[string]any{"trajectoryID": tr1})
	f.mentorID = f.mentor()
	f.assign(tr1, f.mentorID)
	f.must("mechelen", signAgreementOp, map[string]any{"trajectoryID": tr1})
	f.must("leuven", signAgreementOp, map[string]any{"trajectoryID": tr1})
	g1 := f.submit(tr1)
	tr2 := f.agreed(call)
	if st := f.must("mechelen", submitOp, map[string]any{"trajectoryID": tr2}).str(t, "submitGrantApplication.grant.status"); st != "WAITLISTED" {
		t.Fatalf("the second application is %s, want WAITLISTED", st)
	}
	g2 := f.s.Query(t, "mechelen", `query($id: ID!) { node(id: $id) { ... on Trajectory { grant { id } } } }`, map[string]any{"id": tr2})
	var g2data struct {
		Node struct{ Grant struct{ ID string } }
	}
	g2.Decode(t, &g2data)
	f.must("ministry", decideGrantOp, map[string]any{"grantID": g1, "approve": false, "reason": "Het actieplan is onvoldoende onderbouwd."})
	f.approve(g2data.Node.Grant.ID)

	const (
		mechelen = "wisselaar@mechelen.example"
		leuven   = "wisselaar@leuven.example"
		ministry = "subsidies@vlaanderen.example"
	)
	want := []struct {
		subject string
		to      []string
		text    string
	}{
		{"Voorstel van traject: Matrix exchange", []string{leuven, mechelen}, "Beide besturen aanvaarden of weigeren het voorstel"},
		{"Voorstel wacht op uw aanvaarding: Matrix exchange", []string{leuven}, "Mechelen aanvaardde het voorgestelde traject"},
		{"Overeenkomst wacht op uw handtekening: Matrix exchange", []string{leuven}, "Mechelen ondertekende de overeenkomst"},
		{"Subsidieaanvraag wacht op uw beslissing: Matrix exchange", []string{ministry}, "Gevraagd bedrag: EUR 7500.00"},
		{"Overeenkomst wacht op uw handtekening: Matrix exchange", []string{leuven}, "Mechelen ondertekende de overeenkomst"},
		{"Beslissing over de subsidieaanvraag: afgewezen – Matrix exchange", []string{leuven, mechelen}, "Reden: Het actieplan is onvoldoende onderbouwd."},
		{"Subsidieaanvraag wacht op uw beslissing: Matrix exchange", []string{ministry}, "Het budget van de oproep is ervoor gereserveerd."},
		{"Uw subsidieaanvraag is van de wachtlijst gehaald: Matrix exchange", []string{mechelen}, "Er kwam budget vrij in de oproep"},
		{"Beslissing over de subsidieaanvraag: goedgekeurd – Matrix exchange", []string{leuven, mechelen}, "Toegekend bedrag: EUR 7500.00"},
	}
	got := mp.wait(len(want))
	time.Sleep(time.Second) // nothing more should come
	if got = mp.wait(len(want)); len(got) != len(want) {
		t.Errorf("%d e-mails, want %d", len(got), len(want))
	}
	for _, w := range want {
		i := slices.IndexFunc(got, func(m message) bool {
			return m.Subject == w.subject && slices.Equal(m.To, w.to) && strings.Contains(m.Text, w.text)
		})
		if i < 0 {
			t.Errorf("no e-mail %q to %v saying %q", w.subject, w.to, w.text)
			continue
		}
		if got[i].Lang != "nl" {
			t.Errorf("%q: Content-Language %q", w.subject, got[i].Lang)
		}
		got = slices.Delete(got, i, i+1)
	}
	for _, m := range got {
		t.Errorf("unexpected e-mail %q to %v", m.Subject, m.To)
	}
}

// waitFor polls cond for up to a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

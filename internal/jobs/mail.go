package jobs

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	gomail "github.com/wneessen/go-mail"

	"wisselaar/ent"
	"wisselaar/ent/grant"
	"wisselaar/ent/outbox"
	"wisselaar/ent/trajectory"
)

// MailConfig is how e-mail leaves the server: an SMTP server, and the
// addresses of those a step may wait for besides the municipalities (whose
// contact address is on the municipality).
type MailConfig struct {
	// Host and Port of the SMTP server; no Host, no e-mail.
	Host string
	Port int
	// Username and Password authenticate, when set.
	Username, Password string
	// From is the sender.
	From string
	// TLS is "starttls" (the default: STARTTLS, required), "tls" (TLS from
	// the first byte, as on port 465) or "none" (a server on this machine,
	// such as a test's).
	TLS string
	// Ministry is the mailbox of the ministry's grant administration,
	// which hears when an application waits for its decision.
	Ministry string
}

// MailConfigFromEnv reads SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD,
// SMTP_FROM, SMTP_TLS and MINISTRY_EMAIL. No SMTP_HOST: no e-mail (nil).
func MailConfigFromEnv(getenv func(string) string) (*MailConfig, error) {
	c := &MailConfig{
		Host: getenv("SMTP_HOST"), Username: getenv("SMTP_USER"), Password: getenv("SMTP_PASSWORD"),
		From: getenv("SMTP_FROM"), TLS: getenv("SMTP_TLS"), Ministry: getenv("MINISTRY_EMAIL"),
	}
	if c.Host == "" {
		return nil, nil
	}
	if c.TLS == "" {
		c.TLS = "starttls"
	}
	switch c.TLS {
	case "starttls":
		c.Port = 587
	case "tls":
		c.Port = 465
	case "none":
		c.Port = 25
	default:
		return nil, fmt.Errorf("SMTP_TLS: want starttls, tls or none")
	}
	if p := getenv("SMTP_PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return nil, fmt.Errorf("SMTP_PORT: want a port number")
		}
		c.Port = n
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return nil, fmt.Errorf("SMTP_FROM: want the sender's e-mail address")
	}
	if c.Ministry != "" {
		if _, err := mail.ParseAddress(c.Ministry); err != nil {
			return nil, fmt.Errorf("MINISTRY_EMAIL: want an e-mail address")
		}
	}
	return c, nil
}

// Mailer writes the e-mails of a transaction and sends them.
type Mailer struct{ cfg MailConfig }

// NewMailer returns a mailer; nil config gives nil (no e-mail).
func NewMailer(cfg *MailConfig) *Mailer {
	if cfg == nil {
		return nil
	}
	return &Mailer{cfg: *cfg}
}

// mailArgs is one e-mail, written when the change committed, sent by a
// job.
type mailArgs struct {
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	Body    string   `json:"body"`
}

// Kind names the job in River's table.
func (mailArgs) Kind() string { return "mail" }

// InsertOpts puts e-mail in its own queue.
func (mailArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: queueMail} }

// mailWorker sends one e-mail; an SMTP server that is down fails the job,
// which River retries with backoff.
type mailWorker struct {
	river.WorkerDefaults[mailArgs]
	q *Queue
}

// NextRetry doubles the wait after every failed attempt.
func (w *mailWorker) NextRetry(job *river.Job[mailArgs]) time.Time {
	return time.Now().Add(backoff(w.q.cfg.RetryBase, w.q.cfg.RetryMax, job.Attempt))
}

// Work sends the e-mail.
func (w *mailWorker) Work(ctx context.Context, job *river.Job[mailArgs]) error {
	if w.q.cfg.Mail == nil {
		return nil // SMTP was switched off after the job was queued
	}
	return w.q.cfg.Mail.send(ctx, job.Args)
}

func (m *Mailer) send(ctx context.Context, a mailArgs) error {
	msg := gomail.NewMsg()
	if err := msg.From(m.cfg.From); err != nil {
		return err
	}
	if err := msg.To(a.To...); err != nil {
		return err
	}
	msg.Subject(a.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, a.Body)
	msg.SetDate()
	msg.SetGenHeader(gomail.HeaderContentLang, "nl")
	opts := []gomail.Option{gomail.WithPort(m.cfg.Port), gomail.WithTimeout(15 * time.Second)}
	switch m.cfg.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if m.cfg.Username != "" {
		// The strongest mechanism the server offers; without TLS (a
		// server on this machine) go-mail offers none but PLAIN, which it
		// must be told is meant.
		auth := gomail.SMTPAuthAutoDiscover
		if m.cfg.TLS == "none" {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(m.cfg.Username), gomail.WithPassword(m.cfg.Password))
	}
	client, err := gomail.NewClient(m.cfg.Host, opts...)
	if err != nil {
		return err
	}
	return client.DialAndSendWithContext(ctx, msg)
}

// mailsOf writes the e-mails of what a transaction did, in Dutch, to those
// who must act next or hear the outcome:
//
//   - a proposed match: both municipalities, who must accept it;
//   - one side accepted a proposal, or signed the agreement, and the other
//     has not yet: the other side;
//   - an application that now holds a reservation (submitted, or promoted
//     from the waiting line): the ministry, which must decide;
//   - promoted from the waiting line: the giving municipality;
//   - a decision (approved or rejected): both municipalities.
//
// A municipality without a contact address, or a ministry without
// MINISTRY_EMAIL, gets none.
func (m *Mailer) mailsOf(ctx context.Context, c *ent.Client, ch *outbox.Changes) ([]mailArgs, error) {
	var out []mailArgs
	add := func(subject, body string, to ...string) {
		var rcpt []string
		for _, a := range to {
			if a != "" && !slices.Contains(rcpt, a) {
				rcpt = append(rcpt, a)
			}
		}
		if len(rcpt) > 0 {
			out = append(out, mailArgs{To: rcpt, Subject: subject, Body: body + footer})
		}
	}
	steps := ch.Steps()
	ids := make([]int, 0, len(steps))
	for id := range steps {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		t, err := c.Trajectory.Query().Where(trajectory.ID(id)).WithGiving().WithReceiving().Only(ctx)
		if err != nil {
			return nil, err
		}
		g, r := t.Edges.Giving, t.Edges.Receiving
		for _, s := range steps[id] {
			switch {
			case s == outbox.Proposed:
				add("Voorstel van traject: "+t.Title,
					fmt.Sprintf("De coördinator stelt een traject voor waarin %s (gevend bestuur) zijn expertise deelt met %s (ontvangend bestuur):\n\n  %s\n\nBeide besturen aanvaarden of weigeren het voorstel in het portaal van De Wisselaar.\n", g.Name, r.Name, t.Title),
					g.ContactEmail, r.ContactEmail)
			case s == outbox.GivingAccepted && t.Status == trajectory.StatusPROPOSED && t.ReceivingAcceptedAt == nil:
				add("Voorstel wacht op uw aanvaarding: "+t.Title, acceptBody(g.Name, t.Title), r.ContactEmail)
			case s == outbox.ReceivingAccepted && t.Status == trajectory.StatusPROPOSED && t.GivingAcceptedAt == nil:
				add("Voorstel wacht op uw aanvaarding: "+t.Title, acceptBody(r.Name, t.Title), g.ContactEmail)
			case s == outbox.GivingSigned && t.ReceivingSignedAt == nil:
				add("Overeenkomst wacht op uw handtekening: "+t.Title, signBody(g.Name, t.Title), r.ContactEmail)
			case s == outbox.ReceivingSigned && t.GivingSignedAt == nil:
				add("Overeenkomst wacht op uw handtekening: "+t.Title, signBody(r.Name, t.Title), g.ContactEmail)
			}
		}
	}
	for _, change := range ch.Grants() {
		gr, err := c.Grant.Query().Where(grant.ID(change.ID)).
			WithTrajectory(func(q *ent.TrajectoryQuery) { q.WithGiving().WithReceiving() }).Only(ctx)
		if err != nil {
			return nil, err
		}
		t := gr.Edges.Trajectory
		g, r := t.Edges.Giving, t.Edges.Receiving
		switch change.To {
		case grant.StatusRESERVED:
			add("Subsidieaanvraag wacht op uw beslissing: "+t.Title,
				fmt.Sprintf("De subsidieaanvraag van %s voor het traject met %s wacht op een beslissing:\n\n  %s\n  Gevraagd bedrag: EUR %s\n\nHet budget van de oproep is ervoor gereserveerd.\n", g.Name, r.Name, t.Title, gr.Requested),
				m.cfg.Ministry)
			if change.From == grant.StatusWAITLISTED {
				add("Uw subsidieaanvraag is van de wachtlijst gehaald: "+t.Title,
					fmt.Sprintf("Er kwam budget vrij in de oproep: uw subsidieaanvraag voor het traject met %s staat niet langer op de wachtlijst.\n\n  %s\n  Gevraagd bedrag: EUR %s\n\nHet budget is voor u gereserveerd; de aanvraag wacht nu op de beslissing van het departement.\n", r.Name, t.Title, gr.Requested),
					g.ContactEmail)
			}
		case grant.StatusAPPROVED:
			awarded := ""
			if gr.Awarded != nil {
				awarded = fmt.Sprintf("  Toegekend bedrag: EUR %s\n", gr.Awarded)
			}
			add("Beslissing over de subsidieaanvraag: goedgekeurd – "+t.Title,
				fmt.Sprintf("Het departement keurde de subsidieaanvraag goed voor het traject tussen %s en %s:\n\n  %s\n%s", g.Name, r.Name, t.Title, awarded),
				g.ContactEmail, r.ContactEmail)
		case grant.StatusREJECTED:
			add("Beslissing over de subsidieaanvraag: afgewezen – "+t.Title,
				fmt.Sprintf("Het departement wees de subsidieaanvraag af voor het traject tussen %s en %s:\n\n  %s\n\nReden: %s\n", g.Name, r.Name, t.Title, strings.TrimSpace(gr.DecisionReason)),
				g.ContactEmail, r.ContactEmail)
		}
	}
	return out, nil
}

func acceptBody(by, title string) string {
	return fmt.Sprintf("%s aanvaardde het voorgestelde traject:\n\n  %s\n\nHet traject start pas wanneer ook u het voorstel aanvaardt in het portaal van De Wisselaar.\n", by, title)
}

func signBody(by, title string) string {
	return fmt.Sprintf("%s ondertekende de overeenkomst van het traject:\n\n  %s\n\nUw handtekening is nog nodig voor de subsidieaanvraag kan worden ingediend. U ondertekent in het portaal van De Wisselaar.\n", by, title)
}

const footer = "\n-- \nDit bericht werd automatisch verstuurd door het portaal van De Wisselaar. U kunt er niet op antwoorden.\n"

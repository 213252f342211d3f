// Package seed loads the demo data of De Wisselaar: the real municipalities,
// themes, calls and trajectories of project years 1.0 (call "De Wisselaar
// 2022") and 2.0 ("De Wisselaar 2023") with their real awarded amounts, and
// invented mentors, salaries, planned and recorded hours behind them; and,
// for the coordinator's side, an open call of the current year with invented
// open offers and needs (matching.go). The
// zero-setup server loads it into an empty embedded database, and `seed`
// loads it on demand.
//
// Every amount is computed with the grant rules of package domain: the
// requested amount from the planned hours, the settled amount from the
// recorded hours. The invented figures are chosen so that these reproduce
// the real awarded amounts exactly (EUR 89,122 for 2022, EUR 123,423 for
// 2023), and every grant is settled and paid in full.
package seed

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"wisselaar/ent"
	"wisselaar/ent/assignment"
	"wisselaar/ent/call"
	"wisselaar/ent/grant"
	"wisselaar/ent/mentor"
	"wisselaar/ent/municipality"
	"wisselaar/ent/salary"
	"wisselaar/ent/theme"
	"wisselaar/ent/timeentry"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
)

// Empty reports whether the database holds no municipality, which is how the
// server recognises a fresh database that should get the demo data: nothing
// else can exist without municipalities.
func Empty(ctx context.Context, client *ent.Client) (bool, error) {
	// The system viewer: this runs at start-up, before any request, on
	// behalf of no one.
	exists, err := client.Municipality.Query().Exist(viewer.SystemContext(ctx))
	if err != nil {
		return false, fmt.Errorf("seed: counting municipalities: %w", err)
	}
	return !exists, nil
}

// Load loads the demo data in one transaction. It is idempotent: every
// record is looked up by its natural key (NIS code, theme code, call name,
// the mentor's e-mail within the municipality, a trajectory's call, parties
// and title, …) and only what is missing is created; nothing that exists is
// changed. Running it on a database that has the demo data therefore writes
// nothing, and an error leaves the database as it was.
//
// Records that exist are left as they are, even where they differ from the
// demo data: the loader fills gaps, it does not overwrite what a user
// changed. A grant is created together with its payments, so that its paid
// amount always equals the sum of its payments.
func Load(ctx context.Context, client *ent.Client) error {
	planned, err := buildPlan()
	if err != nil {
		// A bug in data.go, not a database problem: refuse before writing.
		return fmt.Errorf("seed: invalid demo data: %w", err)
	}
	// Demo data is written by the system itself, not by any user, so it
	// goes around the privacy policies through the one named way to do so.
	ctx = viewer.SystemContext(ctx)
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("seed: starting transaction: %w", err)
	}
	// Everything goes through the transaction's client: on SQLite the pool
	// has a single connection, so a query through client would wait for
	// the transaction forever.
	l := &loader{
		c:              tx.Client(),
		municipalities: map[string]int{},
		themes:         map[string]int{},
		calls:          map[string]int{},
		mentors:        map[*mentorData]int{},
	}
	if err := l.load(ctx, planned); err != nil {
		return errors.Join(fmt.Errorf("seed: %w", err), tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("seed: committing: %w", err)
	}
	return nil
}

// loader writes the demo data through one transaction and remembers the IDs
// of what it found or created.
type loader struct {
	c              *ent.Client
	municipalities map[string]int // by NIS code
	themes         map[string]int // by code
	calls          map[string]int // by name
	mentors        map[*mentorData]int
}

// ContactEmail is the invented functional mailbox of a demo municipality,
// which hears when a step waits for it: "wisselaar@" and the name in lower
// case without spaces or hyphens (the demo user's login), at .example.
func ContactEmail(name string) string {
	login := strings.NewReplacer(" ", "", "-", "").Replace(strings.ToLower(name))
	return "wisselaar@" + login + ".example"
}

func (l *loader) load(ctx context.Context, planned []plannedTrajectory) error {
	c := l.c
	for _, m := range municipalities {
		// KBO numbers stay empty: see municipalities in data.go.
		rec, err := ensure(ctx,
			c.Municipality.Query().Where(municipality.NisCode(m.nis)).Only,
			c.Municipality.Create().SetNisCode(m.nis).SetName(m.name).SetProvince(m.province).
				SetContactEmail(ContactEmail(m.name)).Save)
		if err != nil {
			return fmt.Errorf("municipality %s: %w", m.nis, err)
		}
		l.municipalities[m.nis] = rec.ID
	}
	for _, t := range themes {
		rec, err := ensure(ctx,
			c.Theme.Query().Where(theme.Code(t.code)).Only,
			c.Theme.Create().SetCode(t.code).SetName(t.name).SetNameEn(t.nameEN).Save)
		if err != nil {
			return fmt.Errorf("theme %s: %w", t.code, err)
		}
		l.themes[t.code] = rec.ID
	}
	for _, k := range calls {
		rec, err := ensure(ctx,
			c.Call.Query().Where(call.Name(k.name)).Only,
			c.Call.Create().
				SetName(k.name).
				SetYear(k.year).
				SetOpensAt(k.opensAt).
				SetClosesAt(k.closesAt).
				SetBudget(k.budget).
				SetPerProjectCap(k.cap).
				SetCompensationPercent(k.percent).
				Save)
		if err != nil {
			return fmt.Errorf("call %s: %w", k.name, err)
		}
		l.calls[k.name] = rec.ID
	}
	for _, p := range planned {
		if err := l.trajectory(ctx, p); err != nil {
			return fmt.Errorf("trajectory %q: %w", p.title, err)
		}
	}
	return l.matching(ctx, time.Now())
}

// mentor finds or creates a mentor with their salary records.
func (l *loader) mentor(ctx context.Context, m *mentorData) (int, error) {
	if id, ok := l.mentors[m]; ok {
		return id, nil
	}
	c := l.c
	municipalityID := l.municipalities[m.municipality]
	rec, err := ensure(ctx,
		c.Mentor.Query().Where(mentor.MunicipalityID(municipalityID), mentor.Email(m.email)).Only,
		c.Mentor.Create().
			SetMunicipalityID(municipalityID).
			SetName(m.name).
			SetEmail(m.email).
			SetJobTitle(m.jobTitle).
			Save)
	if err != nil {
		return 0, fmt.Errorf("mentor %s: %w", m.email, err)
	}
	for i, s := range m.salaries {
		// Salary periods do not overlap: a record ends the day before the
		// next one (a raise) starts, as recordSalary would have closed it.
		create := c.Salary.Create().
			SetMentorID(rec.ID).
			SetMonthlyCost(s.MonthlyCost).
			SetWeeklyHours(s.WeeklyHours).
			SetValidFrom(s.ValidFrom)
		if i+1 < len(m.salaries) {
			create.SetValidTo(m.salaries[i+1].ValidFrom.AddDate(0, 0, -1))
		}
		// A mentor has at most one salary record starting on a given day
		// (a unique index), which makes that day the natural key.
		_, err := ensure(ctx,
			c.Salary.Query().Where(salary.MentorID(rec.ID), salary.ValidFrom(s.ValidFrom)).Only,
			create.Save)
		if err != nil {
			return 0, fmt.Errorf("salary of %s from %s: %w", m.email, s.ValidFrom.Format("2006-01-02"), err)
		}
	}
	l.mentors[m] = rec.ID
	return rec.ID, nil
}

// trajectory finds or creates a trajectory, its assignments, its time
// entries and its grant with the payments.
func (l *loader) trajectory(ctx context.Context, p plannedTrajectory) error {
	c := l.c
	callID := l.calls[p.call]
	givingID, receivingID := l.municipalities[p.giving], l.municipalities[p.receiving]
	themeIDs := make([]int, len(p.themes))
	for i, code := range p.themes {
		themeIDs[i] = l.themes[code]
	}
	rec, err := ensure(ctx,
		c.Trajectory.Query().Where(
			trajectory.CallID(callID),
			trajectory.GivingID(givingID),
			trajectory.ReceivingID(receivingID),
			trajectory.Title(p.title),
		).Only,
		// Themes are linked only when the trajectory is created: adding an
		// edge later would touch a trajectory that already exists.
		c.Trajectory.Create().
			SetCallID(callID).
			SetGivingID(givingID).
			SetReceivingID(receivingID).
			SetTitle(p.title).
			SetDescription(p.description).
			SetForm(trajectory.FormMENTORING).
			SetStatus(trajectory.StatusCOMPLETED).
			SetTopics(p.topics).
			SetPlannedStart(p.start).
			SetPlannedEnd(p.end).
			SetActionPlan(p.actionPlan).
			SetGivingSignedAt(p.givingSigned).
			SetReceivingSignedAt(p.receivingSigned).
			SetEvaluationReport(p.evaluation).
			SetPublicSummary(p.summary).
			SetPublishedAt(p.publishedAt()).
			AddThemeIDs(themeIDs...).
			Save)
	if err != nil {
		return err
	}
	// Databases seeded before the catalogue existed get the summary too.
	if rec.PublishedAt == nil {
		if rec, err = rec.Update().SetPublicSummary(p.summary).SetPublishedAt(p.publishedAt()).Save(ctx); err != nil {
			return err
		}
	}

	for _, a := range p.mentors {
		mentorID, err := l.mentor(ctx, a.mentor)
		if err != nil {
			return err
		}
		_, err = ensure(ctx,
			c.Assignment.Query().Where(assignment.TrajectoryID(rec.ID), assignment.MentorID(mentorID)).Only,
			c.Assignment.Create().
				SetTrajectoryID(rec.ID).
				SetMentorID(mentorID).
				SetPlannedWeeklyHours(a.weekly).
				Save)
		if err != nil {
			return fmt.Errorf("assignment of %s: %w", a.mentor.email, err)
		}
	}

	for _, e := range p.entries {
		mentorID := l.mentors[e.mentor] // every entry's mentor is assigned above
		month := e.month.String()
		_, err := ensure(ctx,
			c.TimeEntry.Query().Where(
				timeentry.TrajectoryID(rec.ID),
				timeentry.MentorID(mentorID),
				timeentry.Month(month),
			).Only,
			c.TimeEntry.Create().
				SetTrajectoryID(rec.ID).
				SetMentorID(mentorID).
				SetMonth(month).
				SetHours(e.hours).
				Save)
		if err != nil {
			return fmt.Errorf("hours of %s in %s: %w", e.mentor.email, month, err)
		}
	}

	// A trajectory has at most one grant, so the trajectory is its key.
	exists, err := c.Grant.Query().Where(grant.TrajectoryID(rec.ID)).Exist(ctx)
	if err != nil || exists {
		return err
	}
	g, err := c.Grant.Create().
		SetTrajectoryID(rec.ID).
		SetCallID(callID).
		SetStatus(grant.StatusPAID).
		SetSubmittedAt(p.submitted).
		SetRequested(p.requested).
		SetAwarded(p.awarded).
		SetDecidedAt(p.decided).
		SetSettled(p.settled).
		SetPaid(p.settled).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("grant: %w", err)
	}
	for _, pay := range p.payments {
		err := c.Payment.Create().SetGrantID(g.ID).SetAmount(pay.amount).SetPaidOn(pay.paidOn).Exec(ctx)
		if err != nil {
			return fmt.Errorf("payment of %s: %w", pay.amount, err)
		}
	}
	return nil
}

// ensure returns the record find finds, or the record create creates when
// there is none. Any other error of find is returned as is.
func ensure[T any](ctx context.Context, find, create func(context.Context) (T, error)) (T, error) {
	rec, err := find(ctx)
	if err == nil || !ent.IsNotFound(err) {
		return rec, err
	}
	return create(ctx)
}

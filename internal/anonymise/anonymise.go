// Package anonymise removes the personal data of mentors of settled
// trajectories (the anonymise command): their names and e-mail addresses
// are replaced, their salary records deleted, the salary lines taken out
// of the stored calculations of their grants, and the documents of those
// trajectories emptied. What the programme must keep stays: trajectories,
// themes, hours, grant amounts, and so every statistic and the open-data
// feed.
package anonymise

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/audit"
	"wisselaar/ent/mentor"
	"wisselaar/ent/offer"
	"wisselaar/ent/salary"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/grantcalc"
)

// Report says what a run did.
type Report struct {
	// Trajectories is how many settled trajectories ended before the date.
	Trajectories int
	// Mentors is how many mentors were anonymised in this run.
	Mentors int
	// Kept is how many mentors of those trajectories were left alone
	// because they also work on a trajectory that is not settled (or not
	// before the date), or are offered on an open offer.
	Kept int
	// Salaries is how many salary records were deleted.
	Salaries int
	// Calculations is how many grants had salary lines taken out.
	Calculations int
	// Documents is how many documents were emptied in this run.
	Documents int
}

// Store deletes the bytes of documents; nil leaves the bytes where they
// are (the rows are still anonymised).
type Store interface {
	Delete(ctx context.Context, key string) error
}

// Run anonymises, in one transaction, the mentors of the trajectories that
// are settled (domain.SettledTrajectory) and ended before the date before
// (a date: midnight UTC), which may not be after today. Every change is
// recorded in the audit trail as ANONYMISE by the system, with the names of
// the changed fields but not their values. Running it again changes
// nothing. The documents' bytes are deleted from the store after the
// commit, so that a failed run loses no document.
func Run(ctx context.Context, client *ent.Client, store Store, before, today time.Time) (Report, error) {
	var r Report
	if err := domain.CheckAnonymiseBefore(before, today); err != nil {
		return r, err
	}
	// The command acts as the system, on no one's behalf.
	ctx = audit.NamesOnly(audit.WithAction(viewer.SystemContext(ctx), domain.ActionAnonymise, ""))
	tx, err := client.Tx(ctx)
	if err != nil {
		return r, err
	}
	keys, err := run(ctx, tx.Client(), before, &r)
	if err != nil {
		tx.Rollback()
		return Report{}, err
	}
	if err := tx.Commit(); err != nil {
		return Report{}, err
	}
	if store != nil {
		for _, k := range keys {
			if err := store.Delete(ctx, k); err != nil {
				return r, fmt.Errorf("deleting a document's content: %w", err)
			}
		}
	}
	return r, nil
}

func run(ctx context.Context, c *ent.Client, before time.Time, r *Report) (keys []string, err error) {
	ended, err := c.Trajectory.Query().
		Where(trajectory.StatusIn(trajectory.StatusCOMPLETED, trajectory.StatusDECLINED, trajectory.StatusCANCELLED)).
		WithGrant().WithDocuments().Order(ent.Asc(trajectory.FieldID)).All(ctx)
	if err != nil {
		return nil, err
	}
	settled := map[int]*ent.Trajectory{}
	var ids []int
	for _, t := range ended {
		status := ""
		if t.Edges.Grant != nil {
			status = string(t.Edges.Grant.Status)
		}
		end := t.PlannedEnd
		if t.EndedAt != nil {
			end = *t.EndedAt
		}
		if domain.SettledTrajectory(string(t.Status), status) && domain.DateOf(end).Before(before) {
			settled[t.ID] = t
			ids = append(ids, t.ID)
		}
	}
	r.Trajectories = len(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	mentors, err := c.Mentor.Query().Where(mentor.HasTrajectoriesWith(trajectory.IDIn(ids...))).
		WithTrajectories().WithOffers().WithSalaries().Order(ent.Asc(mentor.FieldID)).All(ctx)
	if err != nil {
		return nil, err
	}
	done := map[int]bool{}
	for _, m := range mentors {
		if !mayGo(m, settled) {
			r.Kept++
			continue
		}
		done[m.ID] = true
		name, email := domain.AnonymisedMentorName(m.ID), domain.AnonymisedMentorEmail(m.ID)
		if m.Name == name && m.Email == email && len(m.Edges.Salaries) == 0 {
			continue
		}
		if err := c.Mentor.UpdateOneID(m.ID).SetName(name).SetEmail(email).Exec(ctx); err != nil {
			return nil, fmt.Errorf("anonymising mentor %d: %w", m.ID, err)
		}
		n, err := c.Salary.Delete().Where(salary.MentorID(m.ID)).Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("deleting the salaries of mentor %d: %w", m.ID, err)
		}
		r.Mentors++
		r.Salaries += n
	}
	for _, id := range ids {
		t := settled[id]
		if g := t.Edges.Grant; g != nil {
			calc, c1 := withoutLines(&g.Calculation, done)
			settle, c2 := withoutLines(&g.SettlementCalculation, done)
			if c1 || c2 {
				u := c.Grant.UpdateOneID(g.ID)
				if c1 {
					u.SetCalculation(*calc)
				}
				if c2 {
					u.SetSettlementCalculation(*settle)
				}
				if err := u.Exec(ctx); err != nil {
					return nil, fmt.Errorf("taking salary lines out of grant %d: %w", g.ID, err)
				}
				r.Calculations++
			}
		}
		for _, d := range t.Edges.Documents {
			keys = append(keys, d.StorageKey)
			name := RemovedFilename(string(d.Kind), d.Filename)
			if d.Filename == name {
				continue
			}
			if err := c.Document.UpdateOneID(d.ID).SetFilename(name).Exec(ctx); err != nil {
				return nil, fmt.Errorf("emptying document %d: %w", d.ID, err)
			}
			r.Documents++
		}
	}
	return keys, nil
}

// mayGo reports whether a mentor's personal data may go: every trajectory
// she works on is settled and ended before the date, and no open offer
// names her.
func mayGo(m *ent.Mentor, settled map[int]*ent.Trajectory) bool {
	for _, t := range m.Edges.Trajectories {
		if settled[t.ID] == nil {
			return false
		}
	}
	for _, o := range m.Edges.Offers {
		if o.Status == offer.StatusOPEN {
			return false
		}
	}
	return true
}

// withoutLines returns the calculation without the lines of the mentors in
// gone, and whether any was taken out. The totals stay: they are the
// grant's amounts.
func withoutLines(c *grantcalc.Calculation, gone map[int]bool) (*grantcalc.Calculation, bool) {
	if c == nil {
		return nil, false
	}
	lines := slices.DeleteFunc(slices.Clone(c.Lines), func(l grantcalc.Line) bool { return gone[l.MentorID] })
	if len(lines) == len(c.Lines) {
		return c, false
	}
	out := *c
	out.Lines = lines
	if len(out.Lines) == 0 {
		out.Lines = nil
	}
	return &out, true
}

// RemovedFilename is the file name a document keeps once its content is
// gone: its kind and the original extension, since the name a person gave a
// file may name people ("overeenkomst Jan Peeters.pdf").
func RemovedFilename(kind, filename string) string {
	return "verwijderd-" + strings.ToLower(kind) + strings.ToLower(path.Ext(filename))
}

package process

import (
	"context"
	"strings"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/mentor"
	"wisselaar/ent/salary"
	"wisselaar/internal/apierr"
)

// CreateMentor registers a staff member of a municipality as a mentor. Only
// staff of that municipality may: the mentor's data, and later her salary,
// are the employer's.
func CreateMentor(ctx context.Context, c *ent.Client, in CreateMentorInput) (*ent.Mentor, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	m, err := c.Municipality.Get(ctx, in.MunicipalityID)
	if err != nil {
		return nil, notFound("municipality", err)
	}
	if !v.IsStaffOf(m.NisCode) {
		return nil, apierr.New(apierr.Forbidden, "only staff of %s may register its mentors", m.Name)
	}
	in.Name, in.Email = strings.TrimSpace(in.Name), strings.TrimSpace(in.Email)
	if err := mustNotBeBlank("name", in.Name); err != nil {
		return nil, err
	}
	if err := mentor.EmailValidator(in.Email); err != nil {
		return nil, badInput("email", "%q is not an e-mail address", in.Email)
	}
	if exists, err := c.Mentor.Query().Where(mentor.MunicipalityID(m.ID), mentor.Email(in.Email)).Exist(ctx); err != nil {
		return nil, err
	} else if exists {
		return nil, apierr.New(apierr.Conflict, "%s already has a mentor with e-mail %s", m.Name, in.Email)
	}
	create := c.Mentor.Create().SetMunicipalityID(m.ID).SetName(in.Name).SetEmail(in.Email)
	if in.JobTitle != nil {
		create.SetJobTitle(strings.TrimSpace(*in.JobTitle))
	}
	return create.Save(ctx)
}

// RecordSalary records a mentor's salary cost from a date. Only staff of
// the mentor's municipality may: salaries are its personal data.
//
// A mentor's salary records do not overlap, so that on any day at most one
// applies. A raise is recorded as a new record from the day it applies: when
// its first day falls inside the mentor's open-ended current record, that
// record is closed the day before, in the same transaction. Any other overlap
// is BAD_USER_INPUT (see fitSalary), and then nothing changes.
func RecordSalary(ctx context.Context, c *ent.Client, in RecordSalaryInput) (*ent.Salary, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	m, err := c.Mentor.Query().Where(mentor.ID(in.MentorID)).WithMunicipality().Only(ctx)
	if err != nil {
		return nil, notFound("mentor", err)
	}
	if m.Edges.Municipality == nil || !v.IsStaffOf(m.Edges.Municipality.NisCode) {
		return nil, apierr.New(apierr.Forbidden, "only the mentor's own municipality may record her salary")
	}
	s := domain.Salary{MonthlyCost: in.MonthlyCost, WeeklyHours: in.WeeklyHours, ValidFrom: domain.DateOf(in.ValidFrom)}
	if in.ValidTo != nil {
		s.ValidTo = domain.DateOf(*in.ValidTo)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	// The mentor's lock makes two records for one mentor at the same moment
	// run one after the other, so that each sees the other's.
	if _, err := c.Mentor.Query().Where(mentor.ID(m.ID)).Select(mentor.FieldID).Modify(forUpdate).Ints(ctx); err != nil {
		return nil, err
	}
	existing, err := c.Salary.Query().Where(salary.MentorID(m.ID)).Order(salary.ByValidFrom()).All(ctx)
	if err != nil {
		return nil, err
	}
	closes, err := domain.FitSalary(domainSalaries(existing), s)
	if err != nil {
		return nil, err
	}
	for _, i := range closes {
		if err := existing[i].Update().SetValidTo(s.ValidFrom.AddDate(0, 0, -1)).Exec(ctx); err != nil {
			return nil, err
		}
	}
	create := c.Salary.Create().
		SetMentorID(m.ID).
		SetMonthlyCost(s.MonthlyCost).
		SetWeeklyHours(s.WeeklyHours).
		SetValidFrom(s.ValidFrom)
	if !s.ValidTo.IsZero() {
		create.SetValidTo(s.ValidTo)
	}
	return create.Save(ctx)
}

// domainSalaries converts stored salary records for the domain's
// calculations.
func domainSalaries(records []*ent.Salary) []domain.Salary {
	out := make([]domain.Salary, len(records))
	for i, r := range records {
		out[i] = domain.Salary{MonthlyCost: r.MonthlyCost, WeeklyHours: r.WeeklyHours, ValidFrom: r.ValidFrom}
		if r.ValidTo != nil {
			out[i].ValidTo = *r.ValidTo
		}
	}
	return out
}

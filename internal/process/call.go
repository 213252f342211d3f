package process

import (
	"context"
	"strings"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/call"
	"wisselaar/internal/apierr"
)

// CreateCall opens a call for projects. Only the ministry may. The window
// and the compensation rule are checked by the domain; the name must be
// unique (CONFLICT otherwise).
func CreateCall(ctx context.Context, c *ent.Client, in CreateCallInput) (*ent.Call, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireSide(sidesOf(v), domain.Ministry, "open a call"); err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := mustNotBeBlank("name", in.Name); err != nil {
		return nil, err
	}
	if in.Year < 2000 || in.Year > 2999 {
		return nil, badInput("year", "the year must be a project year such as 2027")
	}
	if err := (domain.Window{OpensAt: in.OpensAt, ClosesAt: in.ClosesAt}).Validate(); err != nil {
		return nil, err
	}
	if in.Budget <= 0 {
		return nil, badInput("budget", "the budget must be more than 0")
	}
	if err := (domain.Rule{Percent: in.CompensationPercent, Cap: in.PerProjectCap}).Validate(); err != nil {
		return nil, err
	}
	if in.PerProjectCap > in.Budget {
		return nil, badInput("perProjectCap", "the per-project cap may not exceed the budget")
	}
	// Checked here rather than left to the unique index: in PostgreSQL a
	// failed statement would spoil the transaction for nothing, and the
	// client deserves a sentence.
	if exists, err := c.Call.Query().Where(call.Name(in.Name)).Exist(ctx); err != nil {
		return nil, err
	} else if exists {
		return nil, apierr.New(apierr.Conflict, "a call named %q already exists", in.Name)
	}
	return c.Call.Create().
		SetNillableAgreementEvidence(in.AgreementEvidence).
		SetName(in.Name).
		SetYear(in.Year).
		SetOpensAt(in.OpensAt).
		SetClosesAt(in.ClosesAt).
		SetBudget(in.Budget).
		SetPerProjectCap(in.PerProjectCap).
		SetCompensationPercent(in.CompensationPercent).
		Save(ctx)
}

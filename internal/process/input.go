package process

import (
	"time"

	"github.com/99designs/gqlgen/graphql"

	"wisselaar/domain"
	"wisselaar/ent/call"
	"wisselaar/ent/document"
	"wisselaar/ent/need"
	"wisselaar/ent/trajectory"
)

// The inputs of the mutations, bound by gqlgen to the GraphQL input types of
// the same name (graph/process.graphql). IDs are ent IDs (the opaque global
// IDs are decoded by the ID scalar); hours are domain.Hours and amounts
// domain.Money, so no value passes through floating point.

// CreateCallInput is the input of CreateCall.
type CreateCallInput struct {
	Name                string
	Year                int
	OpensAt             time.Time
	ClosesAt            time.Time
	Budget              domain.Money
	PerProjectCap       domain.Money
	CompensationPercent int
	// AgreementEvidence is what an application needs as proof of the
	// agreement; nil for PORTAL_SIGNATURES.
	AgreementEvidence *call.AgreementEvidence
}

// CreateTrajectoryInput is the input of CreateTrajectory.
type CreateTrajectoryInput struct {
	CallID       int
	GivingID     int
	ReceivingID  int
	Form         trajectory.Form
	Title        string
	Description  *string
	ThemeIDs     []int
	Topics       []string
	PlannedStart time.Time
	PlannedEnd   time.Time
	// Proposed makes the trajectory PROPOSED, to be accepted by both
	// sides; nil or false creates it MATCHED.
	Proposed *bool
}

// CreateMentorInput is the input of CreateMentor.
type CreateMentorInput struct {
	MunicipalityID int
	Name           string
	Email          string
	JobTitle       *string
}

// RecordSalaryInput is the input of RecordSalary.
type RecordSalaryInput struct {
	MentorID    int
	MonthlyCost domain.Money
	WeeklyHours domain.Hours
	ValidFrom   time.Time
	ValidTo     *time.Time
}

// AssignMentorInput is the input of AssignMentor.
type AssignMentorInput struct {
	TrajectoryID       int
	MentorID           int
	PlannedWeeklyHours domain.Hours
}

// UpdateActionPlanInput is the input of UpdateActionPlan. Each part that
// is given replaces that part of the plan; absent parts stay as they are.
type UpdateActionPlanInput struct {
	TrajectoryID int
	ActionPlan   *string
	Goals        []GoalInput
	Actions      []PlanActionInput
	Indicators   []IndicatorInput
}

// GoalInput is one goal of the action plan.
type GoalInput struct{ Description string }

// PlanActionInput is one action of the action plan.
type PlanActionInput struct {
	What string
	Side domain.Side
	Due  time.Time
}

// IndicatorInput is one indicator of the action plan.
type IndicatorInput struct {
	Name     string
	Unit     string
	Baseline float64
	Target   float64
}

// IndicatorResultInput is the result of one indicator in the evaluation.
type IndicatorResultInput struct {
	Indicator int
	Result    float64
}

// UploadDocumentInput is the input of UploadDocument.
type UploadDocumentInput struct {
	TrajectoryID int
	Kind         document.Kind
	File         graphql.Upload
}

// AcceptTrajectoryInput is the input of AcceptTrajectory.
type AcceptTrajectoryInput struct{ TrajectoryID int }

// SignAgreementInput is the input of SignAgreement.
type SignAgreementInput struct{ TrajectoryID int }

// StartTrajectoryInput is the input of StartTrajectory.
type StartTrajectoryInput struct{ TrajectoryID int }

// CompleteTrajectoryInput is the input of CompleteTrajectory.
type CompleteTrajectoryInput struct {
	TrajectoryID     int
	EvaluationReport string
	IndicatorResults []IndicatorResultInput
}

// DeclineTrajectoryInput is the input of DeclineTrajectory.
type DeclineTrajectoryInput struct {
	TrajectoryID int
	Reason       *string
}

// CancelTrajectoryInput is the input of CancelTrajectory.
type CancelTrajectoryInput struct{ TrajectoryID int }

// RecordTimeEntriesInput is the input of RecordTimeEntries.
type RecordTimeEntriesInput struct {
	TrajectoryID int
	Entries      []*TimeEntryInput
}

// TimeEntryInput is the hours one mentor spent on the trajectory in one
// month ("2027-01").
type TimeEntryInput struct {
	MentorID int
	Month    string
	Hours    domain.Hours
}

// SubmitGrantApplicationInput is the input of SubmitGrantApplication.
type SubmitGrantApplicationInput struct{ TrajectoryID int }

// WithdrawGrantApplicationInput is the input of WithdrawGrantApplication.
type WithdrawGrantApplicationInput struct{ GrantID int }

// DecideGrantInput is the input of DecideGrant.
type DecideGrantInput struct {
	GrantID int
	Approve bool
	Awarded *domain.Money
	Reason  *string
}

// SettleGrantInput is the input of SettleGrant.
type SettleGrantInput struct{ GrantID int }

// RegisterPaymentInput is the input of RegisterPayment.
type RegisterPaymentInput struct {
	GrantID int
	Amount  domain.Money
	PaidOn  time.Time
}

// RegisterOfferInput is the input of RegisterOffer.
type RegisterOfferInput struct {
	MunicipalityID       int
	ThemeIDs             []int
	Topics               []string
	Description          string
	Forms                []trajectory.Form
	CapacityHoursPerWeek domain.Hours
	AvailableFrom        time.Time
	AvailableUntil       time.Time
	MentorIDs            []int
}

// WithdrawOfferInput is the input of WithdrawOffer.
type WithdrawOfferInput struct{ OfferID int }

// RegisterNeedInput is the input of RegisterNeed.
type RegisterNeedInput struct {
	MunicipalityID int
	ThemeIDs       []int
	Topics         []string
	Description    string
	PreferredForm  *need.PreferredForm
	DesiredStart   time.Time
	DesiredEnd     time.Time
}

// WithdrawNeedInput is the input of WithdrawNeed.
type WithdrawNeedInput struct{ NeedID int }

// ProposeMatchInput is the input of ProposeMatch.
type ProposeMatchInput struct {
	OfferID      int
	NeedID       int
	CallID       int
	Title        string
	HoursPerWeek *domain.Hours
}

// PublishTrajectoryInput is the input of PublishTrajectory.
type PublishTrajectoryInput struct {
	TrajectoryID  int
	PublicSummary string
}

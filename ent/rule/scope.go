package rule

import (
	"context"
	"time"

	"entgo.io/ent/dialect/sql"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/assignment"
	"wisselaar/ent/document"
	"wisselaar/ent/grant"
	"wisselaar/ent/mentor"
	"wisselaar/ent/municipality"
	"wisselaar/ent/need"
	"wisselaar/ent/offer"
	"wisselaar/ent/payment"
	"wisselaar/ent/predicate"
	"wisselaar/ent/privacy"
	"wisselaar/ent/readscope"
	"wisselaar/ent/salary"
	"wisselaar/ent/timeentry"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
)

// The read side of the access matrix of DOMAIN.md ("Who uses the portal"),
// one function per entity: Readable… says which rows a viewer may read. Each
// is used twice, so that there is one rule and no second opinion:
//
//   - by the entity's privacy policy (Filter… below), which narrows every
//     query of the entity: lists, counts, node(id) and every edge;
//   - inside every edge predicate that reaches the entity (package
//     readscope, registered below): trajectory.HasGrantWith(...), the
//     hasGrantWith of a where-input, and so on. Those are subqueries the
//     policies never see; without the scope, a filter on a public list could
//     test hidden rows.
//
// Giving and receiving are relations of a trajectory: staff of a
// municipality see a trajectory because their municipality is its giving or
// receiving party, and see what hangs off it according to that side.

// Scope is the rows of one entity a viewer may read: all of them, those a
// predicate selects, or none (the zero value).
type Scope[P ~func(*sql.Selector)] struct {
	all   bool
	where P
}

// All reports whether the scope is every row.
func (s Scope[P]) All() bool { return s.all }

func everything[P ~func(*sql.Selector)]() Scope[P] { return Scope[P]{all: true} }

func only[P ~func(*sql.Selector)](p P) Scope[P] { return Scope[P]{where: p} }

// readsAll reports whether v reads every row of every entity: the system
// itself, and the ministry, which verifies every calculation and so reads
// salaries too.
func readsAll(v *viewer.Viewer) bool { return v.IsSystem() || v.Has(viewer.Ministry) }

// readsTrajectories reports whether v reads every trajectory, for its
// non-personal data: the coordinator follows them all, analysts aggregate
// them, partner tools sync them.
func readsTrajectories(v *viewer.Viewer) bool {
	return readsAll(v) || v.Has(viewer.Coordinator) || v.Has(viewer.Analyst) || v.Has(viewer.Partner)
}

func staffOf(v *viewer.Viewer) predicate.Municipality {
	return municipality.NisCodeIn(v.Municipalities...)
}

func isStaff(ctx context.Context) (*viewer.Viewer, bool) {
	v := viewer.FromContext(ctx)
	return v, v.IsStaff()
}

// TrajectoryOfStaff is the trajectories the viewer's municipalities take
// part in, on either side.
func TrajectoryOfStaff(v *viewer.Viewer) predicate.Trajectory {
	return trajectory.Or(
		trajectory.HasGivingWith(staffOf(v)),
		trajectory.HasReceivingWith(staffOf(v)),
	)
}

// TrajectoryGivenByStaff is the trajectories in which one of the viewer's
// municipalities is the giving party.
func TrajectoryGivenByStaff(v *viewer.Viewer) predicate.Trajectory {
	return trajectory.HasGivingWith(staffOf(v))
}

// ReadableMunicipalities: the list of municipalities is public.
func ReadableMunicipalities(*viewer.Viewer) Scope[predicate.Municipality] {
	return everything[predicate.Municipality]()
}

// ReadableThemes: the themes are public.
func ReadableThemes(*viewer.Viewer) Scope[predicate.Theme] { return everything[predicate.Theme]() }

// ReadableCalls: the calls are public.
func ReadableCalls(*viewer.Viewer) Scope[predicate.Call] { return everything[predicate.Call]() }

// ReadableTrajectories: the ministry, the coordinator, analysts and partner
// tools read every trajectory; staff those their municipalities take part
// in.
func ReadableTrajectories(v *viewer.Viewer) Scope[predicate.Trajectory] {
	switch {
	case readsTrajectories(v):
		return everything[predicate.Trajectory]()
	case v.IsStaff():
		return only(TrajectoryOfStaff(v))
	}
	return Scope[predicate.Trajectory]{}
}

// ReadableGrants: grant amounts are public information about trajectories,
// so a grant is readable by whoever reads its trajectory.
func ReadableGrants(v *viewer.Viewer) Scope[predicate.Grant] {
	switch {
	case readsTrajectories(v):
		return everything[predicate.Grant]()
	case v.IsStaff():
		return only(grant.HasTrajectoryWith(TrajectoryOfStaff(v)))
	}
	return Scope[predicate.Grant]{}
}

// ReadableMentors: names and e-mail addresses are personal data. The
// ministry and the coordinator, who follows the trajectories, read every
// mentor; staff read their own colleagues and the mentors who come to work
// in a trajectory their municipality receives. Analysts and partner tools
// read none.
func ReadableMentors(v *viewer.Viewer) Scope[predicate.Mentor] {
	switch {
	case readsAll(v) || v.Has(viewer.Coordinator):
		return everything[predicate.Mentor]()
	case v.IsStaff():
		return only(mentor.Or(
			mentor.HasMunicipalityWith(staffOf(v)),
			mentor.HasTrajectoriesWith(TrajectoryOfStaff(v)),
		))
	}
	return Scope[predicate.Mentor]{}
}

// ReadableSalaries: only the ministry and the mentor's own municipality:
// salaries are personal data of the employer. Not the coordinator.
func ReadableSalaries(v *viewer.Viewer) Scope[predicate.Salary] {
	switch {
	case readsAll(v):
		return everything[predicate.Salary]()
	case v.IsStaff():
		return only(salary.HasMentorWith(mentor.HasMunicipalityWith(staffOf(v))))
	}
	return Scope[predicate.Salary]{}
}

// ReadableAssignments: the planned hours of a mentor on a trajectory, read
// with the trajectory by the coordinator and both parties (the receiving
// side co-signs the plan), but not by analysts and partners: an assignment
// leads to a person.
func ReadableAssignments(v *viewer.Viewer) Scope[predicate.Assignment] {
	switch {
	case readsAll(v) || v.Has(viewer.Coordinator):
		return everything[predicate.Assignment]()
	case v.IsStaff():
		return only(assignment.HasTrajectoryWith(TrajectoryOfStaff(v)))
	}
	return Scope[predicate.Assignment]{}
}

// ReadableTimeEntries: the hours spent are the giving side's records; the
// coordinator follows progress.
func ReadableTimeEntries(v *viewer.Viewer) Scope[predicate.TimeEntry] {
	switch {
	case readsAll(v) || v.Has(viewer.Coordinator):
		return everything[predicate.TimeEntry]()
	case v.IsStaff():
		return only(timeentry.HasTrajectoryWith(TrajectoryGivenByStaff(v)))
	}
	return Scope[predicate.TimeEntry]{}
}

// ReadablePayments: the ministry pays the giving municipality; the
// coordinator follows the money of the programme.
func ReadablePayments(v *viewer.Viewer) Scope[predicate.Payment] {
	switch {
	case readsAll(v) || v.Has(viewer.Coordinator):
		return everything[predicate.Payment]()
	case v.IsStaff():
		return only(payment.HasGrantWith(grant.HasTrajectoryWith(TrajectoryGivenByStaff(v))))
	}
	return Scope[predicate.Payment]{}
}

// ReadableOffers: the ministry and the coordinator read every offer; staff
// read their own municipality's offers and the open offers of others (an
// open offer is an invitation to every municipality). Analysts and partner
// tools read the expertise map, not the offers.
func ReadableOffers(v *viewer.Viewer) Scope[predicate.Offer] {
	switch {
	case readsAll(v) || v.Has(viewer.Coordinator):
		return everything[predicate.Offer]()
	case v.IsStaff():
		return only(offer.Or(
			offer.HasMunicipalityWith(staffOf(v)),
			offer.And(offer.StatusEQ(offer.StatusOPEN), offer.AvailableUntilGTE(domain.BrusselsDate(time.Now()))),
		))
	}
	return Scope[predicate.Offer]{}
}

// ReadableNeeds: a need is read by its own municipality, the coordinator
// and the ministry only.
func ReadableNeeds(v *viewer.Viewer) Scope[predicate.Need] {
	switch {
	case readsAll(v) || v.Has(viewer.Coordinator):
		return everything[predicate.Need]()
	case v.IsStaff():
		return only(need.HasMunicipalityWith(staffOf(v)))
	}
	return Scope[predicate.Need]{}
}

// ReadableDocuments: a document attached to a trajectory is read like the
// trajectory's texts (TrajectoryTextsReadable): by its parties, the
// coordinator and the ministry. A signed agreement or an evaluation may
// name people, so analysts and partner tools, who read the trajectory's
// facts, do not read its documents.
func ReadableDocuments(v *viewer.Viewer) Scope[predicate.Document] {
	switch {
	case readsAll(v) || v.Has(viewer.Coordinator):
		return everything[predicate.Document]()
	case v.IsStaff():
		return only(document.HasTrajectoryWith(TrajectoryOfStaff(v)))
	}
	return Scope[predicate.Document]{}
}

// ReadableSessions: only the system reads sessions.
func ReadableSessions(v *viewer.Viewer) Scope[predicate.Session] {
	if v.IsSystem() {
		return everything[predicate.Session]()
	}
	return Scope[predicate.Session]{}
}

// narrow applies a scope to a query through its Where method: every row is
// allowed, or the predicate's rows, or (no decision) none, which rule.Policy
// turns into UNAUTHENTICATED for anonymous callers and an empty answer for
// everyone else.
func narrow[P ~func(*sql.Selector), Q any](where func(...P) Q, s Scope[P]) error {
	switch {
	case s.all:
		return privacy.Allow
	case s.where != nil:
		where(s.where)
		return privacy.Allow
	}
	return privacy.Skip
}

// The Filter… rules put the Readable… scopes on the entities' policies.

// FilterMunicipalities narrows municipalities to ReadableMunicipalities.
func FilterMunicipalities() privacy.QueryRule {
	return privacy.MunicipalityQueryRuleFunc(func(ctx context.Context, q *ent.MunicipalityQuery) error {
		return narrow(q.Where, ReadableMunicipalities(viewer.FromContext(ctx)))
	})
}

// FilterThemes narrows themes to ReadableThemes.
func FilterThemes() privacy.QueryRule {
	return privacy.ThemeQueryRuleFunc(func(ctx context.Context, q *ent.ThemeQuery) error {
		return narrow(q.Where, ReadableThemes(viewer.FromContext(ctx)))
	})
}

// FilterCalls narrows calls to ReadableCalls.
func FilterCalls() privacy.QueryRule {
	return privacy.CallQueryRuleFunc(func(ctx context.Context, q *ent.CallQuery) error {
		return narrow(q.Where, ReadableCalls(viewer.FromContext(ctx)))
	})
}

// FilterTrajectories narrows trajectories to ReadableTrajectories.
func FilterTrajectories() privacy.QueryRule {
	return privacy.TrajectoryQueryRuleFunc(func(ctx context.Context, q *ent.TrajectoryQuery) error {
		return narrow(q.Where, ReadableTrajectories(viewer.FromContext(ctx)))
	})
}

// FilterGrants narrows grants to ReadableGrants.
func FilterGrants() privacy.QueryRule {
	return privacy.GrantQueryRuleFunc(func(ctx context.Context, q *ent.GrantQuery) error {
		return narrow(q.Where, ReadableGrants(viewer.FromContext(ctx)))
	})
}

// FilterMentors narrows mentors to ReadableMentors.
func FilterMentors() privacy.QueryRule {
	return privacy.MentorQueryRuleFunc(func(ctx context.Context, q *ent.MentorQuery) error {
		return narrow(q.Where, ReadableMentors(viewer.FromContext(ctx)))
	})
}

// FilterSalaries narrows salaries to ReadableSalaries.
func FilterSalaries() privacy.QueryRule {
	return privacy.SalaryQueryRuleFunc(func(ctx context.Context, q *ent.SalaryQuery) error {
		return narrow(q.Where, ReadableSalaries(viewer.FromContext(ctx)))
	})
}

// FilterAssignments narrows assignments to ReadableAssignments.
func FilterAssignments() privacy.QueryRule {
	return privacy.AssignmentQueryRuleFunc(func(ctx context.Context, q *ent.AssignmentQuery) error {
		return narrow(q.Where, ReadableAssignments(viewer.FromContext(ctx)))
	})
}

// FilterTimeEntries narrows recorded hours to ReadableTimeEntries.
func FilterTimeEntries() privacy.QueryRule {
	return privacy.TimeEntryQueryRuleFunc(func(ctx context.Context, q *ent.TimeEntryQuery) error {
		return narrow(q.Where, ReadableTimeEntries(viewer.FromContext(ctx)))
	})
}

// FilterPayments narrows payments to ReadablePayments.
func FilterPayments() privacy.QueryRule {
	return privacy.PaymentQueryRuleFunc(func(ctx context.Context, q *ent.PaymentQuery) error {
		return narrow(q.Where, ReadablePayments(viewer.FromContext(ctx)))
	})
}

// FilterOffers narrows offers to ReadableOffers.
func FilterOffers() privacy.QueryRule {
	return privacy.OfferQueryRuleFunc(func(ctx context.Context, q *ent.OfferQuery) error {
		return narrow(q.Where, ReadableOffers(viewer.FromContext(ctx)))
	})
}

// FilterNeeds narrows needs to ReadableNeeds.
func FilterNeeds() privacy.QueryRule {
	return privacy.NeedQueryRuleFunc(func(ctx context.Context, q *ent.NeedQuery) error {
		return narrow(q.Where, ReadableNeeds(viewer.FromContext(ctx)))
	})
}

// FilterDocuments narrows documents to ReadableDocuments.
func FilterDocuments() privacy.QueryRule {
	return privacy.DocumentQueryRuleFunc(func(ctx context.Context, q *ent.DocumentQuery) error {
		return narrow(q.Where, ReadableDocuments(viewer.FromContext(ctx)))
	})
}

// FilterSessions narrows sessions to ReadableSessions.
func FilterSessions() privacy.QueryRule {
	return privacy.SessionQueryRuleFunc(func(ctx context.Context, q *ent.SessionQuery) error {
		return narrow(q.Where, ReadableSessions(viewer.FromContext(ctx)))
	})
}

// readScopes gives ent's edge predicates the same read scopes as the
// policies (package readscope): an edge predicate in a filter then matches
// only through rows the viewer may read. Registered when the package is
// loaded, which is whenever the policies are.
type readScopes struct{}

func init() { readscope.Register(readScopes{}) }

// predicateOf turns a scope into an edge predicate's narrowing: nil for
// every row, a predicate that is never true for none.
func predicateOf[P ~func(*sql.Selector)](s Scope[P]) P {
	switch {
	case s.all:
		return nil
	case s.where != nil:
		return s.where
	}
	return func(sel *sql.Selector) { sel.Where(sql.False()) }
}

func (readScopes) Assignment(ctx context.Context) predicate.Assignment {
	return predicateOf(ReadableAssignments(viewer.FromContext(ctx)))
}

func (readScopes) Call(ctx context.Context) predicate.Call {
	return predicateOf(ReadableCalls(viewer.FromContext(ctx)))
}

func (readScopes) Document(ctx context.Context) predicate.Document {
	return predicateOf(ReadableDocuments(viewer.FromContext(ctx)))
}

func (readScopes) Grant(ctx context.Context) predicate.Grant {
	return predicateOf(ReadableGrants(viewer.FromContext(ctx)))
}

func (readScopes) Mentor(ctx context.Context) predicate.Mentor {
	return predicateOf(ReadableMentors(viewer.FromContext(ctx)))
}

func (readScopes) Municipality(ctx context.Context) predicate.Municipality {
	return predicateOf(ReadableMunicipalities(viewer.FromContext(ctx)))
}

func (readScopes) Need(ctx context.Context) predicate.Need {
	return predicateOf(ReadableNeeds(viewer.FromContext(ctx)))
}

func (readScopes) Offer(ctx context.Context) predicate.Offer {
	return predicateOf(ReadableOffers(viewer.FromContext(ctx)))
}

func (readScopes) Payment(ctx context.Context) predicate.Payment {
	return predicateOf(ReadablePayments(viewer.FromContext(ctx)))
}

func (readScopes) Salary(ctx context.Context) predicate.Salary {
	return predicateOf(ReadableSalaries(viewer.FromContext(ctx)))
}

func (readScopes) Session(ctx context.Context) predicate.Session {
	return predicateOf(ReadableSessions(viewer.FromContext(ctx)))
}

func (readScopes) Theme(ctx context.Context) predicate.Theme {
	return predicateOf(ReadableThemes(viewer.FromContext(ctx)))
}

func (readScopes) TimeEntry(ctx context.Context) predicate.TimeEntry {
	return predicateOf(ReadableTimeEntries(viewer.FromContext(ctx)))
}

func (readScopes) Trajectory(ctx context.Context) predicate.Trajectory {
	return predicateOf(ReadableTrajectories(viewer.FromContext(ctx)))
}

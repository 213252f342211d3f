package process

import (
	"context"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/call"
	"wisselaar/ent/mentor"
	"wisselaar/ent/municipality"
	"wisselaar/ent/need"
	"wisselaar/ent/offer"
	"wisselaar/ent/theme"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
)

// The coordinator's half of the programme: municipalities register what
// they can lend (offers) and what they need (needs); the coordinator asks
// for the offers that best suit a need (MatchSuggestions, ranked by
// domain.ScoreMatch) and proposes a match, a PROPOSED trajectory that both
// sides accept or decline (AcceptTrajectory, DeclineTrajectory).
//
// An offer's capacity is promised by accepted matches: the hours a week of
// each trajectory proposed from it that both sides accepted and that was not
// declined or cancelled. It is MATCHED when nothing is left; a need is
// MATCHED as soon as one match is accepted. Declining or cancelling a
// matched trajectory returns both to OPEN. Offers and needs whose period
// ended are EXPIRED (domain.EffectiveStatus, stored by ExpireOffersAndNeeds).

// accepted are the trajectory statuses in which a match holds: both sides
// accepted it and nobody ended it.
var accepted = []trajectory.Status{
	trajectory.StatusMATCHED, trajectory.StatusAGREED, trajectory.StatusRUNNING, trajectory.StatusCOMPLETED,
}

// today is the Brussels date now: periods of offers and needs end at the end
// of a Flemish day.
func today() time.Time { return domain.BrusselsDate(time.Now()) }

// RegisterOffer registers an offer of expertise for a municipality: staff of
// that municipality only.
func RegisterOffer(ctx context.Context, c *ent.Client, in RegisterOfferInput) (*ent.Offer, error) {
	if _, err := ownMunicipality(ctx, c, in.MunicipalityID, "register offers"); err != nil {
		return nil, err
	}
	description, err := requiredText("description", in.Description)
	if err != nil {
		return nil, err
	}
	if len(in.Forms) == 0 {
		return nil, badInput("forms", "name at least one form the municipality can host")
	}
	forms := slices.Compact(slices.Sorted(slices.Values(in.Forms)))
	if in.CapacityHoursPerWeek <= 0 || in.CapacityHoursPerWeek > domain.MaxWeeklyHours {
		return nil, badInput("capacityHoursPerWeek", "the capacity must be more than 0 and at most 168 hours a week")
	}
	if err := currentPeriod("availableUntil", in.AvailableFrom, in.AvailableUntil); err != nil {
		return nil, err
	}
	themes, err := knownThemes(ctx, c, in.ThemeIDs)
	if err != nil {
		return nil, err
	}
	mentors := slices.Compact(slices.Sorted(slices.Values(in.MentorIDs)))
	if len(mentors) > 0 {
		// Read with the viewer's rights: staff read their own colleagues.
		n, err := c.Mentor.Query().Where(mentor.IDIn(mentors...), mentor.MunicipalityID(in.MunicipalityID)).Count(ctx)
		if err != nil {
			return nil, err
		}
		if n != len(mentors) {
			return nil, badInput("mentorIDs", "every mentor must be staff of the offering municipality")
		}
	}
	create := c.Offer.Create().
		SetMunicipalityID(in.MunicipalityID).
		SetDescription(description).
		SetTopics(cleanTopics(in.Topics)).
		SetForms(formStrings(forms)).
		SetCapacityHoursPerWeek(in.CapacityHoursPerWeek).
		SetAvailableFrom(domain.DateOf(in.AvailableFrom)).
		SetAvailableUntil(domain.DateOf(in.AvailableUntil)).
		AddThemeIDs(themes...).
		AddMentorIDs(mentors...)
	return create.Save(ctx)
}

// RegisterNeed registers a need for a municipality: staff of that
// municipality only.
func RegisterNeed(ctx context.Context, c *ent.Client, in RegisterNeedInput) (*ent.Need, error) {
	if _, err := ownMunicipality(ctx, c, in.MunicipalityID, "register needs"); err != nil {
		return nil, err
	}
	description, err := requiredText("description", in.Description)
	if err != nil {
		return nil, err
	}
	if err := currentPeriod("desiredEnd", in.DesiredStart, in.DesiredEnd); err != nil {
		return nil, err
	}
	themes, err := knownThemes(ctx, c, in.ThemeIDs)
	if err != nil {
		return nil, err
	}
	create := c.Need.Create().
		SetMunicipalityID(in.MunicipalityID).
		SetDescription(description).
		SetTopics(cleanTopics(in.Topics)).
		SetNillablePreferredForm(in.PreferredForm).
		SetDesiredStart(domain.DateOf(in.DesiredStart)).
		SetDesiredEnd(domain.DateOf(in.DesiredEnd)).
		AddThemeIDs(themes...)
	return create.Save(ctx)
}

// WithdrawOffer withdraws an open offer: staff of its municipality only. A
// match proposed from it can then no longer be accepted.
func WithdrawOffer(ctx context.Context, c *ent.Client, in WithdrawOfferInput) (*ent.Offer, error) {
	o, err := lockOffer(ctx, c, in.OfferID)
	if err != nil {
		return nil, err
	}
	if _, err := ownMunicipality(ctx, c, o.MunicipalityID, "withdraw this offer"); err != nil {
		return nil, err
	}
	if st := effectiveOffer(o); st != domain.MatchingOpen {
		return nil, apierr.New(apierr.Conflict, "only an open offer can be withdrawn; this one is %s", st)
	}
	return o.Update().SetStatus(offer.StatusWITHDRAWN).Save(ctx)
}

// WithdrawNeed withdraws an open need: staff of its municipality only.
func WithdrawNeed(ctx context.Context, c *ent.Client, in WithdrawNeedInput) (*ent.Need, error) {
	n, err := lockNeed(ctx, c, in.NeedID)
	if err != nil {
		return nil, err
	}
	if _, err := ownMunicipality(ctx, c, n.MunicipalityID, "withdraw this need"); err != nil {
		return nil, err
	}
	if st := effectiveNeed(n); st != domain.MatchingOpen {
		return nil, apierr.New(apierr.Conflict, "only an open need can be withdrawn; this one is %s", st)
	}
	return n.Update().SetStatus(need.StatusWITHDRAWN).Save(ctx)
}

// ProposeMatch proposes a match of an open offer with an open need of
// another municipality: a PROPOSED trajectory from the offering to the
// needing municipality under a call, which both sides then accept or
// decline. Coordinator only.
//
// The trajectory carries over the themes both share (the need's, when they
// share none), the topics of both, the need's description and preferred
// form when the offer hosts it (else the offer's first form), and is
// planned in the days both periods share (the need's period when they share
// none). It takes hoursPerWeek of the offer's capacity, all that is left
// when not given; they count against the capacity once both sides accepted.
// A need waits for the answer to one proposal at a time.
func ProposeMatch(ctx context.Context, c *ent.Client, in ProposeMatchInput) (*ent.Trajectory, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireSide(sidesOf(v), domain.Coordinator, "propose matches"); err != nil {
		return nil, err
	}
	title, err := requiredText("title", in.Title)
	if err != nil {
		return nil, err
	}
	if _, err := c.Call.Get(ctx, in.CallID); err != nil {
		return nil, notFound("call", err)
	}
	// Locks in the order offer → need: a match and an acceptance of the
	// same offer run one after the other.
	o, err := lockOffer(ctx, c, in.OfferID)
	if err != nil {
		return nil, err
	}
	n, err := lockNeed(ctx, c, in.NeedID)
	if err != nil {
		return nil, err
	}
	if o.MunicipalityID == n.MunicipalityID {
		return nil, badInput("needID", "the offer and the need are of the same municipality")
	}
	if st := effectiveOffer(o); st != domain.MatchingOpen {
		return nil, apierr.New(apierr.Conflict, "the offer is %s", st)
	}
	if st := effectiveNeed(n); st != domain.MatchingOpen {
		return nil, apierr.New(apierr.Conflict, "the need is %s", st)
	}
	pending, err := c.Trajectory.Query().Where(trajectory.NeedID(n.ID), trajectory.StatusEQ(trajectory.StatusPROPOSED)).Exist(ctx)
	if err != nil {
		return nil, err
	}
	if pending {
		return nil, apierr.New(apierr.Conflict, "a match proposed for this need waits for the answer of its municipalities")
	}
	left, err := remainingCapacity(ctx, c, o, 0)
	if err != nil {
		return nil, err
	}
	if left <= 0 {
		return nil, apierr.New(apierr.Conflict, "the offer's capacity is promised in accepted matches")
	}
	hours := left
	if in.HoursPerWeek != nil {
		hours = *in.HoursPerWeek
		if hours <= 0 || hours > left {
			return nil, badInput("hoursPerWeek", "the hours a week must be more than 0 and at most the %s hours left of the offer's capacity", left)
		}
	}
	offerThemes, err := o.QueryThemes().IDs(ctx)
	if err != nil {
		return nil, err
	}
	needThemes, err := n.QueryThemes().IDs(ctx)
	if err != nil {
		return nil, err
	}
	themes := sharedOr(needThemes, offerThemes)
	start, end, ok := domain.Overlap(n.DesiredStart, n.DesiredEnd, o.AvailableFrom, o.AvailableUntil)
	if !ok {
		start, end = n.DesiredStart, n.DesiredEnd
	}
	return c.Trajectory.Create().
		SetCallID(in.CallID).
		SetGivingID(o.MunicipalityID).
		SetReceivingID(n.MunicipalityID).
		SetForm(formFor(n, o)).
		SetTitle(title).
		SetDescription(n.Description).
		SetTopics(cleanTopics(append(slices.Clone(n.Topics), o.Topics...))).
		SetStatus(trajectory.StatusPROPOSED).
		SetPlannedStart(start).
		SetPlannedEnd(end).
		SetOfferID(o.ID).
		SetNeedID(n.ID).
		SetOfferHoursPerWeek(hours).
		AddThemeIDs(themes...).
		Save(ctx)
}

// settleMatch marks the need and, when its capacity is all promised, the
// offer of a trajectory whose match both sides have just accepted. As the
// system: the side that accepted last changes the other side's offer or
// need, as the consequence of a step it may take.
func settleMatch(ctx context.Context, c *ent.Client, t *ent.Trajectory) error {
	if t.OfferID == nil || t.NeedID == nil {
		return nil
	}
	sys := viewer.SystemContext(ctx)
	o, err := lockOffer(sys, c, *t.OfferID)
	if err != nil {
		return err
	}
	n, err := lockNeed(sys, c, *t.NeedID)
	if err != nil {
		return err
	}
	if st := effectiveOffer(o); st != domain.MatchingOpen {
		return apierr.New(apierr.Conflict, "the offer of this match is %s", st)
	}
	if st := effectiveNeed(n); st != domain.MatchingOpen {
		return apierr.New(apierr.Conflict, "the need of this match is %s", st)
	}
	hours := domain.Hours(0)
	if t.OfferHoursPerWeek != nil {
		hours = *t.OfferHoursPerWeek
	}
	left, err := remainingCapacity(sys, c, o, t.ID)
	if err != nil {
		return err
	}
	if hours > left {
		return apierr.New(apierr.Conflict, "the offer's capacity has meanwhile been promised in other matches")
	}
	if err := n.Update().SetStatus(need.StatusMATCHED).Exec(sys); err != nil {
		return err
	}
	if hours == left {
		return o.Update().SetStatus(offer.StatusMATCHED).Exec(sys)
	}
	return nil
}

// releaseMatch returns the offer and need of an accepted match that is
// declined or cancelled to OPEN: the need is unmet again and the hours are
// no longer promised. As the system, like settleMatch.
func releaseMatch(ctx context.Context, c *ent.Client, t *ent.Trajectory) error {
	if t.OfferID == nil || t.NeedID == nil || !slices.Contains(accepted, t.Status) {
		return nil
	}
	// Offer before need, the order every step of matching locks them in.
	sys := viewer.SystemContext(ctx)
	if err := c.Offer.Update().Where(offer.ID(*t.OfferID), offer.StatusEQ(offer.StatusMATCHED)).
		SetStatus(offer.StatusOPEN).Exec(sys); err != nil {
		return err
	}
	return c.Need.Update().Where(need.ID(*t.NeedID), need.StatusEQ(need.StatusMATCHED)).
		SetStatus(need.StatusOPEN).Exec(sys)
}

// remainingCapacity returns what is left of an offer's capacity: its hours
// a week minus those promised in accepted matches other than trajectory
// except (0 for none). As the system: the matches of an offer count whoever
// asks.
func remainingCapacity(ctx context.Context, c *ent.Client, o *ent.Offer, except int) (domain.Hours, error) {
	promised, err := promisedHours(ctx, c, except, o.ID)
	if err != nil {
		return 0, err
	}
	return max(o.CapacityHoursPerWeek-promised[o.ID], 0), nil
}

// promisedHours returns, per offer, the hours a week promised in accepted
// matches other than trajectory except, in one query.
func promisedHours(ctx context.Context, c *ent.Client, except int, offers ...int) (map[int]domain.Hours, error) {
	var rows []struct {
		OfferID int   `json:"offer_id"`
		Hours   int64 `json:"hours"`
	}
	err := c.Trajectory.Query().
		Where(trajectory.OfferIDIn(offers...), trajectory.StatusIn(accepted...), trajectory.IDNEQ(except)).
		Modify(func(s *sql.Selector) {
			s.Select(s.C(trajectory.FieldOfferID), sql.As("COALESCE(SUM("+s.C(trajectory.FieldOfferHoursPerWeek)+"), 0)", "hours")).
				GroupBy(s.C(trajectory.FieldOfferID))
		}).
		Scan(viewer.SystemContext(ctx), &rows)
	if err != nil {
		return nil, err
	}
	out := make(map[int]domain.Hours, len(rows))
	for _, r := range rows {
		out[r.OfferID] = domain.Hours(r.Hours)
	}
	return out, nil
}

// ExpireOffersAndNeeds stores EXPIRED on the open offers and needs whose
// period ended before today (a date), and returns how many it changed.
// Reads already show them EXPIRED (domain.EffectiveStatus); storing it keeps
// filters on the status exact. Idempotent, so any number of replicas may
// run it.
func ExpireOffersAndNeeds(ctx context.Context, c *ent.Client, today time.Time) (int, error) {
	// The system's own bookkeeping: nobody expires an offer by hand.
	sys := viewer.SystemContext(ctx)
	offers, err := c.Offer.Update().
		Where(offer.StatusEQ(offer.StatusOPEN), offer.AvailableUntilLT(domain.DateOf(today))).
		SetStatus(offer.StatusEXPIRED).Save(sys)
	if err != nil {
		return 0, err
	}
	needs, err := c.Need.Update().
		Where(need.StatusEQ(need.StatusOPEN), need.DesiredEndLT(domain.DateOf(today))).
		SetStatus(need.StatusEXPIRED).Save(sys)
	return offers + needs, err
}

// EffectiveOfferStatus is the status of an offer as it stands today.
func EffectiveOfferStatus(o *ent.Offer) offer.Status { return offer.Status(effectiveOffer(o)) }

// EffectiveNeedStatus is the status of a need as it stands today.
func EffectiveNeedStatus(n *ent.Need) need.Status { return need.Status(effectiveNeed(n)) }

func effectiveOffer(o *ent.Offer) domain.MatchingStatus {
	return domain.EffectiveStatus(domain.MatchingStatus(o.Status), o.AvailableUntil, today())
}

func effectiveNeed(n *ent.Need) domain.MatchingStatus {
	return domain.EffectiveStatus(domain.MatchingStatus(n.Status), n.DesiredEnd, today())
}

// lockOffer locks an offer's row and returns it, read with the viewer's
// rights (NOT_FOUND when it may not read it).
func lockOffer(ctx context.Context, c *ent.Client, id int) (*ent.Offer, error) {
	ids, err := c.Offer.Query().Where(offer.ID(id)).Select(offer.FieldID).Modify(forUpdate).Ints(ctx)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apierr.New(apierr.NotFound, "offer not found")
	}
	o, err := c.Offer.Get(ctx, id)
	return o, notFound("offer", err)
}

// lockNeed locks a need's row and returns it, read with the viewer's
// rights.
func lockNeed(ctx context.Context, c *ent.Client, id int) (*ent.Need, error) {
	ids, err := c.Need.Query().Where(need.ID(id)).Select(need.FieldID).Modify(forUpdate).Ints(ctx)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apierr.New(apierr.NotFound, "need not found")
	}
	n, err := c.Need.Get(ctx, id)
	return n, notFound("need", err)
}

// ownMunicipality checks that the viewer is staff of the municipality with
// ent ID id: offers and needs are registered and withdrawn by their own
// municipality. NOT_FOUND for a municipality that does not exist, FORBIDDEN
// for another's.
func ownMunicipality(ctx context.Context, c *ent.Client, id int, doing string) (*viewer.Viewer, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	m, err := c.Municipality.Query().Where(municipality.ID(id)).Only(ctx)
	if err != nil {
		return nil, notFound("municipality", err)
	}
	if !v.IsStaffOf(m.NisCode) {
		return nil, apierr.New(apierr.Forbidden, "only staff of %s may %s", m.Name, doing)
	}
	return v, nil
}

// requiredText returns text trimmed, or BAD_USER_INPUT on field when it is
// blank.
func requiredText(field, text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", badInput(field, "%s is required", field)
	}
	return text, nil
}

// currentPeriod checks a period of an offer or need: it ends on or after it
// starts, and not before today (it would be expired at once). Field names
// the end.
func currentPeriod(field string, start, end time.Time) error {
	if err := domain.ValidatePlannedPeriod(start, end); err != nil {
		return badInput(field, "the period must end on or after the day it starts")
	}
	if domain.DateOf(end).Before(today()) {
		return badInput(field, "the period has already ended")
	}
	return nil
}

// knownThemes checks that every theme exists (BAD_USER_INPUT on themeIDs,
// at least one) and returns them without duplicates.
func knownThemes(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) == 0 {
		return nil, badInput("themeIDs", "name at least one theme")
	}
	n, err := c.Theme.Query().Where(theme.IDIn(ids...)).Count(ctx)
	if err != nil {
		return nil, err
	}
	if n != len(ids) {
		return nil, badInput("themeIDs", "unknown theme")
	}
	return ids, nil
}

// cleanTopics trims topics and drops empty and repeated ones, keeping the
// order they were given in.
func cleanTopics(topics []string) []string {
	out := []string{}
	for _, t := range topics {
		t = strings.TrimSpace(t)
		if t != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, t) }) {
			out = append(out, t)
		}
	}
	return out
}

func formStrings(forms []trajectory.Form) []string {
	out := make([]string, len(forms))
	for i, f := range forms {
		out[i] = string(f)
	}
	return out
}

// OfferForms returns the forms an offer hosts.
func OfferForms(o *ent.Offer) []trajectory.Form {
	out := make([]trajectory.Form, len(o.Forms))
	for i, f := range o.Forms {
		out[i] = trajectory.Form(f)
	}
	return out
}

// formFor is the form of a proposed match: the need's preferred form when
// the offer hosts it, else the offer's first.
func formFor(n *ent.Need, o *ent.Offer) trajectory.Form {
	if n.PreferredForm != nil && slices.Contains(o.Forms, string(*n.PreferredForm)) {
		return trajectory.Form(*n.PreferredForm)
	}
	if len(o.Forms) > 0 {
		return trajectory.Form(o.Forms[0])
	}
	return trajectory.FormMENTORING
}

// sharedOr returns the IDs in both lists, or want when they share none.
func sharedOr(want, have []int) []int {
	var shared []int
	for _, id := range want {
		if slices.Contains(have, id) {
			shared = append(shared, id)
		}
	}
	if len(shared) == 0 {
		return want
	}
	return shared
}

// openCalls returns the IDs of the calls whose application window contains
// now.
func openCalls(ctx context.Context, c *ent.Client, now time.Time) ([]int, error) {
	calls, err := c.Call.Query().Where(call.OpensAtLTE(now)).All(ctx)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, cl := range calls {
		if (domain.Window{OpensAt: cl.OpensAt, ClosesAt: cl.ClosesAt}).Contains(now) {
			out = append(out, cl.ID)
		}
	}
	return out, nil
}

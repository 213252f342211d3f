// Package audit writes the audit trail: for every change of an entity, an
// AuditEvent saying who (subject, roles, on behalf of which municipality),
// when, by which action (the GraphQL mutation's name, or a job's or
// command's), in which request, and the changed fields before and after.
//
// The hook of this package is installed on every entity that takes the
// base policy (ent/schema.BasePolicyMixin), so no write escapes it: it
// writes the event through the client of the change itself, that is in the
// change's transaction, so a change that is rolled back leaves no event,
// and an event that cannot be written fails the change.
//
// Who acted is taken when the action starts (WithAction), before any step
// of the process switches to the system's rights for its bookkeeping
// (viewer.SystemContext): the waiting line promoted by a decision is the
// decider's doing.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"entgo.io/ent"

	"wisselaar/domain"
	gen "wisselaar/ent"
	"wisselaar/ent/viewer"
)

// Action is what is being done, on whose behalf, in which request.
type Action struct {
	// Name is the GraphQL mutation's name, or one of the domain.Action…
	// names.
	Name string
	// RequestID is the HTTP request's ID; empty for jobs and commands.
	RequestID string
	// Actor is the viewer who acts.
	Actor *viewer.Viewer
}

type ctxKey struct{}

type namesOnlyKey struct{}

// NamesOnly returns a context in which changes are recorded with the names
// of the changed fields but without their values: for anonymisation, whose
// record must not keep what it removes.
func NamesOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, namesOnlyKey{}, true)
}

// WithAction returns a context in which changes are recorded as the action
// name of the context's viewer, in the request with this ID.
func WithAction(ctx context.Context, name, requestID string) context.Context {
	return context.WithValue(ctx, ctxKey{}, &Action{Name: name, RequestID: requestID, Actor: viewer.FromContext(ctx)})
}

// ActionFrom returns the action of ctx: the one WithAction set, or a
// system action of the context's viewer.
func ActionFrom(ctx context.Context) *Action {
	if a, ok := ctx.Value(ctxKey{}).(*Action); ok {
		return a
	}
	return &Action{Name: domain.ActionSystem, Actor: viewer.FromContext(ctx)}
}

// notAudited are the entity types whose changes are no part of the trail:
// the trail itself, and browser sessions (sign-in bookkeeping, no data of
// the programme).
var notAudited = map[string]bool{gen.TypeAuditEvent: true, gen.TypeSession: true}

// skippedFields change with every write and say nothing the event's time
// does not.
var skippedFields = map[string]bool{"updated_at": true, "created_at": true}

// Hook records every create, update and delete of the entity it is
// installed on.
func Hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if notAudited[m.Type()] {
				return next.Mutate(ctx, m)
			}
			cm, ok := m.(interface{ Client() *gen.Client })
			if !ok {
				return next.Mutate(ctx, m)
			}
			c := cm.Client()
			// The audit's own reads and writes are the system's: the
			// actor may change a row it may not read whole, and may not
			// write the trail.
			sys := detached(ctx)
			var ids []int
			before := map[int]gen.Noder{}
			if !m.Op().Is(ent.OpCreate) {
				var err error
				if ids, err = mutationIDs(sys, m); err != nil {
					return nil, err
				}
				for _, id := range ids {
					n, err := c.Noder(sys, id)
					if err != nil {
						if gen.IsNotFound(err) {
							continue
						}
						return nil, fmt.Errorf("audit: reading %s %d: %w", m.Type(), id, err)
					}
					before[id] = n
				}
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			a := ActionFrom(ctx)
			namesOnly, _ := ctx.Value(namesOnlyKey{}).(bool)
			var events []*gen.AuditEventCreate
			add := func(id int, changes []domain.FieldChange) {
				if namesOnly {
					for i := range changes {
						changes[i].Before, changes[i].After = nil, nil
					}
				}
				if len(changes) > 0 || m.Op().Is(ent.OpCreate|ent.OpDelete|ent.OpDeleteOne) {
					events = append(events, newEvent(c, a, m.Type(), id, changes))
				}
			}
			switch {
			case m.Op().Is(ent.OpCreate):
				if id, ok := idOf(v); ok {
					add(id, diff(fieldNames(m), nil, v))
				}
			case m.Op().Is(ent.OpDelete | ent.OpDeleteOne):
				for _, id := range ids {
					if b, ok := before[id]; ok {
						add(id, diff(allFields(b), b, nil))
					}
				}
			default:
				names := fieldNames(m)
				for _, id := range ids {
					after := any(v)
					if m.Op().Is(ent.OpUpdate) || !sameID(v, id) {
						n, err := c.Noder(sys, id)
						if err != nil {
							return nil, fmt.Errorf("audit: reading %s %d: %w", m.Type(), id, err)
						}
						after = n
					}
					add(id, diff(names, before[id], after))
				}
			}
			if len(events) > 0 {
				if err := c.AuditEvent.CreateBulk(events...).Exec(sys); err != nil {
					return nil, fmt.Errorf("audit: writing the trail: %w", err)
				}
			}
			return v, nil
		})
	}
}

// Record appends one event to the trail through client (the caller's
// transaction, where there is one): for changes made outside ent's
// mutations, and for reads (domain.ActionReadSalary).
func Record(ctx context.Context, client *gen.Client, entityType string, entityID int, changes []domain.FieldChange) error {
	return newEvent(client, ActionFrom(ctx), entityType, entityID, changes).Exec(detached(ctx))
}

func newEvent(c *gen.Client, a *Action, entityType string, id int, changes []domain.FieldChange) *gen.AuditEventCreate {
	subject, roles, behalf := actor(a.Actor)
	return c.AuditEvent.Create().
		SetOccurredAt(time.Now()).
		SetActorSubject(subject).
		SetActorRoles(roles).
		SetNillableOnBehalfOf(behalf).
		SetAction(a.Name).
		SetEntityType(entityType).
		SetEntityID(id).
		SetChanges(changes).
		SetRequestID(a.RequestID)
}

// actor describes a viewer for the trail. Staff act on behalf of their
// municipality; a viewer who is staff of several is recorded with all of
// them, since a request does not say for which one it acts.
func actor(v *viewer.Viewer) (subject string, roles []string, behalf *string) {
	switch {
	case v == nil:
		return "none", []string{}, nil
	case v.IsSystem():
		return domain.SystemActor, []string{}, nil
	}
	subject = v.Subject
	if subject == "" {
		subject = "anonymous"
	}
	if len(v.Municipalities) > 0 {
		s := strings.Join(v.Municipalities, ",")
		behalf = &s
	}
	return subject, v.RoleValues(), behalf
}

// detached returns a context that is cancelled with ctx but carries none of
// its values except the system viewer: the audit's queries must not pick up
// the GraphQL field being resolved (ent's node loading would collect that
// field's selection).
func detached(ctx context.Context) context.Context {
	c, cancel := context.WithCancel(context.Background())
	context.AfterFunc(ctx, cancel)
	return viewer.SystemContext(c)
}

func mutationIDs(ctx context.Context, m ent.Mutation) ([]int, error) {
	im, ok := m.(interface {
		IDs(context.Context) ([]int, error)
	})
	if !ok {
		return nil, fmt.Errorf("audit: %s mutation without IDs", m.Type())
	}
	return im.IDs(ctx)
}

// fieldNames are the fields a mutation sets, adds to or clears.
func fieldNames(m ent.Mutation) []string {
	var names []string
	for _, list := range [][]string{m.Fields(), m.AddedFields(), m.ClearedFields()} {
		for _, f := range list {
			if !skippedFields[f] && !slices.Contains(names, f) {
				names = append(names, f)
			}
		}
	}
	slices.Sort(names)
	return names
}

// allFields are the fields of an entity, for a deletion.
func allFields(v any) []string {
	var names []string
	for name := range structFields(v) {
		if !skippedFields[name] {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// diff lists the fields whose rendered value differs between before and
// after (either may be nil).
func diff(names []string, before, after any) []domain.FieldChange {
	b, a := structFields(before), structFields(after)
	changes := []domain.FieldChange{}
	for _, name := range names {
		_, inB := b[name]
		_, inA := a[name]
		if !inB && !inA {
			// A sensitive field (a token, a storage key, a calculation
			// with salary lines) is never written to the trail: only
			// that it changed.
			changes = append(changes, domain.FieldChange{Field: name})
			continue
		}
		bv, av := render(b[name]), render(a[name])
		if equal(bv, av) && before != nil && after != nil {
			continue
		}
		if before == nil && av == nil || after == nil && bv == nil {
			continue
		}
		changes = append(changes, domain.FieldChange{Field: name, Before: bv, After: av})
	}
	return changes
}

func equal(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// structFields maps the ent field names of an entity (its JSON tags) to
// their values.
func structFields(v any) map[string]reflect.Value {
	out := map[string]reflect.Value{}
	if v == nil {
		return out
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return out
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return out
	}
	t := rv.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "" || name == "-" || name == "edges" || name == "id" {
			continue
		}
		out[name] = rv.Field(i)
	}
	return out
}

// render writes a value as the trail shows it: nil for no value, amounts
// and enums by their String method, times in RFC 3339, the rest as JSON.
func render(v reflect.Value) *string {
	if !v.IsValid() {
		return nil
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	var s string
	switch x := v.Interface().(type) {
	case time.Time:
		if x.IsZero() {
			return nil
		}
		s = x.UTC().Format(time.RFC3339Nano)
	case fmt.Stringer:
		s = x.String()
	default:
		switch v.Kind() {
		case reflect.String:
			s = v.String()
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
			s = fmt.Sprint(x)
		default:
			if (v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.IsNil() {
				return nil
			}
			b, err := json.Marshal(x)
			if err != nil {
				s = fmt.Sprint(x)
			} else {
				s = string(b)
			}
		}
	}
	return &s
}

func idOf(v any) (int, bool) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return 0, false
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return 0, false
	}
	f := rv.FieldByName("ID")
	if !f.IsValid() || !f.CanInt() {
		return 0, false
	}
	return int(f.Int()), true
}

func sameID(v any, id int) bool {
	got, ok := idOf(v)
	return ok && got == id
}

// reads collects the mentors whose salary data a request has read, so that
// each is recorded once per request.
type reads struct {
	mu   sync.Mutex
	seen map[int]bool
}

type readsKey struct{}

// WithReads returns a context that records salary reads once per mentor
// (for one GraphQL operation).
func WithReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, readsKey{}, &reads{seen: map[int]bool{}})
}

// RecordSalaryRead appends a READ_SALARY event for the mentor whose salary
// data the context's viewer has just been given, unless this request has
// already recorded one. The system's own reads are not recorded.
func RecordSalaryRead(ctx context.Context, client *gen.Client, mentorID int, requestID string) error {
	v := viewer.FromContext(ctx)
	if v == nil || v.IsSystem() {
		return nil
	}
	if r, ok := ctx.Value(readsKey{}).(*reads); ok {
		r.mu.Lock()
		seen := r.seen[mentorID]
		r.seen[mentorID] = true
		r.mu.Unlock()
		if seen {
			return nil
		}
	}
	a := &Action{Name: domain.ActionReadSalary, Actor: v, RequestID: requestID}
	return newEvent(client, a, gen.TypeMentor, mentorID, nil).Exec(detached(ctx))
}

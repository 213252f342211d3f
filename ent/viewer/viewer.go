// Package viewer describes who is making a request: a person signed in
// through the portal, a machine client with a bearer token, an anonymous
// caller, or the system itself (seeding, migrations). The viewer travels in
// the request context and feeds the ent privacy policies; it is built once
// per request from the session or the token.
package viewer

import (
	"context"
	"log/slog"
	"slices"
	"strings"
)

// Role is a right granted by the identity provider, after mapping its values
// onto ours. Staff of a municipality have no Role value: their rights come
// from Viewer.Municipalities.
type Role string

// The roles the programme knows. Any other value gives no rights.
const (
	Ministry    Role = "ministry"
	Coordinator Role = "coordinator"
	Analyst     Role = "analyst"
	Partner     Role = "partner"
)

// MunicipalityRolePrefix starts the role value of staff of a municipality,
// followed by its NIS code: "municipality:12025".
const MunicipalityRolePrefix = "municipality:"

// Viewer is the caller of one request.
type Viewer struct {
	// Subject is the identity provider's stable identifier of the caller
	// (the token's sub); empty for an anonymous caller.
	Subject string
	// Name and Email describe the person, where the provider sent them.
	Name  string
	Email string
	// Roles are the programme-wide roles of the caller.
	Roles []Role
	// Municipalities are the NIS codes of the municipalities whose staff the
	// caller is. Giving and receiving are decided per trajectory from these.
	Municipalities []string
	// Machine is true for callers authenticated by a bearer token rather
	// than a browser session.
	Machine bool

	system bool
}

// Anonymous returns the viewer of a request without credentials. It may read
// what is public and nothing else.
func Anonymous() *Viewer { return &Viewer{} }

// ParseRoles turns role values as they appear in a token or session
// ("ministry", "municipality:12025", ...) into roles and NIS codes. Unknown
// values are dropped: they give no rights.
func ParseRoles(values []string) (roles []Role, municipalities []string) {
	for _, v := range values {
		v = strings.TrimSpace(v)
		switch r := Role(v); r {
		case Ministry, Coordinator, Analyst, Partner:
			if !slices.Contains(roles, r) {
				roles = append(roles, r)
			}
			continue
		}
		if nis, ok := strings.CutPrefix(v, MunicipalityRolePrefix); ok && validNIS(nis) {
			if !slices.Contains(municipalities, nis) {
				municipalities = append(municipalities, nis)
			}
		}
	}
	slices.Sort(municipalities)
	return roles, municipalities
}

// RoleValues is the inverse of ParseRoles: the viewer's rights as role values.
func (v *Viewer) RoleValues() []string {
	out := make([]string, 0, len(v.Roles)+len(v.Municipalities))
	for _, r := range v.Roles {
		out = append(out, string(r))
	}
	for _, nis := range v.Municipalities {
		out = append(out, MunicipalityRolePrefix+nis)
	}
	return out
}

func validNIS(s string) bool {
	if len(s) != 5 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// IsAnonymous reports whether the caller presented no credentials.
func (v *Viewer) IsAnonymous() bool { return v == nil || (v.Subject == "" && !v.system) }

// IsSystem reports whether this is the system viewer.
func (v *Viewer) IsSystem() bool { return v != nil && v.system }

// Has reports whether the viewer holds role r.
func (v *Viewer) Has(r Role) bool { return v != nil && slices.Contains(v.Roles, r) }

// IsStaff reports whether the viewer works for at least one municipality.
func (v *Viewer) IsStaff() bool { return v != nil && len(v.Municipalities) > 0 }

// IsStaffOf reports whether the viewer works for the municipality with this
// NIS code.
func (v *Viewer) IsStaffOf(nis string) bool {
	return v != nil && slices.Contains(v.Municipalities, nis)
}

// LogValue lets log lines say who did what, without personal data beyond
// the subject.
func (v *Viewer) LogValue() slog.Value {
	switch {
	case v == nil:
		return slog.StringValue("none")
	case v.system:
		return slog.StringValue("system")
	case v.IsAnonymous():
		return slog.StringValue("anonymous")
	}
	return slog.GroupValue(
		slog.String("sub", v.Subject),
		slog.Any("roles", v.RoleValues()),
		slog.Bool("machine", v.Machine),
	)
}

type ctxKey struct{}

// NewContext returns a context carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// FromContext returns the viewer in ctx, or nil when there is none. A
// missing viewer is a programming error that the privacy policies deny.
func FromContext(ctx context.Context) *Viewer {
	v, _ := ctx.Value(ctxKey{}).(*Viewer)
	return v
}

// SystemContext returns a context whose viewer is the system itself. It is
// the one named way to act around the access rules, for work that no user
// performs: migrations, loading demo data, internal bookkeeping that a
// permitted mutation triggers. Every use should say why.
func SystemContext(ctx context.Context) context.Context {
	return NewContext(ctx, &Viewer{system: true})
}

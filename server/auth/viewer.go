package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"wisselaar/ent"
	"wisselaar/ent/municipality"
	"wisselaar/ent/viewer"
)

// identity is who a verified token says the caller is, before the database
// has had its say on the municipalities.
type identity struct {
	Subject string
	Name    string
	Email   string
	// Values are the role values the mapping granted; municipality values
	// carry the provider's org key (NIS code or KBO number).
	Values []string
}

// identityFrom reads the standard claims and maps the role claims.
func identityFrom(m *RoleMapping, claims map[string]any) identity {
	str := func(k string) string { s, _ := claims[k].(string); return strings.TrimSpace(s) }
	id := identity{Subject: str("sub"), Name: str("name"), Email: str("email"), Values: m.Map(claims)}
	if id.Name == "" {
		// ACM/IDM sends given_name and family_name; machine clients often
		// only a preferred_username.
		id.Name = strings.TrimSpace(str("given_name") + " " + str("family_name"))
	}
	if id.Name == "" {
		id.Name = str("preferred_username")
	}
	return id
}

// viewerFor turns an identity into a viewer. Programme roles are taken as
// they are; every municipality value is looked up in the database by NIS
// code or KBO number, and only municipalities that exist there count. So a
// token can never grant rights on a municipality the portal does not know,
// whatever it says.
func viewerFor(ctx context.Context, client *ent.Client, id identity) (*viewer.Viewer, error) {
	v := &viewer.Viewer{Subject: id.Subject, Name: id.Name, Email: id.Email}
	var nis, kbo []string
	for _, value := range id.Values {
		if key, ok := strings.CutPrefix(value, viewer.MunicipalityRolePrefix); ok {
			switch k := normalizeOrgKey(key); len(k) {
			case 5:
				nis = append(nis, k)
			case 10:
				kbo = append(kbo, k)
			}
			continue
		}
		roles, _ := viewer.ParseRoles([]string{value})
		for _, r := range roles {
			if !slices.Contains(v.Roles, r) {
				v.Roles = append(v.Roles, r)
			}
		}
	}
	if len(nis)+len(kbo) == 0 {
		return v, nil
	}
	// The system context: the viewer is being built, so there is no one yet
	// on whose behalf to read; the list of municipalities is public anyway.
	found, err := client.Municipality.Query().
		Where(municipality.Or(municipality.NisCodeIn(nis...), municipality.KboNumberIn(kbo...))).
		Select(municipality.FieldNisCode).
		Strings(viewer.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("resolving municipalities: %w", err)
	}
	slices.Sort(found)
	v.Municipalities = slices.Compact(found)
	return v, nil
}

// normalizeOrgKey returns the digits of a NIS code (5) or KBO number (10),
// or "" for anything else. KBO numbers are written in many ways
// ("0207.451.227", "BE 0207451227"); the database holds the 10 digits.
func normalizeOrgKey(key string) string {
	key = strings.TrimSpace(key)
	if len(key) >= 2 && strings.EqualFold(key[:2], "BE") {
		key = key[2:]
	}
	var b strings.Builder
	for _, r := range key {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '.' || r == ' ':
		default:
			return ""
		}
	}
	if s := b.String(); len(s) == 5 || len(s) == 10 {
		return s
	}
	return ""
}

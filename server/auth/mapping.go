package auth

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// RoleMapping turns the claims of a verified token into role values
// ("ministry", "municipality:<org key>", ...). It is configuration, not
// code: OIDC_ROLES_CLAIM says where the provider's values are, and
// OIDC_ROLE_MAPPING how they translate into ours.
//
// # The format of OIDC_ROLE_MAPPING
//
// Rules are separated by ";" or new lines. Each rule reads
//
//	<pattern> -> <target> [if <claim>=<value>[|<value>...] [and <claim>=<value>...]]
//
// where:
//
//   - <pattern> is matched against each value of the roles claim, the whole
//     value, case-sensitively. {name} is a placeholder that matches one or
//     more characters; everything else is literal.
//   - <target> is the role value the rule grants: ministry, coordinator,
//     analyst, partner, or municipality:<org key>. It may use the pattern's
//     placeholders. An org key is a NIS code (5 digits) or a KBO enterprise
//     number (10 digits; dots, spaces and a "BE" prefix are ignored); it
//     gives rights only for a municipality that exists in the database with
//     that NIS code or KBO number. Any other target gives nothing.
//   - The optional conditions compare other claims of the same token (any
//     dot-separated path): the rule applies only if each named claim has one
//     of the listed values (for an array claim: contains one of them).
//
// Every rule that matches applies (a value may grant several roles). Values
// that no rule matches give no rights. An empty mapping takes the claim's
// values as our role values unchanged (as if it were "{value} -> {value}").
//
// # Values
//
// The roles claim may be an array of strings or one string. Every string is
// split on commas, so "ministry,analyst" is two values. A piece that no rule
// matches on its own is read as a further org key of the piece before it:
// it is prefixed with that piece's text up to its last colon. So
// "WisselaarGebruiker:0207451227,0207451228" (ACM/IDM's form for a role held
// in two organisations) is read as "WisselaarGebruiker:0207451227" and
// "WisselaarGebruiker:0207451228".
type RoleMapping struct {
	claims []string // paths of the claims that carry role values
	rules  []mappingRule
}

type mappingRule struct {
	source     string         // the pattern as written, for messages
	re         *regexp.Regexp // the pattern, anchored
	target     string         // with {name} placeholders
	conditions []condition
}

type condition struct {
	claim  string
	values []string
}

var (
	placeholder = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\}`)
	ruleSep     = regexp.MustCompile(`[;\n]`)
)

// ParseRoleMapping parses the roles claim path(s) (comma-separated,
// dot-separated within a path) and the mapping rules; see RoleMapping.
func ParseRoleMapping(claimPaths, spec string) (*RoleMapping, error) {
	m := &RoleMapping{}
	for _, p := range strings.Split(claimPaths, ",") {
		if p = strings.TrimSpace(p); p != "" {
			m.claims = append(m.claims, p)
		}
	}
	if len(m.claims) == 0 {
		return nil, fmt.Errorf("OIDC_ROLES_CLAIM: no claim named")
	}
	if strings.TrimSpace(spec) == "" {
		spec = "{value} -> {value}"
	}
	for _, raw := range ruleSep.Split(spec, -1) {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		r, err := parseRule(raw)
		if err != nil {
			return nil, fmt.Errorf("OIDC_ROLE_MAPPING: rule %q: %w", raw, err)
		}
		m.rules = append(m.rules, r)
	}
	return m, nil
}

func parseRule(raw string) (mappingRule, error) {
	source, rest, ok := strings.Cut(raw, "->")
	if !ok {
		return mappingRule{}, fmt.Errorf(`want "<pattern> -> <target>"`)
	}
	target, conds, hasConds := strings.Cut(strings.TrimSpace(rest), " if ")
	r := mappingRule{source: strings.TrimSpace(source), target: strings.TrimSpace(target)}
	if r.source == "" || r.target == "" {
		return r, fmt.Errorf("pattern or target is empty")
	}
	if strings.ContainsAny(r.source+r.target, " \t,") {
		return r, fmt.Errorf("pattern and target may not contain spaces or commas")
	}

	// The pattern becomes an anchored regular expression: literal text is
	// quoted, so no value can smuggle in regular-expression syntax.
	var expr strings.Builder
	expr.WriteString("^")
	names := map[string]bool{}
	last := 0
	for _, loc := range placeholder.FindAllStringSubmatchIndex(r.source, -1) {
		expr.WriteString(regexp.QuoteMeta(r.source[last:loc[0]]))
		name := r.source[loc[2]:loc[3]]
		if names[name] {
			return r, fmt.Errorf("placeholder {%s} appears twice", name)
		}
		names[name] = true
		fmt.Fprintf(&expr, "(?P<%s>.+?)", name)
		last = loc[1]
	}
	expr.WriteString(regexp.QuoteMeta(r.source[last:]))
	expr.WriteString("$")
	if strings.ContainsAny(placeholder.ReplaceAllString(r.source, ""), "{}") {
		return r, fmt.Errorf("a placeholder is {name}, with letters, digits and _")
	}
	r.re = regexp.MustCompile(expr.String())
	for _, m := range placeholder.FindAllStringSubmatch(r.target, -1) {
		if !names[m[1]] {
			return r, fmt.Errorf("target uses {%s}, which the pattern does not have", m[1])
		}
	}

	if hasConds {
		for _, c := range strings.Split(conds, " and ") {
			claim, values, ok := strings.Cut(strings.TrimSpace(c), "=")
			claim = strings.TrimSpace(claim)
			if !ok || claim == "" || strings.TrimSpace(values) == "" {
				return r, fmt.Errorf(`condition %q: want "<claim>=<value>[|<value>...]"`, c)
			}
			cond := condition{claim: claim}
			for _, v := range strings.Split(values, "|") {
				if v = strings.TrimSpace(v); v != "" {
					cond.values = append(cond.values, v)
				}
			}
			r.conditions = append(r.conditions, cond)
		}
	}
	return r, nil
}

// Map returns the role values the claims grant, without duplicates, in the
// order found. Municipality values still carry the org key as the provider
// sent it (normalised by the viewer, which looks it up in the database).
func (m *RoleMapping) Map(claims map[string]any) []string {
	var out []string
	add := func(v string) {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, path := range m.claims {
		for _, raw := range stringsOf(claimAt(claims, path)) {
			prefix := ""
			for _, piece := range strings.Split(raw, ",") {
				piece = strings.TrimSpace(piece)
				if piece == "" {
					continue
				}
				granted := m.apply(claims, piece)
				if len(granted) == 0 && prefix != "" {
					// ACM/IDM lists further org keys of the same role after a comma.
					granted = m.apply(claims, prefix+piece)
				}
				for _, g := range granted {
					add(g)
				}
				if i := strings.LastIndex(piece, ":"); i >= 0 {
					prefix = piece[:i+1]
				}
			}
		}
	}
	return out
}

// claimPaths are the claims the mapping reads: the roles claims and those
// named in conditions.
func (m *RoleMapping) claimPaths() []string {
	out := slices.Clone(m.claims)
	for _, r := range m.rules {
		for _, c := range r.conditions {
			if !slices.Contains(out, c.claim) {
				out = append(out, c.claim)
			}
		}
	}
	return out
}

// apply returns the targets of every rule that matches value.
func (m *RoleMapping) apply(claims map[string]any, value string) []string {
	var out []string
	for _, r := range m.rules {
		match := r.re.FindStringSubmatch(value)
		if match == nil || !r.conditionsHold(claims) {
			continue
		}
		target := placeholder.ReplaceAllStringFunc(r.target, func(ph string) string {
			return match[r.re.SubexpIndex(ph[1:len(ph)-1])]
		})
		out = append(out, target)
	}
	return out
}

func (r mappingRule) conditionsHold(claims map[string]any) bool {
	for _, c := range r.conditions {
		found := false
		for _, raw := range stringsOf(claimAt(claims, c.claim)) {
			for _, v := range strings.Split(raw, ",") {
				if slices.Contains(c.values, strings.TrimSpace(v)) {
					found = true
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// claimAt finds the claim at a dot-separated path. A claim whose name itself
// contains dots (a URL, as some providers use for custom claims) is found
// too: the whole path is tried as one name first.
func claimAt(claims map[string]any, path string) any {
	if v, ok := claims[path]; ok {
		return v
	}
	var cur any = claims
	for _, seg := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		if cur, ok = obj[seg]; !ok {
			return nil
		}
	}
	return cur
}

// stringsOf returns the strings of a claim that is a string or an array;
// anything else (numbers, objects) carries no role values.
func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []string:
		return v
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

package auth

import (
	"encoding/json"
	"slices"
	"testing"
)

// claimsJSON parses a token's claims as go-oidc hands them over.
func claimsJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("claims %s: %v", s, err)
	}
	return m
}

// The ACM/IDM configuration of docs/auth.md: staff of a local government
// (LB) get their organisations, identified by KBO number (or NIS code); the
// agency (a Flemish government entity, GID, with its own org code) gets the
// ministry role; the coordinator is named by its KBO number.
const acmMapping = `
WisselaarGebruiker:{org} -> municipality:{org} if vo_doelgroepcode=LB
WisselaarGebruiker:OVO002949 -> ministry if vo_doelgroepcode=GID
WisselaarAnalist:OVO002949 -> analyst if vo_doelgroepcode=GID
WisselaarGebruiker:0451857573 -> coordinator
`

// The Keycloak configuration of docs/auth.md: realm roles with a prefix.
const keycloakMapping = "wisselaar-ministry -> ministry; wisselaar-coordinator -> coordinator; " +
	"wisselaar-analyst -> analyst; wisselaar-partner -> partner; wisselaar-gemeente-{nis} -> municipality:{nis}"

func TestRoleMapping(t *testing.T) {
	tests := []struct {
		name    string
		claim   string
		mapping string
		claims  string
		want    []string
	}{
		{
			name: "default: values taken as they are", claim: "roles",
			claims: `{"roles":["ministry","municipality:12025"]}`,
			want:   []string{"ministry", "municipality:12025"},
		},
		{
			name: "default: unknown values pass to the viewer, which drops them", claim: "roles",
			claims: `{"roles":["admin","municipality:12025"]}`,
			want:   []string{"admin", "municipality:12025"},
		},
		{
			name: "no roles claim", claim: "roles",
			claims: `{"sub":"x"}`,
		},
		{
			name: "a string claim is split on commas", claim: "roles",
			claims: `{"roles":"ministry, analyst,,"}`,
			want:   []string{"ministry", "analyst"},
		},
		{
			name: "non-string values carry nothing", claim: "roles",
			claims: `{"roles":[1,{"role":"ministry"},["ministry"],true,"partner"]}`,
			want:   []string{"partner"},
		},
		{
			name: "several claims", claim: "roles, groups",
			claims: `{"roles":["partner"],"groups":["analyst","partner"]}`,
			want:   []string{"partner", "analyst"},
		},
		{
			name: "a claim named by a URL", claim: "https://wisselaar.example/roles",
			claims: `{"https://wisselaar.example/roles":["coordinator"]}`,
			want:   []string{"coordinator"},
		},
		{
			name: "Keycloak: realm roles already ours", claim: "realm_access.roles",
			claims: `{"realm_access":{"roles":["offline_access","coordinator","municipality:24062"]}}`,
			want:   []string{"offline_access", "coordinator", "municipality:24062"},
		},
		{
			name: "Keycloak: prefixed realm roles", claim: "realm_access.roles", mapping: keycloakMapping,
			claims: `{"realm_access":{"roles":["offline_access","uma_authorization","wisselaar-ministry","wisselaar-gemeente-12025","wisselaar-admin"]}}`,
			want:   []string{"ministry", "municipality:12025"},
		},
		{
			name: "Keycloak: client roles", claim: "resource_access.wisselaar-portal.roles", mapping: keycloakMapping,
			claims: `{"resource_access":{"wisselaar-portal":{"roles":["wisselaar-partner"]},"account":{"roles":["wisselaar-ministry"]}}}`,
			want:   []string{"partner"},
		},
		{
			name: "ACM/IDM: local government staff, KBO number", claim: "wisselaar_rol_3d", mapping: acmMapping,
			claims: `{"wisselaar_rol_3d":["WisselaarGebruiker:0207451227"],"vo_doelgroepcode":"LB"}`,
			want:   []string{"municipality:0207451227"},
		},
		{
			name: "ACM/IDM: several org keys after one role", claim: "wisselaar_rol_3d", mapping: acmMapping,
			claims: `{"wisselaar_rol_3d":"WisselaarGebruiker:0207451227,24062","vo_doelgroepcode":"LB"}`,
			want:   []string{"municipality:0207451227", "municipality:24062"},
		},
		{
			name: "ACM/IDM: several roles, each with org keys", claim: "wisselaar_rol_3d", mapping: acmMapping,
			claims: `{"wisselaar_rol_3d":["WisselaarGebruiker:0207451227,0207521700","WisselaarOnbekend:12025,13003"],"vo_doelgroepcode":"LB"}`,
			want:   []string{"municipality:0207451227", "municipality:0207521700"},
		},
		{
			name: "ACM/IDM: the agency (GID) is the ministry", claim: "wisselaar_rol_3d", mapping: acmMapping,
			claims: `{"wisselaar_rol_3d":["WisselaarGebruiker:OVO002949","WisselaarAnalist:OVO002949"],"vo_doelgroepcode":"GID"}`,
			want:   []string{"ministry", "analyst"},
		},
		{
			name: "ACM/IDM: another Flemish entity gets nothing", claim: "wisselaar_rol_3d", mapping: acmMapping,
			claims: `{"wisselaar_rol_3d":["WisselaarGebruiker:OVO000001"],"vo_doelgroepcode":"GID"}`,
		},
		{
			name: "ACM/IDM: a GID user naming a municipality gets nothing", claim: "wisselaar_rol_3d", mapping: acmMapping,
			claims: `{"wisselaar_rol_3d":["WisselaarGebruiker:0207451227"],"vo_doelgroepcode":"GID"}`,
		},
		{
			name: "ACM/IDM: local government staff cannot be the ministry", claim: "wisselaar_rol_3d", mapping: acmMapping,
			claims: `{"wisselaar_rol_3d":["WisselaarGebruiker:OVO002949"],"vo_doelgroepcode":"LB"}`,
			want:   []string{"municipality:OVO002949"}, // not an org key: the viewer drops it
		},
		{
			name: "ACM/IDM: without vo_doelgroepcode, only unconditional rules", claim: "wisselaar_rol_3d", mapping: acmMapping,
			claims: `{"wisselaar_rol_3d":["WisselaarGebruiker:0207451227","WisselaarGebruiker:0451857573"]}`,
			want:   []string{"coordinator"},
		},
		{
			name: "ACM/IDM: condition on an array claim", claim: "wisselaar_rol_3d", mapping: acmMapping,
			claims: `{"wisselaar_rol_3d":["WisselaarGebruiker:12025"],"vo_doelgroepcode":["XX","LB"]}`,
			want:   []string{"municipality:12025"},
		},
		{
			name: "ACM/IDM: unknown roles give nothing", claim: "wisselaar_rol_3d", mapping: acmMapping,
			claims: `{"wisselaar_rol_3d":["WisselaarBeheerder:0207451227","wisselaargebruiker:0207451227"],"vo_doelgroepcode":"LB"}`,
		},
		{
			name: "literal text is not a regular expression", claim: "roles", mapping: "a.b -> ministry; x{n}y -> municipality:{n}",
			claims: `{"roles":["axb","a.b","x12025y","x.*y"]}`,
			want:   []string{"ministry", "municipality:12025", "municipality:.*"},
		},
		{
			name: "every matching rule applies", claim: "roles", mapping: "boss -> ministry; boss -> analyst",
			claims: `{"roles":["boss"]}`,
			want:   []string{"ministry", "analyst"},
		},
		{
			name: "conditions joined by and", claim: "roles", mapping: "r -> ministry if a=1 and b=2|3",
			claims: `{"roles":["r"],"a":"1","b":"3"}`,
			want:   []string{"ministry"},
		},
		{
			name: "conditions joined by and: one fails", claim: "roles", mapping: "r -> ministry if a=1 and b=2|3",
			claims: `{"roles":["r"],"a":"1","b":"4"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseRoleMapping(tt.claim, tt.mapping)
			if err != nil {
				t.Fatal(err)
			}
			got := m.Map(claimsJSON(t, tt.claims))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Map = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseRoleMappingRefusals(t *testing.T) {
	for _, spec := range []string{
		"ministry",                          // no arrow
		"-> ministry",                       // no pattern
		"x ->",                              // no target
		"{a}:{a} -> ministry",               // placeholder twice
		"x -> municipality:{nis}",           // target placeholder the pattern lacks
		"{1x} -> ministry",                  // not a placeholder name
		"x{ -> ministry",                    // stray brace
		"a b -> ministry",                   // space in the pattern
		"a,b -> ministry",                   // comma in the pattern
		"x -> ministry if vo_doelgroepcode", // condition without a value
		"x -> ministry if =LB",              // condition without a claim
		"ok -> ministry; broken",            // one bad rule spoils the lot
	} {
		if _, err := ParseRoleMapping("roles", spec); err == nil {
			t.Errorf("ParseRoleMapping(%q) accepted", spec)
		}
	}
	if _, err := ParseRoleMapping(" , ", ""); err == nil {
		t.Error("an empty claim path was accepted")
	}
}

func TestNormalizeOrgKey(t *testing.T) {
	for in, want := range map[string]string{
		"12025":           "12025",
		"0207451227":      "0207451227",
		"0207.451.227":    "0207451227",
		"BE 0207.451.227": "0207451227",
		"be0207451227":    "0207451227",
		"207451227":       "", // 9 digits: neither
		"1202":            "",
		"OVO002949":       "",
		"12025x":          "",
		"":                "",
		"-12025":          "",
		"１２０２５":           "", // full-width digits are not digits here
	} {
		if got := normalizeOrgKey(in); got != want {
			t.Errorf("normalizeOrgKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// Package deploy checks the files that run wisselaar outside `go run .`:
// docker-compose.yml against the Compose specification's JSON schema
// (compose-spec.json, from github.com/compose-spec/compose-go v2.4.8,
// Apache-2.0), and the Keycloak realm (keycloak/realm.json) against what
// the server needs and the compose file configures.
package deploy

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"wisselaar/server"
	"wisselaar/server/auth"
	"wisselaar/server/devidp"
)

type compose struct {
	Services map[string]struct {
		Image       string            `json:"image"`
		Command     []string          `json:"command"`
		Environment map[string]string `json:"environment"`
		Volumes     []string          `json:"volumes"`
		Ports       []string          `json:"ports"`
	} `json:"services"`
}

type realm struct {
	Realm       string `json:"realm"`
	Enabled     bool   `json:"enabled"`
	SSLRequired string `json:"sslRequired"`
	Roles       struct {
		Realm []struct {
			Name string `json:"name"`
		} `json:"realm"`
	} `json:"roles"`
	Users []struct {
		Username               string   `json:"username"`
		Enabled                bool     `json:"enabled"`
		Email                  string   `json:"email"`
		FirstName              string   `json:"firstName"`
		LastName               string   `json:"lastName"`
		ServiceAccountClientID string   `json:"serviceAccountClientId"`
		RealmRoles             []string `json:"realmRoles"`
		Credentials            []struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"credentials"`
	} `json:"users"`
	Clients []client `json:"clients"`
}

type client struct {
	ClientID               string            `json:"clientId"`
	Enabled                bool              `json:"enabled"`
	PublicClient           bool              `json:"publicClient"`
	Secret                 string            `json:"secret"`
	StandardFlowEnabled    bool              `json:"standardFlowEnabled"`
	ImplicitFlowEnabled    bool              `json:"implicitFlowEnabled"`
	DirectAccessGrants     bool              `json:"directAccessGrantsEnabled"`
	ServiceAccountsEnabled bool              `json:"serviceAccountsEnabled"`
	RedirectURIs           []string          `json:"redirectUris"`
	Attributes             map[string]string `json:"attributes"`
	ProtocolMappers        []struct {
		ProtocolMapper string            `json:"protocolMapper"`
		Config         map[string]string `json:"config"`
	} `json:"protocolMappers"`
}

// mapper returns the config of the client's mapper of that type, or nil.
func (c client) mapper(kind string) map[string]string {
	for _, m := range c.ProtocolMappers {
		if m.ProtocolMapper == kind {
			return m.Config
		}
	}
	return nil
}

func readCompose(t *testing.T) (raw []byte, c compose) {
	t.Helper()
	b, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	raw, err = yaml.YAMLToJSON(b)
	if err != nil {
		t.Fatalf("docker-compose.yml is no valid YAML: %v", err)
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return raw, c
}

func readRealm(t *testing.T) realm {
	t.Helper()
	b, err := os.ReadFile("keycloak/realm.json")
	if err != nil {
		t.Fatal(err)
	}
	var r realm
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("keycloak/realm.json: %v", err)
	}
	return r
}

// TestComposeFileIsValid validates docker-compose.yml against the Compose
// specification, as `docker compose config` would.
func TestComposeFileIsValid(t *testing.T) {
	raw, c := readCompose(t)
	schemaFile, err := os.Open("compose-spec.json")
	if err != nil {
		t.Fatal(err)
	}
	defer schemaFile.Close()
	doc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource("compose-spec.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := comp.Compile("compose-spec.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("docker-compose.yml does not follow the Compose specification:\n%v", err)
	}

	// The check can fail: a misspelt key is refused.
	bad, _ := yaml.YAMLToJSON([]byte("services:\n  api:\n    imgae: x\n"))
	inst, _ = jsonschema.UnmarshalJSON(strings.NewReader(string(bad)))
	if sch.Validate(inst) == nil {
		t.Fatal("the schema accepts a misspelt key")
	}

	for _, name := range []string{"db", "keycloak", "api"} {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("no service %q", name)
		}
	}
	kc := c.Services["keycloak"]
	if !strings.HasPrefix(kc.Image, "quay.io/keycloak/keycloak:") || strings.HasSuffix(kc.Image, ":latest") {
		t.Errorf("keycloak image %q: want a pinned quay.io/keycloak/keycloak version", kc.Image)
	}
	if !slices.Contains(kc.Command, "start-dev") || !slices.Contains(kc.Command, "--import-realm") {
		t.Errorf("keycloak command %v: want start-dev --import-realm", kc.Command)
	}
	if !slices.Contains(kc.Volumes, "./deploy/keycloak/realm.json:/opt/keycloak/data/import/realm.json:ro") {
		t.Errorf("keycloak volumes %v: the realm file is not mounted where --import-realm reads", kc.Volumes)
	}
	for name, s := range c.Services {
		for _, p := range s.Ports {
			if !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("service %s publishes %q beyond this machine", name, p)
			}
		}
	}
}

// TestRealmFitsTheServer checks that the realm gives the server what it
// needs with the configuration docker-compose.yml passes to the API: the
// issuer, the portal's client (confidential, code flow with PKCE S256,
// the redirect URI of PUBLIC_URL), the audience in access tokens, the
// roles where OIDC_ROLES_CLAIM reads them, and the demo people of the
// development provider with exactly their roles after OIDC_ROLE_MAPPING.
func TestRealmFitsTheServer(t *testing.T) {
	_, c := readCompose(t)
	env := c.Services["api"].Environment
	cfg, err := server.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("the API's environment in docker-compose.yml does not configure the server: %v", err)
	}
	r := readRealm(t)
	if !r.Enabled || !strings.HasSuffix(cfg.Auth.Issuer, "/realms/"+r.Realm) {
		t.Fatalf("OIDC_ISSUER %q is not the realm %q", cfg.Auth.Issuer, r.Realm)
	}
	kcEnv := c.Services["keycloak"].Environment
	if want := kcEnv["KC_HOSTNAME"] + "/realms/" + r.Realm; cfg.Auth.Issuer != want {
		t.Errorf("OIDC_ISSUER %q, but Keycloak issues tokens as %q", cfg.Auth.Issuer, want)
	}
	if r.SSLRequired != "external" && r.SSLRequired != "none" {
		t.Errorf("sslRequired %q refuses plain HTTP on this machine", r.SSLRequired)
	}
	clients := map[string]client{}
	for _, cl := range r.Clients {
		clients[cl.ClientID] = cl
	}

	portal, ok := clients[cfg.Auth.ClientID]
	if !ok {
		t.Fatalf("no client %q (OIDC_CLIENT_ID)", cfg.Auth.ClientID)
	}
	if !portal.Enabled || portal.PublicClient || portal.Secret != cfg.Auth.ClientSecret {
		t.Errorf("portal client: want enabled and confidential with OIDC_CLIENT_SECRET as its secret")
	}
	if !portal.StandardFlowEnabled || portal.ImplicitFlowEnabled || portal.DirectAccessGrants {
		t.Errorf("portal client: want the authorization code flow only")
	}
	if portal.Attributes["pkce.code.challenge.method"] != "S256" {
		t.Errorf("portal client: PKCE method %q, want S256", portal.Attributes["pkce.code.challenge.method"])
	}
	if want := cfg.PublicURL + "/auth/callback"; !slices.Equal(portal.RedirectURIs, []string{want}) {
		t.Errorf("portal redirect URIs %v, want exactly %s", portal.RedirectURIs, want)
	}
	if !strings.Contains(portal.Attributes["post.logout.redirect.uris"], cfg.PublicURL+"/") {
		t.Errorf("portal post-logout redirect URIs %q lack %s/", portal.Attributes["post.logout.redirect.uris"], cfg.PublicURL)
	}

	// Clients whose access tokens the API takes: the partner tools.
	var partners []client
	for _, cl := range r.Clients {
		if cl.ServiceAccountsEnabled {
			partners = append(partners, cl)
		}
	}
	if len(partners) == 0 {
		t.Fatal("no client-credentials client for partner tools")
	}
	for _, cl := range append(partners, portal) {
		aud := cl.mapper("oidc-audience-mapper")
		if aud == nil || aud["included.custom.audience"] != cfg.Auth.Audience || aud["access.token.claim"] != "true" {
			t.Errorf("client %s: no audience mapper putting OIDC_AUDIENCE %q in access tokens", cl.ClientID, cfg.Auth.Audience)
		}
		roles := cl.mapper("oidc-usermodel-realm-role-mapper")
		if roles == nil || roles["claim.name"] != cfg.Auth.RolesClaim || roles["multivalued"] != "true" ||
			roles["access.token.claim"] != "true" || roles["id.token.claim"] != "true" {
			t.Errorf("client %s: the realm roles must reach ID and access tokens at OIDC_ROLES_CLAIM %q", cl.ClientID, cfg.Auth.RolesClaim)
		}
	}

	mapping, err := auth.ParseRoleMapping(cfg.Auth.RolesClaim, cfg.Auth.RoleMapping)
	if err != nil {
		t.Fatal(err)
	}
	defined := map[string]bool{}
	for _, role := range r.Roles.Realm {
		defined[role.Name] = true
	}
	// The roles as Keycloak puts them in a token: the user's own plus the
	// realm's defaults, which must give nothing.
	rolesOf := func(realmRoles []string) []string {
		for _, role := range realmRoles {
			if !defined[role] {
				t.Errorf("role %q is not defined in the realm", role)
			}
		}
		claims := map[string]any{}
		parts := strings.Split(cfg.Auth.RolesClaim, ".")
		node := claims
		for _, p := range parts[:len(parts)-1] {
			next := map[string]any{}
			node[p] = next
			node = next
		}
		var values []any
		for _, v := range append(slices.Clone(realmRoles), "default-roles-"+r.Realm, "offline_access", "uma_authorization") {
			values = append(values, v)
		}
		node[parts[len(parts)-1]] = values
		got := mapping.Map(claims)
		slices.Sort(got)
		return got
	}
	users := map[string]int{}
	for i, u := range r.Users {
		users[u.Username] = i
	}
	for _, demo := range devidp.DemoUsers() {
		want := slices.Clone(demo.Roles)
		slices.Sort(want)
		if demo.Login == "partner" {
			// A machine: the partner tool's service account.
			found := false
			for _, cl := range partners {
				i, ok := users["service-account-"+cl.ClientID]
				if ok && r.Users[i].ServiceAccountClientID == cl.ClientID {
					found = true
					if got := rolesOf(r.Users[i].RealmRoles); !slices.Equal(got, want) {
						t.Errorf("partner client %s: roles %v after the mapping, want %v", cl.ClientID, got, want)
					}
				}
			}
			if !found {
				t.Error("no partner client with a service account")
			}
			continue
		}
		i, ok := users[demo.Login]
		if !ok {
			t.Errorf("demo user %s is missing from the realm", demo.Login)
			continue
		}
		u := r.Users[i]
		if !u.Enabled || u.Email != demo.Email || u.FirstName+" "+u.LastName != demo.Name {
			t.Errorf("user %s: %s %s <%s>, want %s <%s>", demo.Login, u.FirstName, u.LastName, u.Email, demo.Name, demo.Email)
		}
		if len(u.Credentials) != 1 || u.Credentials[0].Type != "password" || u.Credentials[0].Value == "" {
			t.Errorf("user %s: no password to sign in with", demo.Login)
		}
		if got := rolesOf(u.RealmRoles); !slices.Equal(got, want) {
			t.Errorf("user %s: roles %v after the mapping, want %v", demo.Login, got, want)
		}
	}
}

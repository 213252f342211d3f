package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"
	jose "github.com/go-jose/go-jose/v4"

	"wisselaar/ent"
)

const (
	testAudience = "wisselaar-api"
	testClientID = "wisselaar-portal"
	testPublic   = "https://api.wisselaar.test"
	testPortal   = "https://portal.wisselaar.test"
)

// testIssuer is an OpenID provider under httptest (go-oidc's oidctest:
// discovery and JWKS) whose keys the tests sign tokens with.
type testIssuer struct {
	url    string
	client *http.Client
	rsa    *rsa.PrivateKey
	ec     *ecdsa.PrivateKey
}

func newTestIssuer(t *testing.T) *testIssuer {
	t.Helper()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s := &oidctest.Server{
		PublicKeys: []oidctest.PublicKey{
			{PublicKey: rsaKey.Public(), KeyID: "rsa-1", Algorithm: oidc.RS256},
			{PublicKey: ecKey.Public(), KeyID: "ec-1", Algorithm: oidc.ES256},
		},
		Algorithms: []string{oidc.RS256, oidc.ES256},
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	s.SetIssuer(srv.URL)
	return &testIssuer{url: srv.URL, client: srv.Client(), rsa: rsaKey, ec: ecKey}
}

// claims returns valid access token claims for the API, changed by over
// (a nil value removes a claim).
func (i *testIssuer) claims(over map[string]any) map[string]any {
	now := time.Now()
	c := map[string]any{
		"iss": i.url, "sub": "partner-tool", "aud": testAudience,
		"iat": now.Unix(), "nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(),
		"name": "Partner tool", "roles": []string{"partner"},
	}
	for k, v := range over {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// token signs claims with the issuer's RSA key (RS256).
func (i *testIssuer) token(over map[string]any) string {
	return oidctest.SignIDToken(i.rsa, "rsa-1", oidc.RS256, mustJSON(i.claims(over)))
}

// newBearerAuth returns an authenticator for the test issuer.
func newBearerAuth(t *testing.T, iss *testIssuer, claim, mapping string) (*Authenticator, *ent.Client, *logBuffer) {
	t.Helper()
	client := newClient(t)
	logger, logs := newLogger(t)
	a, err := New(t.Context(), Config{
		PublicURL:      testPublic,
		Issuer:         iss.url,
		ClientID:       testClientID,
		ClientSecret:   "portal-secret",
		Audience:       testAudience,
		RolesClaim:     claim,
		RoleMapping:    mapping,
		AllowedOrigins: []string{testPortal},
		SessionIdle:    8 * time.Hour,
		SessionMax:     24 * time.Hour,
		HTTPClient:     iss.client,
	}, client, logger)
	if err != nil {
		t.Fatal(err)
	}
	return a, client, logs
}

// bearerRequest is a GraphQL POST with an Authorization header.
func bearerRequest(authz string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, testPublic+"/graphql", strings.NewReader(`{"query":"{ viewer { subject } }"}`))
	r.Header.Set("Content-Type", "application/json")
	if authz != "" {
		r.Header.Set("Authorization", authz)
	}
	return r
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestBearerRefused(t *testing.T) {
	iss := newTestIssuer(t)
	a, _, logs := newBearerAuth(t, iss, "roles", "")
	h := testHandler(a, newDiscardLogger())
	now := time.Now()

	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	valid := iss.token(nil)
	parts := strings.Split(valid, ".")

	pubDER, err := x509.MarshalPKIXPublicKey(iss.rsa.Public())
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	hmacWith := func(key []byte) string {
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: key},
			(&jose.SignerOptions{}).WithHeader("kid", "rsa-1").WithType("JWT"))
		if err != nil {
			t.Fatal(err)
		}
		jws, err := signer.Sign([]byte(mustJSON(iss.claims(nil))))
		if err != nil {
			t.Fatal(err)
		}
		s, err := jws.CompactSerialize()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tamperedSig := []byte(parts[2])
	tamperedSig[10] ^= 1

	tests := map[string]string{
		"wrong issuer":   iss.token(map[string]any{"iss": "https://idp.evil.example"}),
		"wrong audience": iss.token(map[string]any{"aud": "some-other-api"}),
		"ID token issued to the portal": iss.token(map[string]any{
			"aud": testClientID, "azp": testClientID, "nonce": "n-1", "auth_time": now.Unix(),
		}),
		"expired":                   iss.token(map[string]any{"exp": now.Add(-time.Minute).Unix(), "iat": now.Add(-time.Hour).Unix()}),
		"not yet valid":             iss.token(map[string]any{"nbf": now.Add(time.Hour).Unix(), "exp": now.Add(2 * time.Hour).Unix()}),
		"no expiry":                 iss.token(map[string]any{"exp": nil}),
		"no subject":                iss.token(map[string]any{"sub": nil}),
		"alg none":                  b64(`{"alg":"none","typ":"JWT"}`) + "." + b64(mustJSON(iss.claims(nil))) + ".",
		"alg none, kid":             b64(`{"alg":"none","kid":"rsa-1"}`) + "." + b64(mustJSON(iss.claims(nil))) + "." + parts[2],
		"unknown key":               oidctest.SignIDToken(otherKey, "rsa-2", oidc.RS256, mustJSON(iss.claims(nil))),
		"known kid, other key":      oidctest.SignIDToken(otherKey, "rsa-1", oidc.RS256, mustJSON(iss.claims(nil))),
		"tampered payload":          parts[0] + "." + b64(mustJSON(iss.claims(map[string]any{"roles": []string{"ministry"}}))) + "." + parts[2],
		"tampered signature":        parts[0] + "." + parts[1] + "." + string(tamperedSig),
		"HS256 with the public key": hmacWith(pubPEM),
		"HS256 with the DER key":    hmacWith(pubDER),
		"RS384, not allowed":        oidctest.SignIDToken(iss.rsa, "rsa-1", oidc.RS384, mustJSON(iss.claims(nil))),
		"not a JWT":                 "not-a-token",
		"two parts":                 parts[0] + "." + parts[1],
	}
	for name, tok := range tests {
		t.Run(name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, bearerRequest("Bearer "+tok))
			assertUnauthenticated(t, rec)
		})
	}
	for name, authz := range map[string]string{
		"basic scheme":   "Basic dXNlcjpwYXNz",
		"empty bearer":   "Bearer ",
		"scheme only":    "Bearer",
		"token only":     valid,
		"unknown scheme": "Token " + valid,
	} {
		t.Run(name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, bearerRequest(authz))
			assertUnauthenticated(t, rec)
		})
	}
	// The reasons are in the log, for the operators.
	for _, reason := range []string{"expected audience", "id token issued by a different provider", "token is expired", "before the nbf", "unexpected signature algorithm"} {
		if !strings.Contains(logs.String(), reason) {
			t.Errorf("the log does not give the reason %q", reason)
		}
	}

	// The same valid token passes: what failed above was the change.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, bearerRequest("Bearer "+valid))
	if e := decodeEcho(t, rec); e.Subject != "partner-tool" {
		t.Errorf("valid token: %+v", e)
	}
}

// assertUnauthenticated checks a refusal: 401, UNAUTHENTICATED, a generic
// message that gives away no reason, and the RFC 6750 header.
func assertUnauthenticated(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401: %s", rec.Code, rec.Body.String())
	}
	code, msg := errorCode(t, rec)
	if code != "UNAUTHENTICATED" || msg != "the bearer token is not valid" {
		t.Errorf("code %q, message %q", code, msg)
	}
	if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("WWW-Authenticate = %q", rec.Header().Get("WWW-Authenticate"))
	}
}

func TestBearerViewer(t *testing.T) {
	iss := newTestIssuer(t)
	a, _, _ := newBearerAuth(t, iss, "roles", "")
	h := testHandler(a, newDiscardLogger())

	do := func(tok string, cookie *http.Cookie) echoed {
		t.Helper()
		rec := httptest.NewRecorder()
		r := bearerRequest("Bearer " + tok)
		if cookie != nil {
			r.AddCookie(cookie)
		}
		h.ServeHTTP(rec, r)
		return decodeEcho(t, rec)
	}

	t.Run("RS256", func(t *testing.T) {
		e := do(iss.token(nil), nil)
		want := echoed{Subject: "partner-tool", Name: "Partner tool", Roles: []string{"partner"}, Machine: true}
		if !sameEcho(e, want) {
			t.Errorf("viewer %+v, want %+v", e, want)
		}
	})
	t.Run("ES256", func(t *testing.T) {
		tok := oidctest.SignIDToken(iss.ec, "ec-1", oidc.ES256, mustJSON(iss.claims(map[string]any{"sub": "script", "roles": "analyst"})))
		e := do(tok, nil)
		if e.Subject != "script" || !slices.Equal(e.Roles, []string{"analyst"}) || !e.Machine {
			t.Errorf("viewer %+v", e)
		}
	})
	t.Run("municipalities only as the database knows them", func(t *testing.T) {
		e := do(iss.token(map[string]any{"sub": "staff", "roles": []string{
			"municipality:0207451227", // Mechelen by KBO number
			"municipality:24062",      // Leuven by NIS code
			"municipality:0999999999", // a KBO number the portal does not know
			"municipality:99999",      // a NIS code it does not know
			"municipality:OVO002949",  // not an org key
			"admin", "Ministry",       // not our values
		}}), nil)
		if len(e.Roles) != 2 || !slices.Equal(e.Municipalities, []string{"12025", "24062"}) {
			t.Errorf("viewer %+v, want municipalities 12025 and 24062 and nothing else", e)
		}
	})
	t.Run("a bearer token wins over a cookie", func(t *testing.T) {
		cookie := newSession(t, a, "mechelen", "ministry")
		e := do(iss.token(nil), cookie) // no X-CSRF: the cookie is not looked at
		if e.Subject != "partner-tool" || !e.Machine || slices.Contains(e.Roles, "ministry") {
			t.Errorf("viewer %+v, want the token's", e)
		}
		// A refused token does not fall back on the cookie either.
		rec := httptest.NewRecorder()
		r := bearerRequest("Bearer " + iss.token(map[string]any{"aud": "x"}))
		r.AddCookie(cookie)
		r.Header.Set("X-CSRF", "1")
		h.ServeHTTP(rec, r)
		assertUnauthenticated(t, rec)
	})
}

func TestBearerACMIDM(t *testing.T) {
	iss := newTestIssuer(t)
	a, _, _ := newBearerAuth(t, iss, "wisselaar_rol_3d", acmMapping)
	h := testHandler(a, newDiscardLogger())
	for name, tt := range map[string]struct {
		claims map[string]any
		want   echoed
	}{
		"local government, KBO numbers, one unknown": {
			map[string]any{"roles": nil, "wisselaar_rol_3d": "WisselaarGebruiker:0207451227,0999999999,34022", "vo_doelgroepcode": "LB"},
			echoed{Subject: "partner-tool", Name: "Partner tool", Municipalities: []string{"12025", "34022"}, Roles: []string{"municipality:12025", "municipality:34022"}, Machine: true},
		},
		"the agency": {
			map[string]any{"roles": nil, "wisselaar_rol_3d": []string{"WisselaarGebruiker:OVO002949"}, "vo_doelgroepcode": "GID"},
			echoed{Subject: "partner-tool", Name: "Partner tool", Roles: []string{"ministry"}, Machine: true},
		},
		"our own values in another claim give nothing": {
			map[string]any{"roles": []string{"ministry"}, "vo_doelgroepcode": "LB"},
			echoed{Subject: "partner-tool", Name: "Partner tool", Roles: []string{}, Machine: true},
		},
		"a municipality role for the agency gives nothing": {
			map[string]any{"roles": nil, "wisselaar_rol_3d": "WisselaarGebruiker:0207451227", "vo_doelgroepcode": "GID"},
			echoed{Subject: "partner-tool", Name: "Partner tool", Roles: []string{}, Machine: true},
		},
	} {
		t.Run(name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, bearerRequest("Bearer "+iss.token(tt.claims)))
			if e := decodeEcho(t, rec); !sameEcho(e, tt.want) {
				t.Errorf("viewer %+v, want %+v", e, tt.want)
			}
		})
	}
}

func sameEcho(a, b echoed) bool {
	return a.Anonymous == b.Anonymous && a.Subject == b.Subject && a.Name == b.Name &&
		slices.Equal(a.Roles, b.Roles) && slices.Equal(a.Municipalities, b.Municipalities) && a.Machine == b.Machine
}

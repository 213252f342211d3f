package devidp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

var (
	errNotFound    = errors.New("not found or expired")
	errUnsupported = errors.New("not supported by the development provider")
)

// storage is the in-memory op.Storage (plus op.ClientCredentialsStorage and
// op.CanSetUserinfoFromRequest). Users, clients and keys are fixed at construction;
// the maps of pending auth requests and issued access tokens are guarded by mu and
// swept of expired entries whenever something is added, so they stay small without a
// background goroutine that would need stopping.
type storage struct {
	issuer      string
	loginURL    string
	audience    string
	users       map[string]User
	userOrder   []string // logins in configuration order, for the login page
	clients     map[string]*opClient
	userClients map[string]*opClient // the client_credentials client of each login
	signing     signingKey
	now         func() time.Time

	mu           sync.Mutex
	authRequests map[string]*authRequest // by ID
	codes        map[string]string       // code -> auth request ID
	accessTokens map[string]accessToken  // by token ID (the jti)
}

// accessToken is what userinfo needs to know about an issued access token. Only tokens
// recorded here are accepted by userinfo: op would accept any unexpired JWT we signed,
// an ID token included.
type accessToken struct {
	subject string
	expires time.Time
}

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.ClientCredentialsStorage  = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

func newStorage(cfg Config, now func() time.Time) (*storage, error) {
	key, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	s := &storage{
		issuer:       cfg.Issuer,
		loginURL:     cfg.Issuer + loginPath,
		audience:     cfg.Audience,
		users:        make(map[string]User, len(cfg.Users)),
		clients:      make(map[string]*opClient, len(cfg.Clients)),
		userClients:  make(map[string]*opClient, len(cfg.Users)),
		signing:      key,
		now:          now,
		authRequests: map[string]*authRequest{},
		codes:        map[string]string{},
		accessTokens: map[string]accessToken{},
	}
	for _, u := range cfg.Users {
		// Copied, so that the caller changing its slices later cannot change a user.
		u.Roles = slices.Clone(u.Roles)
		s.users[u.Login] = u
		s.userOrder = append(s.userOrder, u.Login)
		s.userClients[u.Login] = &opClient{
			id:         u.Login,
			authMethod: oidc.AuthMethodBasic,
			appType:    op.ApplicationTypeWeb,
			grantTypes: []oidc.GrantType{oidc.GrantTypeClientCredentials},
		}
	}
	for _, c := range cfg.Clients {
		oc := &opClient{
			id:                     c.ID,
			secret:                 c.Secret,
			redirectURIs:           slices.Clone(c.RedirectURIs),
			postLogoutRedirectURIs: slices.Clone(c.PostLogoutRedirectURIs),
			loginURL:               s.loginURL,
			grantTypes:             []oidc.GrantType{oidc.GrantTypeCode},
			responseTypes:          []oidc.ResponseType{oidc.ResponseTypeCode},
			authMethod:             oidc.AuthMethodBasic,
			appType:                op.ApplicationTypeWeb,
		}
		if c.Secret == "" {
			oc.authMethod = oidc.AuthMethodNone
			oc.appType = op.ApplicationTypeUserAgent
		}
		s.clients[c.ID] = oc
	}
	return s, nil
}

// user returns the configured user with that login.
func (s *storage) user(login string) (User, bool) {
	u, ok := s.users[login]
	return u, ok
}

// orderedUsers returns the users in configuration order.
func (s *storage) orderedUsers() []User {
	out := make([]User, 0, len(s.userOrder))
	for _, login := range s.userOrder {
		out = append(out, s.users[login])
	}
	return out
}

// sweep drops what has expired; the caller holds mu.
func (s *storage) sweep(now time.Time) {
	for id, ar := range s.authRequests {
		if !now.Before(ar.expires) {
			delete(s.authRequests, id)
			if ar.code != "" {
				delete(s.codes, ar.code)
			}
		}
	}
	for id, at := range s.accessTokens {
		if !now.Before(at.expires) {
			delete(s.accessTokens, id)
		}
	}
}

// authRequestLocked returns the live auth request with that ID; the caller holds mu.
func (s *storage) authRequestLocked(id string) (*authRequest, error) {
	ar, ok := s.authRequests[id]
	if !ok || !s.now().Before(ar.expires) {
		return nil, errNotFound
	}
	return ar, nil
}

// CreateAuthRequest stores a validated authorization request until the user has
// picked someone on the login page. userID (from an id_token_hint) is ignored: the
// login page is always shown.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	id, err := randomID()
	if err != nil {
		return nil, err
	}
	now := s.now()
	ar := &authRequest{
		id:           id,
		clientID:     req.ClientID,
		redirectURI:  req.RedirectURI,
		state:        req.State,
		nonce:        req.Nonce,
		scopes:       slices.Clone(req.Scopes),
		responseType: req.ResponseType,
		responseMode: req.ResponseMode,
		expires:      now.Add(authRequestLifetime),
	}
	if req.CodeChallenge != "" {
		ar.codeChallenge = &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	s.authRequests[id] = ar
	return ar.snapshot(), nil
}

// AuthRequestByID returns a copy, so that op reading it never races with the login
// page completing it.
func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, err := s.authRequestLocked(id)
	if err != nil {
		return nil, err
	}
	return ar.snapshot(), nil
}

// AuthRequestByCode is part of op.Storage; the code exchange itself goes through
// takeAuthRequestByCode.
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, err := s.authRequestLocked(s.codes[code])
	if err != nil {
		return nil, err
	}
	return ar.snapshot(), nil
}

// takeAuthRequestByCode looks the code up and removes it with its auth request in one
// step, which makes every code single-use.
func (s *storage) takeAuthRequestByCode(code string) (*authRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.codes[code]
	if !ok {
		return nil, errNotFound
	}
	ar, err := s.authRequestLocked(id)
	delete(s.codes, code)
	delete(s.authRequests, id)
	if err != nil {
		return nil, err
	}
	return ar, nil
}

// SaveAuthCode records the code op issues on the login callback. A second code for the
// same request is refused: replaying the callback URL must not mint more codes.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, err := s.authRequestLocked(id)
	if err != nil {
		return err
	}
	if !ar.done {
		return errors.New("auth request not completed")
	}
	if ar.code != "" {
		return oidc.ErrInvalidRequest().WithDescription("a code was already issued for this request")
	}
	ar.code = code
	if exp := s.now().Add(codeLifetime); exp.Before(ar.expires) {
		ar.expires = exp
	}
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest forgets the request and its code.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ar, ok := s.authRequests[id]; ok {
		delete(s.codes, ar.code)
		delete(s.authRequests, id)
	}
	return nil
}

// completeAuthRequest marks the request as signed in by login; the login page calls it.
func (s *storage) completeAuthRequest(id, login string) error {
	if _, ok := s.users[login]; !ok {
		return fmt.Errorf("unknown user %q", login)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, err := s.authRequestLocked(id)
	if err != nil {
		return err
	}
	if ar.done {
		return errors.New("auth request already completed")
	}
	ar.subject = login
	ar.authTime = s.now()
	ar.done = true
	return nil
}

// CreateAccessToken records the token for userinfo and returns its ID (the jti) and
// expiry; op builds and signs the JWT.
func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	id, err := randomID()
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.now()
	exp := now.Add(tokenLifetime)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	s.accessTokens[id] = accessToken{subject: req.GetSubject(), expires: exp}
	return id, exp, nil
}

// CreateAccessAndRefreshTokens is never reached: no client has the refresh_token grant.
func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType().WithDescription("refresh tokens are not supported")
}

// TokenRequestByRefreshToken is never reached: there are no refresh tokens.
func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

// TerminateSession has nothing to end: the provider keeps no session, and access tokens
// are self-contained JWTs that the API verifies on its own until they expire.
func (s *storage) TerminateSession(context.Context, string, string) error {
	return nil
}

// RevokeToken forgets an access token (the revocation endpoint is not routed).
func (s *storage) RevokeToken(_ context.Context, tokenID, _, _ string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.accessTokens, tokenID)
	return nil
}

// GetRefreshTokenInfo: there are no refresh tokens.
func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// SigningKey returns the key generated at start.
func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	return s.signing, nil
}

// SignatureAlgorithms lists RS256 only.
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{s.signing.SignatureAlgorithm()}, nil
}

// KeySet returns the public half of the signing key for JWKS.
func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{s.signing}}, nil
}

// GetClientByClientID returns a browser client. The per-user client_credentials clients
// are not returned, so they cannot use the authorization code flow.
func (s *storage) GetClientByClientID(_ context.Context, clientID string) (op.Client, error) {
	if c, ok := s.clients[clientID]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("unknown client %q", clientID)
}

// AuthorizeClientIDSecret checks a confidential browser client's secret.
func (s *storage) AuthorizeClientIDSecret(_ context.Context, clientID, clientSecret string) error {
	c, ok := s.clients[clientID]
	if !ok || c.secret == "" || !equalSecret(c.secret, clientSecret) {
		return errors.New("unknown client or wrong secret")
	}
	return nil
}

// ClientCredentials authenticates a user's login with the shared demo secret. Failures
// carry invalid_client with 401 themselves, because op's LegacyServer hands this
// error to the response as it is (a plain error would become a 500 server_error).
func (s *storage) ClientCredentials(_ context.Context, clientID, clientSecret string) (op.Client, error) {
	c, ok := s.userClients[clientID]
	if !ok {
		return nil, op.NewStatusError(oidc.ErrInvalidClient().WithDescription("unknown demo user %q", clientID), http.StatusUnauthorized)
	}
	if !equalSecret(DemoSecret, clientSecret) {
		return nil, op.NewStatusError(oidc.ErrInvalidClient().WithDescription("wrong client_secret (every demo user's is %q)", DemoSecret), http.StatusUnauthorized)
	}
	return c, nil
}

// ClientCredentialsTokenRequest makes the access token about the user whose login
// authenticated, for the API's audience.
func (s *storage) ClientCredentialsTokenRequest(_ context.Context, clientID string, scopes []string) (op.TokenRequest, error) {
	return &tokenRequest{subject: clientID, audience: []string{s.audience}, scopes: scopes}, nil
}

// SetUserinfoFromScopes is deprecated in op and left empty, as op asks;
// SetUserinfoFromRequest does the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token's user claims. They are always included,
// whatever the scopes: the SPA needs name and roles, and nothing here is secret.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, _ []string) error {
	return s.setUserinfo(info, req.GetSubject())
}

// SetUserinfoFromToken answers userinfo, for access tokens we issued only.
func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	s.mu.Lock()
	at, ok := s.accessTokens[tokenID]
	s.mu.Unlock()
	if !ok || at.subject != subject || !s.now().Before(at.expires) {
		return oidc.ErrAccessDenied().WithDescription("not an access token of this provider, or expired")
	}
	return s.setUserinfo(info, subject)
}

// SetIntrospectionFromToken is never reached: introspection is not routed.
func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errUnsupported
}

// GetPrivateClaimsFromScopes returns the extra claims of access tokens.
func (s *storage) GetPrivateClaimsFromScopes(_ context.Context, userID, _ string, _ []string) (map[string]any, error) {
	u, ok := s.user(userID)
	if !ok {
		return nil, fmt.Errorf("unknown user %q", userID)
	}
	return map[string]any{
		"name":               u.Name,
		"email":              u.Email,
		"preferred_username": u.Login,
		"roles":              roles(u),
	}, nil
}

// GetKeyByIDAndClientID: the JWT profile grant (private_key_jwt) is not supported.
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errUnsupported
}

// ValidateJWTProfileScopes: the JWT profile grant is not supported.
func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, oidc.ErrUnsupportedGrantType().WithDescription("the JWT profile grant is not supported")
}

// Health is always fine: there is nothing external to depend on.
func (s *storage) Health(context.Context) error {
	return nil
}

// setUserinfo fills the claims shared by ID tokens and userinfo. Subject must be set:
// op copies it over the ID token's sub.
func (s *storage) setUserinfo(info *oidc.UserInfo, login string) error {
	u, ok := s.user(login)
	if !ok {
		return fmt.Errorf("unknown user %q", login)
	}
	info.Subject = u.Login
	info.Name = u.Name
	info.PreferredUsername = u.Login
	info.Email = u.Email
	info.EmailVerified = true
	info.AppendClaims("roles", roles(u))
	return nil
}

// roles never returns nil, so the claim is always a JSON array.
func roles(u User) []string {
	if u.Roles == nil {
		return []string{}
	}
	return slices.Clone(u.Roles)
}

// equalSecret compares in constant time; cheap, and the habit is worth keeping.
func equalSecret(want, got string) bool {
	return subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// randomID returns 128 random bits, URL-safe.
func randomID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("devidp: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// authRequest is a pending authorization request (op.AuthRequest).
type authRequest struct {
	id            string
	clientID      string
	redirectURI   string
	state         string
	nonce         string
	scopes        []string
	responseType  oidc.ResponseType
	responseMode  oidc.ResponseMode
	codeChallenge *oidc.CodeChallenge
	expires       time.Time

	// Set by the login page.
	subject  string
	authTime time.Time
	done     bool
	// Set when op issues the code.
	code string
}

var _ op.AuthRequest = (*authRequest)(nil)

// snapshot copies the request for use outside the lock; the fields it shares
// (scopes, codeChallenge) are never modified after creation.
func (a *authRequest) snapshot() *authRequest {
	c := *a
	return &c
}

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return "" }
func (a *authRequest) GetAMR() []string                      { return nil }
func (a *authRequest) GetAudience() []string                 { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.codeChallenge }
func (a *authRequest) GetNonce() string                      { return a.nonce }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return a.scopes }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.subject }
func (a *authRequest) Done() bool                            { return a.done }

// tokenRequest is an op.TokenRequest for an access token to the API.
type tokenRequest struct {
	subject  string
	audience []string
	scopes   []string
}

func (t *tokenRequest) GetSubject() string    { return t.subject }
func (t *tokenRequest) GetAudience() []string { return t.audience }
func (t *tokenRequest) GetScopes() []string   { return t.scopes }

// opClient is an op.Client: a browser client, or the client_credentials identity of a
// user.
type opClient struct {
	id                     string
	secret                 string
	redirectURIs           []string
	postLogoutRedirectURIs []string
	loginURL               string
	grantTypes             []oidc.GrantType
	responseTypes          []oidc.ResponseType
	authMethod             oidc.AuthMethod
	appType                op.ApplicationType
}

var _ op.Client = (*opClient)(nil)

func (c *opClient) GetID() string                        { return c.id }
func (c *opClient) RedirectURIs() []string               { return c.redirectURIs }
func (c *opClient) PostLogoutRedirectURIs() []string     { return c.postLogoutRedirectURIs }
func (c *opClient) ApplicationType() op.ApplicationType  { return c.appType }
func (c *opClient) AuthMethod() oidc.AuthMethod          { return c.authMethod }
func (c *opClient) ResponseTypes() []oidc.ResponseType   { return c.responseTypes }
func (c *opClient) GrantTypes() []oidc.GrantType         { return c.grantTypes }
func (c *opClient) LoginURL(id string) string            { return c.loginURL + "?authRequestID=" + id }
func (c *opClient) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeJWT }
func (c *opClient) IDTokenLifetime() time.Duration       { return tokenLifetime }
func (c *opClient) IsScopeAllowed(string) bool           { return false }
func (c *opClient) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *opClient) ClockSkew() time.Duration             { return 0 }
func (c *opClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *opClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// DevMode lets op accept plain-http redirect URIs for public (browser) clients, such as
// a Vite dev server on http://localhost:5173.
func (c *opClient) DevMode() bool { return true }

// signingKey is the RSA key generated at start (op.SigningKey).
type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func newSigningKey() (signingKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return signingKey{}, fmt.Errorf("devidp: generate signing key: %w", err)
	}
	// A fresh key ID per start makes verifiers that cached the old JWKS fetch the new one.
	id, err := randomID()
	if err != nil {
		return signingKey{}, err
	}
	return signingKey{id: id, key: k}, nil
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

// publicKey is the JWKS entry of the signing key (op.Key).
type publicKey struct{ signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.key.PublicKey }

package devidp

import (
	"context"
	"log/slog"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// server is op's LegacyServer (which runs the provider and our storage) with the few
// methods overridden where the library's defaults do not fit:
//   - Authorize refuses requests without PKCE S256, which op leaves optional;
//   - CodeExchange gives the access token aud = the API audience while the ID token
//     keeps aud = the client ID. op's own CodeExchange uses one audience for both
//     (AuthRequest.GetAudience), which would either make the access token useless to
//     the API or let an ID token pass as an access token;
//   - Discovery advertises only what is actually supported.
//
// Embedding LegacyServer to override single methods is the extension point op documents
// for ExtendedLegacyServer.
type server struct {
	*op.LegacyServer
	provider *op.Provider
	store    *storage
	audience string
	logger   *slog.Logger
}

// Authorize runs after op has validated the client, redirect_uri, scopes and
// response_type, so the errors returned here are sent back to the client's
// redirect_uri (with state) rather than shown to the user.
func (s *server) Authorize(ctx context.Context, r *op.ClientRequest[oidc.AuthRequest]) (*op.Redirect, error) {
	if r.Data.CodeChallenge == "" || r.Data.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE is required: send code_challenge with code_challenge_method=S256")
	}
	// There is no session at this provider (every sign-in shows the login page), so a
	// silent request can only be answered this way; it lets SPA libraries fall back to
	// an interactive login at once.
	if slices.Contains(r.Data.Prompt, oidc.PromptNone) {
		return nil, oidc.ErrLoginRequired().WithDescription("the development provider keeps no session")
	}
	return s.LegacyServer.Authorize(ctx, r)
}

// CodeExchange redeems an authorization code. The code is taken out of storage before
// anything else is checked, so it can be used at most once even under concurrent
// requests, and a failed attempt (say, a wrong code_verifier) burns it.
func (s *server) CodeExchange(ctx context.Context, r *op.ClientRequest[oidc.AccessTokenRequest]) (*op.Response, error) {
	authReq, err := s.store.takeAuthRequestByCode(r.Data.Code)
	if err != nil {
		return nil, oidc.ErrInvalidGrant().WithDescription("invalid or expired code").WithParent(err)
	}
	// Authorize only let requests with a challenge through, so this always checks it.
	if err := op.AuthorizeCodeChallenge(r.Data.CodeVerifier, authReq.GetCodeChallenge()); err != nil {
		return nil, err
	}
	if r.Client.GetID() != authReq.GetClientID() {
		return nil, oidc.ErrInvalidGrant().WithDescription("code was issued to another client")
	}
	if r.Data.RedirectURI != authReq.GetRedirectURI() {
		return nil, oidc.ErrInvalidGrant().WithDescription("redirect_uri does not correspond")
	}

	accessToken, _, validity, err := op.CreateAccessToken(ctx, &tokenRequest{
		subject:  authReq.GetSubject(),
		audience: []string{s.audience},
		scopes:   authReq.GetScopes(),
	}, op.AccessTokenTypeJWT, s.provider, r.Client, "")
	if err != nil {
		return nil, err
	}
	// With authReq as the request, op puts the nonce, auth_time and the client ID as
	// aud/azp into the ID token and asks storage for the user's claims.
	idToken, err := op.CreateIDToken(ctx, op.IssuerFromContext(ctx), authReq, r.Client.IDTokenLifetime(), accessToken, r.Data.Code, s.store, r.Client)
	if err != nil {
		return nil, err
	}
	s.logger.InfoContext(ctx, "tokens issued", "grant", "authorization_code", "sub", authReq.GetSubject(), "client", r.Client.GetID())
	return op.NewResponse(&oidc.AccessTokenResponse{
		AccessToken: accessToken,
		IDToken:     idToken,
		TokenType:   oidc.BearerToken,
		ExpiresIn:   uint64(validity.Seconds()),
		Scope:       authReq.GetScopes(),
	}), nil
}

// ClientCredentialsExchange only adds a log line to op's implementation.
func (s *server) ClientCredentialsExchange(ctx context.Context, r *op.ClientRequest[oidc.ClientCredentialsRequest]) (*op.Response, error) {
	resp, err := s.LegacyServer.ClientCredentialsExchange(ctx, r)
	if err == nil {
		s.logger.InfoContext(ctx, "tokens issued", "grant", "client_credentials", "sub", r.Client.GetID())
	}
	return resp, err
}

// Discovery trims op's generic metadata: op always lists implicit, the JWT bearer
// grant and auth methods of endpoints that are switched off here.
func (s *server) Discovery(ctx context.Context, r *op.Request[struct{}]) (*op.Response, error) {
	resp, err := s.LegacyServer.Discovery(ctx, r)
	if err != nil {
		return nil, err
	}
	if d, ok := resp.Data.(*oidc.DiscoveryConfiguration); ok {
		d.ResponseTypesSupported = []string{string(oidc.ResponseTypeCode)}
		d.GrantTypesSupported = []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeClientCredentials}
		d.TokenEndpointAuthMethodsSupported = []oidc.AuthMethod{oidc.AuthMethodNone, oidc.AuthMethodBasic, oidc.AuthMethodPost}
		d.IntrospectionEndpointAuthMethodsSupported = nil
		d.IntrospectionEndpointAuthSigningAlgValuesSupported = nil
		d.RevocationEndpointAuthMethodsSupported = nil
		d.RevocationEndpointAuthSigningAlgValuesSupported = nil
	}
	return resp, nil
}

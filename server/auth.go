package server

import (
	"context"
	"log/slog"

	"wisselaar/ent"
	"wisselaar/server/auth"
)

// NewAuth returns the authenticator for cfg: bearer tokens and the portal's
// sign-in against the configured issuer or, when none is configured, the
// embedded development provider (mounted at /dev-idp/, and loudly logged).
// It does not contact the issuer; discovery happens on first use.
func NewAuth(ctx context.Context, cfg Config, client *ent.Client, logger *slog.Logger) (Authenticator, error) {
	a := cfg.Auth
	au, err := auth.New(ctx, auth.Config{
		PublicURL:       cfg.PublicURL,
		Issuer:          a.Issuer,
		Development:     cfg.DevIssuer(),
		ClientID:        a.ClientID,
		ClientSecret:    a.ClientSecret,
		Audience:        a.Audience,
		Scopes:          a.Scopes,
		RolesClaim:      a.RolesClaim,
		RoleMapping:     a.RoleMapping,
		AllowedOrigins:  a.AllowedOrigins,
		AllowedReturnTo: a.AllowedReturnTo,
		SessionIdle:     a.SessionIdle,
		SessionMax:      a.SessionMax,
		LoginStateKey:   a.LoginStateKey,
	}, client, logger)
	if err != nil {
		// Not au itself: a nil *auth.Authenticator would make a non-nil
		// Authenticator interface.
		return nil, err
	}
	return au, nil
}

package auth

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"wisselaar/internal/apierr"
)

// corsAllowedHeaders are the request headers a browser may send cross-origin.
const corsAllowedHeaders = "Content-Type, Authorization, X-CSRF, X-Request-ID"

// csrfMessage is the one answer to a cookie request that fails the CSRF
// checks; the exact reason goes to the log. It says what a correct request
// looks like, for the portal's developers.
const csrfMessage = "a request signed in with the session cookie must be a POST with a JSON body, " +
	"carry the header X-CSRF: 1, and come from an allowed origin"

// originSet holds the origins ("https://portal.example.be") that may call
// the API from a browser with credentials.
type originSet map[string]bool

func newOriginSet(public *url.URL, allowed []string) (originSet, error) {
	s := originSet{origin(public): true}
	for _, raw := range allowed {
		u, err := parseOrigin(raw, false)
		if err != nil {
			return nil, err
		}
		s[origin(u)] = true
	}
	return s, nil
}

// allows reports whether the Origin header value o is allowed.
func (s originSet) allows(o string) bool {
	u, err := url.Parse(o)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return false // includes "null", sent by sandboxed frames and file: pages
	}
	return s[origin(u)]
}

// parseOrigin parses an absolute http(s) URL; with withPath false it must
// be an origin only (no path, query or fragment).
func parseOrigin(raw string, withPath bool) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil:
		return nil, err
	case raw == "*":
		return nil, errors.New(`"*" is not allowed: credentials need named origins`)
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		return nil, fmt.Errorf("%q: want http(s)://host[:port]", raw)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("%q: no user info, query or fragment allowed", raw)
	case !withPath && u.Path != "" && u.Path != "/":
		return nil, fmt.Errorf("%q: an origin has no path", raw)
	}
	return u, nil
}

// origin returns scheme://host[:port] in the form browsers send in the
// Origin header: lower case, default port omitted.
func origin(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	return strings.ToLower(u.Scheme) + "://" + host
}

// returnToPolicy decides where sign-in may send the browser back to: any
// URL on an allowed origin (the public URL's included), or below one of the
// configured prefixes. Anything else would make /auth/login an open
// redirect.
type returnToPolicy struct {
	public   string
	origins  originSet
	prefixes []*url.URL
}

func newReturnToPolicy(public string, origins originSet, prefixes []string) (returnToPolicy, error) {
	p := returnToPolicy{public: public, origins: origins}
	for _, raw := range prefixes {
		u, err := parseOrigin(raw, true)
		if err != nil {
			return p, err
		}
		p.prefixes = append(p.prefixes, u)
	}
	return p, nil
}

// check returns the URL to redirect to for the returnTo parameter raw, or
// false when it is not allowed. An empty raw means the public URL; a path
// ("/x") is taken relative to the public URL.
func (p returnToPolicy) check(raw string) (string, bool) {
	if raw == "" {
		return p.public + "/", true
	}
	// Browsers read a backslash as a slash, and control characters are
	// never part of a real return address: both only serve to confuse URL
	// parsers into disagreeing about the host.
	if strings.ContainsFunc(raw, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
		return "", false
	}
	if strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//") {
		raw = p.public + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", false
	}
	if p.origins[origin(u)] {
		return u.String(), true
	}
	for _, pre := range p.prefixes {
		if origin(pre) == origin(u) && underPath(u.Path, pre.Path) {
			return u.String(), true
		}
	}
	return "", false
}

// underPath reports whether path is prefix or below it, on a segment
// boundary: "/app" allows "/app" and "/app/x", not "/apple".
func underPath(path, prefix string) bool {
	prefix = strings.TrimRight(prefix, "/")
	return prefix == "" || path == prefix || strings.HasPrefix(path, prefix+"/")
}

// postLogoutURIs are the addresses the development provider accepts as
// post_logout_redirect_uri (it compares them exactly): the root of every
// allowed origin and every configured prefix.
func (p returnToPolicy) postLogoutURIs() []string {
	out := []string{p.public + "/"}
	for o := range p.origins {
		if o+"/" != out[0] {
			out = append(out, o+"/")
		}
	}
	for _, pre := range p.prefixes {
		out = append(out, pre.String())
	}
	return out
}

// cors answers preflights and adds the CORS headers for allowed origins.
// Only allowed origins get Access-Control-Allow-Origin (never "*"), with
// credentials, so only they can read answers made with the cookie.
func (a *Authenticator) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		o := r.Header.Get("Origin")
		allowed := o != "" && a.origins.allows(o)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			m := r.Header.Get("Access-Control-Request-Method")
			if !allowed || (m != http.MethodGet && m != http.MethodPost) {
				a.log(r).InfoContext(r.Context(), "CORS preflight refused", "origin", o, "method", m)
				writeError(w, http.StatusForbidden, apierr.Forbidden, "this origin may not call the API from a browser")
				return
			}
			h.Set("Access-Control-Allow-Origin", o)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Allow-Methods", "GET, POST")
			h.Set("Access-Control-Allow-Headers", corsAllowedHeaders)
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if allowed {
			h.Set("Access-Control-Allow-Origin", o)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Expose-Headers", "X-Request-ID")
		}
		next.ServeHTTP(w, r)
	})
}

// csrfProblem returns why a request made with the session cookie may be a
// cross-site forgery, or "" when it is fine. A custom header cannot be set
// by a form, an <img> or any cross-origin request a browser makes without
// a CORS preflight, and the preflight only succeeds for allowed origins;
// the Origin check is a second line for browsers that send it. GET is
// refused because a cross-site page can make a browser send one with the
// cookie (SameSite=Lax allows top-level navigations).
func (a *Authenticator) csrfProblem(r *http.Request, requireJSON bool) string {
	if r.Method != http.MethodPost {
		return "method " + r.Method
	}
	if requireJSON {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return "content type " + r.Header.Get("Content-Type")
		}
	}
	if r.Header.Get("X-CSRF") != "1" {
		return "no X-CSRF: 1 header"
	}
	if o := r.Header.Get("Origin"); o != "" && !a.origins.allows(o) {
		return "origin not allowed"
	}
	return ""
}

// noStore keeps answers about sessions out of every cache.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

package devidp

import (
	"html/template"
	"log/slog"
	"net/http"
	"strings"
)

// home is the page at the issuer's URL itself (/dev-idp/). Someone who
// finds the issuer in a log line or in the README and opens it in a browser
// learns what this is, who one can be, and how to sign in or get a token,
// instead of a bare 404.
type home struct {
	page   *template.Template
	data   homePage
	logger *slog.Logger
}

type homePage struct {
	Issuer    string
	Discovery string
	TokenURL  string
	SignInURL string
	Audience  string
	Users     []User
	Example   string // a login for the curl line
}

func newHome(cfg Config, tokenURL string, users []User) *home {
	example := users[0].Login
	for _, u := range users {
		// A municipality's staff member makes the friendlier example: the
		// ministry would see everything and show nothing of the rules.
		if len(u.Roles) == 1 && strings.HasPrefix(u.Roles[0], "municipality:") {
			example = u.Login
			break
		}
	}
	return &home{
		page: template.Must(template.New("home").Funcs(template.FuncMap{"join": strings.Join}).
			Parse(homeHead + pageStyle + homeBody)),
		data: homePage{
			Issuer:    cfg.Issuer,
			Discovery: cfg.Issuer + "/.well-known/openid-configuration",
			TokenURL:  tokenURL,
			SignInURL: cfg.SignInURL,
			Audience:  cfg.Audience,
			Users:     users,
			Example:   example,
		},
		logger: cfg.Logger,
	}
}

func (h *home) show(w http.ResponseWriter, _ *http.Request) {
	renderPage(w, h.logger, http.StatusOK, h.page, h.data)
}

const homeHead = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Development identity provider – De Wisselaar</title>
`

const homeBody = `<style>
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #dde0e4; }
td.roles { display: table-cell; }
code { white-space: nowrap; }
pre { background: #fff; border: 1px solid #c8ccd2; padding: .6rem .8rem; border-radius: .4rem; overflow-x: auto; }
</style>
</head>
<body>
<main>
<h1>Development identity provider</h1>
<p class="warn">This is the <strong>embedded development OpenID provider</strong> of the zero-setup run
(<code>go run .</code> without <code>OIDC_ISSUER</code>). <strong>Anyone on this machine can sign in as any
demo user below, without a password</strong>, the ministry included. It answers only requests from this
machine, and it is never active when a real <code>OIDC_ISSUER</code> is configured.</p>
{{- if .SignInURL}}
<p><a href="{{.SignInURL}}">Sign in to the portal</a>: pick a user on the next page, and you come
back signed in.</p>
{{- end}}
<p>Issuer <code>{{.Issuer}}</code>; discovery document:
<a href="{{.Discovery}}">{{.Discovery}}</a>.</p>
<h2>A token for a script</h2>
<p>The token endpoint accepts the client-credentials grant with a demo user's login as
<code>client_id</code> and <code>demo</code> as <code>client_secret</code>, and answers with an access
token for that user (audience <code>{{.Audience}}</code>, valid for an hour, void after a restart):</p>
<pre>curl -s -d grant_type=client_credentials -d client_id={{.Example}} -d client_secret=demo \
  {{.TokenURL}}</pre>
<h2>Demo users</h2>
<table>
<thead><tr><th>login</th><th>name</th><th>roles</th></tr></thead>
<tbody>
{{- range .Users}}
<tr><td><code>{{.Login}}</code></td><td>{{.Name}}</td><td class="roles">{{join .Roles ", "}}</td></tr>
{{- end}}
</tbody>
</table>
</main>
</body>
</html>
`

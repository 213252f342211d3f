package devidp

import (
	"bytes"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
)

// loginUI is the provider's own login page: op only redirects to Client.LoginURL and
// expects the request to be completed and the browser sent to the callback.
type loginUI struct {
	store       *storage
	action      string                            // where the form posts to (absolute, derived from the issuer)
	callbackURL func(authRequestID string) string // op's authorize callback
	logger      *slog.Logger
	page        *template.Template // the user picker
	errorPage   *template.Template // a message, when the request cannot go on
	loggedOut   *template.Template // end_session's default destination
}

func newLoginUI(store *storage, issuer string, callbackURL func(string) string, logger *slog.Logger) *loginUI {
	funcs := template.FuncMap{"join": strings.Join}
	return &loginUI{
		store:       store,
		action:      issuer + loginPath,
		callbackURL: callbackURL,
		logger:      logger,
		page:        template.Must(template.New("login").Funcs(funcs).Parse(pageHead + loginBody)),
		errorPage:   template.Must(template.New("error").Parse(pageHead + errorBody)),
		loggedOut:   template.Must(template.New("logged-out").Parse(pageHead + loggedOutBody)),
	}
}

type loginPage struct {
	Action        string
	AuthRequestID string
	ClientID      string
	Users         []User
}

// show renders a button per user for a pending auth request.
func (l *loginUI) show(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("authRequestID")
	ar, err := l.store.AuthRequestByID(r.Context(), id)
	if err != nil {
		l.fail(w, "This sign-in request is unknown or has expired; start again from the application.")
		return
	}
	if ar.Done() {
		l.fail(w, "This sign-in request has already been completed; start again from the application.")
		return
	}
	l.render(w, http.StatusOK, l.page, loginPage{
		Action:        l.action,
		AuthRequestID: id,
		ClientID:      ar.GetClientID(),
		Users:         l.store.orderedUsers(),
	})
}

// pick completes the auth request with the chosen user and hands over to op's callback,
// which issues the code and redirects to the client's redirect_uri.
func (l *loginUI) pick(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		l.fail(w, "Cannot read the form.")
		return
	}
	id, login := r.PostForm.Get("authRequestID"), r.PostForm.Get("login")
	if err := l.store.completeAuthRequest(id, login); err != nil {
		l.logger.InfoContext(r.Context(), "sign-in refused", "login", login, "error", err)
		l.fail(w, "Sign-in failed: "+err.Error()+". Start again from the application.")
		return
	}
	l.logger.InfoContext(r.Context(), "signed in", "login", login)
	// 303: the browser follows with a GET, not a second POST.
	http.Redirect(w, r, l.callbackURL(id), http.StatusSeeOther)
}

// showLoggedOut is where end_session sends the browser when the client names no
// post_logout_redirect_uri.
func (l *loginUI) showLoggedOut(w http.ResponseWriter, _ *http.Request) {
	l.render(w, http.StatusOK, l.loggedOut, nil)
}

func (l *loginUI) fail(w http.ResponseWriter, msg string) {
	l.render(w, http.StatusBadRequest, l.errorPage, msg)
}

func (l *loginUI) render(w http.ResponseWriter, status int, t *template.Template, data any) {
	renderPage(w, l.logger, status, t, data)
}

// renderPage executes into a buffer first, so that a template error does not leave half
// a page behind a 200.
func renderPage(w http.ResponseWriter, logger *slog.Logger, status int, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		logger.Error("render page", "page", t.Name(), "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// No scripts, no framing (clickjacking a one-click login would be too easy).
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

const pageHead = `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>De Wisselaar – aanmelden (ontwikkeling)</title>
` + pageStyle + `</head>
<body>
<main>
<h1>De Wisselaar</h1>
`

// pageStyle is the style of every page of the provider (inline: the pages allow no
// other source).
const pageStyle = `<style>
body { font-family: system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d1d1f; }
main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
.warn { background: #fff4ce; border: 1px solid #e0c060; padding: .75rem 1rem; border-radius: .4rem; }
ul { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .6rem; }
button { width: 100%; text-align: left; padding: .7rem .9rem; border: 1px solid #c8ccd2; border-radius: .4rem; background: #fff; cursor: pointer; font: inherit; }
button:hover, button:focus { border-color: #3366cc; outline: 2px solid #3366cc33; }
.name { display: block; font-weight: 600; }
.login, .roles { display: block; font-size: .85rem; color: #555; }
.roles { font-family: ui-monospace, monospace; }
</style>
`

const loginBody = `<p class="warn">Ontwikkelomgeving: ingebouwde identiteitsprovider zonder wachtwoorden.
Kies als wie je je aanmeldt bij <strong>{{.ClientID}}</strong>.</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="authRequestID" value="{{.AuthRequestID}}">
<ul>
{{- range .Users}}
<li><button type="submit" name="login" value="{{.Login}}"><span class="name">{{.Name}}</span><span class="login">{{.Login}}</span><span class="roles">{{join .Roles ", "}}</span></button></li>
{{- end}}
</ul>
</form>
</main>
</body>
</html>
`

const errorBody = `<p class="warn">{{.}}</p>
</main>
</body>
</html>
`

const loggedOutBody = `<p>Je bent afgemeld.</p>
</main>
</body>
</html>
`

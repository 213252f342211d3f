// Package graphiql serves GraphiQL, the in-browser GraphQL IDE, from files
// embedded in the binary. GraphiQL pages usually load React and GraphiQL
// from a CDN, which leaves them at "Loading…" on a machine without internet
// (a laptop on a train, a locked-down network) and makes every visit tell
// the CDN who looks at the API. Here the pinned builds (see README.md in
// this directory, and update.sh to replace them) are part of the binary, so
// the page works wherever the API does.
//
// The page runs no inline script: the bootstrap is start.js, served like
// the other assets, so the page's Content-Security-Policy allows scripts
// from this origin only. Assets are served below [AssetPath] under a
// version that is a hash of their contents, so browsers may cache them for
// a year and still fetch new ones after an upgrade; the page itself is
// never cached.
package graphiql

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// AssetPath is the path below which [Handler] serves the page's scripts and
// styles; the server must route it to the handler as well as the page.
const AssetPath = "/assets/graphiql/"

// contentSecurityPolicy allows the page nothing from elsewhere: scripts,
// styles and requests go to this origin only, and nothing may frame it.
// GraphiQL's stylesheet carries its fonts as data: URLs (without font-src
// data: Chromium blocks every one of them), and its stylesheet and script
// use a few data: images (CodeMirror's markers, the image preview), as does
// the page's empty icon; hence data: for fonts and images. That is all it
// needs: no 'unsafe-eval', no 'unsafe-inline' (e2e/graphiql.test.mjs checks
// in Chromium that the page reports no violation).
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"font-src 'self' data:; img-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// DefaultQuery is the query GraphiQL shows on a first visit (afterwards it
// shows the visitor's last query). It works without signing in, so a
// newcomer's first click on "run" shows data rather than an error.
const DefaultQuery = `# De Wisselaar API
#
# Anonymous visitors may read municipalities,
# themes and calls. Sign in at
#   /auth/login?returnTo=/
# to see what your role may see: GraphiQL then
# sends your session along.
#
# Run the query with Ctrl-Enter or the ▶ button.
{
  municipalities(first: 50) {
    totalCount
    edges {
      node {
        nisCode
        name
        province
      }
    }
  }
}
`

//go:embed assets
var embedded embed.FS

//go:embed page.html
var pageHTML string

var pageTemplate = template.Must(template.New("graphiql").Parse(pageHTML))

// contentTypes are the types of the embedded files, by extension.
var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

// asset is one embedded file, ready to serve.
type asset struct {
	body        []byte
	contentType string
	// gzipped compresses body on first use: GraphiQL's script and
	// stylesheet shrink to a quarter, and a server that never shows
	// GraphiQL never spends the time.
	gzipped func() []byte
}

// assets maps a path below the version (e.g. "graphiql/graphiql.min.js")
// to its file; version is the hash of them all.
var assets, version = loadAssets()

func loadAssets() (map[string]*asset, string) {
	m := map[string]*asset{}
	h := sha256.New()
	// WalkDir visits in lexical order, so the hash does not depend on
	// anything but the files' names and contents.
	err := fs.WalkDir(embedded, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := embedded.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "assets/")
		// Not mime.TypeByExtension: it also reads the machine's MIME
		// tables, and what the page gets should not depend on the host.
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			ct = "text/plain; charset=utf-8" // the LICENSE files
		}
		m[name] = &asset{body: body, contentType: ct, gzipped: sync.OnceValue(func() []byte { return gzipBytes(body) })}
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write(body)
		return nil
	})
	if err != nil {
		panic("graphiql: reading the embedded assets: " + err.Error())
	}
	return m, hex.EncodeToString(h.Sum(nil))[:12]
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b) // writes to a bytes.Buffer do not fail
	_ = zw.Close()
	return buf.Bytes()
}

// Handler returns the handler of the GraphiQL page, which sends its
// queries to endpoint (a path on this server, such as "/graphql": the
// Content-Security-Policy lets the page talk to its own origin only), and
// of its assets below [AssetPath]. The server routes the page's path (the
// site root) and AssetPath to it; any path outside AssetPath gets the page.
func Handler(endpoint string) http.Handler {
	var page bytes.Buffer
	err := pageTemplate.Execute(&page, struct{ Assets, Endpoint, DefaultQuery string }{
		Assets:       AssetPath + version + "/",
		Endpoint:     endpoint,
		DefaultQuery: DefaultQuery,
	})
	if err != nil {
		panic("graphiql: rendering the page: " + err.Error()) // the template is embedded: a bug here
	}
	return &handler{page: page.Bytes()}
}

type handler struct {
	page []byte
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, AssetPath); ok {
		serveAsset(w, r, rest)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	// no-cache, not no-store: the browser may keep it but must ask first,
	// so that after an upgrade it loads the new page and with it the new
	// asset versions.
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Content-Security-Policy", contentSecurityPolicy)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	_, _ = w.Write(h.page)
}

// serveAsset serves "<version>/<name>". Another version is answered 404
// rather than with today's file: a browser would otherwise cache today's
// file for a year under another version's name.
func serveAsset(w http.ResponseWriter, r *http.Request, rest string) {
	v, name, _ := strings.Cut(rest, "/")
	a := assets[name]
	if v != version || a == nil {
		http.NotFound(w, r)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", a.contentType)
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Vary", "Accept-Encoding")
	body := a.body
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		hd.Set("Content-Encoding", "gzip")
		body = a.gzipped()
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip (and
// does not refuse it with q=0).
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

package graphiql

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, target string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	resp := rec.Result()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

var (
	scriptTag = regexp.MustCompile(`<script[^>]*>`)
	assetRef  = regexp.MustCompile(`(?:src|href)="(` + regexp.QuoteMeta(AssetPath) + `[^"]+)"`)
)

func TestPage(t *testing.T) {
	h := Handler("/graphql")
	resp, body := get(t, h, "/", nil)
	page := string(body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"<title>De Wisselaar API</title>", `data-endpoint="/graphql"`, "municipalities(first: 50)"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control = %q, want no-cache (the page names the current asset version)", got)
	}

	// Every script is a file from this origin, and the policy forbids
	// anything else.
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self';", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("Content-Security-Policy %q allows %q", csp, bad)
		}
	}
	tags := scriptTag.FindAllString(page, -1)
	if len(tags) != 4 {
		t.Errorf("script tags: %q, want React, ReactDOM, GraphiQL and start.js", tags)
	}
	for _, tag := range tags {
		if !strings.Contains(tag, `src="`+AssetPath+version+"/") {
			t.Errorf("script %s is not an embedded asset (inline scripts are forbidden by the policy)", tag)
		}
	}

	// What the page refers to is served, with the year-long cache only
	// versioned paths may have.
	refs := assetRef.FindAllStringSubmatch(page, -1)
	if len(refs) != 6 {
		t.Errorf("asset references: %q", refs)
	}
	for _, ref := range refs {
		resp, body := get(t, h, ref[1], nil)
		if resp.StatusCode != http.StatusOK || len(body) == 0 {
			t.Errorf("GET %s: %d, %d bytes", ref[1], resp.StatusCode, len(body))
			continue
		}
		if got := resp.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control = %q", ref[1], got)
		}
		ct := resp.Header.Get("Content-Type")
		if (strings.HasSuffix(ref[1], ".js") && ct != "text/javascript; charset=utf-8") ||
			(strings.HasSuffix(ref[1], ".css") && ct != "text/css; charset=utf-8") {
			t.Errorf("GET %s: Content-Type %q", ref[1], ct)
		}
	}
}

func TestPageEscapesTheEndpoint(t *testing.T) {
	_, body := get(t, Handler(`/graphql"><script>alert(1)</script>`), "/", nil)
	if strings.Contains(string(body), "<script>alert") {
		t.Error("the endpoint is not escaped")
	}
}

func TestAssets(t *testing.T) {
	h := Handler("/graphql")
	js := AssetPath + version + "/graphiql/graphiql.min.js"
	want, err := embedded.ReadFile("assets/graphiql/graphiql.min.js")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("gzip when accepted", func(t *testing.T) {
		resp, body := get(t, h, js, map[string]string{"Accept-Encoding": "br, gzip"})
		if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("headers: %v", resp.Header)
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("gunzipped body differs from the embedded file (err %v)", err)
		}
		if len(body) > len(want)/2 {
			t.Errorf("gzip: %d of %d bytes", len(body), len(want))
		}
	})
	t.Run("identity otherwise", func(t *testing.T) {
		for _, ae := range []string{"", "br", "gzip;q=0"} {
			resp, body := get(t, h, js, map[string]string{"Accept-Encoding": ae})
			if resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, want) {
				t.Errorf("Accept-Encoding %q: Content-Encoding %q, %d bytes", ae, resp.Header.Get("Content-Encoding"), len(body))
			}
		}
	})
	t.Run("licenses are served beside the files", func(t *testing.T) {
		for _, p := range []string{"graphiql", "react", "react-dom"} {
			resp, body := get(t, h, AssetPath+version+"/"+p+"/LICENSE", nil)
			if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("MIT License")) {
				t.Errorf("%s/LICENSE: %d %.40q", p, resp.StatusCode, body)
			}
		}
	})
	t.Run("another version or an unknown file is not found", func(t *testing.T) {
		for _, p := range []string{
			AssetPath + "0123456789ab/graphiql/graphiql.min.js",
			AssetPath + "graphiql/graphiql.min.js",
			AssetPath + version + "/nothing.js",
			AssetPath + version + "/",
			AssetPath + version + "/../page.html",
		} {
			if resp, _ := get(t, h, p, nil); resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, resp.StatusCode)
			}
		}
	})
}

// TestProvenance keeps README.md honest: every embedded third-party file is
// listed there, and every package directory carries its licence.
func TestProvenance(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := fs.ReadDir(embedded, "assets")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue // our own files (start.js, page.css)
		}
		if _, err := fs.Stat(embedded, "assets/"+d.Name()+"/LICENSE"); err != nil {
			t.Errorf("assets/%s has no LICENSE", d.Name())
		}
		files, _ := fs.ReadDir(embedded, "assets/"+d.Name())
		for _, f := range files {
			if f.Name() != "LICENSE" && !bytes.Contains(readme, []byte("assets/"+d.Name()+"/"+f.Name())) {
				t.Errorf("README.md does not say where assets/%s/%s comes from", d.Name(), f.Name())
			}
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                       false,
		"gzip":                   true,
		"GZIP":                   true,
		"gzip, deflate, br":      true,
		"br;q=1.0, gzip;q=0.8":   true,
		"gzip;q=0":               false,
		"gzip; q=0.0":            false,
		"deflate":                false,
		"x-gzip":                 false,
		"identity, gzip;q=0.001": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

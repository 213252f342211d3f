package dossier_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"wisselaar/internal/dossier"
	"wisselaar/internal/dossier/clamdtest"
)

// TestClamdFindsTheTestSignature scans with a real clamd: the test file
// is found by the signature made for it, another file is clean, and a
// store with the scanner refuses the infected file.
func TestClamdFindsTheTestSignature(t *testing.T) {
	addr := clamdtest.Start(t)
	c, err := dossier.ParseClamdAddress(addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	virus, err := c.Scan(ctx, bytes.NewReader(clamdtest.Infected()))
	if err != nil || !strings.HasPrefix(virus, clamdtest.VirusName) {
		t.Fatalf("infected file: virus %q, err %v", virus, err)
	}
	clean := bytes.Repeat([]byte("%PDF-1.4 schoon bestand\n"), 10000) // several chunks
	if virus, err := c.Scan(ctx, bytes.NewReader(clean)); err != nil || virus != "" {
		t.Fatalf("clean file: virus %q, err %v", virus, err)
	}
	store, err := dossier.Open(ctx, "file://"+t.TempDir(), 1<<20, c)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var refusal *dossier.Refusal
	if _, err := store.Check(ctx, bytes.NewReader(clamdtest.Infected())); !errors.As(err, &refusal) || !strings.Contains(refusal.Reason, clamdtest.VirusName) {
		t.Fatalf("store.Check of the infected file: %v", err)
	}
}

func TestParseClamdAddress(t *testing.T) {
	for in, want := range map[string]string{
		"localhost:3310":               "tcp localhost:3310",
		"tcp://clamav:3310":            "tcp clamav:3310",
		"unix:///run/clamav/clamd.ctl": "unix /run/clamav/clamd.ctl",
	} {
		c, err := dossier.ParseClamdAddress(in)
		if err != nil || c.Network+" "+c.Address != want {
			t.Errorf("%s: %+v %v", in, c, err)
		}
	}
	for _, bad := range []string{"clamav", "tcp://", "unix://"} {
		if _, err := dossier.ParseClamdAddress(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestContentTypeIsSniffed(t *testing.T) {
	for name, c := range map[string]struct {
		data []byte
		ok   bool
	}{
		"pdf":            {[]byte("%PDF-1.7\n..."), true},
		"png":            {[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), true},
		"jpeg":           {[]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), true},
		"text":           {[]byte("hallo"), false},
		"html as pdf":    {[]byte("<html><script>alert(1)</script></html>"), false},
		"shell script":   {[]byte("#!/bin/sh\nrm -rf /\n"), false},
		"windows binary": {[]byte("MZ\x90\x00\x03\x00\x00\x00"), false},
	} {
		if ct, ok := dossier.ContentType(c.data); ok != c.ok {
			t.Errorf("%s: %s accepted=%v", name, ct, ok)
		}
	}
}

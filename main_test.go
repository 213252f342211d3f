package main

import (
	"bytes"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"testing"

	"wisselaar/server"
)

func TestWarnIfReachable(t *testing.T) {
	dev, err := server.ConfigFromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	withIssuer, err := server.ConfigFromEnv(func(k string) string {
		return map[string]string{"OIDC_ISSUER": "https://idp.example.be"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cfg  server.Config
		addr string
		warn bool
	}{
		{dev, "127.0.0.1:8080", false},
		{dev, "[::1]:8080", false},
		{dev, "[::]:8080", true}, // ADDR=:8080
		{dev, "0.0.0.0:8080", true},
		{dev, "192.0.2.10:8080", true},
		{withIssuer, "[::]:8080", false},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		warnIfReachable(tt.cfg, net.TCPAddrFromAddrPort(mustAddrPort(t, tt.addr)), slog.New(slog.NewTextHandler(&buf, nil)))
		if got := strings.Contains(buf.String(), "level=WARN msg=\"THE SERVER LISTENS BEYOND THIS MACHINE"); got != tt.warn {
			t.Errorf("issuer %q on %s: warned %v, want %v: %s", tt.cfg.Auth.Issuer, tt.addr, got, tt.warn, buf.String())
		}
	}
}

func mustAddrPort(t *testing.T, s string) netip.AddrPort {
	t.Helper()
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		t.Fatal(err)
	}
	return ap
}

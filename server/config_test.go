package server

import "testing"

func TestDevelopmentProviderOnlyOnThisMachine(t *testing.T) {
	tests := []struct {
		env map[string]string
		ok  bool
	}{
		{map[string]string{}, true},
		{map[string]string{"PUBLIC_URL": "http://127.0.0.1:9000"}, true},
		{map[string]string{"PUBLIC_URL": "http://[::1]:9000"}, true},
		{map[string]string{"DATABASE_URL": "postgres://db/wisselaar", "PUBLIC_URL": "http://localhost:8080"}, true},
		{map[string]string{"PUBLIC_URL": "https://wisselaar.example.be"}, false},
		{map[string]string{"PUBLIC_URL": "https://wisselaar.example.be", "DEV_IDP": "true"}, true},
		{map[string]string{"DEV_IDP": "false"}, false},
		{map[string]string{"DEV_IDP": "maybe"}, false},
		{map[string]string{"PUBLIC_URL": "https://wisselaar.example.be", "OIDC_ISSUER": "https://idp.example.be"}, true},
		{map[string]string{"OIDC_ISSUER": "https://idp.example.be", "DEV_IDP": "true"}, false},
	}
	for _, tt := range tests {
		_, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
		if (err == nil) != tt.ok {
			t.Errorf("%v: error %v, want ok=%v", tt.env, err, tt.ok)
		}
	}
}

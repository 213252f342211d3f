package server

import "testing"

// TestWhereMetricsAreServed: on a listener of their own with METRICS_ADDR,
// on the API behind METRICS_TOKEN, openly on the API only with the
// development provider, and nowhere for a real deployment that set
// neither.
func TestWhereMetricsAreServed(t *testing.T) {
	const issuer = "https://idp.example.be"
	tests := []struct {
		env   map[string]string
		onAPI bool
		err   bool
	}{
		{env: map[string]string{}, onAPI: true},
		{env: map[string]string{"OIDC_ISSUER": issuer}, onAPI: false},
		{env: map[string]string{"OIDC_ISSUER": issuer, "METRICS_TOKEN": "0123456789abcdef"}, onAPI: true},
		{env: map[string]string{"OIDC_ISSUER": issuer, "METRICS_ADDR": ":9090"}, onAPI: false},
		{env: map[string]string{"METRICS_ADDR": "127.0.0.1:9090"}, onAPI: false},
		{env: map[string]string{"METRICS_TOKEN": "short"}, err: true},
		{env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"}, err: true},
		{env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, onAPI: true},
	}
	for _, tt := range tests {
		cfg, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
		if (err != nil) != tt.err {
			t.Errorf("%v: error %v, want error %v", tt.env, err, tt.err)
			continue
		}
		if err == nil && cfg.MetricsOnAPI() != tt.onAPI {
			t.Errorf("%v: metrics on the API %v, want %v", tt.env, cfg.MetricsOnAPI(), tt.onAPI)
		}
	}
}

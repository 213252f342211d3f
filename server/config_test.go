package server

import (
	"testing"
	"time"
)

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

// TestListenAddress: while the development provider is active the server
// listens on loopback only unless ADDR says otherwise; with a real issuer
// it listens on every interface, as a deployment must.
func TestListenAddress(t *testing.T) {
	issuer := map[string]string{"OIDC_ISSUER": "https://idp.example.be"}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		env       map[string]string
		addr, url string
	}{
		{map[string]string{}, "127.0.0.1:8080", "http://localhost:8080"},
		{map[string]string{"PORT": "9000"}, "127.0.0.1:9000", "http://localhost:9000"},
		{map[string]string{"ADDR": ":8080"}, ":8080", "http://localhost:8080"},
		{map[string]string{"ADDR": "0.0.0.0:9001"}, "0.0.0.0:9001", "http://localhost:9001"},
		{map[string]string{"ADDR": "[::1]:9002", "PORT": "7"}, "[::1]:9002", "http://localhost:9002"},
		{map[string]string{"PUBLIC_URL": "https://demo.example.be", "DEV_IDP": "true"}, "127.0.0.1:8080", "https://demo.example.be"},
		{issuer, ":8080", "http://localhost:8080"},
		{with(issuer, "PORT", "9000"), ":9000", "http://localhost:9000"},
		{with(issuer, "ADDR", "127.0.0.1:8081"), "127.0.0.1:8081", "http://localhost:8081"},
	}
	for _, tt := range tests {
		c, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
		if err != nil {
			t.Errorf("%v: %v", tt.env, err)
			continue
		}
		if c.Addr != tt.addr || c.PublicURL != tt.url {
			t.Errorf("%v: Addr %q, PublicURL %q; want %q, %q", tt.env, c.Addr, c.PublicURL, tt.addr, tt.url)
		}
	}
}

func TestRateLimitAndIntrospectionSettings(t *testing.T) {
	tests := []struct {
		env           map[string]string
		ok            bool
		rate          RateLimit
		introspection bool
	}{
		{map[string]string{}, true, RateLimit{600, time.Minute}, true},
		{map[string]string{"RATE_LIMIT": "off"}, true, RateLimit{}, true},
		{map[string]string{"RATE_LIMIT": "5/1s"}, true, RateLimit{5, time.Second}, true},
		{map[string]string{"RATE_LIMIT": "100 / 10m"}, true, RateLimit{100, 10 * time.Minute}, true},
		{map[string]string{"RATE_LIMIT": "100"}, false, RateLimit{}, true},
		{map[string]string{"RATE_LIMIT": "0/1m"}, false, RateLimit{}, true},
		{map[string]string{"RATE_LIMIT": "10/1ms"}, false, RateLimit{}, true},
		{map[string]string{"RATE_LIMIT": "x/1m"}, false, RateLimit{}, true},
		{map[string]string{"OIDC_ISSUER": "https://idp.example.be"}, true, RateLimit{600, time.Minute}, false},
		{map[string]string{"OIDC_ISSUER": "https://idp.example.be", "GRAPHQL_INTROSPECTION": "true"}, true, RateLimit{600, time.Minute}, true},
		{map[string]string{"GRAPHQL_INTROSPECTION": "false"}, true, RateLimit{600, time.Minute}, false},
		{map[string]string{"GRAPHQL_INTROSPECTION": "yes"}, false, RateLimit{}, false},
	}
	for _, tt := range tests {
		c, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
		if (err == nil) != tt.ok {
			t.Errorf("%v: error %v, want ok=%v", tt.env, err, tt.ok)
			continue
		}
		if err == nil && (c.RateLimit != tt.rate || c.Introspection != tt.introspection) {
			t.Errorf("%v: rate %+v, introspection %v; want %+v, %v", tt.env, c.RateLimit, c.Introspection, tt.rate, tt.introspection)
		}
	}
}

// TestTimeouts: the shutdown grace and the database's statement timeout
// follow REQUEST_TIMEOUT unless set, and a grace shorter than a request
// may work is refused.
func TestTimeouts(t *testing.T) {
	tests := []struct {
		env                      map[string]string
		shutdown, stmt, lockWait time.Duration
		ok                       bool
	}{
		{map[string]string{}, 35 * time.Second, 30 * time.Second, 10 * time.Second, true},
		{map[string]string{"REQUEST_TIMEOUT": "5s"}, 10 * time.Second, 5 * time.Second, 10 * time.Second, true},
		{map[string]string{"REQUEST_TIMEOUT": "5s", "SHUTDOWN_TIMEOUT": "5s", "DB_STATEMENT_TIMEOUT": "2s", "DB_LOCK_TIMEOUT": "1s"},
			5 * time.Second, 2 * time.Second, time.Second, true},
		{map[string]string{"REQUEST_TIMEOUT": "30s", "SHUTDOWN_TIMEOUT": "20s"}, 0, 0, 0, false},
		{map[string]string{"DB_LOCK_TIMEOUT": "0s"}, 0, 0, 0, false},
		{map[string]string{"DB_MAX_CONNS": "none"}, 0, 0, 0, false},
		{map[string]string{"LOGIN_STATE_KEY": "short"}, 0, 0, 0, false},
	}
	for _, tt := range tests {
		c, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
		if (err == nil) != tt.ok {
			t.Errorf("%v: error %v, want ok=%v", tt.env, err, tt.ok)
			continue
		}
		if tt.ok && (c.ShutdownTimeout != tt.shutdown || c.Database.StatementTimeout != tt.stmt || c.Database.LockTimeout != tt.lockWait) {
			t.Errorf("%v: shutdown %s, statement %s, lock %s; want %s, %s, %s", tt.env,
				c.ShutdownTimeout, c.Database.StatementTimeout, c.Database.LockTimeout, tt.shutdown, tt.stmt, tt.lockWait)
		}
	}
}

// TestMigrateSetting: the server migrates at start unless MIGRATE=false;
// anything but a boolean stops it.
func TestMigrateSetting(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  bool
		ok    bool
	}{
		{"", true, true},
		{"true", true, true},
		{"false", false, true},
		{"0", false, true},
		{"sometimes", false, false},
	} {
		c, err := ConfigFromEnv(func(k string) string {
			if k == "MIGRATE" {
				return tt.value
			}
			return ""
		})
		if (err == nil) != tt.ok || (err == nil && c.Migrate != tt.want) {
			t.Errorf("MIGRATE=%q: Migrate %v, error %v; want %v, ok=%v", tt.value, c.Migrate, err, tt.want, tt.ok)
		}
	}
}

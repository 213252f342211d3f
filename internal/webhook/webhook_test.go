package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"wisselaar/internal/apierr"
)

// The example of the Standard Webhooks specification: a receiver that
// follows it accepts what Sign writes.
func TestSignMatchesTheStandardWebhooksExample(t *testing.T) {
	got, err := Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
		time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestCheckURL(t *testing.T) {
	production := Policy{}
	local := Policy{Local: true}
	tests := []struct {
		policy Policy
		url    string
		ok     bool
	}{
		{production, "https://93.184.215.14/hooks", true},
		{production, "https://[2606:2800:220:1:248:1893:25c8:1946]/hooks", true},
		{production, "http://93.184.215.14/hooks", false},
		{production, "https://127.0.0.1/hooks", false},
		{production, "https://127.1.2.3:8443/hooks", false},
		{production, "https://[::1]/hooks", false},
		{production, "https://[::ffff:10.0.0.1]/hooks", false},
		{production, "https://10.0.0.1/hooks", false},
		{production, "https://172.16.5.4/hooks", false},
		{production, "https://192.168.1.1/hooks", false},
		{production, "https://100.64.0.1/hooks", false},
		{production, "https://169.254.169.254/latest/meta-data", false},
		{production, "https://[fe80::1]/hooks", false},
		{production, "https://[fd00::1]/hooks", false},
		{production, "https://0.0.0.0/hooks", false},
		{production, "https://localhost/hooks", false},
		{production, "https://api.localhost/hooks", false},
		{production, "https://user:secret@93.184.215.14/hooks", false},
		{production, "ftp://93.184.215.14/hooks", false},
		{production, "/hooks", false},
		{local, "http://127.0.0.1:9000/hooks", true},
		{local, "http://localhost:9000/hooks", true},
		{local, "ftp://127.0.0.1/hooks", false},
	}
	for _, tt := range tests {
		err := tt.policy.CheckURL(context.Background(), tt.url)
		if (err == nil) != tt.ok {
			t.Errorf("CheckURL(%q, local=%v) = %v, want ok=%v", tt.url, tt.policy.Local, err, tt.ok)
		}
		var ae *apierr.Error
		if err != nil && (!errors.As(err, &ae) || ae.Code != apierr.BadUserInput || ae.Field != "url") {
			t.Errorf("CheckURL(%q): %v, want BAD_USER_INPUT naming url", tt.url, err)
		}
	}
}

// A name may resolve to an internal address at delivery even when it did
// not at registration: outside local development the dialer refuses it.
func TestHTTPClientRefusesInternalAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer srv.Close()
	m := Message{ID: "msg_1", Timestamp: time.Now(), Body: []byte(`{}`)}
	secret := NewSecret()
	if _, err := Send(context.Background(), Policy{}.HTTPClient(), srv.URL, secret, m); !errors.Is(err, errInternalAddress) {
		t.Errorf("production client reached %s: %v", srv.URL, err)
	}
	if status, err := Send(context.Background(), Policy{Local: true}.HTTPClient(), srv.URL, secret, m); err != nil || status != http.StatusNoContent {
		t.Errorf("local client: %d, %v", status, err)
	}
}

package jobs

import (
	"testing"
	"time"
)

func TestBackoffDoublesUpToTheMaximum(t *testing.T) {
	for _, tt := range []struct {
		attempt int
		want    time.Duration
	}{
		{1, 2 * time.Second}, {2, 4 * time.Second}, {3, 8 * time.Second}, {11, 2048 * time.Second},
		{12, time.Hour}, {25, time.Hour}, {5000, time.Hour},
	} {
		if got := backoff(2*time.Second, time.Hour, tt.attempt); got != tt.want {
			t.Errorf("retry %d: %s, want %s", tt.attempt, got, tt.want)
		}
	}
}

func TestMailConfigFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if c, err := MailConfigFromEnv(env(nil)); c != nil || err != nil {
		t.Errorf("no SMTP_HOST: %+v, %v; want no e-mail", c, err)
	}
	c, err := MailConfigFromEnv(env(map[string]string{"SMTP_HOST": "smtp.example", "SMTP_FROM": "portaal@example.org"}))
	if err != nil || c.Port != 587 || c.TLS != "starttls" {
		t.Errorf("defaults: %+v, %v", c, err)
	}
	c, err = MailConfigFromEnv(env(map[string]string{"SMTP_HOST": "smtp.example", "SMTP_FROM": "portaal@example.org", "SMTP_TLS": "tls"}))
	if err != nil || c.Port != 465 {
		t.Errorf("tls: %+v, %v", c, err)
	}
	for name, bad := range map[string]map[string]string{
		"no sender":    {"SMTP_HOST": "smtp.example"},
		"bad port":     {"SMTP_HOST": "smtp.example", "SMTP_FROM": "a@example.org", "SMTP_PORT": "x"},
		"bad tls":      {"SMTP_HOST": "smtp.example", "SMTP_FROM": "a@example.org", "SMTP_TLS": "maybe"},
		"bad ministry": {"SMTP_HOST": "smtp.example", "SMTP_FROM": "a@example.org", "MINISTRY_EMAIL": "ministerie"},
	} {
		if _, err := MailConfigFromEnv(env(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

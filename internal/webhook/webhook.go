// Package webhook sends events to the endpoints of partner tools and the
// ministry the way the Standard Webhooks convention says
// (https://www.standardwebhooks.com): a JSON body POSTed with the headers
// webhook-id, webhook-timestamp and webhook-signature, the signature being
// "v1," and the base64 HMAC-SHA256 of "id.timestamp.body" under the
// endpoint's secret ("whsec_" and the base64 key).
//
// It also decides which URLs may receive events. Outside local development
// only https URLs of public addresses: a URL that names, or resolves to, a
// loopback, private, link-local or otherwise internal address would let a
// client make this server call into the network it runs in. The addresses
// are checked at registration and again when connecting (the dialer
// refuses them), since a name can resolve differently later.
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"wisselaar/internal/apierr"
)

// The event types.
const (
	TrajectoryChanged = "trajectory.changed"
	GrantChanged      = "grant.changed"
)

// EventTypes are the event types a webhook may ask for.
var EventTypes = []string{TrajectoryChanged, GrantChanged}

// secretPrefix starts every signing secret, as the convention has it.
const secretPrefix = "whsec_"

// NewSecret returns a fresh signing secret: whsec_ and 32 random bytes in
// base64.
func NewSecret() string {
	key := make([]byte, 32)
	rand.Read(key)
	return secretPrefix + base64.StdEncoding.EncodeToString(key)
}

// Sign returns the webhook-signature header of a message: "v1," and the
// base64 HMAC-SHA256 of "id.timestamp.body" under the secret's key.
func Sign(secret, id string, timestamp time.Time, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil {
		return "", fmt.Errorf("malformed webhook secret: %w", err)
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, timestamp.Unix())
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// internal reports whether an address is one no event may go to outside
// local development: loopback, private (RFC 1918, unique local), link-local,
// unspecified, multicast, or the shared and benchmarking ranges.
func internal(a netip.Addr) bool {
	a = a.Unmap()
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || !a.IsValid() {
		return true
	}
	for _, p := range internalPrefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

var internalPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64 reaches IPv4 inside
}

// Policy decides which URLs may receive events.
type Policy struct {
	// Local allows http and internal addresses: local development, where
	// the receiver runs on the same machine.
	Local bool
	// Resolver looks host names up; nil is net.DefaultResolver.
	Resolver *net.Resolver
}

// CheckURL refuses a URL no event may go to, as BAD_USER_INPUT naming url.
func (p Policy) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return apierr.BadInput("url", "want an absolute https URL")
	}
	if u.User != nil {
		return apierr.BadInput("url", "a webhook URL carries no user name or password")
	}
	if len(raw) > 2000 {
		return apierr.BadInput("url", "at most 2,000 characters")
	}
	if p.Local {
		return nil
	}
	if u.Scheme != "https" {
		return apierr.BadInput("url", "webhooks are sent over https only")
	}
	host := u.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		if internal(a) {
			return apierr.BadInput("url", "the URL points at a loopback, private or link-local address")
		}
		return nil
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return apierr.BadInput("url", "the URL points at a loopback, private or link-local address")
	}
	r := p.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return apierr.BadInput("url", "the host name %q does not resolve", host)
	}
	for _, a := range addrs {
		if internal(a) {
			return apierr.BadInput("url", "the URL points at a loopback, private or link-local address")
		}
	}
	return nil
}

// errInternalAddress is the dialer's refusal of an internal address.
var errInternalAddress = errors.New("refusing to connect to a loopback, private or link-local address")

// Timeout bounds one delivery attempt: connecting, sending, and the
// endpoint's answer. A slow endpoint costs a worker this long at most,
// never a request of the API.
const Timeout = 10 * time.Second

// HTTPClient returns the client deliveries are sent with: a Timeout per
// attempt, no redirects followed (a redirect could lead anywhere), and,
// unless p.Local, a dialer that refuses internal addresses whatever a name
// resolved to.
func (p Policy) HTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if !p.Local {
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || internal(ap.Addr()) {
				return errInternalAddress
			}
			return nil
		}
	}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: Timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Message is one event for one endpoint.
type Message struct {
	ID        string
	Timestamp time.Time
	Body      []byte
}

// Send POSTs a message, signed with secret, and returns the endpoint's
// status code (0 when it gave none) and an error unless it answered 2xx.
func Send(ctx context.Context, client *http.Client, endpoint, secret string, m Message) (int, error) {
	sig, err := Sign(secret, m.ID, m.Timestamp, m.Body)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(string(m.Body)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "wisselaar-webhooks")
	req.Header.Set("webhook-id", m.ID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(m.Timestamp.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("the endpoint answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}

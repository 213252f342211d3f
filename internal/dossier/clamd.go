package dossier

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// Clamd scans files with a ClamAV daemon through its INSTREAM command
// (clamd(8)): the file goes over the connection in chunks, clamd answers
// "stream: OK" or "stream: <virus> FOUND". The protocol is a few lines,
// so it is spoken here rather than through a client library.
type Clamd struct {
	// Network and Address say where clamd listens: "tcp" and "host:3310",
	// or "unix" and a socket path.
	Network, Address string
	// Timeout bounds one scan.
	Timeout time.Duration
}

// ParseClamdAddress reads CLAMD_ADDRESS: "host:port", "tcp://host:port",
// or "unix:///path/to/clamd.ctl".
func ParseClamdAddress(s string) (*Clamd, error) {
	c := &Clamd{Network: "tcp", Address: s, Timeout: 2 * time.Minute}
	switch {
	case strings.HasPrefix(s, "unix://"):
		c.Network, c.Address = "unix", strings.TrimPrefix(s, "unix://")
	case strings.HasPrefix(s, "tcp://"):
		c.Address = strings.TrimPrefix(s, "tcp://")
	}
	if c.Address == "" {
		return nil, fmt.Errorf("CLAMD_ADDRESS %q names no address", s)
	}
	if c.Network == "tcp" {
		if _, _, err := net.SplitHostPort(c.Address); err != nil {
			return nil, fmt.Errorf("CLAMD_ADDRESS %q: %w", s, err)
		}
	}
	return c, nil
}

// chunkSize is the size of the chunks sent to clamd, well below its
// StreamMaxLength.
const chunkSize = 64 << 10

// Scan sends r to clamd and returns the name of the virus it found, or ""
// for a clean file.
func (c *Clamd) Scan(ctx context.Context, r io.Reader) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, c.Network, c.Address)
	if err != nil {
		return "", fmt.Errorf("connecting to clamd: %w", err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	if _, err := io.WriteString(conn, "zINSTREAM\x00"); err != nil {
		return "", fmt.Errorf("talking to clamd: %w", err)
	}
	buf := make([]byte, 4+chunkSize)
	for {
		n, rerr := io.ReadFull(r, buf[4:])
		if n > 0 {
			binary.BigEndian.PutUint32(buf[:4], uint32(n))
			if _, err := conn.Write(buf[:4+n]); err != nil {
				// clamd closes the connection when the stream is over
				// its limit; its answer says so.
				break
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return "", fmt.Errorf("reading the file to scan: %w", rerr)
		}
	}
	_, _ = conn.Write([]byte{0, 0, 0, 0})
	reply, err := bufio.NewReader(conn).ReadString(0)
	if err != nil && reply == "" {
		return "", fmt.Errorf("reading clamd's answer: %w", err)
	}
	return parseReply(strings.TrimRight(reply, "\x00\n"))
}

// parseReply reads clamd's answer to INSTREAM.
func parseReply(reply string) (string, error) {
	body := strings.TrimPrefix(reply, "stream: ")
	switch {
	case body == "OK":
		return "", nil
	case strings.HasSuffix(body, " FOUND"):
		return strings.TrimSuffix(body, " FOUND"), nil
	}
	return "", fmt.Errorf("clamd could not scan the file: %s", body)
}

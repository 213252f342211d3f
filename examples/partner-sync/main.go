// Command partner-sync keeps a copy of the trajectories a partner tool may
// read in a JSON file, fetching only what changed since its last run.
//
//	go run . [-out trajectories.json]
//
// It signs in with the OAuth 2 client-credentials grant (by default as the
// demo client "partner" at the development provider of `go run .` in the
// server's directory), then pages through the trajectories ordered by
// updatedAt and keeps, in the file, the latest updatedAt it has seen; the
// next run asks only for trajectories updated since then. Configuration by
// environment: WISSELAAR_URL (http://localhost:8080), TOKEN_URL
// ($WISSELAAR_URL/dev-idp/oauth/token), CLIENT_ID (partner), CLIENT_SECRET
// (demo), SCOPES (empty; a real issuer may need the API's audience scope).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"strings"
	"time"

	"github.com/Khan/genqlient/graphql"
	"golang.org/x/oauth2/clientcredentials"
)

// pageSize is how many trajectories one request fetches.
const pageSize = 100

// Copy is the file the tool keeps: the trajectories by ID and the latest
// updatedAt among them, where the next run continues.
type Copy struct {
	// Since is the latest updatedAt synced; empty before the first run.
	Since *time.Time `json:"since,omitempty"`
	// Trajectories are the synced trajectories, by ID.
	Trajectories map[string]Trajectory `json:"trajectories"`
}

func main() {
	out := flag.String("out", "trajectories.json", "the JSON file to keep the copy in")
	flag.Parse()
	if err := run(context.Background(), *out, os.Getenv, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, path string, getenv func(string) string, stdout *os.File) error {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	base := strings.TrimRight(env("WISSELAAR_URL", "http://localhost:8080"), "/")
	creds := clientcredentials.Config{
		ClientID:     env("CLIENT_ID", "partner"),
		ClientSecret: env("CLIENT_SECRET", "demo"),
		TokenURL:     env("TOKEN_URL", base+"/dev-idp/oauth/token"),
	}
	if s := getenv("SCOPES"); s != "" {
		creds.Scopes = strings.Fields(s)
	}
	// The token source fetches a token, and a new one when it expires.
	client := graphql.NewClient(base+"/graphql", creds.Client(ctx))

	local, err := load(path)
	if err != nil {
		return err
	}
	changed, fetched, err := sync(ctx, client, local)
	if err != nil {
		return err
	}
	if err := save(path, local); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "fetched %d, changed %d, %d in %s\n", fetched, changed, len(local.Trajectories), path)
	return nil
}

// sync fetches the trajectories updated since local.Since (all of them on
// the first run), oldest change first, and stores them in local. It returns
// how many were new or different and how many were fetched. It is the one
// place that knows how the API answers "what changed": the order by
// updatedAt then ID, and the filter updatedAtGTE.
//
// updatedAtGTE rather than GT: a trajectory updated in the same instant as
// the last one synced, but committed after the last run read, is not lost.
// The price is that the last run's latest trajectories are fetched again;
// they are not counted as changed.
func sync(ctx context.Context, client graphql.Client, local *Copy) (changed, fetched int, err error) {
	var after *string // absent on the first page, not ""
	for {
		resp, err := ChangedTrajectories(ctx, client, local.Since, after, pageSize)
		if err != nil {
			return changed, fetched, err
		}
		conn := resp.Trajectories
		for _, edge := range conn.Edges {
			t := edge.Node
			// The same instant reads the same in the file, whatever zone
			// the server wrote it in.
			t.UpdatedAt = t.UpdatedAt.UTC()
			fetched++
			if old, ok := local.Trajectories[t.Id]; !ok || !same(old, t) {
				changed++
			}
			local.Trajectories[t.Id] = t
			if local.Since == nil || t.UpdatedAt.After(*local.Since) {
				since := t.UpdatedAt
				local.Since = &since
			}
		}
		if !conn.PageInfo.HasNextPage || conn.PageInfo.EndCursor == nil {
			return changed, fetched, nil
		}
		after = conn.PageInfo.EndCursor
	}
}

func same(a, b Trajectory) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func load(path string) (*Copy, error) {
	local := &Copy{Trajectories: map[string]Trajectory{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return local, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, local); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if local.Trajectories == nil {
		local.Trajectories = map[string]Trajectory{}
	}
	return local, nil
}

// save writes the copy (trajectories sorted by ID, as encoding/json sorts
// map keys) through a temporary file, so that an interrupted run leaves the
// previous copy whole.
func save(path string, local *Copy) error {
	b, err := json.MarshalIndent(local, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

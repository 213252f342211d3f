// Package opendata writes the open-data feed of De Wisselaar: the awarded
// grants of the trajectories the coordinator published, in the 360Giving
// Data Standard's JSON package shape ({"grants": [...]}), and the JSON
// Schema that describes it.
package opendata

import (
	"context"
	_ "embed"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"wisselaar/ent"
	"wisselaar/internal/report"
)

// Schema is the JSON Schema of the feed, served beside it.
//
//go:embed grants.schema.json
var Schema []byte

// DefaultPrefix starts every grant identifier unless configured otherwise
// (OPEN_DATA_PREFIX). 360Giving assigns publishers a prefix of the form
// 360G-<name>; this one is a placeholder until the ministry registers its own.
const DefaultPrefix = "360G-wisselaar"

// The funder of every grant: the Flemish government, whose agency for
// local government decides and pays.
const (
	funderID   = "BE-BCE_KBO-0316380940"
	funderName = "Vlaamse overheid, Agentschap Binnenlands Bestuur"
)

// Package is the feed: a 360Giving JSON package.
type Package struct {
	Grants []Grant `json:"grants"`
}

// Grant is one awarded grant in 360Giving's terms.
type Grant struct {
	ID                    string         `json:"id"`
	Title                 string         `json:"title"`
	Description           string         `json:"description"`
	Currency              string         `json:"currency"`
	AmountAwarded         json.Number    `json:"amountAwarded"`
	AwardDate             string         `json:"awardDate"`
	RecipientOrganization []Organisation `json:"recipientOrganization"`
	FundingOrganization   []Organisation `json:"fundingOrganization"`
	GrantProgramme        []Programme    `json:"grantProgramme"`
	PlannedDates          []Period       `json:"plannedDates"`
	BeneficiaryLocation   []Location     `json:"beneficiaryLocation"`
}

// Organisation is a recipient or a funder.
type Organisation struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Programme is the call a grant was awarded under.
type Programme struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// Period is the planned period of the exchange.
type Period struct {
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate"`
}

// Location is the municipality the exchange helped.
type Location struct {
	Name        string `json:"name"`
	CountryCode string `json:"countryCode"`
	GeoCode     string `json:"geoCode"`
	GeoCodeType string `json:"geoCodeType"`
}

// Build returns the feed: one grant per published trajectory with an
// awarded grant, identified as prefix-<trajectory number>. encodeID gives a
// call's ID as the API shows it.
func Build(ctx context.Context, c *ent.Client, prefix string, encodeID func(int) string) (*Package, error) {
	published, err := report.PublishedTrajectories(ctx, c, nil)
	if err != nil {
		return nil, err
	}
	p := &Package{Grants: make([]Grant, 0, len(published))}
	for _, t := range published {
		p.Grants = append(p.Grants, Grant{
			ID:          prefix + "-" + strconv.Itoa(t.ID),
			Title:       t.Title,
			Description: t.Summary,
			Currency:    "EUR",
			// The decimal string of the exact amount, written as a JSON
			// number: no floating point touches it.
			AmountAwarded:         json.Number(t.Awarded.String()),
			AwardDate:             t.AwardedOn.Format("2006-01-02"),
			RecipientOrganization: []Organisation{organisation(prefix, t.Giving)},
			FundingOrganization:   []Organisation{{ID: funderID, Name: funderName}},
			GrantProgramme:        []Programme{{Code: encodeID(t.Call.ID), Title: t.Call.Name}},
			PlannedDates: []Period{{
				StartDate: t.PlannedStart.Format("2006-01-02"),
				EndDate:   t.PlannedEnd.Format("2006-01-02"),
			}},
			BeneficiaryLocation: []Location{{
				Name: t.Receiving.Name, CountryCode: "BE", GeoCode: t.Receiving.NisCode, GeoCodeType: "NIS",
			}},
		})
	}
	return p, nil
}

// organisation identifies a municipality by its enterprise number (KBO)
// when it is known, else under the publisher's prefix by its NIS code, as
// 360Giving asks for organisations without a registered identifier.
func organisation(prefix string, m *ent.Municipality) Organisation {
	if m.KboNumber != nil {
		if kbo := strings.NewReplacer(".", "", " ", "").Replace(*m.KboNumber); kbo != "" {
			return Organisation{ID: "BE-BCE_KBO-" + kbo, Name: m.Name}
		}
	}
	return Organisation{ID: prefix + "-NIS-" + m.NisCode, Name: m.Name}
}

// Write encodes the feed to w.
func (p *Package) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

package apitest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wisselaar/internal/dossier/clamdtest"
	"wisselaar/internal/testutil"
)

const (
	updatePlanOp = `mutation($i: UpdateActionPlanInput!) { updateActionPlan(input: $i) { trajectory { plan { version sha256 frozen
		goals { description } actions { what side due } indicators { number name unit baseline target result } } } } }`
	uploadOp = `mutation($i: UploadDocumentInput!) { uploadDocument(input: $i) { document { id kind filename contentType size sha256 url } } }`
	planOf   = `query($id: ID!) { node(id: $id) { ... on Trajectory { status plan { version sha256 frozen indicators { number name result } }
		agreement { planVersion planSha256 } documents { id kind } grant { applicationPdfURL } } } }`
)

// fakePDF is a small file whose content says it is a PDF.
func fakePDF(text string) []byte {
	return []byte("%PDF-1.4\n% " + text + "\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

// upload sends uploadDocument as a GraphQL multipart request as login.
func upload(t *testing.T, s *testutil.Server, login, trajectoryID, kind, filename string, data []byte) *testutil.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{"query": uploadOp, "variables": map[string]any{"i": map[string]any{
		"trajectoryID": trajectoryID, "kind": kind, "file": nil}}})
	_ = w.WriteField("operations", string(ops))
	_ = w.WriteField("map", `{"0": ["variables.i.file"]}`)
	fw, _ := w.CreateFormFile("0", filename)
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token(t, login))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &testutil.Response{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("upload answered %d: %s", resp.StatusCode, raw)
	}
	return out
}

// download GETs url as login and returns the status and the body.
func download(t *testing.T, s *testutil.Server, login, url string) (int, []byte, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token(t, login))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

func countRows(t *testing.T, s *testutil.Server, table string) int {
	t.Helper()
	var n int
	if err := s.DB.SQL.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// dossierTrajectory matches Mechelen with Leuven in the open call and
// lets Mechelen plan a new mentor at 19 of 38 hours for four months:
// requested 50 % × 6,400.00 × ½ × 4 = 6,400.00.
func dossierTrajectory(a api, ids demoIDs, callID string) (trajectory string) {
	a.t.Helper()
	start := time.Now().AddDate(0, 1, 0)
	start = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(0, 4, -1)
	tr := a.do("vvsg", `mutation($i: CreateTrajectoryInput!) { createTrajectory(input: $i) { trajectory { id } } }`, input(map[string]any{
		"callID": callID, "givingID": ids.municipality["12025"], "receivingID": ids.municipality["24062"], "form": "MENTORING",
		"title": "Impact meten in de sociale dienst", "themeIDs": []string{ids.theme["IMPACT_MEASUREMENT"]},
		"plannedStart": start.Format("2006-01-02"), "plannedEnd": end.Format("2006-01-02"),
	})).at("createTrajectory.trajectory.id").(string)
	m := a.do("mechelen", `mutation($i: CreateMentorInput!) { createMentor(input: $i) { mentor { id } } }`, input(map[string]any{
		"municipalityID": ids.municipality["12025"], "name": "Renée Dewaele", "email": "renee.dewaele." + tr[len(tr)-4:] + "@mechelen.example", "jobTitle": "Teamcoach",
	})).at("createMentor.mentor.id").(string)
	a.do("mechelen", `mutation($i: RecordSalaryInput!) { recordSalary(input: $i) { salary { id } } }`, input(map[string]any{
		"mentorID": m, "monthlyCost": "6400.00", "weeklyHours": 38, "validFrom": start.AddDate(0, -1, 0).Format("2006-01-02"),
	}))
	a.do("mechelen", assignMentorOp, map[string]any{"input": map[string]any{"trajectoryID": tr, "mentorID": m, "plannedWeeklyHours": 19}})
	return tr
}

// TestDossier is the dossier story through /graphql and the download
// endpoints: both sides edit a structured plan, sign it (it freezes),
// Mechelen attaches the signed agreement and applies, each kind of viewer
// downloads what it may, the application file shows the calculation lines
// to the ministry and not to Leuven, and the evaluation's indicator results
// reach the ministry in full and analysts by theme.
func TestDossier(t *testing.T) {
	d := testutil.SeededPostgres(t)
	a := api{t, testutil.NewServer(t, d, map[string]string{"MAX_UPLOAD_BYTES": "4096"})}
	ids := a.demo()
	tr := dossierTrajectory(a, ids, ids.openCall)
	due := time.Now().AddDate(0, 2, 0).Format("2006-01-02")

	// Mechelen writes the goals and actions, Leuven the indicators.
	p := a.do("mechelen", updatePlanOp, input(map[string]any{"trajectoryID": tr, "actionPlan": "Leuven leert meten wat zijn sociale dienst bereikt.",
		"goals":   []any{map[string]any{"description": "Een jaarlijkse effectmeting"}},
		"actions": []any{map[string]any{"what": "Nulmeting van de wachttijden", "side": "RECEIVING", "due": due}}}))
	if p.at("updateActionPlan.trajectory.plan.version") != 1.0 {
		t.Fatalf("plan after the first change: %v", p)
	}
	a.do("mechelen", signAgreementOp, map[string]any{"input": map[string]any{"trajectoryID": tr}})
	p = a.do("leuven", updatePlanOp, input(map[string]any{"trajectoryID": tr, "indicators": []any{
		map[string]any{"name": "Wachttijd eerste afspraak", "unit": "dagen", "baseline": 21, "target": 10},
		map[string]any{"name": "Cliënten met automatisch toegekende rechten", "unit": "%", "baseline": 40, "target": 60},
	}}))
	plan := jsonObject(p.at("updateActionPlan.trajectory.plan").(map[string]any))
	if plan.at("version") != 2.0 || plan.at("goals.0.description") != "Een jaarlijkse effectmeting" ||
		plan.at("indicators.1.name") != "Cliënten met automatisch toegekende rechten" || plan.at("actions.0.side") != "RECEIVING" {
		t.Fatalf("plan after the second change: %v", plan)
	}
	// Leuven's change withdrew Mechelen's signature: two more are needed.
	a.refused("leuven", updatePlanOp, input(map[string]any{"trajectoryID": tr, "indicators": []any{
		map[string]any{"name": "x", "unit": "u", "baseline": 1, "target": 1}}}), "BAD_USER_INPUT", "indicators")
	a.refused("kortrijk", updatePlanOp, input(map[string]any{"trajectoryID": tr, "actionPlan": "x"}), "NOT_FOUND", "")
	a.refused("vvsg", updatePlanOp, input(map[string]any{"trajectoryID": tr, "actionPlan": "x"}), "FORBIDDEN", "")
	if st := a.do("leuven", signAgreementOp, map[string]any{"input": map[string]any{"trajectoryID": tr}}).at("signAgreement.trajectory.status"); st != "MATCHED" {
		t.Fatalf("after Leuven signed: %v", st)
	}
	a.do("mechelen", signAgreementOp, map[string]any{"input": map[string]any{"trajectoryID": tr}})

	// Signed: frozen, and the agreement names the version and its hash.
	n := a.do("vvsg", planOf, map[string]any{"id": tr})
	if n.at("node.status") != "AGREED" || n.at("node.plan.frozen") != true || n.at("node.agreement.planVersion") != 2.0 ||
		n.at("node.agreement.planSha256") != plan.at("sha256") {
		t.Fatalf("after both signed: %v (plan %v)", n, plan.at("sha256"))
	}
	a.refused("leuven", updatePlanOp, input(map[string]any{"trajectoryID": tr, "actionPlan": "Nog een wijziging."}), "CONFLICT", "")
	if v := a.do("ministry", planOf, map[string]any{"id": tr}).at("node.plan.version"); v != 2.0 {
		t.Fatalf("a refused change made version %v", v)
	}
	for _, login := range []string{"analyst", "partner"} {
		n := a.do(login, planOf, map[string]any{"id": tr})
		if n.at("node.plan") != nil || n.at("node.agreement") != nil || len(n.at("node.documents").([]any)) != 0 {
			t.Errorf("%s reads the plan or documents: %v", login, n)
		}
	}

	// Documents: refused files store nothing.
	before := countRows(t, a.s, "documents")
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"notities.txt", []byte("gewone tekst, geen document")},
		{"script.pdf", []byte("#!/bin/sh\necho hallo\n")},
		{"groot.pdf", fakePDF(strings.Repeat("x", 5000))},
		{"leeg.pdf", nil},
	} {
		r := upload(t, a.s, "mechelen", tr, "OTHER", c.name, c.data)
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "file" {
			t.Errorf("%s: %+v", c.name, r.Errors)
		}
	}
	if r := upload(t, a.s, "vvsg", tr, "OTHER", "a.pdf", fakePDF("a")); r.Code() != "FORBIDDEN" {
		t.Errorf("the coordinator uploads: %+v", r.Errors)
	}
	if r := upload(t, a.s, "kortrijk", tr, "OTHER", "a.pdf", fakePDF("a")); r.Code() != "NOT_FOUND" {
		t.Errorf("another municipality uploads: %+v", r.Errors)
	}
	if r := upload(t, a.s, "", tr, "OTHER", "a.pdf", fakePDF("a")); r.Code() != "UNAUTHENTICATED" {
		t.Errorf("anonymous upload: %+v", r.Errors)
	}
	// A request past the multipart limit (MAX_UPLOAD_BYTES plus
	// MAX_BODY_BYTES) is refused before GraphQL runs.
	if r := upload(t, a.s, "mechelen", tr, "OTHER", "reus.pdf", fakePDF(strings.Repeat("x", 2<<20))); r.Status != http.StatusRequestEntityTooLarge || r.Code() != "REQUEST_TOO_LARGE" {
		t.Errorf("an oversized request: %d %+v", r.Status, r.Errors)
	}
	if after := countRows(t, a.s, "documents"); after != before {
		t.Fatalf("refused uploads stored %d documents", after-before)
	}
	files, _ := os.ReadDir(strings.TrimPrefix(a.s.Config.DocumentStoreURL, "file://") + "/documents")
	if len(files) != 0 {
		t.Fatalf("refused uploads left %d files in the store", len(files))
	}

	agreement := fakePDF("Overeenkomst Mechelen – Leuven, ondertekend")
	r := upload(t, a.s, "mechelen", tr, "AGREEMENT_SIGNED", `C:\scans\overeenkomst.pdf`, agreement)
	var up struct {
		UploadDocument struct {
			Document struct {
				ID, Kind, Filename, ContentType, Sha256, URL string
				Size                                         int
			}
		}
	}
	r.Decode(t, &up)
	doc := up.UploadDocument.Document
	sum := sha256.Sum256(agreement)
	if doc.Kind != "AGREEMENT_SIGNED" || doc.Filename != "overeenkomst.pdf" || doc.ContentType != "application/pdf" ||
		doc.Size != len(agreement) || doc.Sha256 != hex.EncodeToString(sum[:]) || doc.URL != "/documents/"+doc.ID {
		t.Fatalf("stored document: %+v", doc)
	}
	// Who downloads it: the parties, the coordinator and the ministry.
	for login, want := range map[string]int{"mechelen": 200, "leuven": 200, "vvsg": 200, "ministry": 200,
		"kortrijk": 404, "brugge": 404, "analyst": 404, "partner": 404, "": 401} {
		status, body, h := download(t, a.s, login, a.s.URL+doc.URL)
		switch {
		case status != want:
			t.Errorf("%q downloads the agreement: %d, want %d", login, status, want)
		case want == 200 && (!bytes.Equal(body, agreement) || h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff"):
			t.Errorf("%s got other bytes or headers: %q %v", login, body, h)
		case want != 200 && bytes.Contains(body, []byte("PDF")):
			t.Errorf("%q got bytes of the document with %d", login, status)
		}
	}
	// Guessing: a neighbouring ID, another type's ID, no ID at all answer
	// like a hidden document.
	for _, url := range []string{a.s.URL + "/documents/" + tr, a.s.URL + "/documents/999999", a.s.URL + "/documents/%00"} {
		if status, _, _ := download(t, a.s, "kortrijk", url); status != 404 {
			t.Errorf("kortrijk GET %s: %d", url, status)
		}
	}

	// The application, and its file.
	if st := a.do("mechelen", submitOp, map[string]any{"input": map[string]any{"trajectoryID": tr}}).at("submitGrantApplication.grant.status"); st != "RESERVED" {
		t.Fatalf("application: %v", st)
	}
	pdfURL, _ := a.do("ministry", planOf, map[string]any{"id": tr}).at("node.grant.applicationPdfURL").(string)
	if pdfURL != "/trajectories/"+tr+"/application.pdf" {
		t.Fatalf("applicationPdfURL: %q", pdfURL)
	}
	pdfURL = a.s.URL + pdfURL
	if u := a.do("analyst", planOf, map[string]any{"id": tr}).at("node.grant.applicationPdfURL"); u != nil {
		t.Errorf("an analyst gets the application file's URL: %v", u)
	}
	texts := map[string]string{}
	for login, want := range map[string]int{"ministry": 200, "mechelen": 200, "leuven": 200, "vvsg": 200,
		"kortrijk": 404, "analyst": 404, "partner": 404, "": 401} {
		status, body, _ := download(t, a.s, login, pdfURL)
		if status != want {
			t.Errorf("%q downloads the application file: %d, want %d", login, status, want)
			continue
		}
		if status == 200 {
			texts[login] = pdfText(t, body)
		} else if bytes.HasPrefix(body, []byte("%PDF")) {
			t.Errorf("%q got a PDF with %d", login, status)
		}
	}
	for _, login := range []string{"ministry", "mechelen"} {
		for _, want := range []string{"Subsidieaanvraag De Wisselaar", "Mechelen (NIS 12025)", "Leuven (NIS 24062)", "Ondertekende versie",
			"Wachttijd eerste afspraak", "Cliënten met automatisch toegekende rechten", "Renée Dewaele", "€ 6.400,00", "Gevraagd bedrag", "budget gereserveerd"} {
			if !strings.Contains(texts[login], want) {
				t.Errorf("%s's application file lacks %q:\n%s", login, want, texts[login])
			}
		}
		// Four monthly lines of 1,600.00 each, summing to the request.
		if n := strings.Count(texts[login], "€ 1.600,00"); n != 4 {
			t.Errorf("%s's application file has %d lines of € 1.600,00", login, n)
		}
	}
	if !strings.Contains(texts["ministry"], "Beschikbaar vóór indiening") {
		t.Errorf("the ministry's file lacks the ledger")
	}
	for _, login := range []string{"leuven", "vvsg"} {
		if !strings.Contains(texts[login], "€ 6.400,00") || strings.Contains(texts[login], "€ 1.600,00") || strings.Contains(texts[login], "Loonkost/maand") {
			t.Errorf("%s's application file shows salary lines, or no request:\n%s", login, texts[login])
		}
	}
	if strings.Contains(texts["leuven"], "Beschikbaar vóór indiening") {
		t.Errorf("Leuven's file shows the call's ledger")
	}
	// The files with salary lines were read into the audit trail, one
	// READ_SALARY per reader and mentor; those without lines were not.
	readers := map[string]int{}
	for _, e := range readAudit(t, a.s, "ministry", map[string]any{"action": "READ_SALARY"}) {
		readers[e.ActorSubject]++
	}
	for login, want := range map[string]int{"ministry": 1, "mechelen": 1, "leuven": 0, "vvsg": 0} {
		if got := readers[subjectOf(t, a.s, login)]; got != want {
			t.Errorf("%s's download of the application file: %d READ_SALARY events, want %d", login, got, want)
		}
	}

	// Completion: every indicator's result, read in full by the ministry
	// and by theme by the analyst.
	g := a.do("ministry", `query($id: ID!) { node(id: $id) { ... on Trajectory { grant { id } } } }`, map[string]any{"id": tr}).at("node.grant.id")
	a.do("ministry", `mutation($i: DecideGrantInput!) { decideGrant(input: $i) { grant { status } } }`, input(map[string]any{"grantID": g, "approve": true, "awarded": "6400.00"}))
	a.do("mechelen", `mutation($i: StartTrajectoryInput!) { startTrajectory(input: $i) { trajectory { status } } }`, input(map[string]any{"trajectoryID": tr}))
	complete := `mutation($i: CompleteTrajectoryInput!) { completeTrajectory(input: $i) { trajectory { status } } }`
	a.refused("leuven", complete, input(map[string]any{"trajectoryID": tr, "evaluationReport": "Geslaagd.",
		"indicatorResults": []any{map[string]any{"indicator": 1, "result": 9}}}), "BAD_USER_INPUT", "indicatorResults")
	a.do("leuven", complete, input(map[string]any{"trajectoryID": tr, "evaluationReport": "De wachttijd is gehalveerd.",
		"indicatorResults": []any{map[string]any{"indicator": 2, "result": 50}, map[string]any{"indicator": 1, "result": 9}}}))
	n = a.do("ministry", planOf, map[string]any{"id": tr})
	if n.at("node.plan.indicators.0.result") != 9.0 || n.at("node.plan.indicators.1.result") != 50.0 {
		t.Fatalf("the ministry reads the results as %v", n.at("node.plan.indicators"))
	}
	stats := a.do("analyst", `{ indicatorStatistics { theme { code } trajectories indicators indicatorsMet meanAchievement } }`, nil)
	found := false
	for _, row := range stats.at("indicatorStatistics").([]any) {
		r := jsonObject(row.(map[string]any))
		if r.at("theme.code") == "IMPACT_MEASUREMENT" {
			found = true
			// (9−21)/(10−21) = 1.0909…, (50−40)/(60−40) = 0.5: mean 0.7955.
			if r.at("trajectories") != 1.0 || r.at("indicators") != 2.0 || r.at("indicatorsMet") != 1.0 || r.at("meanAchievement") != 0.7955 {
				t.Errorf("impact measurement: %v", r)
			}
		} else if r.at("indicators") != 0.0 || r.at("meanAchievement") != nil {
			t.Errorf("a theme without evaluated indicators: %v", r)
		}
	}
	if !found {
		t.Fatalf("no row for impact measurement: %v", stats)
	}
	if r := a.s.Query(t, "", `{ indicatorStatistics { indicators } }`, nil); r.Code() != "UNAUTHENTICATED" {
		t.Errorf("anonymous statistics: %+v", r.Errors)
	}
}

// TestCallThatAsksForTheSignedDocument: a call configured for a signed
// agreement document refuses an application without one, and with one
// records the agreement on the plan as it stands.
func TestCallThatAsksForTheSignedDocument(t *testing.T) {
	d := testutil.SeededPostgres(t)
	a := api{t, testutil.NewServer(t, d, nil)}
	ids := a.demo()
	year := time.Now().Year()
	c := a.do("ministry", `mutation($i: CreateCallInput!) { createCall(input: $i) { call { id agreementEvidence } } }`, input(map[string]any{
		"name": "Papieren overeenkomst", "year": year, "opensAt": time.Now().Add(-time.Hour).Format(time.RFC3339),
		"closesAt": time.Now().AddDate(0, 2, 0).Format(time.RFC3339), "budget": "100000.00", "perProjectCap": "50000.00",
		"compensationPercent": 50, "agreementEvidence": "SIGNED_DOCUMENT",
	}))
	if c.at("createCall.call.agreementEvidence") != "SIGNED_DOCUMENT" {
		t.Fatalf("call: %v", c)
	}
	tr := dossierTrajectory(a, ids, c.at("createCall.call.id").(string))
	a.do("leuven", updatePlanOp, input(map[string]any{"trajectoryID": tr, "actionPlan": "Op papier ondertekend."}))
	a.refused("mechelen", submitOp, map[string]any{"input": map[string]any{"trajectoryID": tr}}, "CONFLICT", "")
	upload(t, a.s, "leuven", tr, "EVALUATION", "evaluatie.pdf", fakePDF("geen overeenkomst"))
	a.refused("mechelen", submitOp, map[string]any{"input": map[string]any{"trajectoryID": tr}}, "CONFLICT", "")
	if r := upload(t, a.s, "leuven", tr, "AGREEMENT_SIGNED", "overeenkomst.pdf", fakePDF("getekend")); len(r.Errors) > 0 {
		t.Fatalf("upload: %+v", r.Errors)
	}
	if st := a.do("mechelen", submitOp, map[string]any{"input": map[string]any{"trajectoryID": tr}}).at("submitGrantApplication.grant.status"); st != "RESERVED" {
		t.Fatalf("application: %v", st)
	}
	n := a.do("leuven", planOf, map[string]any{"id": tr})
	if n.at("node.status") != "AGREED" || n.at("node.agreement.planVersion") != 1.0 || n.at("node.plan.frozen") != true {
		t.Fatalf("after submitting with the signed document: %v", n)
	}
	a.refused("leuven", updatePlanOp, input(map[string]any{"trajectoryID": tr, "actionPlan": "Later."}), "CONFLICT", "")
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing (Debian: apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is missing (Debian: apt-get install poppler-utils); skipping the checks of the application file")
	}
	f := filepath.Join(t.TempDir(), "a.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestInfectedUploadRefused uploads through /graphql to a server that
// scans with a real clamd: the file clamd finds is BAD_USER_INPUT on field
// file and nothing is stored; a clean one is stored.
func TestInfectedUploadRefused(t *testing.T) {
	addr := clamdtest.Start(t)
	d := testutil.SeededPostgres(t)
	a := api{t, testutil.NewServer(t, d, map[string]string{"CLAMD_ADDRESS": addr})}
	ids := a.demo()
	tr := dossierTrajectory(a, ids, ids.openCall)
	before := countRows(t, a.s, "documents")
	r := upload(t, a.s, "leuven", tr, "OTHER", "factuur.pdf", clamdtest.Infected())
	if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "file" || !strings.Contains(r.Errors[0].Message, clamdtest.VirusName) {
		t.Fatalf("infected upload: %+v", r.Errors)
	}
	if n := countRows(t, a.s, "documents"); n != before {
		t.Fatalf("the infected upload stored %d rows", n-before)
	}
	files, _ := os.ReadDir(strings.TrimPrefix(a.s.Config.DocumentStoreURL, "file://") + "/documents")
	if len(files) != 0 {
		t.Fatalf("the infected upload left %d files", len(files))
	}
	if r := upload(t, a.s, "leuven", tr, "OTHER", "schoon.pdf", fakePDF("schoon")); len(r.Errors) > 0 {
		t.Fatalf("clean upload: %+v", r.Errors)
	}
}

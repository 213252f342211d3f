package apitest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"wisselaar/internal/testutil"
)

// get sends a GET as login ("" for anonymous) with extra headers.
func get(t *testing.T, s *testutil.Server, login, path string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if login != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token(t, login))
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// TestExportCSV reads the CSV export as an analyst: UTF-8 with a byte
// order mark, RFC 4180, one row per grant, the filters of API.md, Dutch or
// English headings and either delimiter.
func TestExportCSV(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	read := func(path string, comma rune) [][]string {
		t.Helper()
		resp, body := get(t, s, "analyst", path, nil)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s: %d %s: %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		rest, ok := bytes.CutPrefix(body, []byte("\xEF\xBB\xBF"))
		if !ok {
			t.Fatalf("%s: no byte order mark", path)
		}
		if !bytes.Contains(rest, []byte("\r\n")) {
			t.Errorf("%s: lines do not end in CRLF", path)
		}
		r := csv.NewReader(bytes.NewReader(rest))
		r.Comma = comma
		records, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return records
	}
	all := read("/exports/grants.csv", ';')
	if len(all) != 12 || all[0][0] != "Projectoproep" || all[0][14] != "Toegekend (EUR)" {
		t.Fatalf("%d records, headings %v", len(all), all[0])
	}
	total := map[string]int{}
	for _, rec := range all[1:] {
		if !strings.HasSuffix(rec[14], ".00") {
			t.Errorf("awarded %q is not a two-decimal amount", rec[14])
		}
		total[rec[1]]++
	}
	if total["2022"] != 4 || total["2023"] != 7 {
		t.Errorf("grants per year: %v", total)
	}
	found := false
	for _, rec := range all {
		if rec[2] == "Efficiënte backofficeprocessen: meer tijd voor sociaal werk" && rec[14] == "23965.00" && rec[12] != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("the Balen trajectory is not exported with its accents and amount: %v", all)
	}
	en := read("/exports/grants.csv?lang=en&delimiter=,&year=2023&givingProvince=WEST_VLAANDEREN", ',')
	if en[0][0] != "Call" || len(en) != 5 { // Roeselare → Kortrijk, Kortrijk → Roeselare and → Oud-Turnhout, Oostende → Beerse
		t.Errorf("English, 2023, given from West Flanders: %v", en)
	}
	for _, rec := range en[1:] {
		if rec[5] != "West Flanders" {
			t.Errorf("giving province %q", rec[5])
		}
	}
	if got := read("/exports/grants.csv?theme=PARTICIPATION&status=PAID&receivingProvince=ANTWERPEN", ';'); len(got) != 2 {
		t.Errorf("participation, paid, received in Antwerp: %v", got)
	}
}

// TestExportXLSX reads the XLSX export with excelize: typed cells, amounts
// as numbers with two decimals, days as dates, accents intact.
func TestExportXLSX(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	resp, body := get(t, s, "ministry", "/exports/grants.xlsx?year=2022", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("%d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "Projectoproep" {
		t.Fatalf("rows: %v", rows)
	}
	var sum int
	for line := 2; line <= 5; line++ {
		cell := "O" + string(rune('0'+line)) // Toegekend (EUR)
		// A number cell has no type attribute (or "n"); text would be "s"
		// or "inlineStr".
		typ, err := f.GetCellType(sheet, cell)
		if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
			t.Errorf("%s: type %v (%v), want a number", cell, typ, err)
		}
		shown, _ := f.GetCellValue(sheet, cell)
		raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if !strings.HasSuffix(shown, ".00") || strings.Contains(raw, "e") {
			t.Errorf("%s: shown %q, stored %q", cell, shown, raw)
		}
		var euros int
		if err := json.Unmarshal([]byte(raw), &euros); err != nil {
			t.Errorf("%s: stored %q, want whole euros", cell, raw)
		}
		sum += euros
		date, _ := f.GetCellValue(sheet, "L"+string(rune('0'+line)))
		if len(date) != 10 || !strings.HasPrefix(date, "2022-") {
			t.Errorf("submitted on %q, want a day of 2022", date)
		}
		style, _ := f.GetCellStyle(sheet, "L"+string(rune('0'+line)))
		if style == 0 {
			t.Errorf("submitted on has no date format")
		}
	}
	if sum != 89122 {
		t.Errorf("awarded in 2022: %d, want 89122", sum)
	}
	if rows[3][2] != "Efficiënte backofficeprocessen: meer tijd voor sociaal werk" {
		t.Errorf("title %q", rows[3][2])
	}
}

// TestExportRefusals: no file without the right viewer or with a wrong
// parameter, and a JSON error instead.
func TestExportRefusals(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	for _, tt := range []struct {
		login, path string
		header      map[string]string
		status      int
		code, field string
	}{
		{"", "/exports/grants.csv", nil, 401, "UNAUTHENTICATED", ""},
		{"", "/exports/grants.xlsx", map[string]string{"Authorization": "Bearer not-a-token"}, 401, "", ""},
		{"leuven", "/exports/grants.csv", nil, 403, "FORBIDDEN", ""},
		{"partner", "/exports/grants.xlsx", nil, 403, "FORBIDDEN", ""},
		{"analyst", "/exports/grants.csv?format=pdf", nil, 400, "BAD_USER_INPUT", "format"},
		{"analyst", "/exports/grants.xlsx?delimiter=,", nil, 400, "BAD_USER_INPUT", "delimiter"},
		{"analyst", "/exports/grants.csv?delimiter=tab", nil, 400, "BAD_USER_INPUT", "delimiter"},
		{"analyst", "/exports/grants.csv?year=twenty", nil, 400, "BAD_USER_INPUT", "year"},
		{"analyst", "/exports/grants.csv?year=2022&year=2023", nil, 400, "BAD_USER_INPUT", "year"},
		{"analyst", "/exports/grants.csv?status=paid", nil, 400, "BAD_USER_INPUT", "status"},
		{"analyst", "/exports/grants.csv?callID=abc", nil, 400, "BAD_USER_INPUT", "callID"},
		{"analyst", "/exports/grants.csv?givingProvince=BRUSSEL", nil, 400, "BAD_USER_INPUT", "givingProvince"},
		{"analyst", "/exports/grants.csv?lang=fr", nil, 400, "BAD_USER_INPUT", "lang"},
	} {
		resp, body := get(t, s, tt.login, tt.path, tt.header)
		if resp.StatusCode != tt.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s as %q: %d %s, want %d with a JSON error", tt.path, tt.login, resp.StatusCode, resp.Header.Get("Content-Type"), tt.status)
			continue
		}
		var e struct {
			Errors []struct{ Extensions map[string]string }
		}
		if err := json.Unmarshal(body, &e); err != nil || len(e.Errors) != 1 {
			t.Errorf("%s: body %s", tt.path, body)
			continue
		}
		if tt.code != "" && (e.Errors[0].Extensions["code"] != tt.code || e.Errors[0].Extensions["field"] != tt.field) {
			t.Errorf("%s as %q: %v, want %s on %q", tt.path, tt.login, e.Errors[0].Extensions, tt.code, tt.field)
		}
	}
}

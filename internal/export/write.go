package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"wisselaar/domain"
	"wisselaar/ent"
)

// bom is the UTF-8 byte order mark: Excel reads a CSV file as UTF-8 only
// when it starts with it.
const bom = "\uFEFF"

// WriteCSV writes the export as CSV (RFC 4180: CRLF line ends, fields
// quoted where needed), UTF-8 with a byte order mark, streaming: rows are
// written as they are read. start is called once, before the first byte
// is written, after the first batch was read.
func WriteCSV(ctx context.Context, c *ent.Client, o Options, start func(), w io.Writer) error {
	var out *csv.Writer
	var buf *bufio.Writer
	begin := func() error {
		start()
		buf = bufio.NewWriter(w)
		if _, err := buf.WriteString(bom); err != nil {
			return err
		}
		out = csv.NewWriter(buf)
		out.Comma = o.Delimiter
		out.UseCRLF = true
		return out.Write(Headings(o.English))
	}
	record := make([]string, len(Columns))
	err := Rows(ctx, c, o, func(r *Row) error {
		if out == nil {
			if err := begin(); err != nil {
				return err
			}
		}
		for i, v := range r.Cells() {
			record[i] = csvValue(v)
		}
		return out.Write(record)
	})
	if err != nil {
		return err
	}
	if out == nil {
		if err := begin(); err != nil {
			return err
		}
	}
	out.Flush()
	if err := out.Error(); err != nil {
		return err
	}
	return buf.Flush()
}

func csvValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case domain.Money:
		return v.String()
	case time.Time:
		return v.Format("2006-01-02")
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// sheet is the name of the XLSX export's one sheet.
const sheet = "Subsidies"

// WriteXLSX writes the export as an XLSX workbook with excelize's stream
// writer: amounts are numbers shown with two decimals, days are dates. The
// workbook (a zip archive) is complete only at its end; excelize keeps
// large sheets in a temporary file rather than in memory. start is called
// once, before the first byte is written.
func WriteXLSX(ctx context.Context, c *ent.Client, o Options, start func(), w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// Built-in number format 4 is "#,##0.00"; a custom format gives the
	// day as yyyy-mm-dd whatever the reader's locale.
	moneyStyle, err := f.NewStyle(&excelize.Style{NumFmt: 4})
	if err != nil {
		return err
	}
	dateFormat := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat})
	if err != nil {
		return err
	}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, col := range Columns {
		width := 18.0
		if col.Kind == Text {
			width = 28
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	head := make([]any, len(Columns))
	for i, h := range Headings(o.English) {
		head[i] = excelize.Cell{Value: h, StyleID: headStyle}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{}); err != nil {
		return err
	}
	line := 2
	err = Rows(ctx, c, o, func(r *Row) error {
		cells := r.Cells()
		row := make([]any, len(cells))
		for i, v := range cells {
			switch v := v.(type) {
			case domain.Money:
				row[i] = excelize.Cell{Value: spreadsheetNumber(v), StyleID: moneyStyle}
			case time.Time:
				row[i] = excelize.Cell{Value: v, StyleID: dateStyle}
			default:
				row[i] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, line)
		line++
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	start()
	_, err = f.WriteTo(w)
	return err
}

// spreadsheetNumber gives an amount as the spreadsheet's number type,
// which is a binary floating-point number: it is parsed from the exact
// decimal string, and excelize writes it back as the shortest decimal that
// reads as the same number, which is that same string (up to trailing
// zeros). No arithmetic happens on it.
func spreadsheetNumber(m domain.Money) float64 {
	f, _ := strconv.ParseFloat(m.String(), 64)
	return f
}

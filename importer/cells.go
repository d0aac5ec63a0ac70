package importer

import (
	"encoding/csv"
	"strings"
)

// Spreadsheets run a cell that starts with one of these as a formula.
const formulaStarts = "=+-@\t\r"

// Neutralise makes a cell safe to open in a spreadsheet: a value that
// (after any apostrophes) starts like a formula gets one more leading
// apostrophe, so Excel and LibreOffice show it as text. Unneutralise undoes
// it exactly, so an exported file imports back to the same values.
func Neutralise(v string) string {
	rest := strings.TrimLeft(v, "'")
	if rest != "" && strings.IndexByte(formulaStarts, rest[0]) >= 0 {
		return "'" + v
	}
	return v
}

// Unneutralise is the inverse of Neutralise.
func Unneutralise(v string) string {
	rest := strings.TrimLeft(v, "'")
	if len(rest) < len(v) && rest != "" && strings.IndexByte(formulaStarts, rest[0]) >= 0 {
		return v[1:]
	}
	return v
}

// JoinGroups writes group names as one cell: comma-separated, a name with
// a comma or quote in double quotes, so SplitGroups reads them back.
func JoinGroups(names []string) string {
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	w.Write(names)
	w.Flush()
	return strings.TrimRight(sb.String(), "\n")
}

// SplitGroups reads a groups cell: names separated by commas, spaces
// around them dropped, empty ones ignored.
func SplitGroups(cell string) []string {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return nil
	}
	names := strings.Split(cell, ",")
	if strings.IndexByte(cell, '"') >= 0 {
		// Quoted names may hold commas: read the cell as a CSV line.
		r := csv.NewReader(strings.NewReader(cell))
		r.TrimLeadingSpace = true
		r.LazyQuotes = true
		if quoted, err := r.Read(); err == nil {
			names = quoted
		}
	}
	var out []string
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

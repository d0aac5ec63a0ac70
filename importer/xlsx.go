package importer

import (
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxSource streams the first sheet of a workbook. Cells are read as the
// text Excel shows, except that numbers are written out in full (a phone
// stored as the number 9.87654321E9 reads as 9876543210).
type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	row  int
}

// openXLSX opens the first sheet after checking what the workbook unpacks
// to (checkWorkbook); excelize's temp files go to tmpDir ("" for the
// system's).
func openXLSX(path string, limit int64, tmpDir string) (source, error) {
	if err := checkWorkbook(path, limit); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: min(limit, xlsxStreamAbove), TmpDir: tmpDir})
	if err != nil {
		return nil, fileErrorf("this file looks like an XLSX workbook but cannot be read (%v): open it in Excel and save it again, or save it as CSV UTF-8", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, fileErrorf("the workbook has no sheets")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fileErrorf("the first sheet (%q) cannot be read: %v", sheets[0], err)
	}
	return &xlsxSource{f: f, rows: rows}, nil
}

func (s *xlsxSource) next() (int, []string, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return 0, nil, fileErrorf("row %d of the first sheet cannot be read: %v", s.row+1, err)
		}
		return 0, nil, nil
	}
	// Next yields every row number, missing (empty) rows included, so the
	// count is the row number Excel shows.
	s.row++
	cells, err := s.rows.Columns()
	if err != nil {
		return 0, nil, fileErrorf("row %d of the first sheet cannot be read: %v", s.row, err)
	}
	if len(cells) > MaxColumns {
		return 0, nil, tooManyCells(s.row)
	}
	for i, c := range cells {
		cells[i] = fullNumber(c)
	}
	if cells == nil {
		cells = []string{}
	}
	return s.row, cells, nil
}

// fullNumber rewrites a number Excel would show in scientific notation
// (9.87654321E+09) with all its digits, when that is exact.
func fullNumber(v string) string {
	if !strings.ContainsAny(v, "Ee") || strings.ContainsAny(v, " ,") {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f != math.Trunc(f) || f > 1e15 || f < 0 {
		return v
	}
	return strconv.FormatInt(int64(f), 10)
}

func (s *xlsxSource) Close() error {
	s.rows.Close()
	return s.f.Close()
}

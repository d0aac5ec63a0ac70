package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// csvSource streams a CSV file. Rows are numbered as a spreadsheet shows
// them: a record whose quoted cells hold line breaks is one row, and a blank
// line is a (skipped) row of its own.
type csvSource struct {
	c     io.Closer
	r     *csv.Reader
	guard *cellGuard
	extra int // physical lines that quoted line breaks added so far
}

// newCSVSource reads r, whose first bytes are head (used to sniff the
// delimiter and the line ending).
func newCSVSource(r io.ReadCloser, head []byte) *csvSource {
	var in io.Reader = r
	if bytes.HasPrefix(head, utf8BOM) {
		head = head[len(utf8BOM):]
		in = skipReader(r, len(utf8BOM))
	}
	if bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0 {
		in = crReader{in} // classic Mac line endings
	}
	comma := sniffDelimiter(head)
	guard := newCellGuard(in, comma)
	cr := csv.NewReader(guard)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	return &csvSource{c: r, r: cr, guard: guard}
}

func (s *csvSource) next() (int, []string, error) {
	rec, err := s.r.Read()
	if errors.Is(err, io.EOF) {
		return 0, nil, nil
	}
	if errors.Is(err, errTooManyCells) {
		return 0, nil, tooManyCells(s.guard.line)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return 0, nil, fileErrorf("row %d: %s", pe.StartLine-s.extra, csvReason(pe.Err))
	}
	if err != nil {
		return 0, nil, fmt.Errorf("importer: unable to read the CSV file: %w", err)
	}
	start, _ := s.r.FieldPos(0)
	last := len(rec) - 1
	end, _ := s.r.FieldPos(last)
	end += strings.Count(rec[last], "\n")
	row := start - s.extra
	s.extra += end - start
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return 0, nil, fileErrorf("row %d is not UTF-8 text (the file may be Latin-1 or Windows-1252): save it as CSV UTF-8 (Excel: File › Save As › CSV UTF-8) and upload it again", row)
		}
	}
	return row, rec, nil
}

func (s *csvSource) Close() error { return s.c.Close() }

func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return `a double quote (") appears inside a cell that does not start with one: put the whole cell in double quotes and write the quote twice ("")`
	case errors.Is(err, csv.ErrQuote):
		return `a cell opens a double quote (") that is never closed: close it, or write a quote inside a cell as ""`
	}
	return err.Error()
}

// sniffDelimiter picks ',', ';' or tab: whichever the header line holds most
// of outside quotes (Excel writes ';' where the decimal separator is ',').
func sniffDelimiter(head []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, b := range head {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == '\n' || b == '\r':
			goto done
		case b == ',' || b == ';' || b == '\t':
			counts[b]++
		}
	}
done:
	best, n := byte(','), counts[',']
	for _, d := range []byte{';', '\t'} {
		if counts[d] > n {
			best, n = d, counts[d]
		}
	}
	return rune(best)
}

// skipReader drops the first n bytes of r.
func skipReader(r io.Reader, n int) io.Reader {
	io.CopyN(io.Discard, r, int64(n))
	return r
}

// crReader turns lone carriage returns into line feeds.
type crReader struct{ r io.Reader }

func (c crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

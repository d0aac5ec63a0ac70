package importer

import (
	"errors"
	"fmt"
	"io"
)

// MaxColumns caps the cells of one row. A contact file needs at most 64
// columns (phone, name, v1–v10, groups, id and 50 attributes); the rest of
// the margin is for empty columns some spreadsheets add at the right. The
// CSV reader is stopped before it builds a longer row: a 1 MB line of
// commas is a million cells.
const MaxColumns = 1000

// maxNotes caps the notes about the header a report lists.
const maxNotes = 100

// errTooManyCells is returned by cellGuard once a record passes MaxColumns.
var errTooManyCells = errors.New("too many cells")

// cellGuard sits between the file and encoding/csv, counting the
// delimiters of each record outside quotes, and fails the read once one
// record holds more than MaxColumns cells. line is the physical line where
// it stopped.
type cellGuard struct {
	r      io.Reader
	comma  byte
	quoted bool
	cells  int
	line   int
}

func newCellGuard(r io.Reader, comma rune) *cellGuard {
	return &cellGuard{r: r, comma: byte(comma), cells: 1, line: 1}
}

func (g *cellGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	for i, b := range p[:n] {
		switch {
		case b == '"':
			g.quoted = !g.quoted
		case b == '\n':
			g.line++
			if !g.quoted {
				g.cells = 1
			}
		case b == g.comma && !g.quoted:
			if g.cells++; g.cells > MaxColumns {
				return i, errTooManyCells
			}
		}
	}
	return n, err
}

// tooManyCells is the message for a row past MaxColumns.
func tooManyCells(line int) error {
	return fileErrorf("row %d has more than %d cells: a contact file needs at most %d columns (phone, name, v1–v10, groups and 50 attributes). Remove the empty columns at its right, or save only the contact columns", line, MaxColumns, 64)
}

// notes collects the header's notes, keeping the first maxNotes.
type notes struct {
	list    []string
	dropped int
}

func (n *notes) add(format string, args ...any) {
	if len(n.list) >= maxNotes {
		n.dropped++
		return
	}
	n.list = append(n.list, fmt.Sprintf(format, args...))
}

// done returns the notes, the last one saying how many were left out.
func (n *notes) done() []string {
	if n.dropped > 0 {
		return append(n.list, fmt.Sprintf("and %d more notes like these", n.dropped))
	}
	return n.list
}

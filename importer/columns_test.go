package importer_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestMillionEmptyHeaderCells: a 1 MB header of empty cells is refused with
// a message before a note per cell is built (it made a 65 MB report).
func TestMillionEmptyHeaderCells(t *testing.T) {
	s := testdb.SQLite(t)
	for name, content := range map[string]string{
		"header":   "phone" + strings.Repeat(",", 1_000_000) + "name\n9876543210,Asha\n",
		"data row": "phone,name\n9876543210,Asha" + strings.Repeat(",", 1_000_000) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := importer.Run(context.Background(), s, writeFile(t, "wide.csv", content), importer.Options{Mode: models.ImportUpdate, DryRun: true, Region: "IN"})
			var fe *importer.FileError
			want := "has more than 1000 cells: a contact file needs at most 64 columns"
			if !errors.As(err, &fe) || !strings.Contains(fe.Message, want) {
				t.Fatalf("want a FileError with %q, got %v", want, err)
			}
		})
	}
	// Commas inside a quoted cell are not cells.
	rep := run(t, s, writeFile(t, "quoted.csv", "phone,groups\n9876543210,\"VIP"+strings.Repeat(",", 1500)+"\"\n"), models.ImportUpdate, true)
	if rep.Valid != 1 {
		t.Fatalf("quoted commas: %+v", rep)
	}
}

// TestHeaderNotesAreCapped: 300 unnamed columns give 100 notes and one
// saying how many more; a long header name is cut in its note.
func TestHeaderNotesAreCapped(t *testing.T) {
	s := testdb.SQLite(t)
	long := strings.Repeat("é", 5000) + "x"
	content := "phone," + long + strings.Repeat(",", 300) + "name\n9876543210,x\n"
	rep := run(t, s, writeFile(t, "notes.csv", content), models.ImportUpdate, true)
	if len(rep.Notes) != 101 || rep.Notes[100] != "and 200 more notes like these" {
		t.Fatalf("%d notes, last %q", len(rep.Notes), rep.Notes[len(rep.Notes)-1])
	}
	if !strings.HasPrefix(rep.Notes[0], `column "`+strings.Repeat("é", 64)+`…" is stored as the attribute`) {
		t.Fatalf("first note not cut: %.200q", rep.Notes[0])
	}
	b, _ := json.Marshal(rep)
	if len(b) > 16<<10 {
		t.Fatalf("report is %d bytes", len(b))
	}
}

// TestXLSXRowWithTooManyCells: a sheet row past MaxColumns is refused too.
func TestXLSXRowWithTooManyCells(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wide.xlsx")
	rows := func(w io.Writer) error {
		io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>phone</t></is></c></row><row r="2">`)
		for i := 0; i < 1500; i++ {
			io.WriteString(w, `<c t="inlineStr"><is><t>x</t></is></c>`)
		}
		_, err := io.WriteString(w, `</row>`)
		return err
	}
	if err := importer.CraftXLSX(path, rows, nil, nil); err != nil {
		t.Fatal(err)
	}
	_, err := importer.Run(context.Background(), testdb.SQLite(t), path, importer.Options{Mode: models.ImportUpdate, DryRun: true, Region: "IN"})
	var fe *importer.FileError
	if !errors.As(err, &fe) || !strings.Contains(fe.Message, "row 2 has more than 1000 cells") {
		t.Fatalf("want row 2 refused, got %v", err)
	}
}

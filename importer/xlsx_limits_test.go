package importer_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestXLSXUnpackLimits: a workbook that unpacks past the import limit, or
// that holds a bomb outside its sheet, or too many texts, is refused with a
// message before excelize unpacks it; no temp file is left; a workbook
// within the limits imports.
func TestXLSXUnpackLimits(t *testing.T) {
	const limit = 1 << 20
	header := importer.ContactRows(0)
	cases := []struct {
		name    string
		rows    func(io.Writer) error
		sst     func(io.Writer) error
		extra   map[string]func(io.Writer) error
		limit   int64
		wantErr string
	}{
		{name: "sheet bomb", rows: func(w io.Writer) error {
			header(w)
			return importer.Filler(8<<20, "<row></row>")(w)
		}, limit: limit, wantErr: "this workbook unpacks to more than 1 MB, the import limit (SAMBAD_IMPORT_MAX_MB)"},
		{name: "bomb beside the sheet", rows: importer.ContactRows(3), extra: map[string]func(io.Writer) error{
			"xl/styles.xml": importer.Filler(20<<20, "<x/>"),
		}, limit: 64 << 20, wantErr: "this workbook holds more than 16 MB besides its sheets"},
		{name: "a million empty texts", rows: importer.ContactRows(3), sst: importer.Filler(4_000_000, "<si><t/></si>"),
			limit: 64 << 20, wantErr: "this workbook holds more than 250000 different texts"},
		{name: "one 600 KB cell", rows: func(w io.Writer) error {
			header(w)
			io.WriteString(w, `<row r="2"><c r="A2"><v>9876543210</v></c><c r="B2" t="inlineStr"><is><t>`)
			importer.Filler(600<<10, "x")(w)
			_, err := io.WriteString(w, `</t></is></c></row>`)
			return err
		}, limit: limit, wantErr: "this workbook holds a cell or tag longer than 256 KB"},
		{name: "within the limits", rows: importer.ContactRows(2000), limit: limit},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "upload.xlsx")
			if err := importer.CraftXLSX(path, tc.rows, tc.sst, tc.extra); err != nil {
				t.Fatal(err)
			}
			tmp := filepath.Join(dir, "tmp")
			os.Mkdir(tmp, 0o700)
			rep, err := importer.Run(context.Background(), testdb.SQLite(t), path, importer.Options{
				Mode: models.ImportUpdate, DryRun: true, Region: "IN", MaxBytes: tc.limit, TmpDir: tmp})
			if tc.wantErr == "" {
				if err != nil || rep.Imported != 2000 {
					t.Fatalf("want 2000 contacts, got %v %+v", err, rep)
				}
			} else {
				var fe *importer.FileError
				if !errors.As(err, &fe) || !strings.Contains(fe.Message, tc.wantErr) {
					t.Fatalf("want a FileError containing %q, got %v (report %+v)", tc.wantErr, err, rep)
				}
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Fatalf("temp files left behind: %v", left)
			}
		})
	}
}

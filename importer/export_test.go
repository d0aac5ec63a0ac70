package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

type snapshot struct {
	Name   string
	Vars   []string
	Attrs  models.Attributes
	Groups []string
}

func snapshotAll(t *testing.T, s *models.Store) map[string]snapshot {
	t.Helper()
	out := map[string]snapshot{}
	err := s.EachContact(context.Background(), models.ContactQuery{}, func(c *models.Contact, groups []string) error {
		out[c.Phone] = snapshot{c.Name, c.Variables(), c.Attributes, groups}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// An exported file, CSV or XLSX, imports back to the same contacts, formula
// look-alikes, commas, quotes and line breaks included.
func TestExportImportRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, src *models.Store) {
		ctx := context.Background()
		vip, _ := src.CreateGroup(ctx, "VIP")
		west, _ := src.CreateGroup(ctx, "Pune, West")
		quoted, _ := src.CreateGroup(ctx, `Say "hi"`)
		formula, _ := src.CreateGroup(ctx, "=evil()")
		inputs := []models.ContactInput{
			{Phone: "9876543210", Name: `=HYPERLINK("http://x","click")`, Variables: map[string]string{"v1": "-5", "v10": "@home"}, Attributes: map[string]string{"note": "+1 call", "city": "Pune"}},
			{Phone: "+1 202 555 0143", Name: "'=already quoted", Variables: map[string]string{"v2": "a,b;c\td"}},
			{Phone: "07911 123456", Name: "Asha \"Rao\"\nsecond line ☀", Attributes: map[string]string{"Company": "Acme; Ltd"}},
			{Phone: "9876500001"},
		}
		for i, in := range inputs {
			var c models.Contact
			if err := in.Apply(&c, "GB"); err != nil && i != 0 && i != 3 {
				t.Fatal(err)
			}
			if i == 0 || i == 3 {
				if err := in.Apply(&c, "IN"); err != nil {
					t.Fatal(err)
				}
			}
			if err := src.CreateContact(ctx, &c); err != nil {
				t.Fatal(err)
			}
			switch i {
			case 0:
				src.AddMembers(ctx, vip.ID, []string{c.ID})
				src.AddMembers(ctx, west.ID, []string{c.ID})
				src.AddMembers(ctx, formula.ID, []string{c.ID})
			case 2:
				src.AddMembers(ctx, quoted.ID, []string{c.ID})
			}
		}
		want := snapshotAll(t, src)
		exp, err := importer.NewExport(ctx, src, models.ContactQuery{})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		csvPath, xlsxPath := filepath.Join(dir, "out.csv"), filepath.Join(dir, "out.xlsx")
		for path, write := range map[string]func(context.Context, *os.File) error{
			csvPath:  func(ctx context.Context, f *os.File) error { return exp.WriteCSV(ctx, f) },
			xlsxPath: func(ctx context.Context, f *os.File) error { return exp.WriteXLSX(ctx, f) },
		} {
			f, _ := os.Create(path)
			if err := write(ctx, f); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
		raw, _ := os.ReadFile(csvPath)
		text := string(raw)
		if !strings.HasPrefix(text, "phone,name,v1,v2,v3,v4,v5,v6,v7,v8,v9,v10,groups,Company,city,note,on_whatsapp,on_whatsapp_checked_at\n") {
			t.Fatalf("CSV header: %q", strings.SplitN(text, "\n", 2)[0])
		}
		for _, cell := range []string{`"'=HYPERLINK(""http://x"",""click"")"`, "'-5", "'@home", "'+1 call", "''=already quoted", `"'=evil(),""Pune, West"",VIP"`} {
			if !strings.Contains(text, cell) {
				t.Errorf("CSV lacks the neutralised cell %s:\n%s", cell, text)
			}
		}
		if !strings.Contains(text, "\n+919876543210,") {
			t.Errorf("the phone column is not plain E.164:\n%s", text)
		}
		for _, path := range []string{csvPath, xlsxPath} {
			dst := testdb.SQLite(t)
			rep := run(t, dst, path, models.ImportUpdate, false)
			if rep.Imported != len(inputs) || rep.InvalidTotal != 0 {
				t.Fatalf("%s: %+v", filepath.Base(path), rep)
			}
			if got := snapshotAll(t, dst); !reflect.DeepEqual(got, want) {
				t.Errorf("%s round trip:\n got %+v\nwant %+v", filepath.Base(path), got, want)
			}
		}
	})
}

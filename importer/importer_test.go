package importer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, s *models.Store, path string, mode models.ImportMode, dry bool) *importer.Report {
	t.Helper()
	rep, err := importer.Run(context.Background(), s, path, importer.Options{Mode: mode, DryRun: dry, Region: "IN"})
	if err != nil {
		t.Fatalf("import %s (dry run %v): %v", filepath.Base(path), dry, err)
	}
	return rep
}

func count(t *testing.T, s *models.Store) int64 {
	t.Helper()
	n, err := s.CountContacts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func contactByPhone(t *testing.T, s *models.Store, phone string) *models.Contact {
	t.Helper()
	c, err := s.GetContactByPhone(context.Background(), phone)
	if err != nil {
		t.Fatalf("contact %s: %v", phone, err)
	}
	return c
}

// A file with every awkward thing a real export has: a BOM, ';' as the
// delimiter, a quoted cell over two lines, blank rows, a bad number, a
// number twice, and one already stored.
const messy = "\ufeffPhone ; Name;V1;groups;City Name\n" + // row 1
	"98765 43210;Asha;Pune;VIP, Diwali;Pune\n" + // row 2
	"\n" + // row 3: empty, skipped
	"9876500001;\"Bela\nRao\";;;\n" + // rows 4 (the quoted line break stays in row 4)
	"12ab;Bad;;;\n" + // row 5
	";;;;\n" + // row 6: empty cells only, skipped
	"+91 98765-43210;Asha again;;;\n" + // row 7: duplicate of row 2
	"9876500002;Stored;;;\n" // row 8: already stored

func TestDryRunReportsRowsAndWritesNothing(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := context.Background()
	var stored models.Contact
	(models.ContactInput{Phone: "9876500002", Name: "Old name"}).Apply(&stored, "IN")
	if err := s.CreateContact(ctx, &stored); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "messy.csv", messy)
	for _, mode := range []models.ImportMode{models.ImportUpdate, models.ImportSkip} {
		rep := run(t, s, path, mode, true)
		want := []importer.Problem{{Line: 5, Reason: "phone '12ab' is not a valid number for region IN"}}
		if !reflect.DeepEqual(rep.Invalid, want) || rep.InvalidTotal != 1 {
			t.Errorf("%s: invalid = %+v (total %d), want %+v", mode, rep.Invalid, rep.InvalidTotal, want)
		}
		wantDup := []importer.Duplicate{{Line: 7, DuplicateOf: 2, Phone: "+919876543210"}}
		if !reflect.DeepEqual(rep.Duplicates, wantDup) {
			t.Errorf("%s: duplicates = %+v, want %+v", mode, rep.Duplicates, wantDup)
		}
		action := map[models.ImportMode]string{models.ImportUpdate: "will update", models.ImportSkip: "will skip"}[mode]
		wantEx := []importer.Existing{{Line: 8, Phone: "+919876500002", Action: action}}
		if mode == models.ImportUpdate {
			wantEx[0].Changes = []models.FieldChange{{Field: "name", Old: "Old name", New: "Stored"}}
		}
		if !reflect.DeepEqual(rep.Existing, wantEx) {
			t.Errorf("%s: existing = %+v, want %+v", mode, rep.Existing, wantEx)
		}
		if rep.Rows != 5 || rep.Valid != 3 || rep.Imported != 2 {
			t.Errorf("%s: rows %d valid %d imported %d; want 5, 3, 2", mode, rep.Rows, rep.Valid, rep.Imported)
		}
		if (mode == models.ImportUpdate && rep.Updated != 1) || (mode == models.ImportSkip && rep.Skipped != 1) {
			t.Errorf("%s: updated %d skipped %d", mode, rep.Updated, rep.Skipped)
		}
		if !reflect.DeepEqual(rep.GroupsCreated, []string{"VIP", "Diwali"}) {
			t.Errorf("%s: groups to create = %v", mode, rep.GroupsCreated)
		}
		if !reflect.DeepEqual(rep.Notes, []string{`column "City Name" is stored as the attribute City_Name (names hold only letters, digits and _)`}) {
			t.Errorf("%s: notes = %q", mode, rep.Notes)
		}
	}
	if n := count(t, s); n != 1 {
		t.Fatalf("a dry run stored contacts: %d", n)
	}
	if gs, _ := s.ListGroups(ctx); len(gs) != 0 {
		t.Fatalf("a dry run created groups: %+v", gs)
	}

	rep := run(t, s, path, models.ImportUpdate, false)
	if rep.Imported != 2 || rep.Updated != 1 || rep.InvalidTotal != 1 || rep.DuplicatesTotal != 1 {
		t.Fatalf("commit report %+v", rep)
	}
	asha := contactByPhone(t, s, "+919876543210")
	if asha.Name != "Asha" || asha.V1 != "Pune" || asha.Attributes["City_Name"] != "Pune" {
		t.Fatalf("asha = %+v", asha)
	}
	if bela := contactByPhone(t, s, "+919876500001"); bela.Name != "Bela\nRao" {
		t.Fatalf("quoted line break: name %q", bela.Name)
	}
	if old := contactByPhone(t, s, "+919876500002"); old.Name != "Stored" || old.ID != stored.ID {
		t.Fatalf("update mode: %+v", old)
	}
	groups, _ := s.ContactGroups(ctx, asha.ID)
	if len(groups) != 2 {
		t.Fatalf("asha's groups: %+v", groups)
	}
	// Searching finds imported contacts: search_text was filled in.
	if _, total, _ := s.ListContacts(ctx, models.ContactQuery{Q: "bela"}); total != 1 {
		t.Fatalf("search for an imported name found %d", total)
	}
}

func TestFileErrors(t *testing.T) {
	s := testdb.SQLite(t)
	cases := []struct {
		name, content, want string
	}{
		{"nophone.csv", "Name,City,v1\nAsha,Pune,x\n", `row 1 (the header) has no phone column: it has the columns "Name", "City", "v1". Name the column with the numbers phone, number or mobile`},
		{"empty.csv", "\n\n", "the file is empty"},
		{"junk.csv", "\x00\x01\x02binary\xff\xfe junk", "this is not a CSV or XLSX file (it holds binary data)"},
		{"latin1.csv", "phone,name\n9876543210,Jos\xe9\n", "this file is not UTF-8 text"},
		{"latin1-late.csv", "phone,name\n" + strings.Repeat("9876543210,Asha\n", 400) + "9876543211,Jos\xe9\n", "row 402 is not UTF-8 text"},
		{"old.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest", "this is an old Excel .xls file"},
		{"utf16.csv", "\xFF\xFEp\x00h\x00", "this file is UTF-16 text"},
		{"unclosed.csv", "phone,name\n9876543210,Asha\n\"multi\nline\",x\n9876543211,\"Bela\n9876543212,Chand\n", "row 4: a cell opens a double quote"},
		{"barequote.csv", "phone,name\n9876543210,Asha \"the\" great\n", `row 2: a double quote (") appears inside a cell that does not start with one`},
		{"twophones.csv", "phone,name,Mobile\n", `row 1: columns 1 ("phone") and 3 ("Mobile") both give the phone: keep one`},
		{"headeronly-blank.xlsx", "PK\x03\x04 not really a zip", "this file looks like an XLSX workbook but cannot be read"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := importer.Run(context.Background(), s, writeFile(t, tc.name, tc.content), importer.Options{Mode: models.ImportUpdate, Region: "IN"})
			var fe *importer.FileError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want a FileError containing %q", err, tc.want)
			}
		})
	}
	if n := count(t, s); n != 0 {
		t.Fatalf("a refused file stored %d contacts", n)
	}
}

func TestRowProblems(t *testing.T) {
	s := testdb.SQLite(t)
	content := "mobile,fullname,var2,groups\n" +
		",No phone,,\n" +
		"9876543210," + strings.Repeat("x", 201) + ",,\n" +
		"9876543211,Too many,,,extra\n" +
		"9876543212,Long group,," + strings.Repeat("g", 101) + "\n" +
		"9876543213,Fine,=1+1,\n"
	rep := run(t, s, writeFile(t, "rows.csv", content), models.ImportUpdate, false)
	want := []importer.Problem{
		{2, "phone is required"},
		{3, "name is longer than 200 characters"},
		{4, "has 5 cells but the header has 4 columns: remove the extra cells or give their column a name"},
		{5, `group "` + strings.Repeat("g", 40) + `…" is longer than 100 characters`},
	}
	if !reflect.DeepEqual(rep.Invalid, want) {
		t.Fatalf("invalid = %+v\nwant %+v", rep.Invalid, want)
	}
	if c := contactByPhone(t, s, "+919876543213"); c.V2 != "=1+1" {
		t.Fatalf("v2 = %q", c.V2)
	}
	if n := count(t, s); n != 1 {
		t.Fatalf("stored %d contacts, want 1", n)
	}
}

func TestModes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		first := "phone,name,v1,v2,city,groups\n9876543210,Asha,a1,a2,Pune,VIP\n9876543211,Bela,b1,,Goa,\n"
		rep := run(t, s, writeFile(t, "first.csv", first), models.ImportUpdate, false)
		if rep.Imported != 2 || !reflect.DeepEqual(rep.GroupsCreated, []string{"VIP"}) {
			t.Fatalf("first import %+v", rep)
		}
		// The second file has no v2 column: v2 stays; city is emptied for Asha.
		second := "phone,name,v1,city,groups\n9876543210,Asha Rao,A1,,vip\n9876543211,Bela Rao,B1,Panaji,New\n9876543212,Chand,,,\n"
		path := writeFile(t, "second.csv", second)
		rep = run(t, s, path, models.ImportSkip, false)
		if rep.Imported != 1 || rep.Skipped != 2 || rep.Updated != 0 {
			t.Fatalf("skip mode %+v", rep)
		}
		if a := contactByPhone(t, s, "+919876543210"); a.Name != "Asha" || a.V1 != "a1" {
			t.Fatalf("skip mode changed a stored contact: %+v", a)
		}
		// The preview of the update says what will change on each stored contact.
		rep = run(t, s, path, models.ImportUpdate, true)
		wantChanges := []importer.Existing{
			{Line: 2, Phone: "+919876543210", Action: "will update", Changes: []models.FieldChange{
				{Field: "name", Old: "Asha", New: "Asha Rao"}, {Field: "v1", Old: "a1", New: "A1"}, {Field: "city", Old: "Pune", New: ""}}},
			{Line: 3, Phone: "+919876543211", Action: "will update", Changes: []models.FieldChange{
				{Field: "name", Old: "Bela", New: "Bela Rao"}, {Field: "v1", Old: "b1", New: "B1"}, {Field: "city", Old: "Goa", New: "Panaji"}}},
			{Line: 4, Phone: "+919876543212", Action: "will update"}, // stored by the skip run, already as the row reads
		}
		if !reflect.DeepEqual(rep.Existing, wantChanges) {
			t.Fatalf("preview of the update: %+v\nwant %+v", rep.Existing, wantChanges)
		}
		rep = run(t, s, path, models.ImportUpdate, false)
		if rep.Imported != 0 || rep.Updated != 3 || !reflect.DeepEqual(rep.GroupsCreated, []string{"New"}) {
			t.Fatalf("update mode %+v", rep)
		}
		a := contactByPhone(t, s, "+919876543210")
		if a.Name != "Asha Rao" || a.V1 != "A1" || a.V2 != "a2" || len(a.Attributes) != 0 {
			t.Fatalf("update mode: %+v", a)
		}
		b := contactByPhone(t, s, "+919876543211")
		if b.Name != "Bela Rao" || b.Attributes["city"] != "Panaji" {
			t.Fatalf("update mode: %+v", b)
		}
		gs, _ := s.ListGroups(ctx)
		counts := map[string]int64{}
		for _, g := range gs {
			counts[g.Name] = g.MemberCount
		}
		if !reflect.DeepEqual(counts, map[string]int64{"VIP": 1, "New": 1}) {
			t.Fatalf("groups %v", counts)
		}
		if _, total, _ := s.ListContacts(ctx, models.ContactQuery{Q: "asha rao"}); total != 1 {
			t.Fatalf("search after an update found %d", total)
		}
		// The same file again changes nothing, and its preview says so.
		rep = run(t, s, path, models.ImportUpdate, true)
		for _, e := range rep.Existing {
			if len(e.Changes) != 0 {
				t.Fatalf("row %d: changes %+v after the file was imported", e.Line, e.Changes)
			}
		}
		if len(rep.Existing) != 3 {
			t.Fatalf("%d rows listed as stored, want 3", len(rep.Existing))
		}
	})
}

func TestTabsAndMacLineEndings(t *testing.T) {
	s := testdb.SQLite(t)
	rep := run(t, s, writeFile(t, "tabs.tsv", "number\tname\n9876543210\tAsha, Rao\n"), models.ImportUpdate, false)
	if rep.Imported != 1 || contactByPhone(t, s, "+919876543210").Name != "Asha, Rao" {
		t.Fatalf("tab-separated: %+v", rep)
	}
	rep = run(t, s, writeFile(t, "mac.csv", "phone,name\r9876543211,Bela\r\r12,Bad\r"), models.ImportUpdate, true)
	if rep.Imported != 1 || !reflect.DeepEqual(rep.Invalid, []importer.Problem{{4, "phone '12' is not a valid number for region IN"}}) {
		t.Fatalf("CR line endings: %+v", rep)
	}
}

func TestXLSX(t *testing.T) {
	s := testdb.SQLite(t)
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Contacts")
	f.SetSheetRow("Contacts", "A1", &[]any{"Phone", "Name", "Joined", "groups"})
	// Phones stored as numbers, one written the way some tools write it.
	f.SetCellValue("Contacts", "A2", 9876543210)
	f.SetCellDefault("Contacts", "A3", "9.87654321E9") // same number as A2
	f.SetCellDefault("Contacts", "A4", "9.876543211E9")
	f.SetCellValue("Contacts", "B4", "Bela")
	f.SetCellValue("Contacts", "C4", 2024)
	f.SetCellValue("Contacts", "D4", "Gold")
	f.SetCellValue("Contacts", "B2", "Asha")
	// Row 5 is missing, row 6 is bad.
	f.SetCellValue("Contacts", "A6", "12ab")
	f.NewSheet("Other")
	f.SetCellValue("Other", "A1", "not read")
	path := filepath.Join(t.TempDir(), "contacts.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	rep := run(t, s, path, models.ImportUpdate, false)
	if rep.Imported != 2 || rep.DuplicatesTotal != 1 || rep.Duplicates[0] != (importer.Duplicate{Line: 3, DuplicateOf: 2, Phone: "+919876543210"}) {
		t.Fatalf("xlsx report %+v", rep)
	}
	if !reflect.DeepEqual(rep.Invalid, []importer.Problem{{6, "phone '12ab' is not a valid number for region IN"}}) {
		t.Fatalf("xlsx invalid %+v", rep.Invalid)
	}
	b := contactByPhone(t, s, "+919876543211")
	if b.Name != "Bela" || b.Attributes["Joined"] != "2024" {
		t.Fatalf("bela %+v", b)
	}
	gs, _ := s.ContactGroups(context.Background(), b.ID)
	if len(gs) != 1 || gs[0].Name != "Gold" {
		t.Fatalf("bela's groups %+v", gs)
	}
}

func TestNeutraliseRoundTrip(t *testing.T) {
	for _, v := range []string{"", "a", "=1+1", "'=1+1", "''+x", "'", "'plain", "-5", "@me", "\tx", "+91"} {
		n := importer.Neutralise(v)
		if got := importer.Unneutralise(n); got != v {
			t.Errorf("Unneutralise(Neutralise(%q)) = %q (via %q)", v, got, n)
		}
		if r := strings.TrimLeft(n, "'"); r != "" && strings.ContainsRune("=+-@\t\r", rune(r[0])) && !strings.HasPrefix(n, "'") {
			t.Errorf("Neutralise(%q) = %q still starts like a formula", v, n)
		}
	}
	groups := []string{"VIP", "Pune, West", `Say "hi"`}
	if got := importer.SplitGroups(importer.JoinGroups(groups)); !reflect.DeepEqual(got, groups) {
		t.Errorf("groups round trip: %q", got)
	}
	got := importer.SplitGroups(" VIP ,, Diwali ")
	sort.Strings(got)
	if !reflect.DeepEqual(got, []string{"Diwali", "VIP"}) {
		t.Errorf("SplitGroups = %q", got)
	}
}

// failingStore breaks the import after its first batch of rows.
type failingStore struct{ *models.Store }

func (f failingStore) ImportContacts(ctx context.Context, mode models.ImportMode, fields models.ImportFields, next func() ([]models.ImportRecord, error)) (models.ImportResult, error) {
	calls := 0
	return f.Store.ImportContacts(ctx, mode, fields, func() ([]models.ImportRecord, error) {
		if calls++; calls == 3 {
			return nil, errors.New("disk on fire")
		}
		return next()
	})
}

// An import that fails half-way stores nothing: not the rows before the
// failure, not their groups.
func TestFailedImportStoresNothing(t *testing.T) {
	s := testdb.SQLite(t)
	var sb strings.Builder
	sb.WriteString("phone,name,groups\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&sb, "98%08d,Person %d,Team\n", i, i)
	}
	good := sb.String()
	_, err := importer.Run(context.Background(), failingStore{s}, writeFile(t, "a.csv", good), importer.Options{Mode: models.ImportUpdate, Region: "IN"})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("error = %v", err)
	}
	// A bad byte far into the file is found during the commit, after
	// earlier rows were written: the transaction takes them back.
	_, err = importer.Run(context.Background(), s, writeFile(t, "b.csv", good+"9999999999,Jos\xe9,\n"), importer.Options{Mode: models.ImportUpdate, Region: "IN"})
	var fe *importer.FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "row 2002 is not UTF-8 text") {
		t.Fatalf("error = %v", err)
	}
	if n := count(t, s); n != 0 {
		t.Fatalf("a failed import left %d contacts", n)
	}
	if gs, _ := s.ListGroups(context.Background()); len(gs) != 0 {
		t.Fatalf("a failed import left groups: %+v", gs)
	}
}

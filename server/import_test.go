package server_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/sambad/sambad/models"
)

type importReport struct {
	Valid, Imported, Updated, Skipped int
	Invalid                           []struct {
		Line   int
		Reason string
	}
	InvalidTotal    int `json:"invalid_total"`
	DuplicatesTotal int `json:"duplicates_total"`
	Duplicates      []struct {
		Line        int
		DuplicateOf int `json:"duplicate_of"`
	}
	GroupsCreated []string `json:"groups_created"`
}

const importCSV = "phone,name,groups\n9876543210,Asha,VIP\n12ab,Bad,\n9876543211,Bela,\n98765 43210,Asha twice,\n"

func TestAPIImport(t *testing.T) {
	s := newSite(t, strongToken)
	r := s.upload("/api/v1/contacts/import", "c.csv", []byte(importCSV), map[string]string{"dry_run": "true"})
	var rep importReport
	r.json(t, &rep)
	if r.status != http.StatusOK || rep.Valid != 2 || rep.Imported != 2 || rep.InvalidTotal != 1 || rep.DuplicatesTotal != 1 {
		t.Fatalf("dry run: %d %s", r.status, r.body)
	}
	if rep.Invalid[0].Line != 3 || rep.Invalid[0].Reason != "phone '12ab' is not a valid number for region IN" || rep.Duplicates[0].Line != 5 || rep.Duplicates[0].DuplicateOf != 2 {
		t.Fatalf("dry run rows: %s", r.body)
	}
	if n, _ := s.store.CountContacts(t.Context()); n != 0 {
		t.Fatalf("the dry run stored %d contacts", n)
	}
	r = s.upload("/api/v1/contacts/import?mode=skip", "c.csv", []byte(importCSV), nil)
	rep = importReport{}
	r.json(t, &rep)
	if r.status != http.StatusOK || rep.Imported != 2 || len(rep.GroupsCreated) != 1 {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	r = s.upload("/api/v1/contacts/import", "c.csv", []byte("phone,name\n9876543210,Renamed\n"), map[string]string{"mode": "skip"})
	rep = importReport{}
	r.json(t, &rep)
	if rep.Skipped != 1 || rep.Updated != 0 {
		t.Fatalf("skip mode: %s", r.body)
	}
	r = s.upload("/api/v1/contacts/import", "c.csv", []byte("phone,name\n9876543210,Renamed\n"), map[string]string{"mode": "update"})
	rep = importReport{}
	r.json(t, &rep)
	if c, _ := s.store.GetContactByPhone(t.Context(), "+919876543210"); rep.Updated != 1 || c.Name != "Renamed" {
		t.Fatalf("update mode: %s", r.body)
	}

	big := append([]byte("phone\n"), bytes.Repeat([]byte("9876543210\n"), (1<<20)/11+10)...)
	for _, tc := range []struct {
		name     string
		file     string
		content  []byte
		fields   map[string]string
		status   int
		contains string
	}{
		{"too large", "big.csv", big, nil, http.StatusRequestEntityTooLarge, "the file is larger than 1 MB (SAMBAD_IMPORT_MAX_MB)"},
		{"no file", "", nil, map[string]string{"mode": "update"}, http.StatusBadRequest, "choose a CSV or XLSX file"},
		{"bad mode", "c.csv", []byte(importCSV), map[string]string{"mode": "merge"}, http.StatusUnprocessableEntity, `mode: \"merge\" is not a mode: use update or skip`},
		{"bad dry_run", "c.csv", []byte(importCSV), map[string]string{"dry_run": "maybe"}, http.StatusBadRequest, "dry_run must be true or false"},
		{"no phone column", "c.csv", []byte("name,city\nAsha,Pune\n"), nil, http.StatusUnprocessableEntity, `has no phone column: it has the columns \"name\", \"city\"`},
		{"binary", "c.csv", []byte("\x00\x01\x02\x03"), nil, http.StatusUnprocessableEntity, "this is not a CSV or XLSX file"},
		{"xlsx zip bomb", "c.xlsx", zipBomb(t, 64<<20), nil, http.StatusUnprocessableEntity, "this workbook unpacks to more than 1 MB, the import limit (SAMBAD_IMPORT_MAX_MB)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.upload("/api/v1/contacts/import", tc.file, tc.content, tc.fields)
			if r.status != tc.status || !strings.Contains(r.body, tc.contains) {
				t.Fatalf("%d %s; want %d with %q", r.status, r.body, tc.status, tc.contains)
			}
		})
	}
	r = s.do("POST", "/api/v1/contacts/import", "application/json", strings.NewReader("{}"))
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "multipart/form-data") {
		t.Fatalf("JSON body: %d %s", r.status, r.body)
	}
	if n, _ := s.store.CountContacts(t.Context()); n != 2 {
		t.Fatalf("refused imports changed the contacts: %d", n)
	}
	if left, _ := filepath.Glob(filepath.Join(s.cfg.DataDir, "imports", "*")); len(left) != 0 {
		t.Fatalf("API imports left files behind: %v", left)
	}
}

var tokenPath = regexp.MustCompile(`^/contacts/import/([0-9a-f]{32})$`)

func TestImportPages(t *testing.T) {
	s := newSite(t, "")
	s.contact("9876543211", "Stored Bela")
	if r := s.get("/contacts/import"); r.status != http.StatusOK || !strings.Contains(r.body, `enctype="multipart/form-data"`) || !strings.Contains(r.body, "up to 1 MB") {
		t.Fatalf("form: %d", r.status)
	}
	r := s.upload("/contacts/import", "my list.csv", []byte(importCSV), map[string]string{"mode": "skip"})
	if r.status != http.StatusSeeOther || !tokenPath.MatchString(r.header.Get("Location")) {
		t.Fatalf("upload: %d %s", r.status, r.header.Get("Location"))
	}
	page := r.header.Get("Location")
	token := tokenPath.FindStringSubmatch(page)[1]
	r = s.get(page)
	for _, want := range []string{"Import “my list.csv”", "nothing is saved until you confirm", "phone &#39;12ab&#39; is not a valid number for region IN", "already stored: will skip", "will skip", "row 2", "VIP", "Import 2 contacts"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if n, _ := s.store.CountContacts(t.Context()); n != 1 {
		t.Fatalf("the preview stored contacts: %d", n)
	}
	r = s.do("POST", page+"/commit", "application/x-www-form-urlencoded", nil)
	r = s.follow(r)
	for _, want := range []string{"Import finished", "contacts added", "See your contacts"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("result page lacks %q:\n%s", want, r.body)
		}
	}
	if n, _ := s.store.CountContacts(t.Context()); n != 2 {
		t.Fatalf("after the commit: %d contacts", n)
	}
	if left, _ := filepath.Glob(filepath.Join(s.cfg.DataDir, "imports", token+"*")); len(left) != 0 {
		t.Fatalf("the committed upload was kept: %v", left)
	}
	// Confirming twice does not import twice.
	s.follow(s.do("POST", page+"/commit", "", nil))
	if n, _ := s.store.CountContacts(t.Context()); n != 2 {
		t.Fatalf("after a second confirm: %d contacts", n)
	}
	if r = s.get("/contacts/import/" + strings.Repeat("0", 32)); r.status != http.StatusNotFound || !strings.Contains(r.body, "This import has expired") {
		t.Fatalf("unknown token: %d", r.status)
	}
	if r = s.get("/contacts/import/../../etc"); r.status == http.StatusOK {
		t.Fatalf("path in token: %d", r.status)
	}

	// A file that cannot be imported says why, on the preview page.
	r = s.follow(s.upload("/contacts/import", "bad.csv", []byte("name,city\nAsha,Pune\n"), nil))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "This file cannot be imported") || !strings.Contains(r.body, "has no phone column") {
		t.Fatalf("bad file: %d", r.status)
	}
	// Too large: the form again, with the limit.
	big := append([]byte("phone\n"), bytes.Repeat([]byte("9876543210\n"), (1<<20)/11+10)...)
	r = s.upload("/contacts/import", "big.csv", big, nil)
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "the file is larger than 1 MB") || !strings.Contains(r.body, `type="file"`) {
		t.Fatalf("too large: %d", r.status)
	}
	r = s.upload("/contacts/import", "", nil, map[string]string{"mode": "update"})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "choose a CSV or XLSX file") {
		t.Fatalf("no file: %d", r.status)
	}
}

func TestExport(t *testing.T) {
	s := newSite(t, "")
	a := s.contact("9876543210", "=cmd|' /C calc'!A0")
	s.contact("9876543211", "Bela")
	g, _ := s.store.CreateGroup(t.Context(), "VIP")
	s.store.AddMembers(t.Context(), g.ID, []string{a.ID})

	r := s.get("/contacts/export.csv")
	if r.status != http.StatusOK || !strings.HasPrefix(r.body, "\ufeffphone,name,v1,") || !strings.Contains(r.header.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %q %v", r.status, r.body, r.header)
	}
	if !strings.Contains(r.body, "+919876543210,'=cmd|' /C calc'!A0,") {
		t.Fatalf("formula not neutralised:\n%s", r.body)
	}
	r = s.get("/contacts/export.csv?group_id=" + g.ID)
	if strings.Count(r.body, "\n") != 2 || !strings.Contains(r.body, ",VIP") {
		t.Fatalf("group export:\n%s", r.body)
	}
	if r = s.get("/contacts/export.csv?q=bela"); strings.Count(r.body, "\n") != 2 || !strings.Contains(r.body, "Bela") {
		t.Fatalf("search export:\n%s", r.body)
	}
	if r = s.get("/api/v1/contacts/export.csv"); r.status != http.StatusOK || !strings.HasPrefix(r.body, "phone,name,") {
		t.Fatalf("api export: %d %q", r.status, r.body)
	}
	if r = s.get("/api/v1/contacts/export.csv?group_id=nope"); r.status != http.StatusNotFound {
		t.Fatalf("api export of an unknown group: %d", r.status)
	}
	r = s.get("/contacts/export.xlsx")
	if r.status != http.StatusOK {
		t.Fatalf("xlsx: %d", r.status)
	}
	path := filepath.Join(t.TempDir(), "x.xlsx")
	os.WriteFile(path, []byte(r.body), 0o600)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if len(rows) != 3 || rows[2][0] != "+919876543211" || rows[1][1] != "=cmd|' /C calc'!A0" || rows[1][12] != "VIP" {
		t.Fatalf("xlsx rows %q", rows)
	}
	if formula, _ := f.GetCellFormula(f.GetSheetList()[0], "B2"); formula != "" {
		t.Fatalf("the XLSX holds a formula: %q", formula)
	}
	// The export imports back: same two contacts, nothing new.
	r = s.upload("/api/v1/contacts/import", "x.xlsx", []byte(r.body), map[string]string{"dry_run": "true"})
	var rep importReport
	r.json(t, &rep)
	if rep.Updated != 2 || rep.Imported != 0 || rep.InvalidTotal != 0 {
		t.Fatalf("re-import of the export: %s", r.body)
	}
}

// zipBomb is a workbook-shaped zip whose sheet unpacks to size bytes of
// one repeated tag (about a thousandth of that compressed).
func zipBomb(t *testing.T, size int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("<row></row>"), 6000)
	for n := 0; n < size; n += len(chunk) {
		w.Write(chunk)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportPreviewShowsChanges(t *testing.T) {
	s := newSite(t, "")
	var c models.Contact
	(models.ContactInput{Phone: "9876543211", Name: "Bela", Variables: map[string]string{"v1": "Silver"}}).Apply(&c, "IN")
	if err := s.store.CreateContact(t.Context(), &c); err != nil {
		t.Fatal(err)
	}
	s.contact("9876543212", "Chand")
	file := "phone,name,v1\n9876543211,Bela Rao,Gold\n9876543212,Chand,\n9876543213,New person,\n"
	page := s.upload("/contacts/import", "list.csv", []byte(file), map[string]string{"mode": "update"}).header.Get("Location")
	r := s.get(page)
	for _, want := range []string{
		`<span class="field-name">name</span>: “Bela” → “Bela Rao”`,
		`<span class="field-name">v1</span>: “Silver” → “Gold”`,
		`<span class="muted">no change</span>`,
		"&#43;91 98765 43211",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	// Skip mode changes nothing, so it lists no changes.
	page = s.upload("/contacts/import", "list.csv", []byte(file), map[string]string{"mode": "skip"}).header.Get("Location")
	if r = s.get(page); strings.Contains(r.body, "Bela Rao”") || strings.Contains(r.body, "<th>Changes</th>") {
		t.Error("a skip preview lists changes")
	}
}

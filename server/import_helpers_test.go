package server_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/models"
)

// TestImportSampleCSVImportsAsItIs: the sample downloads as CSV and its rows
// are valid in the install's region, groups and all.
func TestImportSampleCSVImportsAsItIs(t *testing.T) {
	for _, region := range []string{"IN", "US", "GB", "BR"} {
		s := newSite(t, "")
		s.cfg.DefaultRegion = region
		r := s.get("/contacts/import/sample.csv")
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.Contains(r.header.Get("Content-Disposition"), "sample") {
			t.Fatalf("%s: sample %d %v", region, r.status, r.header)
		}
		path := t.TempDir() + "/sample.csv"
		if err := os.WriteFile(path, []byte(r.body), 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := importer.Run(context.Background(), s.store, path, importer.Options{Mode: models.ImportUpdate, Region: region})
		if err != nil || rep.Imported != 2 || rep.InvalidTotal != 0 || len(rep.GroupsCreated) != 2 {
			t.Fatalf("%s: the sample imports as %+v, %v\n%s", region, rep, err, r.body)
		}
	}
	if page := newSite(t, "").get("/contacts/import"); !strings.Contains(page.body, `href="/contacts/import/sample.csv"`) {
		t.Error("the import page does not link to the sample")
	}
}

// TestImportAddsEveryContactToChosenGroups imports through the pages,
// ticking an existing group and naming a new one on the preview.
func TestImportAddsEveryContactToChosenGroups(t *testing.T) {
	s := newSite(t, "")
	if _, err := s.store.CreateGroup(context.Background(), "Customers"); err != nil {
		t.Fatal(err)
	}
	up := s.upload("/contacts/import", "list.csv", []byte("phone,name\n9876543210,Asha\n9876543211,Bela\n"), map[string]string{"mode": "update"})
	preview := s.follow(up)
	if !strings.Contains(preview.body, `name="add_groups" value="Customers"`) || !strings.Contains(preview.body, `name="new_groups"`) {
		t.Fatalf("the preview offers no groups:\n%s", preview.body)
	}
	token := up.header.Get("Location")
	bad := s.form(token+"/commit", map[string][]string{"new_groups": {strings.Repeat("x", 300)}})
	if page := s.follow(bad); !strings.Contains(page.body, "Nothing was imported") {
		t.Fatalf("a group name too long: %s", page.body)
	}
	if n, _ := s.store.CountContacts(context.Background()); n != 0 {
		t.Fatal("a refused commit imported contacts")
	}
	s.follow(s.form(token+"/commit", map[string][]string{"add_groups": {"Customers"}, "new_groups": {"Diwali 2026, Pune"}}))
	// The commit runs in the background: wait for it (a loaded machine is slow).
	var got map[string]int64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		gs, _ := s.store.ListGroups(context.Background())
		got = map[string]int64{}
		for _, g := range gs {
			got[g.Name] = g.MemberCount
		}
		if got["Pune"] == 2 {
			break
		}
	}
	if got["Customers"] != 2 || got["Diwali 2026"] != 2 || got["Pune"] != 2 {
		t.Fatalf("groups after the import: %v", got)
	}
}

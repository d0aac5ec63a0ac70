package importer_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestAddToGroups puts every imported contact into the chosen groups, an
// existing one (matched whatever its case) and a new one, besides the
// groups column's; the dry run names the group it will create.
func TestAddToGroups(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		if _, err := s.CreateGroup(ctx, "Customers"); err != nil {
			t.Fatal(err)
		}
		path := writeFile(t, "list.csv", "phone,name,groups\n9876543210,Asha,VIP\n9876543211,Bela,\n12ab,Bad,\n")
		opts := importer.Options{Mode: models.ImportUpdate, Region: "IN", AddToGroups: []string{"customers", "Diwali 2026"}, DryRun: true}
		rep, err := importer.Run(ctx, s, path, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rep.GroupsCreated, []string{"VIP", "Diwali 2026"}) {
			t.Fatalf("dry run will create %v", rep.GroupsCreated)
		}
		opts.DryRun = false
		if rep, err = importer.Run(ctx, s, path, opts); err != nil || rep.Imported != 2 {
			t.Fatalf("import %+v %v", rep, err)
		}
		gs, _ := s.ListGroups(ctx)
		counts := map[string]int64{}
		for _, g := range gs {
			counts[g.Name] = g.MemberCount
		}
		if !reflect.DeepEqual(counts, map[string]int64{"Customers": 2, "Diwali 2026": 2, "VIP": 1}) {
			t.Fatalf("groups %v", counts)
		}
	})
}

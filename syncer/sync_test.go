package syncer_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// snapshot is a store's business data in a comparable form.
type snapshot struct {
	Contacts       []string
	Groups         []string
	Members        []string
	Campaigns      []string
	CampaignGroups []string
}

func takeSnapshot(t *testing.T, s *models.Store) snapshot {
	t.Helper()
	ctx := context.Background()
	var snap snapshot
	var cs []models.Contact
	if err := testdb.Gorm(s).WithContext(ctx).Order("id").Find(&cs).Error; err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		attrs := []string{}
		for k, v := range c.Attributes {
			attrs = append(attrs, k+"="+v)
		}
		sort.Strings(attrs)
		snap.Contacts = append(snap.Contacts, fmt.Sprintf("%s|%s|%s|%v|%v|%v|%s|%s", c.ID, c.Phone, c.Name, c.Variables(), attrs, c.OptedOut,
			c.CreatedAt.UTC().Format(time.RFC3339Nano), c.UpdatedAt.UTC().Format(time.RFC3339Nano)))
	}
	var gs []models.Group
	if err := testdb.Gorm(s).WithContext(ctx).Order("id").Find(&gs).Error; err != nil {
		t.Fatal(err)
	}
	for _, g := range gs {
		snap.Groups = append(snap.Groups, fmt.Sprintf("%s|%s|%s|%s", g.ID, g.Name, g.CreatedAt.UTC().Format(time.RFC3339Nano), g.UpdatedAt.UTC().Format(time.RFC3339Nano)))
	}
	var ms []models.GroupMember
	if err := testdb.Gorm(s).WithContext(ctx).Order("group_id, contact_id").Find(&ms).Error; err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		snap.Members = append(snap.Members, fmt.Sprintf("%s|%s|%s", m.GroupID, m.ContactID, m.CreatedAt.UTC().Format(time.RFC3339Nano)))
	}
	var cs2 []models.Campaign
	if err := testdb.Gorm(s).WithContext(ctx).Find(&cs2).Error; err != nil {
		t.Fatal(err)
	}
	for _, c := range cs2 {
		snap.Campaigns = append(snap.Campaigns, fmt.Sprintf("%s|%s|%s|%s|%d|%s", c.ID, c.Name, c.Template, c.State, c.Pacing.MinDelayMS, c.UpdatedAt.UTC().Format(time.RFC3339Nano)))
	}
	sort.Strings(snap.Campaigns)
	rows, err := testdb.Gorm(s).WithContext(ctx).Raw(`SELECT campaign_id, group_id FROM campaign_groups`).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid, gid string
		if err := rows.Scan(&cid, &gid); err != nil {
			t.Fatal(err)
		}
		snap.CampaignGroups = append(snap.CampaignGroups, cid+"|"+gid)
	}
	sort.Strings(snap.CampaignGroups)
	return snap
}

func assertSame(t *testing.T, what string, a, b snapshot) {
	t.Helper()
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("%s differ:\n%d contacts, %d groups, %d members, %d campaigns, %d campaign groups\nvs\n%d contacts, %d groups, %d members, %d campaigns, %d campaign groups\nfirst: %s",
			what, len(a.Contacts), len(a.Groups), len(a.Members), len(a.Campaigns), len(a.CampaignGroups),
			len(b.Contacts), len(b.Groups), len(b.Members), len(b.Campaigns), len(b.CampaignGroups), firstDiff(a, b))
	}
}

func firstDiff(a, b snapshot) string {
	for _, p := range [][2][]string{{a.Contacts, b.Contacts}, {a.Groups, b.Groups}, {a.Members, b.Members}, {a.Campaigns, b.Campaigns}, {a.CampaignGroups, b.CampaignGroups}} {
		for i := 0; i < max(len(p[0]), len(p[1])); i++ {
			var x, y string
			if i < len(p[0]) {
				x = p[0][i]
			}
			if i < len(p[1]) {
				y = p[1][i]
			}
			if x != y {
				return x + "\n   vs " + y
			}
		}
	}
	return ""
}

func newWorker(local *models.Store, url string) *syncer.Worker {
	return &syncer.Worker{Local: testdb.DB(local), CloudURL: url, Interval: 100 * time.Millisecond, MinBackoff: 20 * time.Millisecond,
		MaxBackoff: 200 * time.Millisecond, OpTimeout: 3 * time.Second}
}

func round(t *testing.T, w *syncer.Worker) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.Round(ctx); err != nil {
		t.Fatalf("sync round: %v", err)
	}
}

// migratedCloud returns a migrated Postgres database and a store on it.
func migratedCloud(t *testing.T) (string, *models.Store) {
	t.Helper()
	url := testdb.PostgresURL(t)
	s, err := testdb.Open(context.Background(), models.OpenOptions{DatabaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return url, s
}

// TestTwoInstallsShareChanges: a change on one install reaches the other
// through Postgres, field by field, and deletes win over edits.
func TestTwoInstallsShareChanges(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		url, cloud := migratedCloud(t)
		testShare(t, url, cloud)
	})
	t.Run("pgbouncer", func(t *testing.T) {
		url, cloud := migratedCloud(t)
		// Transaction pooling: exec mode, as for Supabase's port 6543.
		testShare(t, testdb.PgBouncerURL(t, url)+"&default_query_exec_mode=exec", cloud)
	})
}

func testShare(t *testing.T, url string, cloud *models.Store) {
	ctx := context.Background()
	a, b := testdb.SQLite(t), testdb.SQLite(t)
	wa, wb := newWorker(a, url), newWorker(b, url)

	c := addContact(t, a, "9876500001", "Asha")
	g, err := a.CreateGroup(ctx, "VIP")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddMembers(ctx, g.ID, []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	round(t, wb)
	assertSame(t, "a and b", takeSnapshot(t, a), takeSnapshot(t, b))
	assertSame(t, "a and cloud", takeSnapshot(t, a), takeSnapshot(t, cloud))

	// Concurrent edits of different fields both survive.
	ca, _ := a.GetContact(ctx, c.ID)
	ca.Name = "Asha Rao"
	if err := a.UpdateContact(ctx, ca); err != nil {
		t.Fatal(err)
	}
	cb, _ := b.GetContact(ctx, c.ID)
	cb.V1 = "Pune"
	if err := b.UpdateContact(ctx, cb); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	round(t, wb)
	round(t, wa)
	got, _ := a.GetContact(ctx, c.ID)
	if got.Name != "Asha Rao" || got.V1 != "Pune" {
		t.Fatalf("after concurrent edits: name %q v1 %q", got.Name, got.V1)
	}
	assertSame(t, "a and b", takeSnapshot(t, a), takeSnapshot(t, b))
	assertSame(t, "a and cloud", takeSnapshot(t, a), takeSnapshot(t, cloud))

	// An edit on a and a delete on b: the delete wins everywhere.
	ca, _ = a.GetContact(ctx, c.ID)
	ca.Name = "Edited"
	a.UpdateContact(ctx, ca)
	if _, err := b.DeleteContacts(ctx, []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	round(t, wb)
	round(t, wa)
	round(t, wb)
	if _, err := a.GetContact(ctx, c.ID); err == nil {
		t.Fatal("the deleted contact came back on a")
	}
	assertSame(t, "a and b", takeSnapshot(t, a), takeSnapshot(t, b))
	assertSame(t, "a and cloud", takeSnapshot(t, a), takeSnapshot(t, cloud))
	st, err := wa.Status(ctx)
	if err != nil || st.Pending != 0 || len(st.Rejected) != 0 || !st.Connected {
		t.Fatalf("status = %+v, %v", st, err)
	}
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func errorsAs(err error, target any) bool { return errors.As(err, target) }

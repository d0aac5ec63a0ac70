package syncer_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestTrackingStartsWithTheFirstHybridInstall: a cloud database only
// `cloud` installs write does not version their changes; the first hybrid
// install turns tracking on and pulls every row already there, including
// one a cloud writer committed while tracking was being turned on.
func TestTrackingStartsWithTheFirstHybridInstall(t *testing.T) {
	url, cloud := migratedCloud(t)
	ctx := context.Background()
	for _, p := range []string{"9876500001", "9876500002", "9876500003"} {
		addContact(t, cloud, p, "Cloud "+p)
	}
	var tracking string
	var versions int64
	testdb.Gorm(cloud).Raw(`SELECT value FROM sync_meta WHERE key = 'tracking'`).Scan(&tracking)
	testdb.Gorm(cloud).Raw(`SELECT COUNT(*) FROM sync_rows`).Scan(&versions)
	if tracking != "off" || versions != 0 {
		t.Fatalf("before any hybrid install: tracking %q, %d versioned rows; want off and 0", tracking, versions)
	}

	// A cloud writer is mid-transaction when the hybrid install connects.
	written, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- testdb.Gorm(cloud).Transaction(func(tx *gorm.DB) error {
			var c models.Contact
			if err := (models.ContactInput{Phone: "9876500004", Name: "Mid-enable"}).Apply(&c, "IN"); err != nil {
				return err
			}
			c.ID = models.NewID()
			c.CreatedAt, c.UpdatedAt = time.Now().UTC(), time.Now().UTC()
			if err := tx.Create(&c).Error; err != nil {
				return err
			}
			close(written)
			<-release
			return nil
		})
	}()
	<-written
	local := testdb.SQLite(t)
	w := newWorker(local, url)
	rounded := make(chan error, 1)
	go func() {
		rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		rounded <- w.Round(rctx)
	}()
	time.Sleep(300 * time.Millisecond)
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-rounded; err != nil {
		t.Fatal(err)
	}
	addContact(t, cloud, "9876500005", "After")
	round(t, w)
	n, err := local.CountContacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Fatalf("the hybrid install holds %d contacts, want 5: %v", n, takeSnapshot(t, local).Contacts)
	}
	assertSame(t, "install and cloud", takeSnapshot(t, local), takeSnapshot(t, cloud))
}

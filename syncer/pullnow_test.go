package syncer_test

import (
	"context"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// TestPullNowAfterLostAck: an op the cloud applied but whose answer was lost
// stays in the outbox and is replayed (and applied only once). A newer
// change another install makes to the same field meanwhile must still reach
// this install when it asks for a pull (a campaign takeover does), not be
// kept out by the replayed op.
func TestPullNowAfterLostAck(t *testing.T) {
	url, cloud := migratedCloud(t)
	ctx := context.Background()
	a, b := testdb.SQLite(t), testdb.SQLite(t)
	wa, wb := newWorker(a, url), newWorker(b, url)
	c := addContact(t, a, "9876500001", "Asha")
	round(t, wa)
	round(t, wb)

	ca, _ := a.GetContact(ctx, c.ID)
	ca.Name = "Edited on A"
	if err := a.UpdateContact(ctx, ca); err != nil {
		t.Fatal(err)
	}
	lost, cancel := context.WithCancel(ctx)
	syncer.SetAfterPush(wa, cancel) // the cloud applies it; the answer is lost
	if err := wa.Round(lost); err == nil {
		t.Fatal("the round whose answer was lost succeeded")
	}
	syncer.SetAfterPush(wa, nil)

	cb, _ := b.GetContact(ctx, c.ID)
	cb.Name = "Edited on B, later"
	if err := b.UpdateContact(ctx, cb); err != nil {
		t.Fatal(err)
	}
	round(t, wb)

	if err := wa.PullNow(ctx); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	round(t, wb)
	want := "Edited on B, later"
	for _, st := range []struct {
		name string
		got  string
	}{{"A", name(t, a, c.ID)}, {"B", name(t, b, c.ID)}, {"cloud", name(t, cloud, c.ID)}} {
		if st.got != want {
			t.Errorf("%s has %q, want %q (the later edit)", st.name, st.got, want)
		}
	}
}

func name(t *testing.T, s *models.Store, id string) string {
	t.Helper()
	c, err := s.GetContact(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Name
}

package server_test

import (
	"testing"
	"time"

	"github.com/go-rod/rod/lib/input"

	"github.com/sambad/sambad/models"
)

// TestBrowserBulkEditEnter presses Enter in the bulk edit's value field in
// real Chromium: it must apply the bulk edit, not "Add to group" (the form's
// first button), and Enter in the new group's field still adds to a group.
func TestBrowserBulkEditEnter(t *testing.T) {
	s := newSite(t, "")
	ctx := t.Context()
	var ids []string
	for _, p := range []struct{ phone, name string }{{"9876543211", "Bela"}, {"9876543212", "Chitra"}} {
		var c models.Contact
		(models.ContactInput{Phone: p.phone, Name: p.name}).Apply(&c, "IN")
		if err := s.store.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	page := launchChromium(t).MustPage("").Timeout(60 * time.Second)
	defer page.Close()
	page.MustNavigate(s.url + "/contacts").MustWaitLoad()
	page.MustElement(`input[name="ids"][value="` + ids[0] + `"]`).MustClick()
	page.MustElement(`select[name="field"]`).MustSelect("v2")
	page.MustElement(`input[name="value"]`).MustInput("Diwali")
	wait := page.MustWaitNavigation()
	page.Keyboard.MustType(input.Enter)
	wait()
	page.MustWaitLoad()
	for i, id := range ids {
		c, err := s.store.GetContact(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]string{true: "Diwali", false: ""}[i == 0]; c.V2 != want {
			t.Fatalf("after Enter in the value field, contact %d has v2 %q, want %q (page: %s)", i, c.V2, want, page.MustElement("main").MustText())
		}
	}
	if groups, _ := s.store.ListGroups(ctx); len(groups) != 0 {
		t.Fatalf("Enter in the value field made groups: %v", groups)
	}

	// Enter in "or a new group" still adds the selection to that group.
	page.MustElement(`input[name="ids"][value="` + ids[1] + `"]`).MustClick()
	page.MustElement(`input[name="new_group"]`).MustInput("Pune")
	wait = page.MustWaitNavigation()
	page.Keyboard.MustType(input.Enter)
	wait()
	if got := memberOf(t, s, ids[1]); len(got) != 1 || got[0] != "Pune" {
		t.Fatalf("Enter in the new group's field: in %v, want Pune", got)
	}
}

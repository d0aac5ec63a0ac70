package server_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestPagesEscapeNames(t *testing.T) {
	s := newSite(t, "")
	evil := "<script>alert(1)</script>"
	c := s.contact("9876543210", evil)
	g, _ := s.store.CreateGroup(t.Context(), evil)
	s.store.AddMembers(t.Context(), g.ID, []string{c.ID})
	for _, path := range []string{"/contacts", "/contacts?q=alert", "/contacts/" + c.ID + "/edit", "/groups", "/groups/" + g.ID} {
		r := s.get(path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", path, r.status)
		}
		if strings.Contains(r.body, evil) || !strings.Contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not escape the name", path)
		}
	}
	if r := s.get("/contacts/nope/edit"); r.status != http.StatusNotFound {
		t.Fatalf("edit of a malformed id: %d", r.status)
	}
}

func TestContactFormsAndFlash(t *testing.T) {
	s := newSite(t, "")
	r := s.form("/contacts", map[string][]string{"phone": {"12ab"}, "name": {"Asha"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "phone: &#39;12ab&#39; is not a valid number for region IN") || !strings.Contains(r.body, `value="Asha"`) {
		t.Fatalf("bad phone: %d", r.status)
	}
	r = s.follow(s.form("/contacts", map[string][]string{"phone": {"98765 43210"}, "name": {"Asha"}, "v1": {"Pune"}, "attributes": {"city=Pune"}}))
	if !strings.Contains(r.body, "Contact &#43;919876543210 added.") || !strings.Contains(r.body, "Asha") {
		t.Fatalf("flash after add missing")
	}
	if r = s.get("/contacts"); strings.Contains(r.body, "added.") {
		t.Fatalf("the flash message showed twice")
	}
	r = s.form("/contacts", map[string][]string{"phone": {"+919876543210"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "&#43;919876543210 is already a contact") {
		t.Fatalf("duplicate: %d", r.status)
	}
}

func TestBulkActions(t *testing.T) {
	s := newSite(t, "")
	a, b, c := s.contact("9876543210", "A"), s.contact("9876543211", "B"), s.contact("9876543212", "C")
	g, _ := s.store.CreateGroup(t.Context(), "VIP")

	r := s.follow(s.form("/contacts/bulk", map[string][]string{"action": {"add_to_group"}, "group_id": {g.ID}, "ids": {a.ID, b.ID}}))
	if !strings.Contains(r.body, "2 contacts added to “VIP” (0 were already in it).") {
		t.Fatalf("add to group: no flash")
	}
	r = s.follow(s.form("/contacts/bulk", map[string][]string{"action": {"add_to_group"}, "ids": {a.ID}}))
	if !strings.Contains(r.body, "Choose the group to add the contacts to, or name a new one.") {
		t.Fatalf("no group chosen: no error flash")
	}
	// A new group named in place; the list comes back as it was searched.
	r = s.form("/contacts/bulk", map[string][]string{"action": {"add_to_group"}, "new_group": {"Diwali 2026"}, "group_id": {g.ID}, "ids": {a.ID, c.ID}, "q": {"98765 4321"}})
	if loc := r.header.Get("Location"); loc != "/contacts?q=98765+4321" {
		t.Fatalf("after adding, back to %q, want the searched list", loc)
	}
	r = s.follow(r)
	if !strings.Contains(r.body, "2 contacts added to “Diwali 2026” (0 were already in it).") {
		t.Fatalf("add to a new group: no flash")
	}
	gs, _ := s.store.ListGroups(t.Context())
	if len(gs) != 2 {
		t.Fatalf("%d groups, want VIP and the new one", len(gs))
	}
	// The list shows each contact's groups and filters by group.
	r = s.get("/contacts")
	if !strings.Contains(r.body, `<span class="pill brand">Diwali 2026</span> <span class="pill brand">VIP</span>`) {
		t.Fatal("the list does not show A's groups")
	}
	diwali := gs[0]
	if diwali.Name != "Diwali 2026" {
		diwali = gs[1]
	}
	r = s.get("/contacts?group=" + diwali.ID)
	if !strings.Contains(r.body, "2 in Diwali 2026") || strings.Contains(r.body, ">B</a>") {
		t.Fatalf("the group filter: %q", r.body[strings.Index(r.body, `class="subtitle"`):][:60])
	}
	r = s.follow(s.form("/contacts/bulk", map[string][]string{"action": {"delete"}}))
	if !strings.Contains(r.body, "Select at least one contact first.") {
		t.Fatalf("nothing selected: no error flash")
	}
	// Delete asks first (a page, so it works without JavaScript).
	r = s.form("/contacts/bulk", map[string][]string{"action": {"delete"}, "ids": {a.ID, c.ID}})
	if r.status != http.StatusOK || !strings.Contains(r.body, "Delete 2 contacts?") || !strings.Contains(r.body, `name="confirm" value="yes"`) {
		t.Fatalf("delete confirmation: %d", r.status)
	}
	if n, _ := s.store.CountContacts(t.Context()); n != 3 {
		t.Fatalf("deleted before confirming: %d left", n)
	}
	r = s.follow(s.form("/contacts/bulk", map[string][]string{"action": {"delete"}, "confirm": {"yes"}, "ids": {a.ID, c.ID}}))
	if !strings.Contains(r.body, "2 contacts deleted.") {
		t.Fatalf("delete: no flash")
	}
	if n, _ := s.store.CountContacts(t.Context()); n != 1 {
		t.Fatalf("after delete: %d left", n)
	}
	got, _ := s.store.GetGroup(t.Context(), g.ID)
	if got.MemberCount != 1 { // b; a was deleted
		t.Fatalf("group members after delete: %d", got.MemberCount)
	}
	r = s.follow(s.form("/groups/"+g.ID+"/members/remove", map[string][]string{"ids": {b.ID}}))
	if !strings.Contains(r.body, "1 members removed from the group.") {
		t.Fatalf("remove members: no flash")
	}
}

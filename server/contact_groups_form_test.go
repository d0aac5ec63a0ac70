package server_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sambad/sambad/models"
)

// tickedGroups returns the names of the groups the form's picker ticks.
func tickedGroups(body string) []string {
	re := regexp.MustCompile(`<input type="checkbox" name="group_ids" value="[^"]+" checked> ([^<]+)</label>`)
	var names []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		names = append(names, m[1])
	}
	return names
}

func memberOf(t *testing.T, s *site, contactID string) []string {
	t.Helper()
	gs, err := s.store.ContactGroups(t.Context(), contactID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
	}
	return names
}

func TestContactFormGroupPicker(t *testing.T) {
	s := newSite(t, "")
	ctx := t.Context()
	vip, _ := s.store.CreateGroup(ctx, "VIP")
	pune, _ := s.store.CreateGroup(ctx, "Pune")

	r := s.get("/contacts/new")
	if !strings.Contains(r.body, `name="group_ids" value="`+vip.ID+`"`) || !strings.Contains(r.body, `name="group_ids" value="`+pune.ID+`"`) || len(tickedGroups(r.body)) != 0 {
		t.Fatalf("the add form does not offer both groups unticked")
	}

	// Add: tick VIP and name a new group.
	r = s.form("/contacts", map[string][]string{"phone": {"98765 43210"}, "name": {"Asha"}, "group_ids": {vip.ID}, "new_group": {"Diwali 2026"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("add with groups: %d", r.status)
	}
	c, err := s.store.GetContactByPhone(ctx, "+919876543210")
	if err != nil {
		t.Fatal(err)
	}
	if got := memberOf(t, s, c.ID); !slices.Equal(got, []string{"Diwali 2026", "VIP"}) {
		t.Fatalf("after add: in %v, want Diwali 2026 and VIP", got)
	}

	// Edit shows the contact's groups ticked, the new one included.
	r = s.get("/contacts/" + c.ID + "/edit")
	if got := tickedGroups(r.body); !slices.Equal(got, []string{"Diwali 2026", "VIP"}) {
		t.Fatalf("edit form ticks %v, want Diwali 2026 and VIP", got)
	}

	// A bad phone: the form comes back with the ticks as posted, nothing is saved.
	r = s.form("/contacts/"+c.ID, map[string][]string{"phone": {"12ab"}, "name": {"Asha Rao"}, "group_ids": {pune.ID}, "new_group": {"Holi"}})
	if r.status != http.StatusUnprocessableEntity || !slices.Equal(tickedGroups(r.body), []string{"Pune"}) || !strings.Contains(r.body, `name="new_group" value="Holi"`) {
		t.Fatalf("bad phone: %d, ticks %v", r.status, tickedGroups(r.body))
	}
	if got := memberOf(t, s, c.ID); !slices.Equal(got, []string{"Diwali 2026", "VIP"}) {
		t.Fatalf("a refused save changed the groups to %v", got)
	}

	// Edit: untick everything but Pune.
	r = s.form("/contacts/"+c.ID, map[string][]string{"phone": {"+919876543210"}, "name": {"Asha Rao"}, "group_ids": {pune.ID}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.status)
	}
	if got := memberOf(t, s, c.ID); !slices.Equal(got, []string{"Pune"}) {
		t.Fatalf("after edit: in %v, want Pune", got)
	}

	// A group deleted while the form was open: a message, and the contact is as it was.
	gone, _ := s.store.CreateGroup(ctx, "Gone")
	s.store.DeleteGroup(ctx, gone.ID)
	r = s.form("/contacts/"+c.ID, map[string][]string{"phone": {"+919876543210"}, "name": {"Changed"}, "group_ids": {vip.ID, gone.ID}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "groups: a ticked group was deleted meanwhile") {
		t.Fatalf("deleted group: %d", r.status)
	}
	if got, _ := s.store.GetContact(ctx, c.ID); got.Name != "Asha Rao" || !slices.Equal(memberOf(t, s, c.ID), []string{"Pune"}) {
		t.Fatalf("a refused save changed the contact: %q in %v", got.Name, memberOf(t, s, c.ID))
	}

	// A new contact with a new-group name that is too long is not stored.
	r = s.form("/contacts", map[string][]string{"phone": {"9876543211"}, "new_group": {strings.Repeat("g", models.MaxGroupNameLen+1)}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "new group: is longer than 100 characters") {
		t.Fatalf("long group name: %d", r.status)
	}
	if n, _ := s.store.CountContacts(ctx); n != 1 {
		t.Fatalf("%d contacts, want 1: the refused one was stored", n)
	}
}

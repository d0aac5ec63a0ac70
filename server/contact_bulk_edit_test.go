package server_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestContactBulkEdit drives the contacts list's bulk edit as a browser
// without JavaScript would: plain form posts, the count in the flash, and
// Undo for the last edit.
func TestContactBulkEdit(t *testing.T) {
	f := newFixture(t, testdb.SQLite(t), 6)
	ctx := t.Context()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	post := func(path string, form url.Values) (string, string) {
		t.Helper()
		resp, err := client.PostForm(f.url+path, form)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("POST %s: %s", path, resp.Status)
		}
		return string(b), resp.Request.URL.RequestURI()
	}
	all, _, _ := f.store.ListContacts(ctx, models.ContactQuery{PerPage: 100})
	if len(all) != 6 {
		t.Fatalf("%d contacts", len(all))
	}
	resp, _ := client.Get(f.url + "/contacts")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `formaction="/contacts/bulk-edit"`) || !strings.Contains(string(b), "on all 6 contacts") || strings.Contains(string(b), "data-last-bulk") {
		t.Fatal("the list lacks the bulk edit, or offers an undo before any edit")
	}

	// The selection: two contacts get v3.
	page, at := post("/contacts/bulk-edit", url.Values{"ids": {all[1].ID, all[2].ID}, "field": {"v3"}, "op": {"set"}, "value": {"Diwali"}, "scope": {"selected"}})
	if at != "/contacts" || !strings.Contains(page, "2 contacts changed.") || !strings.Contains(page, "set v3 to “Diwali” on 2 contacts") {
		t.Fatalf("after the edit at %s: no count or undo", at)
	}
	for i, c := range all {
		got, _ := f.store.GetContact(ctx, c.ID)
		if want := map[bool]string{true: "Diwali", false: ""}[i == 1 || i == 2]; got.V3 != want {
			t.Fatalf("contact %d v3 = %q; want %q", i, got.V3, want)
		}
	}

	// Every contact matching the search "person 4" (the list's q): one attribute set.
	page, at = post("/contacts/bulk-edit", url.Values{"q": {"person 4"}, "field": {"attr"}, "attribute": {"tier"}, "op": {"set"}, "value": {"gold"}, "scope": {"matching"}})
	if at != "/contacts?q=person+4" || !strings.Contains(page, "1 contact changed.") {
		t.Fatalf("matching edit at %s", at)
	}
	if got, _ := f.store.GetContact(ctx, all[4].ID); got.Attributes["tier"] != "gold" {
		t.Fatalf("person 4 attributes = %v", got.Attributes)
	}

	// Opt out everyone in the group, then undo it.
	page, _ = post("/contacts/bulk-edit", url.Values{"group": {f.group.ID}, "field": {"opted_out"}, "op": {"set"}, "scope": {"matching"}})
	if !strings.Contains(page, "6 contacts changed.") || !strings.Contains(page, "opted out on 6 contacts") {
		t.Fatal("opt-out of the group: no count")
	}
	page, _ = post("/contacts/bulk-edit/undo", url.Values{"group": {f.group.ID}})
	if !strings.Contains(page, "Bulk edit undone: 6 contacts back") || strings.Contains(page, "data-last-bulk") {
		t.Fatal("undo: no message, or still offered")
	}
	for _, c := range all {
		if got, _ := f.store.GetContact(ctx, c.ID); got.OptedOut {
			t.Fatalf("%s still opted out after the undo", c.Name)
		}
	}
	page, _ = post("/contacts/bulk-edit", url.Values{"q": {"nobody matches this"}, "field": {"v1"}, "op": {"set"}, "value": {"x"}, "scope": {"matching"}})
	if !strings.Contains(page, "No contact changed") {
		t.Fatal("an edit that matched nothing: no message")
	}
	page, _ = post("/contacts/bulk-edit/undo", nil)
	if !strings.Contains(page, "There is no bulk edit to undo") {
		t.Fatal("second undo: no message")
	}

	// Mistakes get a message and change nothing.
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"field": {"v1"}, "op": {"set"}, "value": {"x"}, "scope": {"selected"}}, "Select at least one contact first"},
		{url.Values{"ids": {all[0].ID}, "field": {"v1"}, "op": {"set"}, "value": {""}, "scope": {"selected"}}, "type the value to set"},
		{url.Values{"ids": {all[0].ID}, "field": {"attr"}, "attribute": {"9 lives"}, "op": {"set"}, "value": {"x"}, "scope": {"selected"}}, "must start with a letter"},
		{url.Values{"ids": {all[0].ID}, "field": {"phone"}, "op": {"set"}, "value": {"x"}, "scope": {"selected"}}, "is not a field a bulk edit can change"},
	} {
		page, _ := post("/contacts/bulk-edit", tc.form)
		if !strings.Contains(page, tc.want) {
			t.Errorf("%v: the page lacks %q", tc.form, tc.want)
		}
	}
	if got, _ := f.store.GetContact(ctx, all[0].ID); got.V1 != "" || len(got.Attributes) != 1 {
		t.Fatalf("a refused edit changed the contact: %+v", got)
	}
}

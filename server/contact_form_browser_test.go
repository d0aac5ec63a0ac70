package server_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/models"
)

// TestBrowserGroupPickerAndImportChanges moves a contact between groups with
// the edit form's picker in real Chromium on a 390 px phone, and checks the
// form and an import preview listing changes fit the screen. With
// SAMBAD_SCREENSHOT_DIR set it saves both pages at 390 and 1280 px.
func TestBrowserGroupPickerAndImportChanges(t *testing.T) {
	s := newSite(t, "")
	ctx := t.Context()
	vip, _ := s.store.CreateGroup(ctx, "VIP")
	s.store.CreateGroup(ctx, "Pune customers")
	var c models.Contact
	(models.ContactInput{Phone: "9876543211", Name: "Bela", Variables: map[string]string{"v1": "Silver", "v2": "Pune"}}).Apply(&c, "IN")
	if err := s.store.CreateContact(ctx, &c); err != nil {
		t.Fatal(err)
	}
	s.store.AddMembers(ctx, vip.ID, []string{c.ID})
	file := "phone,name,v1,v2\n9876543211,Bela Rao,Gold customer since 2019,Pune\n9876543213,New person,,\n"
	preview := s.upload("/contacts/import", "list.csv", []byte(file), map[string]string{"mode": "update"}).header.Get("Location")

	page := launchChromium(t).MustPage("").Timeout(60 * time.Second)
	defer page.Close()
	page.MustSetViewport(390, 844, 1, true)
	page.MustNavigate(s.url + "/contacts/" + c.ID + "/edit").MustWaitLoad()
	page.MustElementR("label", "Pune customers").MustClick()
	page.MustElementR("label", "VIP").MustClick()
	page.MustElement("#new_group").MustInput("Diwali 2026")
	wait := page.MustWaitNavigation()
	page.MustElement(`form.card button.primary[type="submit"]`).MustClick()
	wait()
	if got := memberOf(t, s, c.ID); !slices.Equal(got, []string{"Diwali 2026", "Pune customers"}) {
		t.Fatalf("after saving in the browser: in %v, want Diwali 2026 and Pune customers", got)
	}

	dir := os.Getenv("SAMBAD_SCREENSHOT_DIR")
	pages := []struct{ name, path string }{{"contact-edit-groups", "/contacts/" + c.ID + "/edit"}, {"import-changes", preview}}
	for _, width := range []int{390, 1280} {
		page.MustSetViewport(width, 844, 1, width < 800)
		for _, p := range pages {
			page.MustNavigate(s.url + p.path).MustWaitLoad()
			if width == 390 {
				var problems []string
				if err := page.MustEval(pageFitsJS, width).Unmarshal(&problems); err != nil {
					t.Fatal(err)
				}
				for _, pr := range problems {
					t.Errorf("%s at %d px: %s", p.name, width, pr)
				}
			}
			if dir != "" {
				shotFullPage(t, page, filepath.Join(dir, fmt.Sprintf("%s-%d.png", p.name, width)))
			}
		}
	}
	if !page.MustHasR("td.changes", "Bela Rao") {
		t.Fatal("the preview does not show the new name")
	}
}

// TestBrowserVariableNames names variables on the Settings page in real
// Chromium and checks the contacts list and the contact form show the names
// and fit a 390 px phone. With SAMBAD_SCREENSHOT_DIR set it saves the
// settings section, the list and the form at 390 and 1280 px.
func TestBrowserVariableNames(t *testing.T) {
	s := newSite(t, "")
	var c models.Contact
	(models.ContactInput{Phone: "9876543211", Name: "Bela Rao", Variables: map[string]string{"v1": "Gold", "v2": "Pune", "v3": "Diwali 2026 offer"}}).Apply(&c, "IN")
	if err := s.store.CreateContact(t.Context(), &c); err != nil {
		t.Fatal(err)
	}
	page := launchChromium(t).MustPage("").Timeout(60 * time.Second)
	defer page.Close()
	page.MustSetViewport(390, 844, 1, true)
	page.MustNavigate(s.url + "/settings#variables").MustWaitLoad()
	page.MustElement("#set-var_label_v1").MustInput("Tier")
	page.MustElement("#set-var_label_v2").MustInput("City")
	wait := page.MustWaitNavigation()
	page.MustElement("#variables button.primary").MustClick()
	wait()
	if flash := page.MustElement(".flash.notice").MustText(); !strings.HasPrefix(flash, "Variable names saved.") {
		t.Fatalf("flash %q", flash)
	}
	page.MustNavigate(s.url + "/contacts").MustWaitLoad()
	if row := page.MustElement("tbody tr").MustText(); !strings.Contains(row, "Tier: Gold") || !strings.Contains(row, "City: Pune") || !strings.Contains(row, "v3: Diwali 2026 offer") {
		t.Fatalf("the row shows %q", row)
	}

	dir := os.Getenv("SAMBAD_SCREENSHOT_DIR")
	pages := []struct{ name, path string }{{"settings-variables", "/settings"}, {"contacts-named", "/contacts"}, {"contact-form-named", "/contacts/" + c.ID + "/edit"}}
	for _, width := range []int{390, 1280} {
		page.MustSetViewport(width, 844, 1, width < 800)
		for _, p := range pages {
			page.MustNavigate(s.url + p.path).MustWaitLoad()
			if width == 390 {
				var problems []string
				if err := page.MustEval(pageFitsJS, width).Unmarshal(&problems); err != nil {
					t.Fatal(err)
				}
				for _, pr := range problems {
					t.Errorf("%s at %d px: %s", p.name, width, pr)
				}
			}
			if dir != "" {
				shotFullPage(t, page, filepath.Join(dir, fmt.Sprintf("%s-%d.png", p.name, width)))
			}
		}
	}
}

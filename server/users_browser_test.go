package server_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/models"
)

// TestBrowserUsersPages signs in through the real login form and uses the
// Users, Account and Audit pages in Chromium: adding a user, making a token
// (shown once), and reading the audit log. At 390 px nothing is wider than
// the screen and every control can be reached. With SAMBAD_SCREENSHOT_DIR
// set it saves the three pages at 390 and 1280 px.
func TestBrowserUsersPages(t *testing.T) {
	o := newOffice(t, "")
	ravi := o.browser("ravi", staffPassword)
	ravi.newToken("CRM sync", nil)
	ravi.get("/contacts/export.csv")
	jar := o.apiClient("")
	jar.ua = "curl/8.5.0"
	jar.form("/login", url.Values{"name": {"meena"}, "password": {"a wrong guess"}})

	page := launchChromium(t).MustPage(o.url + "/login").Timeout(120 * time.Second)
	defer page.Close()
	page.MustWaitLoad()
	page.MustElement("#name").MustInput("boss")
	page.MustElement("#password").MustInput(bossPassword)
	wait := page.MustWaitNavigation()
	page.MustElement(`button[type="submit"]`).MustClick()
	wait()
	if got := page.MustElement("header .me").MustText(); !strings.Contains(got, "boss") {
		t.Fatalf("top bar shows %q", got)
	}
	// Add a user through the form.
	page.MustNavigate(o.url + "/users").MustWaitLoad()
	page.MustElement("#new-name").MustInput("Priya Shah")
	page.MustElement("#new-password").MustInput("priya password")
	wait = page.MustWaitNavigation()
	page.MustElement(`form[action="/users"] button.primary`).MustClick()
	wait()
	if !strings.Contains(page.MustElement(".flash.notice").MustText(), "Priya Shah added") || !page.MustHas(`tr[data-user="Priya Shah"]`) {
		t.Fatal("the new user is not listed")
	}
	// Make a token on the Account page: shown once.
	page.MustNavigate(o.url + "/account").MustWaitLoad()
	page.MustElement(`.token-new input[name="name"]`).MustInput("Reports script")
	wait = page.MustWaitNavigation()
	page.MustElement(".token-new button").MustClick()
	wait()
	tok := page.MustElement(".new-token input").MustProperty("value").String()
	if !strings.HasPrefix(tok, "sbd_") {
		t.Fatalf("new token shown as %q", tok)
	}
	if r := o.apiClient(tok).get("/api/v1/audit"); r.status != 200 {
		t.Fatalf("the admin's new token: %d", r.status)
	}

	dir := os.Getenv("SAMBAD_SCREENSHOT_DIR")
	for _, width := range []int{390, 1280} {
		page.MustSetViewport(width, 844, 1, width < 800)
		for _, p := range []struct{ name, path string }{{"users", "/users"}, {"audit", "/audit"}, {"account", "/account"}} {
			page.MustNavigate(o.url + p.path).MustWaitLoad()
			if width == 390 {
				var problems []string
				if err := page.MustEval(pageFitsJS, width).Unmarshal(&problems); err != nil {
					t.Fatal(err)
				}
				for _, pr := range problems {
					t.Errorf("%s at %d px: %s", p.path, width, pr)
				}
			}
			if dir != "" {
				shotFullPage(t, page, filepath.Join(dir, fmt.Sprintf("%s-%d.png", p.name, width)))
			}
		}
	}
	if !strings.Contains(page.MustElement("table.tokens").MustText(), "Reports script") {
		t.Fatal("account page does not list the token")
	}
	// Staff: numbers masked in the real browser, admin pages refused with a
	// page that says why.
	ctx := t.Context()
	var c models.Contact
	models.ContactInput{Phone: knownNumber, Name: "Asha Known"}.Apply(&c, "IN")
	if err := o.store.CreateContact(ctx, &c); err != nil {
		t.Fatal(err)
	}
	staffPage := launchChromium(t).MustPage(o.url + "/login").Timeout(60 * time.Second)
	defer staffPage.Close()
	staffPage.MustWaitLoad()
	staffPage.MustElement("#name").MustInput("ravi")
	staffPage.MustElement("#password").MustInput(staffPassword)
	wait = staffPage.MustWaitNavigation()
	staffPage.MustElement(`button[type="submit"]`).MustClick()
	wait()
	for _, width := range []int{390, 1280} {
		staffPage.MustSetViewport(width, 844, 1, width < 800)
		staffPage.MustNavigate(o.url + "/contacts").MustWaitLoad()
		if text := staffPage.MustElement("main").MustText(); !strings.Contains(text, "+91 98••• ••210") || strings.Contains(text, "43210") {
			t.Fatalf("staff contacts page at %d px:\n%s", width, text)
		}
		if dir != "" {
			shotFullPage(t, staffPage, filepath.Join(dir, fmt.Sprintf("staff-contacts-%d.png", width)))
		}
		staffPage.MustNavigate(o.url + "/settings").MustWaitLoad()
		if !strings.Contains(staffPage.MustElement("main h1").MustText(), "Only an admin") {
			t.Fatal("staff on /settings: no refusal page")
		}
		if dir != "" {
			shotFullPage(t, staffPage, filepath.Join(dir, fmt.Sprintf("staff-refused-%d.png", width)))
		}
	}
}

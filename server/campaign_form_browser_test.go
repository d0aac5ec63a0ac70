package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"

	"github.com/sambad/sambad/internal/testdb"
)

// TestCampaignFormInChromium: choosing another preview contact shows that
// contact's message without a "Show" click; the new-campaign form shows the
// audience count and the message live while it is edited; and a form shown
// again after a mistake keeps the form's address.
func TestCampaignFormInChromium(t *testing.T) {
	f := newFixture(t, testdb.SQLite(t), 3)
	_, draft := uiCampaigns(t, f)
	page := launchChromium(t).MustPage(f.url + "/campaigns/" + draft).Timeout(60 * time.Second)
	defer page.Close()
	page.MustWaitLoad()
	if page.MustElement("[data-autosubmit-button]").MustVisible() {
		t.Error("the Show button is still shown with JavaScript on")
	}
	before := page.MustElement(".wa-bubble").MustText()
	wait := page.MustWaitNavigation()
	page.MustElement(`select[name="contact"]`).MustSelect("Person 2")
	wait()
	page.MustWaitLoad()
	if after := page.MustElement(".wa-bubble").MustText(); after == before || !strings.Contains(after, "Person 2") {
		t.Fatalf("after choosing Person 2 the preview says %q (before: %q)", after, before)
	}

	// While the form is edited, the audience and the message show live.
	page.MustNavigate(f.url + "/campaigns/new").MustWaitLoad()
	page.MustElement(`input[name="group_ids"]`).MustClick()
	page.MustElement("#template").MustSelectAllText().MustInput("Hello {{name}}, see you in {{city}}")
	if err := page.Timeout(10 * time.Second).Wait(rod.Eval(`() => { const b = document.querySelector("#form-preview [data-preview]"); return b && b.textContent.includes("see you in Pune"); }`)); err != nil {
		t.Fatalf("the live preview did not follow the message: %v", err)
	}
	if a := page.MustElement("#form-preview [data-audience]").MustText(); !strings.HasPrefix(a, "3 will receive it") {
		t.Fatalf("the live audience says %q, want 3", a)
	}
	page.MustElement("#template").MustSelectAllText().MustInput("Hello {{nme}}")
	if err := page.Timeout(10 * time.Second).Wait(rod.Eval(`() => !!document.querySelector("#form-preview .template-error")`)); err != nil {
		t.Fatalf("the live preview shows no template mistake: %v", err)
	}
	if u := page.MustInfo().URL; !strings.HasSuffix(u, "/campaigns/new") {
		t.Fatalf("editing moved the page to %s", u)
	}

	page.MustNavigate(f.url + "/campaigns/new").MustWaitLoad()
	page.MustElement("#name").MustInput("Broken")
	page.MustElement("#template").MustSelectAllText().MustInput("Hi {{name")
	wait = page.MustWaitNavigation()
	page.MustElement(`.form-actions button.primary`).MustClick()
	wait()
	page.MustWaitLoad()
	if !page.MustHas(".template-error") {
		t.Fatal("the broken message shows no error")
	}
	if u := page.MustInfo().URL; !strings.HasSuffix(u, "/campaigns/new") {
		t.Fatalf("after the error the address is %s, want the form's /campaigns/new", u)
	}
	if v := page.MustElement("#name").MustProperty("value").String(); v != "Broken" {
		t.Fatalf("the form lost the name: %q", v)
	}
}

package server_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/settings"
)

func TestVariableNames(t *testing.T) {
	s := newSite(t, "")
	var c models.Contact
	(models.ContactInput{Phone: "9876543210", Name: "Asha", Variables: map[string]string{"v1": "Gold", "v3": "Pune"}}).Apply(&c, "IN")
	if err := s.store.CreateContact(t.Context(), &c); err != nil {
		t.Fatal(err)
	}
	if r := s.get("/contacts"); !strings.Contains(r.body, `<span class="pill" title="v1">v1: Gold</span> <span class="pill" title="v3">v3: Pune</span>`) {
		t.Fatal("unnamed variables do not show as v1, v3")
	}

	// Bad names: each is marked, what was typed comes back, nothing is saved.
	for _, tc := range []struct{ field, value, want string }{
		{"var_label_v2", "{{city}}", "may not hold { } or |"},
		{"var_label_v2", " tier ", "v1 is already named &#34;Tier&#34;"},
		{"var_label_v2", "v3", "&#34;v3&#34; is the name of another variable"},
		{"var_label_v2", strings.Repeat("x", 41), "is longer than 40 characters"},
	} {
		r := s.form("/settings/variables", map[string][]string{"var_label_v1": {"Tier"}, tc.field: {tc.value}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, tc.want) || !strings.Contains(r.body, `name="var_label_v1" value="Tier"`) {
			t.Errorf("name %q: %d, want 422 with %q; got %q", tc.value, r.status, tc.want, regexp.MustCompile(`field-error[^<]*`).FindAllString(r.body, -1))
		}
	}
	if stored, _ := s.store.Settings(t.Context()); len(stored) != 0 {
		t.Fatalf("a refused form stored %v", stored)
	}

	r := s.follow(s.form("/settings/variables", map[string][]string{"var_label_v1": {"  Tier "}, "var_label_v3": {"City"}}))
	if !strings.Contains(r.body, "Variable names saved.") || !strings.Contains(r.body, `name="var_label_v1" value="Tier"`) {
		t.Fatal("saving the names: no flash or the name is not shown")
	}
	// The pages use the names.
	if r = s.get("/contacts"); !strings.Contains(r.body, `<span class="pill" title="v1">Tier: Gold</span> <span class="pill" title="v3">City: Pune</span>`) {
		t.Fatal("the contacts list does not name the variables")
	}
	r = s.get("/contacts/" + c.ID + "/edit")
	if !strings.Contains(r.body, `<label class="var-label" for="var-v1">Tier <span class="muted">v1</span></label>`) || !strings.Contains(r.body, `<label class="var-label" for="var-v2">v2</label>`) {
		t.Fatal("the contact form does not name the variables")
	}
	// Exports keep v1..v10, so a file exported and imported again round-trips.
	if r = s.get("/contacts/export.csv"); !strings.HasPrefix(r.body, "\ufeffphone,name,v1,v2,v3,") || strings.Contains(r.body, "Tier") {
		t.Fatalf("the export's header changed: %q", strings.SplitN(r.body, "\n", 2)[0])
	}
	// Emptying a name removes it.
	s.follow(s.form("/settings/variables", map[string][]string{"var_label_v1": {""}, "var_label_v3": {"City"}}))
	if r = s.get("/contacts"); !strings.Contains(r.body, `v1: Gold`) || !strings.Contains(r.body, `City: Pune`) {
		t.Fatal("an emptied name still shows")
	}
}

func TestCampaignFormNamesVariables(t *testing.T) {
	store := testdb.SQLite(t)
	f := newFixture(t, store, 0)
	if err := store.SaveSettings(t.Context(), map[string]string{settings.VarLabelKey(1): "Tier", settings.VarLabelKey(3): "City"}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(f.url + "/campaigns/new")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if want := `Named: <span class="mono">{{v1}}</span> = Tier, <span class="mono">{{v3}}</span> = City.`; resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
		t.Fatalf("the campaign form's template help does not name the variables (%d)", resp.StatusCode)
	}
}

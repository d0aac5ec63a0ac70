package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sambad/sambad/models"
)

type apiContact struct {
	ID         string            `json:"id"`
	Phone      string            `json:"phone"`
	Name       string            `json:"name"`
	Variables  map[string]string `json:"variables"`
	Attributes map[string]string `json:"attributes"`
}

func TestAPIContacts(t *testing.T) {
	s := newSite(t, "")
	r := s.api("POST", "/api/v1/contacts", map[string]any{"phone": "98765 43210", "name": "Asha", "variables": map[string]string{"v1": "Pune"}, "attributes": map[string]string{"city": "Pune"}})
	var asha apiContact
	r.json(t, &asha)
	if r.status != http.StatusCreated || asha.Phone != "+919876543210" || asha.Variables["v1"] != "Pune" || asha.Attributes["city"] != "Pune" || len(asha.ID) != 36 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	for _, tc := range []struct {
		name   string
		method string
		path   string
		body   any
		status int
		text   string
	}{
		{"duplicate phone", "POST", "/api/v1/contacts", map[string]any{"phone": "+91 98765-43210"}, http.StatusConflict, "+919876543210 is already a contact"},
		{"invalid phone", "POST", "/api/v1/contacts", map[string]any{"phone": "12ab"}, http.StatusUnprocessableEntity, "phone: '12ab' is not a valid number for region IN"},
		{"unknown variable", "POST", "/api/v1/contacts", map[string]any{"phone": "9876500001", "variables": map[string]string{"v11": "x"}}, http.StatusUnprocessableEntity, "unknown variable"},
		{"unknown field", "POST", "/api/v1/contacts", map[string]any{"phone": "9876500001", "nmae": "typo"}, http.StatusBadRequest, "invalid JSON body"},
		{"not JSON", "POST", "/api/v1/contacts", "{", http.StatusBadRequest, "field"},
		{"get missing", "GET", "/api/v1/contacts/" + models.NewID(), nil, http.StatusNotFound, "not found"},
		{"get malformed id", "GET", "/api/v1/contacts/nope", nil, http.StatusNotFound, "not found"},
		{"patch missing", "PATCH", "/api/v1/contacts/" + models.NewID(), map[string]any{"name": "x"}, http.StatusNotFound, "not found"},
		{"delete missing", "DELETE", "/api/v1/contacts/" + models.NewID(), nil, http.StatusNotFound, "not found"},
		{"no such endpoint", "GET", "/api/v1/nothing", nil, http.StatusNotFound, "no such endpoint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.api(tc.method, tc.path, tc.body)
			var e struct{ Error string }
			r.json(t, &e)
			if r.status != tc.status || !strings.Contains(e.Error, tc.text) {
				t.Fatalf("%s %s = %d %s; want %d with %q", tc.method, tc.path, r.status, r.body, tc.status, tc.text)
			}
		})
	}

	r = s.api("GET", "/api/v1/contacts/"+asha.ID, nil)
	var got apiContact
	r.json(t, &got)
	if r.status != http.StatusOK || got.Name != "Asha" {
		t.Fatalf("get: %d %s", r.status, r.body)
	}
	r = s.api("PATCH", "/api/v1/contacts/"+asha.ID, map[string]any{"name": "Asha Rao", "variables": map[string]string{"var2": "Gold", "v1": ""}})
	got = apiContact{}
	r.json(t, &got)
	if r.status != http.StatusOK || got.Name != "Asha Rao" || got.Variables["v2"] != "Gold" || got.Variables["v1"] != "" || got.Phone != "+919876543210" {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}

	for i := 1; i <= 4; i++ {
		s.contact("987650000"+string(rune('0'+i)), "Person "+string(rune('0'+i)))
	}
	var page struct {
		Items []apiContact `json:"items"`
		Total int64        `json:"total"`
	}
	r = s.api("GET", "/api/v1/contacts?per_page=2&page=2", nil)
	r.json(t, &page)
	if r.status != http.StatusOK || page.Total != 5 || len(page.Items) != 2 || page.Items[0].Name != "Person 2" {
		t.Fatalf("page 2: %d %s", r.status, r.body)
	}
	r = s.api("GET", "/api/v1/contacts?q=rao", nil)
	r.json(t, &page)
	if page.Total != 1 || page.Items[0].ID != asha.ID {
		t.Fatalf("search: %s", r.body)
	}
	if r = s.api("DELETE", "/api/v1/contacts/"+asha.ID, nil); r.status != http.StatusNoContent || r.body != "" {
		t.Fatalf("delete: %d %q", r.status, r.body)
	}
	if r = s.api("GET", "/api/v1/contacts/"+asha.ID, nil); r.status != http.StatusNotFound {
		t.Fatalf("get after delete: %d", r.status)
	}
}

func TestAPIGroups(t *testing.T) {
	s := newSite(t, "")
	r := s.api("POST", "/api/v1/groups", map[string]string{"name": " VIP "})
	var g struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		MemberCount int64  `json:"member_count"`
	}
	r.json(t, &g)
	if r.status != http.StatusCreated || g.Name != "VIP" {
		t.Fatalf("create group: %d %s", r.status, r.body)
	}
	if r = s.api("POST", "/api/v1/groups", map[string]string{"name": "vip"}); r.status != http.StatusConflict || !strings.Contains(r.body, `a group named \"vip\" already exists`) {
		t.Fatalf("duplicate group: %d %s", r.status, r.body)
	}
	if r = s.api("POST", "/api/v1/groups", map[string]string{"name": " "}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "name: is required") {
		t.Fatalf("empty group name: %d %s", r.status, r.body)
	}
	a, b := s.contact("9876543210", "A"), s.contact("9876543211", "B")
	r = s.api("POST", "/api/v1/groups/"+g.ID+"/members", map[string][]string{"contact_ids": {a.ID, b.ID, models.NewID()}})
	if r.status != http.StatusOK || r.body != `{"added":2}` {
		t.Fatalf("add members: %d %s", r.status, r.body)
	}
	r = s.api("GET", "/api/v1/groups/"+g.ID, nil)
	r.json(t, &g)
	if r.status != http.StatusOK || g.MemberCount != 2 {
		t.Fatalf("get group: %d %s", r.status, r.body)
	}
	var list struct {
		Items []struct{ Name string } `json:"items"`
		Total int                     `json:"total"`
	}
	s.api("GET", "/api/v1/groups", nil).json(t, &list)
	if list.Total != 1 || list.Items[0].Name != "VIP" {
		t.Fatalf("list groups: %+v", list)
	}
	var members struct{ Total int64 }
	s.api("GET", "/api/v1/contacts?group_id="+g.ID, nil).json(t, &members)
	if members.Total != 2 {
		t.Fatalf("members listed: %d", members.Total)
	}
	if r = s.api("DELETE", "/api/v1/groups/"+g.ID+"/members", map[string][]string{"contact_ids": {a.ID}}); r.body != `{"removed":1}` {
		t.Fatalf("remove members: %d %s", r.status, r.body)
	}
	if r = s.api("PATCH", "/api/v1/groups/"+g.ID, map[string]string{"name": "Gold"}); r.status != http.StatusOK || !strings.Contains(r.body, `"name":"Gold"`) {
		t.Fatalf("rename: %d %s", r.status, r.body)
	}
	if r = s.api("PATCH", "/api/v1/groups/"+models.NewID(), map[string]string{"name": "X"}); r.status != http.StatusNotFound {
		t.Fatalf("rename missing: %d", r.status)
	}
	if r = s.api("POST", "/api/v1/groups/"+models.NewID()+"/members", map[string][]string{"contact_ids": {a.ID}}); r.status != http.StatusNotFound {
		t.Fatalf("members of a missing group: %d", r.status)
	}
	if r = s.api("DELETE", "/api/v1/groups/"+g.ID, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete group: %d", r.status)
	}
	if r = s.api("DELETE", "/api/v1/groups/"+g.ID, nil); r.status != http.StatusNotFound {
		t.Fatalf("delete group again: %d", r.status)
	}
	if r = s.api("GET", "/api/v1/contacts/"+b.ID, nil); r.status != http.StatusOK {
		t.Fatalf("deleting a group deleted its contact: %d", r.status)
	}
}

func TestAPIToken(t *testing.T) {
	s := newSite(t, strongToken)
	if r := s.api("GET", "/api/v1/contacts", nil); r.status != http.StatusOK {
		t.Fatalf("with the token: %d %s", r.status, r.body)
	}
	for _, auth := range []string{"", "Bearer wrong", strongToken, "Basic " + strongToken} {
		req, _ := http.NewRequest("GET", s.url+"/api/v1/contacts", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("Authorization %q: %d", auth, resp.StatusCode)
		}
	}
	// The pages do not use the API token.
	s.token = ""
	if r := s.get("/contacts"); r.status != http.StatusOK {
		t.Fatalf("contacts page: %d", r.status)
	}
	if r := s.upload("/api/v1/contacts/import", "a.csv", []byte("phone\n9876543210\n"), nil); r.status != http.StatusUnauthorized {
		t.Fatalf("import without the token: %d", r.status)
	}
}

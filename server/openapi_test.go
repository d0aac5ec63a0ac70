package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/server"
)

// TestOpenAPIDescribesEveryRoute walks the router: every /api/v1 route must
// be in the description and every described operation must be routed. The
// failure lists each one, as "METHOD /path", to add to server/openapi.go.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	srv, err := server.New(server.Deps{Config: &config.Config{DataDir: t.TempDir()}, Store: testdb.SQLite(t)})
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`[:*]([A-Za-z_]+)`)
	routed := map[string]bool{}
	for _, r := range srv.Routes() {
		if p, ok := strings.CutPrefix(r.Path, "/api/v1"); ok {
			routed[r.Method+" "+param.ReplaceAllString(p, "{$1}")] = true
		}
	}
	described := map[string]bool{}
	for p, item := range server.OpenAPI()["paths"].(map[string]any) {
		for m := range item.(map[string]any) {
			described[strings.ToUpper(m)+" "+p] = true
		}
	}
	var missing, extra []string
	for k := range routed {
		if !described[k] {
			missing = append(missing, k)
		}
	}
	for k := range described {
		if !routed[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes under /api/v1 missing from the OpenAPI description (server/openapi.go):\n  %s", strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("operations in the OpenAPI description that no route serves:\n  %s", strings.Join(extra, "\n  "))
	}
	if len(routed) < 30 {
		t.Fatalf("only %d /api/v1 routes found: the walk is broken", len(routed))
	}
}

// apiSpec compiles the served description's schemas for checking answers.
type apiSpec struct {
	doc map[string]any
	c   *jsonschema.Compiler
}

const specURL = "https://sambad.invalid/openapi.json"

func loadSpec(t *testing.T, s *site) *apiSpec {
	r := s.api("GET", "/api/v1/openapi.json", nil)
	if r.status != 200 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("openapi.json = %d %s", r.status, r.header.Get("Content-Type"))
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if m := doc.(map[string]any); m["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v", m["openapi"])
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(specURL, doc); err != nil {
		t.Fatal(err)
	}
	return &apiSpec{doc: doc.(map[string]any), c: c}
}

func pointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// check validates a real answer against the schema the description gives
// for that operation and status.
func (sp *apiSpec) check(t *testing.T, method, path string, r reply) {
	t.Helper()
	op, _ := sp.doc["paths"].(map[string]any)[path].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if op == nil {
		t.Fatalf("%s %s is not described", method, path)
	}
	status := fmt.Sprint(r.status)
	resp, _ := op["responses"].(map[string]any)[status].(map[string]any)
	if resp == nil {
		t.Errorf("%s %s answered %d, a status the description does not list: %s", method, path, r.status, r.body)
		return
	}
	if _, hasBody := resp["content"]; !hasBody && resp["$ref"] == nil {
		if r.body != "" {
			t.Errorf("%s %s %d is described without a body but has one: %s", method, path, r.status, r.body)
		}
		return
	}
	if content, ok := resp["content"].(map[string]any); ok && content["application/json"] == nil {
		sp.checkFile(t, method, path, r, content)
		return
	}
	ptr := "#/paths/" + pointerEscape(path) + "/" + strings.ToLower(method) + "/responses/" + status
	if ref, ok := resp["$ref"].(string); ok {
		ptr = ref
	}
	sch, err := sp.c.Compile(specURL + ptr + "/content/application~1json/schema")
	if err != nil {
		t.Fatalf("%s %s %d: %v", method, path, r.status, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(r.body)))
	if err != nil {
		t.Fatalf("%s %s: the answer is not JSON: %s", method, path, r.body)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s %s %d does not match its schema: %v\n%s", method, path, r.status, err, r.body)
	}
}

// checkFile checks a file answer's Content-Type is the one described
// (application/octet-stream stands for any type: a media file's own).
func (sp *apiSpec) checkFile(t *testing.T, method, path string, r reply, content map[string]any) {
	t.Helper()
	mt, _, err := mime.ParseMediaType(r.header.Get("Content-Type"))
	if err != nil {
		t.Errorf("%s %s %d: Content-Type %q: %v", method, path, r.status, r.header.Get("Content-Type"), err)
		return
	}
	if content[mt] == nil && content["application/octet-stream"] == nil {
		t.Errorf("%s %s %d answered %s, a type the description does not list", method, path, r.status, mt)
	}
	if r.body == "" {
		t.Errorf("%s %s %d: an empty file", method, path, r.status)
	}
}

// strict holds answers to the schemas of the description strictly from
// here on: an object schema listing its properties gets
// additionalProperties false (unless it says otherwise), so a field an
// answer carries that the description does not name fails the check.
// The served description stays open, so clients accept fields added later.
func (sp *apiSpec) strict(t *testing.T) {
	t.Helper()
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if _, ok := x["properties"].(map[string]any); ok {
				if _, set := x["additionalProperties"]; !set {
					x["additionalProperties"] = false
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(sp.doc)
	sp.c = jsonschema.NewCompiler()
	if err := sp.c.AddResource(specURL, any(sp.doc)); err != nil {
		t.Fatal(err)
	}
}

// TestOpenAPIAnswersMatchTheirSchemas makes real requests and validates
// each answer against the schema the description gives for it, errors
// included.
func TestOpenAPIAnswersMatchTheirSchemas(t *testing.T) {
	s := newPrivateSite(t, "tok-0123456789")
	sp := loadSpec(t, s)
	// Every schema in the description compiles (2020-12, as OpenAPI 3.1 uses).
	for name := range sp.doc["components"].(map[string]any)["schemas"].(map[string]any) {
		if _, err := sp.c.Compile(specURL + "#/components/schemas/" + name); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
	var secret string
	rcv := newHookReceiver(t, &secret)
	var id struct{ ID string }
	call := func(method, tpl, path string, body any) reply {
		t.Helper()
		r := s.api(method, path, body)
		sp.check(t, method, tpl, r)
		return r
	}
	r := call("POST", "/contacts", "/api/v1/contacts", map[string]any{"phone": "98765 43210", "name": "Asha", "variables": map[string]string{"v1": "Pune"}})
	r.json(t, &id)
	contact := id.ID
	call("POST", "/contacts", "/api/v1/contacts", map[string]any{"phone": "12ab"})
	call("GET", "/contacts", "/api/v1/contacts?q=asha", nil)
	call("GET", "/contacts/{id}", "/api/v1/contacts/"+contact, nil)
	call("GET", "/contacts/{id}", "/api/v1/contacts/nope", nil)
	call("PATCH", "/contacts/{id}", "/api/v1/contacts/"+contact, map[string]any{"name": "Asha R"})
	call("PATCH", "/contacts/{id}", "/api/v1/contacts/"+contact, "{")
	call("POST", "/groups", "/api/v1/groups", map[string]any{"name": "Pune"}).json(t, &id)
	call("GET", "/groups", "/api/v1/groups", nil)
	call("GET", "/groups/{id}", "/api/v1/groups/"+id.ID, nil)
	call("PATCH", "/groups/{id}", "/api/v1/groups/"+id.ID, map[string]any{"name": "Pune West"})
	call("POST", "/groups/{id}/members", "/api/v1/groups/"+id.ID+"/members", map[string]any{"contact_ids": []string{contact}})
	call("DELETE", "/groups/{id}/members", "/api/v1/groups/"+id.ID+"/members", map[string]any{"contact_ids": []string{contact}})
	call("GET", "/session", "/api/v1/session", nil)
	call("GET", "/media", "/api/v1/media", nil)
	call("GET", "/campaigns/{id}", "/api/v1/campaigns/nope", nil)
	r = s.upload("/api/v1/contacts/import?dry_run=true", "c.csv", []byte("phone,name\n9876500001,Ravi\n12ab,Bad\n"), nil)
	sp.check(t, "POST", "/contacts/import", r)
	r = call("POST", "/webhooks", "/api/v1/webhooks", map[string]any{"url": rcv.url, "events": []string{"message.sent"}})
	var hook struct{ ID, Secret string }
	r.json(t, &hook)
	secret = hook.Secret
	call("POST", "/webhooks", "/api/v1/webhooks", map[string]any{"url": "ftp://x"})
	call("GET", "/webhooks", "/api/v1/webhooks", nil)
	call("GET", "/webhooks/{id}", "/api/v1/webhooks/"+hook.ID, nil)
	call("PATCH", "/webhooks/{id}", "/api/v1/webhooks/"+hook.ID, map[string]any{"enabled": false})
	call("POST", "/webhooks/{id}/test", "/api/v1/webhooks/"+hook.ID+"/test", nil)
	call("GET", "/webhooks/{id}/deliveries", "/api/v1/webhooks/"+hook.ID+"/deliveries", nil)
	call("DELETE", "/webhooks/{id}", "/api/v1/webhooks/"+hook.ID, nil)
	call("DELETE", "/contacts/{id}", "/api/v1/contacts/"+contact, nil)

	// Without the token: 401 in the error shape.
	s.token = ""
	r = s.api("GET", "/api/v1/contacts", nil)
	if r.status != http.StatusUnauthorized {
		t.Fatalf("without a token = %d", r.status)
	}
	sp.check(t, "GET", "/contacts", r)
	var e map[string]any
	json.Unmarshal([]byte(r.body), &e)
	if len(e) != 1 || e["error"] == "" {
		t.Fatalf("401 body = %s", r.body)
	}
}

// TestOpenAPICampaignAnswersMatchTheirSchemas checks the campaign answers
// with a running engine.
func TestOpenAPICampaignAnswersMatchTheirSchemas(t *testing.T) {
	f := newFixture(t, testdb.SQLite(t), 5)
	s := &site{t: t, url: f.url, store: f.store, c: &http.Client{}}
	sp := loadSpec(t, s)
	call := func(method, tpl, path string, body any) reply {
		t.Helper()
		r := s.api(method, path, body)
		sp.check(t, method, tpl, r)
		return r
	}
	call("POST", "/campaigns", "/api/v1/campaigns", map[string]any{"name": "x", "template": "Hi {{cty}}", "group_ids": []string{f.group.ID}})
	r := call("POST", "/campaigns", "/api/v1/campaigns", map[string]any{"name": "Offer", "template": "Hi {{name}}", "group_ids": []string{f.group.ID},
		"pacing": map[string]any{"min_delay_ms": 0, "max_delay_ms": 0}})
	var cp struct{ ID string }
	r.json(t, &cp)
	if r.status != 201 {
		t.Fatalf("create = %d %s", r.status, r.body)
	}
	call("GET", "/campaigns", "/api/v1/campaigns", nil)
	call("POST", "/campaigns/{id}/{action}", "/api/v1/campaigns/"+cp.ID+"/start", nil)
	call("POST", "/campaigns/{id}/{action}", "/api/v1/campaigns/"+cp.ID+"/start", nil) // 409
	call("GET", "/campaigns/{id}", "/api/v1/campaigns/"+cp.ID, nil)
	call("GET", "/campaigns/{id}/recipients", "/api/v1/campaigns/"+cp.ID+"/recipients?state=sent", nil)
}

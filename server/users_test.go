package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// The passwords of the office below; never to be found in the audit log.
const (
	bossPassword  = "boss password 1"
	staffPassword = "staff password 1"
	seerPassword  = "seer password 1"
)

// office is a Sambad with users, a campaign engine and known contacts: an
// admin (boss), a staff user who may not see numbers (ravi) and one who
// may (meena).
type office struct {
	t                 *testing.T
	url               string
	srv               *server.Server
	store             *models.Store
	auth              *auth.Service
	boss, ravi, meena *models.User
	engine            *campaign.Engine
	sender            *memSender
}

func newOffice(t *testing.T, apiToken string) *office {
	t.Helper()
	ctx := context.Background()
	store := testdb.SQLite(t)
	a, err := auth.New(ctx, store, auth.NewLimiter(auth.Limits{PerClient: 1000, Global: 1000, Window: time.Minute}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetupAdmin(ctx, "boss", bossPassword, bossPassword); err != nil {
		t.Fatal(err)
	}
	o := &office{t: t, store: store, auth: a}
	o.boss, _ = store.UserByName(ctx, "boss")
	if o.ravi, err = a.AddUser(ctx, "ravi", staffPassword, models.RoleStaff, false); err != nil {
		t.Fatal(err)
	}
	if o.meena, err = a.AddUser(ctx, "meena", seerPassword, models.RoleStaff, true); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: t.TempDir(), DefaultRegion: "IN", ImportMaxMB: 1, APIToken: apiToken}
	o.sender = &memSender{sent: map[string][]string{}, invalid: map[string]bool{}}
	o.engine = campaign.New(campaign.Options{Store: store, Sender: o.sender, IdlePoll: 10 * time.Millisecond, Location: time.UTC})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { o.engine.Run(runCtx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	o.srv, err = server.New(server.Deps{Config: cfg, Store: store, Auth: a, Campaigns: o.engine})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(o.srv.Handler())
	t.Cleanup(ts.Close)
	o.url = ts.URL
	return o
}

// client is one browser or API client of the office.
type client struct {
	t      *testing.T
	url    string
	c      *http.Client
	bearer string
	ua     string
}

// browser signs a user in through the login form.
func (o *office) browser(name, password string) *client {
	o.t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &client{t: o.t, url: o.url, ua: "office-test/" + name,
		c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	r := cl.form("/login", url.Values{"name": {name}, "password": {password}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		o.t.Fatalf("sign in as %s: %d %s", name, r.status, r.body)
	}
	return cl
}

// apiClient sends a bearer token and no cookies.
func (o *office) apiClient(token string) *client {
	return &client{t: o.t, url: o.url, bearer: token, ua: "office-test/api",
		c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (cl *client) do(method, path, contentType, body string) reply {
	cl.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, cl.url+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("User-Agent", cl.ua)
	if cl.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+cl.bearer)
	}
	resp, err := cl.c.Do(req)
	if err != nil {
		cl.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func (cl *client) get(path string) reply { return cl.do("GET", path, "", "") }
func (cl *client) form(path string, v url.Values) reply {
	return cl.do("POST", path, "application/x-www-form-urlencoded", v.Encode())
}
func (cl *client) api(method, path string, body any) reply {
	b := ""
	if body != nil {
		j, _ := json.Marshal(body)
		b = string(j)
	}
	return cl.do(method, path, "application/json", b)
}

// stream reads the first bytes of a server-sent event stream.
func (cl *client) stream(path string) (int, string) {
	cl.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", cl.url+path, nil)
	resp, err := cl.c.Do(req)
	if err != nil {
		cl.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 64<<10)
	var out []byte
	for len(out) < 4096 {
		n, err := resp.Body.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil || strings.Contains(string(out), "\n\n") && strings.Contains(string(out), "data:") {
			break
		}
	}
	return resp.StatusCode, string(out)
}

// newToken makes a personal token through the API as cl.
func (cl *client) newToken(name string, body map[string]any) string {
	cl.t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	body["name"] = name
	r := cl.api("POST", "/api/v1/tokens", body)
	var out struct{ Token string }
	r.json(cl.t, &out)
	if r.status != http.StatusCreated || !strings.HasPrefix(out.Token, "sbd_") {
		cl.t.Fatalf("make token %s: %d %s", name, r.status, r.body)
	}
	return out.Token
}

// adminOnlyRoutes and staffRoutes classify every route of the router for
// TestRoleMatrix: a route in neither fails the test, so a new route must be
// classified (and server/roles.go told when staff may use it).
var adminOnlyRoutes = []string{
	"GET /users", "POST /users", "POST /users/:id", "POST /users/:id/password", "POST /users/:id/delete", "GET /audit",
	"GET /api/v1/users", "POST /api/v1/users", "PATCH /api/v1/users/:id", "DELETE /api/v1/users/:id", "GET /api/v1/audit",
	"GET /settings", "POST /settings", "POST /settings/variables",
	"GET /sync", "POST /sync/now", "POST /sync/rejected/:op/dismiss", "POST /sync/rejected/:op/retry",
	"GET /support", "GET /support/bundle.zip",
	"GET /backup", "GET /backup/download.zip", "GET /backup/files/:name", "POST /backup/restore", "GET /api/v1/backup",
	"GET /console", "GET /console/events", "GET /console/error.log",
	"GET /webhooks", "POST /webhooks", "GET /webhooks/:id", "POST /webhooks/:id", "POST /webhooks/:id/delete",
	"POST /webhooks/:id/test", "POST /webhooks/:id/deliveries/:delivery/again",
	"GET /api/v1/webhooks", "POST /api/v1/webhooks", "GET /api/v1/webhooks/:id", "PATCH /api/v1/webhooks/:id",
	"DELETE /api/v1/webhooks/:id", "GET /api/v1/webhooks/:id/deliveries", "POST /api/v1/webhooks/:id/test",
	"POST /api/v1/webhooks/:id/deliveries/:delivery/again",
	"POST /whatsapp/session/:action", "POST /whatsapp/link-code", "POST /whatsapp/test-message",
	"POST /api/v1/session/:action", "POST /api/v1/messages",
	"POST /accounts", "POST /accounts/:id", "POST /accounts/:id/delete", "POST /accounts/:id/link-code", "POST /accounts/:id/session/:action",
	"POST /api/v1/accounts", "PATCH /api/v1/accounts/:id", "DELETE /api/v1/accounts/:id", "POST /api/v1/accounts/:id/session/:action",
	"POST /campaigns/:id/release-held", "POST /api/v1/campaigns/:id/release-held",
}

var staffAllowedRoutes = []string{
	"GET /", "GET /home/account/events", "GET /events", "POST /notices/no-password/dismiss",
	"GET /healthz", "GET /readyz", "GET /login", "POST /login", "GET /setup", "POST /setup", "POST /logout",
	"GET /static/*filepath", "HEAD /static/*filepath",
	"GET /account", "POST /account/password", "POST /account/tokens", "POST /account/tokens/:id/delete",
	"GET /whatsapp", "GET /whatsapp/events",
	"GET /contacts", "GET /contacts/new", "POST /contacts", "GET /contacts/:id/edit", "POST /contacts/:id",
	"POST /contacts/:id/delete", "POST /contacts/bulk", "POST /contacts/bulk-edit", "POST /contacts/bulk-edit/undo",
	"GET /contacts/import", "POST /contacts/import", "GET /contacts/import/sample.csv", "GET /contacts/import/:token",
	"GET /contacts/import/:token/progress", "POST /contacts/import/:token/commit", "GET /contacts/export.csv", "GET /contacts/export.xlsx",
	"GET /groups", "POST /groups", "GET /groups/:id", "POST /groups/:id/rename", "POST /groups/:id/delete", "POST /groups/:id/members/remove",
	"GET /campaigns", "GET /campaigns/new", "POST /campaigns/preview", "POST /campaigns", "GET /campaigns/:id",
	"GET /campaigns/:id/edit", "POST /campaigns/:id", "POST /campaigns/:id/delete", "POST /campaigns/:id/start",
	"POST /campaigns/:id/schedule", "POST /campaigns/:id/unschedule", "POST /campaigns/:id/pause", "POST /campaigns/:id/resume",
	"POST /campaigns/:id/stop", "POST /campaigns/:id/retry", "POST /campaigns/:id/duplicate", "POST /campaigns/:id/unknown",
	"GET /campaigns/:id/events", "GET /campaigns/:id/report", "GET /campaigns/:id/recipients", "GET /campaigns/:id/report.csv",
	"GET /campaigns/:id/report.xlsx", "GET /reports", "GET /reports.csv", "GET /reports.xlsx",
	"GET /media", "POST /media", "POST /media/:id/delete", "GET /media/:id/content", "GET /media/:id/thumbnail",
	"GET /api/v1/contacts", "POST /api/v1/contacts", "GET /api/v1/contacts/:id", "PATCH /api/v1/contacts/:id",
	"DELETE /api/v1/contacts/:id", "POST /api/v1/contacts/import", "GET /api/v1/contacts/export.csv",
	"GET /api/v1/groups", "POST /api/v1/groups", "GET /api/v1/groups/:id", "PATCH /api/v1/groups/:id", "DELETE /api/v1/groups/:id",
	"POST /api/v1/groups/:id/members", "DELETE /api/v1/groups/:id/members", "GET /api/v1/session", "GET /api/v1/openapi.json",
	"GET /api/v1/campaigns", "POST /api/v1/campaigns", "GET /api/v1/campaigns/:id", "POST /api/v1/campaigns/:id/duplicate",
	"POST /api/v1/campaigns/:id/:action", "GET /api/v1/campaigns/:id/recipients", "GET /api/v1/campaigns/:id/report.csv",
	"POST /api/v1/media", "GET /api/v1/media", "GET /api/v1/media/:id", "GET /api/v1/media/:id/content",
	"GET /api/v1/media/:id/thumbnail", "DELETE /api/v1/media/:id",
	"GET /api/v1/tokens", "POST /api/v1/tokens", "DELETE /api/v1/tokens/:id",
	"POST /contacts/check-numbers", "GET /numbers/checks/:id", "GET /numbers/checks/:id/progress", "POST /numbers/checks/:id/cancel",
	"GET /campaigns/:id/report.pdf", "GET /api/v1/campaigns/:id/report.pdf", "PATCH /api/v1/campaigns/:id", "GET /accounts", "GET /api/v1/accounts", "GET /api/v1/accounts/:id",
	"POST /api/v1/numbers/check", "GET /api/v1/numbers/check/:id", "POST /api/v1/numbers/check/:id/cancel",
}

var routeParam = regexp.MustCompile(`[:*]([A-Za-z_]+)`)

// concretePath fills a route's parameters with values that exist nowhere,
// so an allowed route answers 404 or 4xx and changes nothing.
func concretePath(p string) string {
	return routeParam.ReplaceAllStringFunc(p, func(m string) string {
		switch m[1:] {
		case "filepath":
			return "app.css"
		case "action":
			return "pause"
		case "name":
			return "none.zip"
		case "op", "delivery":
			return "1"
		case "token":
			return "none"
		}
		return models.NewID()
	})
}

// TestRoleMatrix walks the router: every route must be classified above;
// staff (by session for pages, by personal token for the API) get 403 on
// each admin route and never on the others, and an admin never gets 403.
func TestRoleMatrix(t *testing.T) {
	o := newOffice(t, "")
	class := map[string]string{}
	for _, r := range adminOnlyRoutes {
		class[r] = "admin"
	}
	for _, r := range staffAllowedRoutes {
		if class[r] != "" {
			t.Errorf("%s is classified twice", r)
		}
		class[r] = "staff"
	}
	var unclassified []string
	routes := o.srv.Routes()
	for _, r := range routes {
		if class[r.Method+" "+r.Path] == "" {
			unclassified = append(unclassified, r.Method+" "+r.Path)
		}
	}
	sort.Strings(unclassified)
	if len(unclassified) > 0 {
		t.Fatalf("routes not classified as admin-only or staff in users_test.go (and server/roles.go):\n  %s", strings.Join(unclassified, "\n  "))
	}
	// One browser each: no route walked below ends its session (sign-out
	// is skipped; the password change gets no current password).
	raviBrowser, bossBrowser := o.browser("ravi", staffPassword), o.browser("boss", bossPassword)
	staffToken, adminToken := raviBrowser.newToken("matrix", nil), bossBrowser.newToken("matrix", nil)
	for _, r := range routes {
		key := r.Method + " " + r.Path
		path := concretePath(r.Path)
		if r.Path == "/events" {
			path = "/events?src=/whatsapp/events"
		}
		if key == "POST /logout" || key == "POST /login" || key == "POST /setup" {
			continue // change who is signed in; covered by their own tests
		}
		for _, who := range []struct {
			name    string
			browser *client
			token   string
		}{{"ravi", raviBrowser, staffToken}, {"boss", bossBrowser, adminToken}} {
			cl := who.browser
			if strings.HasPrefix(path, "/api/") {
				cl = o.apiClient(who.token)
			}
			status := cl.status(r.Method, path)
			want403 := class[key] == "admin" && who.name == "ravi"
			if want403 && status != http.StatusForbidden {
				t.Errorf("%s as staff: %d, want 403", key, status)
			}
			if !want403 && status == http.StatusForbidden {
				t.Errorf("%s as %s: 403, want it allowed", key, who.name)
			}
		}
	}
	// The refusal says why, as JSON for the API and as a page otherwise.
	r := o.apiClient(staffToken).get("/api/v1/users")
	if r.status != 403 || !strings.Contains(r.body, `"error"`) || !strings.Contains(r.body, "needs an admin") {
		t.Fatalf("API refusal: %d %s", r.status, r.body)
	}
	r = raviBrowser.get("/settings")
	if r.status != 403 || !strings.Contains(r.body, "Only an admin can open this") || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("page refusal: %d %s", r.status, r.body)
	}
}

// status sends an empty request and returns the status, without waiting
// for a stream to end.
func (cl *client) status(method, path string) int {
	cl.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	ct := "application/x-www-form-urlencoded"
	if strings.HasPrefix(path, "/api/") {
		ct = "application/json"
	}
	req, _ := http.NewRequestWithContext(ctx, method, cl.url+path, strings.NewReader(""))
	req.Header.Set("Content-Type", ct)
	if cl.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+cl.bearer)
	}
	resp, err := cl.c.Do(req)
	if err != nil {
		cl.t.Fatalf("%s %s: %v", method, path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// knownNumber is the contact whose number must never reach ravi whole.
const knownNumber = "+919876543210"

// unmasked reports the forms of knownNumber found whole in body.
func unmasked(body string) []string {
	var found []string
	for _, form := range []string{"9876543210", "98765 43210", "98765-43210", "9876 543 210"} {
		if strings.Contains(body, form) {
			found = append(found, form)
		}
	}
	return found
}

// TestStaffSeeNumbersMasked walks every page, fragment, stream, export and
// API answer that shows contacts, recipients or messages as a staff user
// who may not see numbers, and fails if the known contact's number appears
// whole anywhere. The same walk as a staff user allowed to see numbers must
// find it (so the walk really reaches the number).
func TestStaffSeeNumbersMasked(t *testing.T) {
	o := newOffice(t, "")
	ctx := context.Background()
	g, err := o.store.CreateGroup(ctx, "Known")
	if err != nil {
		t.Fatal(err)
	}
	var known models.Contact
	models.ContactInput{Phone: knownNumber, Name: "Asha Known", Attributes: map[string]string{"alt": knownNumber}}.Apply(&known, "IN")
	if err := o.store.CreateContact(ctx, &known); err != nil {
		t.Fatal(err)
	}
	o.store.AddMembers(ctx, g.ID, []string{known.ID})
	boss := o.browser("boss", bossPassword)
	// A campaign whose message carries the number, sent, plus a draft that
	// lists the contact one by one.
	r := boss.api("POST", "/api/v1/campaigns", map[string]any{"name": "Known run", "template": "Hi {{name}}, we have {{phone}} on file",
		"group_ids": []string{g.ID}, "pacing": map[string]any{"min_delay_ms": 0, "max_delay_ms": 1}})
	var cp struct{ ID string }
	r.json(t, &cp)
	if r.status != 201 {
		t.Fatalf("campaign: %d %s", r.status, r.body)
	}
	if r := boss.api("POST", "/api/v1/campaigns/"+cp.ID+"/start", nil); r.status != 200 {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	waitFor(t, func() bool {
		r := boss.get("/api/v1/campaigns/" + cp.ID)
		return strings.Contains(r.body, `"completed"`)
	})
	r = boss.api("POST", "/api/v1/campaigns", map[string]any{"name": "Draft", "template": "Hello {{name}}", "contact_ids": []string{known.ID}})
	var draft struct{ ID string }
	r.json(t, &draft)
	if r.status != 201 {
		t.Fatalf("draft: %d %s", r.status, r.body)
	}

	walk := func(cl *client, api *client) map[string]string {
		got := map[string]string{}
		for _, p := range []string{
			"/", "/contacts", "/contacts?q=Asha", "/contacts/" + known.ID + "/edit", "/contacts/export.csv",
			"/contacts/export.csv?q=" + url.QueryEscape(knownNumber), "/contacts/export.xlsx", "/groups", "/groups/" + g.ID,
			"/campaigns", "/campaigns/" + cp.ID, "/campaigns/" + cp.ID + "?contact=" + known.ID, "/campaigns/" + cp.ID + "/report",
			"/campaigns/" + cp.ID + "/recipients", "/campaigns/" + cp.ID + "/report.csv", "/campaigns/" + cp.ID + "/report.xlsx",
			"/campaigns/" + draft.ID, "/campaigns/" + draft.ID + "/edit", "/reports", "/reports.csv", "/reports.xlsx",
			"/account", "/whatsapp",
		} {
			r := cl.get(p)
			if r.status != 200 {
				t.Errorf("GET %s: %d", p, r.status)
			}
			got["GET "+p] = unzipIfXLSX(t, r)
		}
		r := cl.form("/campaigns/preview", url.Values{"group_ids": {g.ID}, "template": {"Hi {{name}} at {{phone}}"}})
		got["POST /campaigns/preview"] = r.body
		_, body := cl.stream("/events?src=" + url.QueryEscape("/campaigns/"+cp.ID+"/events"))
		got["GET /events (monitor)"] = body
		_, body = cl.stream("/campaigns/" + cp.ID + "/events")
		got["GET /campaigns/:id/events"] = body
		for _, p := range []string{
			"/api/v1/contacts", "/api/v1/contacts?q=" + url.QueryEscape(knownNumber), "/api/v1/contacts/" + known.ID,
			"/api/v1/contacts/export.csv", "/api/v1/groups/" + g.ID, "/api/v1/campaigns", "/api/v1/campaigns/" + cp.ID,
			"/api/v1/campaigns/" + cp.ID + "/recipients", "/api/v1/campaigns/" + cp.ID + "/report.csv", "/api/v1/campaigns/" + draft.ID,
		} {
			r := api.get(p)
			if r.status != 200 {
				t.Errorf("GET %s: %d %s", p, r.status, r.body)
			}
			got["GET "+p] = r.body
		}
		// A duplicate is refused with the number in the message.
		r = api.api("POST", "/api/v1/contacts", map[string]any{"phone": knownNumber})
		got["POST /api/v1/contacts (duplicate)"] = r.body
		return got
	}

	ravi := o.browser("ravi", staffPassword)
	raviAPI := o.apiClient(ravi.newToken("walk", nil))
	for where, body := range walk(ravi, raviAPI) {
		if found := unmasked(body); len(found) > 0 {
			t.Errorf("%s shows the number whole to staff (%v)", where, found)
		}
	}
	// The masked form is what staff see; search by the whole number still
	// finds the contact, a part of it finds nothing.
	if r := ravi.get("/contacts"); !strings.Contains(r.body, "98••• ••210") {
		i := strings.Index(r.body, "Asha")
		t.Errorf("contacts page lacks the masked number: %s", r.body[max(i, 0):min(len(r.body), max(i, 0)+200)])
	}
	// (The search box shows what was typed; the list below it is masked.)
	if r := ravi.get("/contacts?q=" + url.QueryEscape("098765 43210")); !strings.Contains(r.body, "Asha Known") || !strings.Contains(r.body, "98••• ••210") {
		t.Errorf("staff search by the whole number did not find the contact")
	}
	for _, part := range []string{"98765", "43210", "+9198"} {
		if r := ravi.get("/contacts?q=" + url.QueryEscape(part)); strings.Contains(r.body, "Asha Known") {
			t.Errorf("staff search for part of a number (%s) found the contact: digits can be guessed", part)
		}
		var out struct{ Total int64 }
		raviAPI.get("/api/v1/contacts?q="+url.QueryEscape(part)).json(t, &out)
		if out.Total != 0 {
			t.Errorf("API search for %s found %d contacts for staff", part, out.Total)
		}
	}
	if r := ravi.get("/contacts?q=Asha"); !strings.Contains(r.body, "Asha Known") {
		t.Errorf("staff search by name broke")
	}
	// Staff keep the number when they edit the contact without seeing it.
	// The form shows the attribute masked; sent back as shown, it stays.
	if r := ravi.get("/contacts/" + known.ID + "/edit"); !strings.Contains(r.body, "alt=&#43;91 98••• ••210") {
		t.Fatalf("edit form lacks the masked attribute")
	}
	r = ravi.form("/contacts/"+known.ID, url.Values{"name": {"Asha K."}, "attributes": {"alt=+91 98••• ••210\nnote=VIP"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("staff edit: %d %s", r.status, r.body)
	}
	if c, _ := o.store.GetContact(ctx, known.ID); c.Phone != knownNumber || c.Name != "Asha K." || c.Attributes["alt"] != knownNumber || c.Attributes["note"] != "VIP" {
		t.Fatalf("after a staff edit: %+v", c)
	}
	// The draft's extra contact is shown masked on its form; saved back as
	// shown, it stays the same contact.
	if r := ravi.get("/campaigns/" + draft.ID + "/edit"); !strings.Contains(r.body, "98••• ••210") {
		t.Fatalf("campaign form lacks the masked extra contact")
	}
	r = ravi.form("/campaigns/"+draft.ID, url.Values{"name": {"Draft 2"}, "template": {"Hello {{name}}"}, "phones": {"+91 98••• ••210"}, "preset": {"medium"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("staff saves the draft: %d %s", r.status, r.body)
	}
	if cpd, _ := o.store.GetCampaign(ctx, draft.ID); cpd.Name != "Draft 2" || len(cpd.ContactIDs) != 1 || cpd.ContactIDs[0] != known.ID {
		t.Fatalf("draft after a staff edit: %+v", cpd)
	}
	r = ravi.form("/campaigns/"+draft.ID, url.Values{"name": {"Draft 3"}, "template": {"Hello {{name}}"}, "phones": {"+91 97••• ••111"}, "preset": {"medium"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "type the whole number") {
		t.Fatalf("a masked number of no contact: %d", r.status)
	}
	// A staff user allowed to see numbers sees them: the walk reaches them.
	meena := o.browser("meena", seerPassword)
	seen := 0
	for _, body := range walk(meena, o.apiClient(meena.newToken("walk", nil))) {
		if len(unmasked(body)) > 0 {
			seen++
		}
	}
	if seen < 15 {
		t.Errorf("the number showed whole in only %d answers to a user who may see it: the walk misses pages", seen)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// unzipIfXLSX returns an XLSX download's sheet text, any other body as it is.
func unzipIfXLSX(t *testing.T, r reply) string {
	if !strings.Contains(r.header.Get("Content-Type"), "spreadsheetml") {
		return r.body
	}
	return xlsxText(t, []byte(r.body))
}

// TestUsersAPI adds, changes and deletes users, with the last admin kept.
func TestUsersAPI(t *testing.T) {
	o := newOffice(t, strongToken)
	admin := o.apiClient(strongToken) // SAMBAD_API_TOKEN is an admin
	r := admin.api("POST", "/api/v1/users", map[string]any{"name": "Sunil", "password": "sunil password", "role": "staff"})
	var sunil models.User
	r.json(t, &sunil)
	if r.status != 201 || sunil.Role != "staff" || sunil.SeeNumbers || strings.Contains(r.body, "password") {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	for _, bad := range []struct {
		body   map[string]any
		status int
		msg    string
	}{
		{map[string]any{"name": "sunil", "password": "another password"}, 409, "already exists"},
		{map[string]any{"name": "X", "password": "short"}, 422, "at least 8"},
		{map[string]any{"name": "Y", "password": "long enough", "role": "owner"}, 422, "not a role"},
		{map[string]any{"name": " ", "password": "long enough"}, 422, "needs a name"},
		{map[string]any{"password": "long enough"}, 422, "name and a password"},
	} {
		r := admin.api("POST", "/api/v1/users", bad.body)
		if r.status != bad.status || !strings.Contains(r.body, bad.msg) {
			t.Errorf("create %v: %d %s (want %d, %q)", bad.body, r.status, r.body, bad.status, bad.msg)
		}
	}
	r = admin.api("PATCH", "/api/v1/users/"+sunil.ID, map[string]any{"see_numbers": true})
	if r.status != 200 || !strings.Contains(r.body, `"see_numbers":true`) {
		t.Fatalf("grant numbers: %d %s", r.status, r.body)
	}
	// The last admin cannot be demoted or deleted.
	r = admin.api("PATCH", "/api/v1/users/"+o.boss.ID, map[string]any{"role": "staff"})
	if r.status != 409 || !strings.Contains(r.body, "at least one admin") {
		t.Fatalf("demote the last admin: %d %s", r.status, r.body)
	}
	// A refused change changes nothing, a password sent with it included.
	admin.api("PATCH", "/api/v1/users/"+o.boss.ID, map[string]any{"role": "staff", "password": "not applied pw"})
	o.browser("boss", bossPassword)
	if r := admin.api("DELETE", "/api/v1/users/"+o.boss.ID, nil); r.status != 409 {
		t.Fatalf("delete the last admin: %d %s", r.status, r.body)
	}
	// A password reset signs the user out everywhere.
	sunilBrowser := o.browser("Sunil", "sunil password")
	if r := admin.api("PATCH", "/api/v1/users/"+sunil.ID, map[string]any{"password": "brand new password"}); r.status != 200 {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	if r := sunilBrowser.get("/contacts"); r.status != http.StatusSeeOther {
		t.Fatalf("session survived a password reset: %d", r.status)
	}
	o.browser("Sunil", "brand new password")
	if r := admin.api("DELETE", "/api/v1/users/"+sunil.ID, nil); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := admin.api("DELETE", "/api/v1/users/"+sunil.ID, nil); r.status != 404 {
		t.Fatalf("delete twice: %d %s", r.status, r.body)
	}
	r = admin.get("/api/v1/users")
	if r.status != 200 || strings.Contains(r.body, "Sunil") || !strings.Contains(r.body, "ravi") || strings.Contains(r.body, "$2a$") {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	// Sign-in by name; the top bar names the user and offers sign-out.
	page := o.browser("ravi", staffPassword).get("/contacts")
	if !strings.Contains(page.body, `href="/account"`) || !strings.Contains(page.body, "ravi") || !strings.Contains(page.body, `action="/logout"`) {
		t.Fatalf("top bar lacks the user or sign-out")
	}
	if strings.Contains(page.body, `href="/settings"`) || strings.Contains(page.body, `href="/users"`) {
		t.Fatalf("staff see admin links")
	}
	jar, _ := cookiejar.New(nil)
	anon := &client{t: t, url: o.url, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if r := anon.form("/login", url.Values{"name": {"ravi"}, "password": {bossPassword}}); r.status != 401 || !strings.Contains(r.body, "Wrong user name or password") {
		t.Fatalf("another user's password: %d", r.status)
	}
	// An empty name is the first admin (the password-only sign-in of before).
	if r := anon.form("/login", url.Values{"password": {bossPassword}}); r.status != http.StatusSeeOther {
		t.Fatalf("password-only sign-in: %d %s", r.status, r.body)
	}
}

// TestPersonalTokens: shown once, stored hashed, acting as their user,
// revocable, with a last-used time.
func TestPersonalTokens(t *testing.T) {
	o := newOffice(t, "")
	ravi := o.browser("ravi", staffPassword)
	tok := ravi.newToken("laptop", nil)
	api := o.apiClient(tok)
	if r := api.get("/api/v1/contacts"); r.status != 200 {
		t.Fatalf("token request: %d %s", r.status, r.body)
	}
	if r := api.get("/api/v1/audit"); r.status != 403 {
		t.Fatalf("staff token on an admin route: %d", r.status)
	}
	r := ravi.get("/api/v1/tokens")
	var list struct{ Tokens []models.APIToken }
	r.json(t, &list)
	if len(list.Tokens) != 1 || list.Tokens[0].LastUsedAt == nil || strings.Contains(r.body, tok) || !strings.HasPrefix(tok, list.Tokens[0].Prefix) {
		t.Fatalf("token list: %s", r.body)
	}
	// Staff cannot make tokens for others, nor see or revoke theirs.
	if r := ravi.api("POST", "/api/v1/tokens", map[string]any{"name": "x", "user_id": o.boss.ID}); r.status != 403 {
		t.Fatalf("staff token for the admin: %d %s", r.status, r.body)
	}
	boss := o.browser("boss", bossPassword)
	bossTok := boss.newToken("for ravi", map[string]any{"user_id": o.ravi.ID})
	var made []models.APIToken
	list.Tokens = nil
	boss.get("/api/v1/tokens?user_id="+o.ravi.ID).json(t, &list)
	made = list.Tokens
	if len(made) != 2 {
		t.Fatalf("admin's view of ravi's tokens: %+v", made)
	}
	adminOwn := boss.newToken("mine", nil)
	var mine struct{ Tokens []models.APIToken }
	o.apiClient(adminOwn).get("/api/v1/tokens?user_id="+o.boss.ID).json(t, &mine)
	if len(mine.Tokens) != 1 {
		t.Fatalf("admin's own tokens: %+v", mine)
	}
	if r := ravi.api("DELETE", "/api/v1/tokens/"+mine.Tokens[0].ID, nil); r.status != 404 {
		t.Fatalf("staff revoking the admin's token: %d", r.status)
	}
	// The token made by the admin acts as ravi.
	r = o.apiClient(bossTok).get("/api/v1/users")
	if r.status != 403 {
		t.Fatalf("token made for staff acts as admin: %d", r.status)
	}
	// The database holds only hashes.
	var stored []models.APIToken
	if err := testdb.Gorm(o.store).Find(&stored).Error; err != nil {
		t.Fatal(err)
	}
	for _, s := range stored {
		if s.TokenHash == tok || s.TokenHash == bossTok || len(s.TokenHash) != 64 {
			t.Fatalf("token stored as %q", s.TokenHash)
		}
	}
	// Revoked: the token no longer works.
	var own struct{ Tokens []models.APIToken }
	ravi.get("/api/v1/tokens").json(t, &own)
	for _, tk := range own.Tokens {
		if tk.Name == "laptop" {
			if r := ravi.api("DELETE", "/api/v1/tokens/"+tk.ID, nil); r.status != 204 {
				t.Fatalf("revoke: %d %s", r.status, r.body)
			}
		}
	}
	if r := api.get("/api/v1/contacts"); r.status != 401 {
		t.Fatalf("revoked token: %d %s", r.status, r.body)
	}
	// The Account page shows a new token once, and never again.
	r = ravi.form("/account/tokens", url.Values{"name": {"page token"}})
	m := regexp.MustCompile(`value="(sbd_[A-Za-z0-9_-]+)"`).FindStringSubmatch(r.body)
	if r.status != 201 || m == nil {
		t.Fatalf("account token: %d", r.status)
	}
	if r := o.apiClient(m[1]).get("/api/v1/groups"); r.status != 200 {
		t.Fatalf("token from the page: %d", r.status)
	}
	if r := ravi.get("/account"); strings.Contains(r.body, m[1]) || !strings.Contains(r.body, "page token") {
		t.Fatalf("account page shows the token again, or lacks it")
	}
}

// TestAuditLog: what people do is recorded with who, when and from where,
// filtered and paged; no secret is ever written.
func TestAuditLog(t *testing.T) {
	o := newOffice(t, "")
	jar, _ := cookiejar.New(nil)
	anon := &client{t: t, url: o.url, ua: "guesser/1", c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	anon.form("/login", url.Values{"name": {"ravi"}, "password": {"not the password"}})
	boss := o.browser("boss", bossPassword)
	ravi := o.browser("ravi", staffPassword)
	r := boss.api("POST", "/api/v1/users", map[string]any{"name": "Temp", "password": "temp password 1", "role": "staff"})
	var temp models.User
	r.json(t, &temp)
	boss.api("PATCH", "/api/v1/users/"+temp.ID, map[string]any{"password": "temp password 2", "see_numbers": true})
	boss.api("DELETE", "/api/v1/users/"+temp.ID, nil)
	tok := ravi.newToken("ci", nil)
	ravi.get("/contacts/export.csv")
	ravi.form("/account/password", url.Values{"current": {staffPassword}, "password": {"staff password 2"}, "confirm": {"staff password 2"}})
	boss.form("/settings/variables", url.Values{"var_label_v1": {"Tier"}})
	boss.form("/logout", nil)

	admin := o.browser("boss", bossPassword)
	r = admin.get("/api/v1/audit?per_page=100")
	var out struct {
		Entries []models.AuditEntry
		Total   int64
	}
	r.json(t, &out)
	has := func(user, action, detail string) *models.AuditEntry {
		for i, e := range out.Entries {
			if e.UserName == user && e.Action == action && strings.Contains(e.Detail, detail) {
				return &out.Entries[i]
			}
		}
		t.Errorf("no audit entry %s %s %q in %s", user, action, detail, r.body)
		return nil
	}
	if e := has("ravi", "auth.sign_in_failed", ""); e != nil && (e.IP == "" || e.UserAgent != "guesser/1") {
		t.Errorf("failed sign-in lacks where from: %+v", e)
	}
	if e := has("ravi", "auth.sign_in", ""); e != nil && e.UserID != o.ravi.ID {
		t.Errorf("sign-in lacks the user id: %+v", e)
	}
	has("boss", "user.create", "Temp (staff)")
	has("boss", "user.password_reset", "Temp")
	has("boss", "user.update", "sees numbers")
	has("boss", "user.delete", "Temp")
	has("ravi", "token.create", `"ci"`)
	has("ravi", "contacts.export", "csv")
	has("ravi", "auth.password_change", "")
	has("boss", "settings.change", "variable names")
	has("boss", "auth.sign_out", "")
	for _, secret := range []string{bossPassword, staffPassword, "staff password 2", "temp password 1", "temp password 2", tok, tok[len(auth.TokenPrefix):]} {
		if strings.Contains(r.body, secret) {
			t.Errorf("the audit log holds a secret: %q", secret)
		}
	}
	// Filters and pages.
	var byUser struct {
		Entries []models.AuditEntry
		Total   int64
	}
	admin.get("/api/v1/audit?user=ravi&action=token.").json(t, &byUser)
	if byUser.Total != 1 || byUser.Entries[0].Action != "token.create" {
		t.Errorf("filter by user and action family: %+v", byUser)
	}
	var paged struct {
		Entries []models.AuditEntry
		Total   int64
	}
	admin.get("/api/v1/audit?per_page=2&page=2").json(t, &paged)
	if len(paged.Entries) != 2 || paged.Total != out.Total {
		t.Errorf("page 2: %+v", paged)
	}
	page := admin.get("/audit?user=ravi")
	if page.status != 200 || !strings.Contains(page.body, "auth.sign_in_failed") || strings.Contains(page.body, ">user.create</span>") {
		t.Errorf("audit page filtered by user: %d", page.status)
	}
	if r := ravi.get("/audit"); r.status != 403 {
		t.Errorf("staff on the audit page: %d", r.status)
	}
}

// xlsxText is every cell of an XLSX file's first sheet, one row a line.
func xlsxText(t *testing.T, b []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not an XLSX file: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, r := range rows {
		sb.WriteString(strings.Join(r, "\t") + "\n")
	}
	return sb.String()
}

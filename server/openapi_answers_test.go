package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/numbercheck"
	"github.com/sambad/sambad/pdfprint"
	"github.com/sambad/sambad/server"
)

// fakePDF prints a stand-in PDF: the report's own test prints real ones.
type fakePDF struct{}

func (fakePDF) Print(_ context.Context, _ string, _ pdfprint.Page, w io.Writer) error {
	_, err := io.WriteString(w, "%PDF-1.4\n%%EOF\n")
	return err
}

// newAnswerSite is a server with every part the API can use: a campaign
// engine on memSender, a number checker, the WhatsApp and accounts fakes,
// a PDF printer, and webhooks allowed to reach 127.0.0.1.
func newAnswerSite(t *testing.T) (*site, *fakeSession) {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: t.TempDir(), DefaultRegion: "IN", ImportMaxMB: 1, MediaMaxMB: 1,
		APIToken: strongToken, WebhookAllowPrivate: true, MaxAccounts: 3}
	store := testdb.SQLite(t)
	ctx, cancel := context.WithCancel(context.Background())
	var running []chan struct{}
	t.Cleanup(func() {
		cancel()
		for _, d := range running {
			<-d
		}
	})
	run := func(f func(context.Context)) {
		d := make(chan struct{})
		running = append(running, d)
		go func() { f(ctx); close(d) }()
	}
	snd := &memSender{sent: map[string][]string{}, invalid: map[string]bool{}}
	lib := server.NewMediaLibrary(cfg, store)
	engine := campaign.New(campaign.Options{Store: store, Sender: snd, Files: lib, IdlePoll: 10 * time.Millisecond, Location: time.UTC})
	run(func(ctx context.Context) { engine.Run(ctx) })
	gate := make(chan struct{})
	close(gate) // every check answers at once; the pacing makes a job wait
	checks := numbercheck.New(numbercheck.Options{Store: store, Checker: &gatedChecker{off: map[string]bool{}, gate: gate},
		MinDelay: -1, IdlePoll: 10 * time.Millisecond})
	run(checks.Run)
	wa := newFakeSession()
	srv, err := server.New(server.Deps{Config: cfg, Store: store, WhatsApp: wa, Accounts: newFakeAccounts(cfg.MaxAccounts, wa),
		Campaigns: engine, NumberChecks: checks, PDF: fakePDF{}, Media: lib})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &site{t: t, url: ts.URL, cfg: cfg, store: store, c: c, token: strongToken}, wa
}

// saved holds what earlier answers returned (ids, a token), by name, for
// the paths and bodies of later cases: "{contact}" in a path is saved["contact"].
type saved map[string]string

func (v saved) fill(s string) string {
	for k, x := range v {
		s = strings.ReplaceAll(s, "{"+k+"}", x)
	}
	return s
}

// field reads a dotted path ("check.id", "items.0.id") from a JSON answer.
func field(body, path string) string {
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return ""
	}
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			var i int
			fmt.Sscan(k, &i)
			if i >= len(x) {
				return ""
			}
			v = x[i]
		default:
			return ""
		}
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return fmt.Sprint(int64(x))
	}
	return ""
}

// apiCase is one real request to /api/v1 and the status it must get.
type apiCase struct {
	method, op string // op is the described path: /contacts/{id}
	path       string // the request path after /api/v1; {name} is filled from saved
	body       any    // JSON body; a func(saved) any is called first; a string goes as is
	upload     *mediaFile
	fields     map[string]string // multipart fields with upload
	as         string            // "": SAMBAD_API_TOKEN (an admin); "staff": a staff user's token; "none": no token
	want       int
	save       map[string]string                    // name → dotted field of the answer
	then       func(t *testing.T, s *site, v saved) // after the answer: wait for what it started
}

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// answerCases walks every operation of /api/v1, successes and errors, in
// an order where each case finds what it needs made by earlier ones.
func answerCases(rcv *hookReceiver, wa *fakeSession, store *models.Store) []apiCase {
	photo := &mediaFile{"offer.png", mediatest.PNG(64, 48)}
	doc := &mediaFile{"prices.pdf", mediatest.PDF(3000)}
	csvFile := &mediaFile{"c.csv", []byte("phone,name\n9876500001,Ravi\n12ab,Bad\n")}
	wa.invalid["+919876500099"] = true
	nope := "0190f3a6-7a8b-7c9d-8e0f-123456789abc"
	return []apiCase{
		{method: "GET", op: "/openapi.json", path: "/openapi.json", want: 200},
		{method: "GET", op: "/openapi.json", path: "/openapi.json", as: "none", want: 401},

		// Users and tokens first: the staff token serves the 403 cases.
		{method: "POST", op: "/users", path: "/users", body: map[string]any{"name": "Asha", "password": "asha password", "role": "admin"}, want: 201, save: map[string]string{"admin": "id"}},
		{method: "POST", op: "/users", path: "/users", body: map[string]any{"name": "Sunil", "password": "sunil password", "role": "staff"}, want: 201, save: map[string]string{"staff": "id"}},
		{method: "POST", op: "/users", path: "/users", body: map[string]any{"name": "Short", "password": "short"}, want: 422},
		{method: "GET", op: "/users", path: "/users", want: 200},
		{method: "PATCH", op: "/users/{id}", path: "/users/{staff}", body: map[string]any{"see_numbers": false}, want: 200},
		{method: "PATCH", op: "/users/{id}", path: "/users/" + nope, body: map[string]any{"name": "X"}, want: 404},
		{method: "POST", op: "/tokens", path: "/tokens", body: func(v saved) any { return map[string]any{"name": "till", "user_id": v["staff"]} }, want: 201, save: map[string]string{"staffToken": "token", "token": "id"}},
		{method: "POST", op: "/tokens", path: "/tokens", body: map[string]any{"name": "x", "user_id": "someone"}, as: "staff", want: 403},
		{method: "GET", op: "/tokens", path: "/tokens", want: 200},
		{method: "GET", op: "/tokens", path: "/tokens", as: "none", want: 401},
		{method: "GET", op: "/users", path: "/users", as: "staff", want: 403},
		{method: "GET", op: "/audit", path: "/audit?action=user.", want: 200},
		{method: "GET", op: "/audit", path: "/audit", as: "staff", want: 403},
		{method: "GET", op: "/backup", path: "/backup", want: 200},
		{method: "GET", op: "/backup", path: "/backup", as: "staff", want: 403},

		{method: "POST", op: "/contacts", path: "/contacts", body: map[string]any{"phone": "98765 43210", "name": "Asha", "variables": map[string]string{"v1": "Pune"}}, want: 201, save: map[string]string{"contact": "id"}},
		{method: "POST", op: "/contacts", path: "/contacts", body: map[string]any{"phone": "12ab"}, want: 422},
		{method: "GET", op: "/contacts", path: "/contacts?q=asha", want: 200},
		{method: "GET", op: "/contacts", path: "/contacts", as: "staff", want: 200},
		{method: "GET", op: "/contacts", path: "/contacts?on_whatsapp=maybe", want: 400},
		{method: "GET", op: "/contacts/{id}", path: "/contacts/{contact}", want: 200},
		{method: "GET", op: "/contacts/{id}", path: "/contacts/" + nope, want: 404},
		{method: "PATCH", op: "/contacts/{id}", path: "/contacts/{contact}", body: map[string]any{"name": "Asha R"}, want: 200},
		{method: "PATCH", op: "/contacts/{id}", path: "/contacts/{contact}", body: "{", want: 400},
		{method: "POST", op: "/contacts/import", path: "/contacts/import?dry_run=true", upload: csvFile, want: 200},
		{method: "POST", op: "/contacts/import", path: "/contacts/import?dry_run=perhaps", upload: csvFile, want: 400},
		{method: "GET", op: "/contacts/export.csv", path: "/contacts/export.csv", want: 200},
		{method: "GET", op: "/contacts/export.csv", path: "/contacts/export.csv?on_whatsapp=maybe", want: 400},

		{method: "POST", op: "/groups", path: "/groups", body: map[string]any{"name": "Pune"}, want: 201, save: map[string]string{"group": "id"}},
		{method: "POST", op: "/groups", path: "/groups", body: map[string]any{"name": ""}, want: 422},
		{method: "GET", op: "/groups", path: "/groups", want: 200},
		{method: "GET", op: "/groups", path: "/groups", as: "none", want: 401},
		{method: "GET", op: "/groups/{id}", path: "/groups/{group}", want: 200},
		{method: "GET", op: "/groups/{id}", path: "/groups/" + nope, want: 404},
		{method: "PATCH", op: "/groups/{id}", path: "/groups/{group}", body: map[string]any{"name": "Pune West"}, want: 200},
		{method: "PATCH", op: "/groups/{id}", path: "/groups/" + nope, body: map[string]any{"name": "X"}, want: 404},
		{method: "POST", op: "/groups/{id}/members", path: "/groups/{group}/members", body: func(v saved) any { return map[string]any{"contact_ids": []string{v["contact"]}} }, want: 200},
		{method: "POST", op: "/groups/{id}/members", path: "/groups/{group}/members", body: map[string]any{"ids": []string{}}, want: 400},
		{method: "DELETE", op: "/groups/{id}/members", path: "/groups/{group}/members", body: func(v saved) any { return map[string]any{"contact_ids": []string{v["contact"]}} }, want: 200},
		{method: "DELETE", op: "/groups/{id}/members", path: "/groups/{group}/members", body: "[", want: 400},
		{method: "POST", op: "/groups/{id}/members", path: "/groups/{group}/members", body: func(v saved) any { return map[string]any{"contact_ids": []string{v["contact"]}} }, want: 200},

		{method: "POST", op: "/media", path: "/media", upload: photo, want: 201, save: map[string]string{"photo": "items.0.id"}},
		{method: "POST", op: "/media", path: "/media", upload: photo, want: 200},
		{method: "POST", op: "/media", path: "/media", upload: doc, want: 201, save: map[string]string{"doc": "items.0.id"}},
		{method: "POST", op: "/media", path: "/media", upload: &mediaFile{"big.pdf", mediatest.PDF(2 << 20)}, want: 413},
		{method: "GET", op: "/media", path: "/media", want: 200},
		{method: "GET", op: "/media", path: "/media", as: "none", want: 401},
		{method: "GET", op: "/media/{id}", path: "/media/{photo}", want: 200},
		{method: "GET", op: "/media/{id}", path: "/media/" + nope, want: 404},
		{method: "GET", op: "/media/{id}/content", path: "/media/{photo}/content", want: 200},
		{method: "GET", op: "/media/{id}/content", path: "/media/" + nope + "/content", want: 404},
		{method: "GET", op: "/media/{id}/thumbnail", path: "/media/{photo}/thumbnail", want: 200},
		{method: "GET", op: "/media/{id}/thumbnail", path: "/media/" + nope + "/thumbnail", want: 404},

		{method: "GET", op: "/session", path: "/session", want: 200},
		{method: "GET", op: "/session", path: "/session", as: "none", want: 401},
		{method: "POST", op: "/session/{action}", path: "/session/reload-qr", want: 409},
		{method: "POST", op: "/session/{action}", path: "/session/takeover", want: 200},
		{method: "POST", op: "/session/{action}", path: "/session/dance", want: 404},
		{method: "POST", op: "/messages", path: "/messages", body: map[string]any{"phone": "98765 43210", "text": "Hello"}, want: 200},
		{method: "POST", op: "/messages", path: "/messages", body: func(v saved) any {
			return map[string]any{"phone": "98765 43210", "text": "The offer", "media_ids": []string{v["photo"], v["doc"]}}
		}, want: 200},
		{method: "POST", op: "/messages", path: "/messages", body: map[string]any{"phone": "98765 00099", "text": "Hello"}, want: 422},
		{method: "POST", op: "/messages", path: "/messages", body: func(v saved) any {
			return map[string]any{"phone": "98765 00099", "text": "The offer", "media_ids": []string{v["photo"]}}
		}, want: 422},
		{method: "POST", op: "/messages", path: "/messages", body: map[string]any{"phone": "12ab", "text": "Hello"}, want: 422},

		{method: "GET", op: "/accounts", path: "/accounts", want: 200, save: map[string]string{"first": "items.0.id"}},
		{method: "GET", op: "/accounts", path: "/accounts", as: "none", want: 401},
		{method: "POST", op: "/accounts", path: "/accounts", body: map[string]any{"name": "Shop"}, want: 201, save: map[string]string{"account": "id"}},
		{method: "POST", op: "/accounts", path: "/accounts", body: map[string]any{"daily_cap": 5}, want: 422},
		{method: "GET", op: "/accounts/{id}", path: "/accounts/{account}", want: 200},
		{method: "GET", op: "/accounts/{id}", path: "/accounts/" + nope, want: 404},
		{method: "PATCH", op: "/accounts/{id}", path: "/accounts/{account}", body: map[string]any{"daily_cap": 200, "quiet_start": "21:00", "quiet_end": "08:00"}, want: 200},
		{method: "PATCH", op: "/accounts/{id}", path: "/accounts/{account}", body: map[string]any{"quiet_start": "25:00", "quiet_end": "08:00"}, want: 422},
		{method: "POST", op: "/accounts/{id}/session/{action}", path: "/accounts/{account}/session/reload-qr", want: 200},
		{method: "POST", op: "/accounts/{id}/session/{action}", path: "/accounts/{account}/session/link-code", body: map[string]any{"phone": "98666 00002"}, want: 200},
		{method: "POST", op: "/accounts/{id}/session/{action}", path: "/accounts/{account}/session/link-code", body: map[string]any{"phone": "12ab"}, want: 422},
		{method: "POST", op: "/accounts/{id}/session/{action}", path: "/accounts/{first}/session/reload-qr", want: 409},
		{method: "POST", op: "/messages", path: "/messages", body: func(v saved) any {
			return map[string]any{"phone": "98765 43210", "text": "Hello", "account_id": v["first"]}
		}, want: 200},
		{method: "DELETE", op: "/accounts/{id}", path: "/accounts/{account}", want: 204},
		{method: "DELETE", op: "/accounts/{id}", path: "/accounts/{first}", want: 409},

		{method: "POST", op: "/numbers/check", path: "/numbers/check", body: func(v saved) any {
			return map[string]any{"numbers": []string{"+1 415 555 0100"}, "contact_ids": []string{v["contact"]},
				"pacing": map[string]any{"preset": "custom", "min_delay_ms": 600000, "max_delay_ms": 600000}}
		}, want: 202, save: map[string]string{"check": "id"}},
		{method: "POST", op: "/numbers/check", path: "/numbers/check", body: map[string]any{}, want: 422},
		{method: "GET", op: "/numbers/check/{id}", path: "/numbers/check/{check}", want: 200},
		{method: "GET", op: "/numbers/check/{id}", path: "/numbers/check/" + nope, want: 404},
		{method: "POST", op: "/numbers/check/{id}/cancel", path: "/numbers/check/{check}/cancel", want: 200},
		{method: "POST", op: "/numbers/check/{id}/cancel", path: "/numbers/check/{check}/cancel", want: 409},

		{method: "POST", op: "/campaigns", path: "/campaigns", body: func(v saved) any {
			return map[string]any{"name": "Offer", "template": "Hi {{name}}", "group_ids": []string{v["group"]}, "media_ids": []string{v["photo"]},
				"pacing": map[string]any{"min_delay_ms": 0, "max_delay_ms": 0}}
		}, want: 201, save: map[string]string{"campaign": "id"}},
		{method: "POST", op: "/campaigns", path: "/campaigns", body: map[string]any{"name": "x", "template": "Hi {{cty}}"}, want: 422},
		{method: "GET", op: "/campaigns", path: "/campaigns", want: 200},
		{method: "GET", op: "/campaigns", path: "/campaigns", as: "none", want: 401},
		{method: "PATCH", op: "/campaigns/{id}", path: "/campaigns/{campaign}", body: map[string]any{"name": "Offer 2"}, want: 200},
		{method: "PATCH", op: "/campaigns/{id}", path: "/campaigns/{campaign}", body: map[string]any{"template": "Hi {{cty}}"}, want: 422},
		{method: "POST", op: "/campaigns/{id}/duplicate", path: "/campaigns/{campaign}/duplicate", want: 201},
		{method: "POST", op: "/campaigns/{id}/duplicate", path: "/campaigns/" + nope + "/duplicate", want: 404},
		{method: "POST", op: "/campaigns/{id}/{action}", path: "/campaigns/{campaign}/start", want: 200, then: func(t *testing.T, s *site, v saved) {
			waitFor(t, func() bool {
				return field(s.api("GET", "/api/v1/campaigns/"+v["campaign"], nil).body, "counts.sent") == "1"
			})
		}},
		{method: "POST", op: "/campaigns/{id}/{action}", path: "/campaigns/{campaign}/start", want: 409},
		{method: "GET", op: "/campaigns/{id}", path: "/campaigns/{campaign}", want: 200},
		{method: "GET", op: "/campaigns/{id}", path: "/campaigns/" + nope, want: 404},
		{method: "PATCH", op: "/campaigns/{id}", path: "/campaigns/{campaign}", body: map[string]any{"name": "Late"}, want: 409},
		{method: "GET", op: "/campaigns/{id}/recipients", path: "/campaigns/{campaign}/recipients?messages=1", want: 200},
		{method: "GET", op: "/campaigns/{id}/recipients", path: "/campaigns/{campaign}/recipients?state=lost", want: 400},
		{method: "GET", op: "/campaigns/{id}/report.csv", path: "/campaigns/{campaign}/report.csv", want: 200},
		{method: "GET", op: "/campaigns/{id}/report.csv", path: "/campaigns/" + nope + "/report.csv", want: 404},
		{method: "GET", op: "/campaigns/{id}/report.pdf", path: "/campaigns/{campaign}/report.pdf", want: 200},
		{method: "GET", op: "/campaigns/{id}/report.pdf", path: "/campaigns/" + nope + "/report.pdf", want: 404},
		// A recipient held by an account that never came back (an id no
		// install drives), released by a person.
		{method: "POST", op: "/campaigns/{id}/release-held", path: "/campaigns/{campaign}/release-held", body: func(v saved) any {
			if err := testdb.Gorm(store).Exec("UPDATE campaign_recipients SET state = 'sending', account_id = 'gone-account' WHERE campaign_id = ?", v["campaign"]).Error; err != nil {
				panic(err)
			}
			return map[string]any{"account_id": "gone-account"}
		}, want: 200},
		{method: "POST", op: "/campaigns/{id}/release-held", path: "/campaigns/{campaign}/release-held", body: map[string]any{"account_id": "gone-account"}, want: 409},
		{method: "POST", op: "/campaigns/{id}/release-held", path: "/campaigns/" + nope + "/release-held", body: map[string]any{"account_id": "gone-account"}, want: 404},

		{method: "POST", op: "/webhooks", path: "/webhooks", body: map[string]any{"url": rcv.url, "events": []string{"message.sent"}}, want: 201, save: map[string]string{"hook": "id", "secret": "secret"}},
		{method: "POST", op: "/webhooks", path: "/webhooks", body: map[string]any{"url": "ftp://x"}, want: 422},
		{method: "GET", op: "/webhooks", path: "/webhooks", want: 200},
		{method: "GET", op: "/webhooks", path: "/webhooks", as: "staff", want: 403},
		{method: "GET", op: "/webhooks/{id}", path: "/webhooks/{hook}", want: 200},
		{method: "GET", op: "/webhooks/{id}", path: "/webhooks/" + nope, want: 404},
		{method: "PATCH", op: "/webhooks/{id}", path: "/webhooks/{hook}", body: map[string]any{"enabled": false}, want: 200},
		{method: "PATCH", op: "/webhooks/{id}", path: "/webhooks/{hook}", body: map[string]any{"events": []string{"message.eaten"}}, want: 422},
		{method: "POST", op: "/webhooks/{id}/test", path: "/webhooks/{hook}/test", want: 200, save: map[string]string{"delivery": "id"}},
		{method: "POST", op: "/webhooks/{id}/test", path: "/webhooks/" + nope + "/test", want: 404},
		{method: "GET", op: "/webhooks/{id}/deliveries", path: "/webhooks/{hook}/deliveries", want: 200},
		{method: "GET", op: "/webhooks/{id}/deliveries", path: "/webhooks/" + nope + "/deliveries", want: 404},
		{method: "POST", op: "/webhooks/{id}/deliveries/{delivery}/again", path: "/webhooks/{hook}/deliveries/{delivery}/again", want: 200},
		{method: "POST", op: "/webhooks/{id}/deliveries/{delivery}/again", path: "/webhooks/{hook}/deliveries/999999/again", want: 404},
		{method: "DELETE", op: "/webhooks/{id}", path: "/webhooks/{hook}", want: 204},
		{method: "DELETE", op: "/webhooks/{id}", path: "/webhooks/{hook}", want: 404},

		{method: "DELETE", op: "/media/{id}", path: "/media/{doc}", want: 204},
		{method: "DELETE", op: "/media/{id}", path: "/media/{doc}", want: 404},
		{method: "DELETE", op: "/groups/{id}", path: "/groups/{group}", want: 204},
		{method: "DELETE", op: "/groups/{id}", path: "/groups/{group}", want: 404},
		{method: "DELETE", op: "/contacts/{id}", path: "/contacts/{contact}", want: 204},
		{method: "DELETE", op: "/contacts/{id}", path: "/contacts/{contact}", want: 404},
		{method: "DELETE", op: "/tokens/{id}", path: "/tokens/{token}", want: 204},
		{method: "DELETE", op: "/tokens/{id}", path: "/tokens/{token}", want: 404},
		{method: "DELETE", op: "/users/{id}", path: "/users/{staff}", want: 204},
		{method: "DELETE", op: "/users/{id}", path: "/users/{admin}", want: 409},
	}
}

// TestOpenAPIEveryOperationAnswered makes real requests to every operation
// of /api/v1, a success and an error each, checks each got the status its
// case expects, and validates the answer against the schema the
// description gives for that status (strictly: a field the schema does not
// name fails). An operation of the description that no case exercised
// fails the test, so a new route needs a case here.
func TestOpenAPIEveryOperationAnswered(t *testing.T) {
	s, wa := newAnswerSite(t)
	sp := loadSpec(t, s)
	sp.strict(t)
	var secret string
	rcv := newHookReceiver(t, &secret)
	got := saved{}
	seen := map[string]map[string]bool{} // "METHOD /op" → "success", "error"
	for _, tc := range answerCases(rcv, wa, s.store) {
		path := "/api/v1" + got.fill(tc.path)
		s.token = map[string]string{"": strongToken, "staff": got["staffToken"], "none": ""}[tc.as]
		var r reply
		switch b := tc.body.(type) {
		case nil:
			if tc.upload != nil {
				r = s.upload(path, tc.upload.name, tc.upload.data, tc.fields)
			} else {
				r = s.do(tc.method, path, "", nil)
			}
		case string:
			r = s.do(tc.method, path, "application/json", strings.NewReader(b))
		case func(saved) any:
			r = s.api(tc.method, path, b(got))
		default:
			r = s.api(tc.method, path, b)
		}
		s.token = strongToken
		if r.status != tc.want {
			t.Errorf("%s %s = %d, want %d: %.300s", tc.method, path, r.status, tc.want, r.body)
			continue
		}
		sp.check(t, tc.method, tc.op, r)
		for name, f := range tc.save {
			if got[name] = field(r.body, f); got[name] == "" {
				t.Fatalf("%s %s: no %s in %s", tc.method, path, f, r.body)
			}
		}
		if tc.then != nil {
			tc.then(t, s, got)
		}
		if got["secret"] != "" {
			secret = got["secret"]
		}
		k := tc.method + " " + tc.op
		if seen[k] == nil {
			seen[k] = map[string]bool{}
		}
		seen[k][map[bool]string{true: "success", false: "error"}[r.status < 400]] = true
	}
	var missing []string
	for p, item := range sp.doc["paths"].(map[string]any) {
		for m := range item.(map[string]any) {
			k := strings.ToUpper(m) + " " + p
			for _, kind := range []string{"success", "error"} {
				if !seen[k][kind] {
					missing = append(missing, k+" ("+kind+")")
				}
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("described operations no case answered (add them to answerCases):\n  %s", strings.Join(missing, "\n  "))
	}
}

package server

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"

	"github.com/sambad/sambad/models"
)

// xssPayloads each try to run script in a different context: element
// content, a quoted attribute, an unquoted attribute, a textarea, a URL.
// Any that runs sets window.__xss or opens a dialog.
var xssPayloads = []string{
	`<script>window.__xss="script"</script>`,
	`"><img src=x onerror="window.__xss='img'">`,
	`'><svg onload=window.__xss='svg'>`,
	`</textarea><script>alert("textarea")</script>`,
	`" autofocus onfocus="window.__xss='focus'" x="`,
	`javascript:alert("href")`,
	`</title><script>alert("title")</script>`,
	`{{.}}<iframe srcdoc="<script>parent.__xss='iframe'</script>">`,
}

// injectedJS finds what a payload would leave in the DOM even if it did not
// run: event-handler attributes, inline scripts, script-bearing URLs.
const injectedJS = `() => {
  // Element.prototype methods: a form's own properties can be clobbered by
  // its fields (the contact form has a field named "attributes").
  const names = (el) => Element.prototype.getAttributeNames.call(el);
  const attr = (el, n) => Element.prototype.getAttribute.call(el, n) || "";
  const tag = Object.getOwnPropertyDescriptor(Element.prototype, "tagName").get;
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    const t = tag.call(el);
    for (const n of names(el)) {
      const v = attr(el, n);
      if (n.startsWith("on")) found.push(t + "[" + n + "]");
      if (/^\s*javascript:/i.test(v) && ["href", "src", "action", "formaction"].includes(n)) found.push(t + "[" + n + "=" + v + "]");
      if (n === "srcdoc") found.push(t + "[srcdoc]");
    }
    if (t === "SCRIPT" && !attr(el, "src").startsWith("/static/")) found.push("inline script: " + el.textContent.slice(0, 60));
  }
  return {flag: window.__xss || null, found: found};
}`

func TestStoredXSSNeverExecutes(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("Chromium is required (make test installs it): %v", err)
	}
	ts := newTestServer(t, map[string]string{"SAMBAD_PASSWORD": "correct horse"}, nil)
	ctx := context.Background()
	var contactID, groupID string
	var ids []string
	for i, p := range xssPayloads {
		in := models.ContactInput{Phone: fmt.Sprintf("98765%05d", i), Name: p, Variables: map[string]string{}, Attributes: map[string]string{"note": p, "city": p}}
		for v := 1; v <= models.VariableCount; v++ {
			in.Variables[fmt.Sprintf("v%d", v)] = p
		}
		var c models.Contact
		if err := in.Apply(&c, "IN"); err != nil {
			t.Fatalf("payload %d: %v", i, err)
		}
		if err := ts.store.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		contactID = c.ID
		g, err := ts.store.CreateGroup(ctx, p)
		if err != nil {
			t.Fatalf("group %q: %v", p, err)
		}
		groupID = g.ID
	}
	if _, err := ts.store.AddMembers(ctx, groupID, ids); err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(ts.h)
	defer site.Close()

	l := launcher.New().Bin(chromium).NoSandbox(true).Headless(true)
	u, err := l.Launch()
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		l.Kill()
		l.Cleanup() // a throw-away profile under /tmp/rod
	}()
	browser := rod.New().ControlURL(u).Timeout(3 * time.Minute)
	if err := browser.Connect(); err != nil {
		t.Fatal(err)
	}
	defer browser.Close()
	page := browser.MustPage("")
	// Ignore the CSP: it would stop injected script anyway, and this test is
	// about escaping — a page that only stays safe thanks to the CSP fails.
	if err := (proto.PageSetBypassCSP{Enabled: true}).Call(page); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var dialogs []string
	go page.EachEvent(func(e *proto.PageJavascriptDialogOpening) {
		mu.Lock()
		dialogs = append(dialogs, string(e.Type)+": "+e.Message)
		mu.Unlock()
		_ = proto.PageHandleJavaScriptDialog{Accept: false}.Call(page)
	})()

	// Sign in through the real form.
	page.MustNavigate(site.URL + "/login").MustWaitLoad()
	page.MustElement("#password").MustInput("correct horse")
	wait := page.MustWaitNavigation()
	page.MustElement("button[type=submit]").MustClick()
	wait()
	cookies, err := page.Cookies([]string{site.URL})
	if err != nil || len(cookies) == 0 {
		t.Fatalf("no session after signing in (%v); page %s:\n%s", err, page.MustInfo().URL, page.MustHTML())
	}
	// Signing in sets the session cookie and the device cookie (auth/device.go).
	var session *http.Cookie
	for _, ck := range cookies {
		if !ck.HTTPOnly || ck.SameSite != proto.NetworkCookieSameSiteLax {
			t.Errorf("cookie in the browser: %+v", ck)
		}
		if ck.Name == sessionCookie {
			session = &http.Cookie{Name: ck.Name, Value: ck.Value}
		}
	}
	if session == nil {
		t.Fatalf("no %s cookie in the browser: %+v", sessionCookie, cookies)
	}

	// An import preview shows file contents before anything is stored.
	importPath := uploadImport(t, site.URL, session)

	var targets []string
	for _, r := range ts.router.Routes() {
		p := r.Path
		if r.Method != http.MethodGet || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/static") ||
			p == "/healthz" || p == "/readyz" || strings.HasSuffix(p, "/events") || strings.HasSuffix(p, "/progress") ||
			strings.Contains(p, ".csv") || strings.Contains(p, ".xlsx") || strings.HasSuffix(p, ".zip") {
			continue // JSON, files, and event streams are not pages
		}
		switch {
		case strings.HasPrefix(p, "/contacts/import/:"):
			p = importPath
		case strings.HasPrefix(p, "/contacts/:"):
			p = strings.Replace(p, ":id", contactID, 1)
		case strings.HasPrefix(p, "/groups/:"):
			p = strings.Replace(p, ":id", groupID, 1)
		case strings.Contains(p, ":"):
			p = concretePath(p)
		}
		targets = append(targets, p)
	}
	// Reflected input: search terms and redirect targets.
	for _, pl := range xssPayloads {
		targets = append(targets, "/contacts?q="+url.QueryEscape(pl), "/groups/"+groupID+"?q="+url.QueryEscape(pl), "/no-such-page/"+url.PathEscape(pl))
	}
	if len(targets) < 12 {
		t.Fatalf("only %d pages to visit: %v", len(targets), targets)
	}
	shown := 0
	for _, target := range targets {
		if err := page.Navigate(site.URL + target); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		page.MustWaitLoad()
		page.MustWaitIdle()
		res := page.MustEval(injectedJS)
		if flag := res.Get("flag"); !flag.Nil() {
			t.Errorf("%s: script ran (window.__xss=%v)", target, flag)
		}
		for _, f := range res.Get("found").Arr() {
			t.Errorf("%s: injected markup in the DOM: %s", target, f.Str())
		}
		if html := page.MustHTML(); strings.Contains(html, "__xss") || strings.Contains(html, "alert(") {
			shown++ // the payload is on the page, as text
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, d := range dialogs {
		t.Errorf("a dialog opened: %s", d)
	}
	// The check is real only if the payloads were actually on the pages.
	if shown < 5 {
		t.Errorf("payload text appeared on only %d of %d pages", shown, len(targets))
	}
	t.Logf("visited %d pages, %d of them showing payload text", len(targets), shown)
}

// uploadImport posts a CSV full of payloads to the import form and returns
// the preview page's path.
func uploadImport(t *testing.T, base string, session *http.Cookie) string {
	t.Helper()
	var csv strings.Builder
	csv.WriteString("phone,name,v1,city\n")
	for i, p := range xssPayloads {
		q := `"` + strings.ReplaceAll(p, `"`, `""`) + `"`
		fmt.Fprintf(&csv, "98764%05d,%s,%s,%s\n", i, q, q, q)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", `<img src=x onerror=alert("filename")>.csv`)
	fw.Write([]byte(csv.String()))
	mw.WriteField("mode", "update")
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/contacts/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(session)
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/contacts/import/") {
		t.Fatalf("import upload: %d to %q", resp.StatusCode, loc)
	}
	return loc
}

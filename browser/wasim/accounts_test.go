package wasim

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
)

// linkPageAs loads base in a profile of its own, has the phone of account
// scan the QR that page shows, and waits for the chat list.
func linkPageAs(t *testing.T, s *Server, base, account string) *rod.Page {
	t.Helper()
	p := newPage(t, base+"/")
	element(t, p, `div[data-ref] canvas`)
	ref := evalStr(t, p, `document.querySelector('div[data-ref]').getAttribute('data-ref')`)
	if err := s.ScanRefAs(ref, account); err != nil {
		t.Fatal(err)
	}
	element(t, p, `#side [data-icon="search"]`)
	return p
}

// Three profiles linked by three phones: each page reads its own number
// where the real page keeps it, each sends through its own account, the
// ledger says which, and logging out, conflicting or taking one phone
// offline touches only that account.
func TestSeveralAccounts(t *testing.T) {
	opts := fastOptions()
	opts.Timing.Off = true
	s, base := startSim(t, opts)
	accounts := []string{"919800000011", "919800000022", "919800000033"}
	var pages []*rod.Page
	for _, a := range accounts {
		pages = append(pages, linkPageAs(t, s, base, a))
	}
	for i, a := range accounts {
		p := pages[i]
		wid := evalStr(t, p, `JSON.parse(localStorage.getItem('last-wid-md'))`)
		if wid != a+":1@c.us" {
			t.Fatalf("page %d keeps last-wid-md %q, want %s:1@c.us", i, wid, a)
		}
	}
	const to = "919876500001"
	for i := range accounts {
		p := pages[i]
		if err := p.Navigate(sendURL(base, to, "from account "+accounts[i])); err != nil {
			t.Fatal(err)
		}
		click(t, element(t, p, sendButton))
		waitLedger(t, s, i+1, 5*time.Second)
	}
	for i, e := range s.Ledger() {
		if e.Account != accounts[i] || e.Text != "from account "+accounts[i] || e.Phone != to {
			t.Fatalf("ledger entry %d: %+v, want account %s", i, e, accounts[i])
		}
	}
	// The same contact's chat is separate per account: account 2 sees only
	// its own message.
	p2 := pages[1]
	waitJS(t, p2, "account 2's own bubble", `document.querySelectorAll('[data-id^="true_"]').length === 1`, 5*time.Second)

	// The control API acts on one account.
	post := func(path, body string) {
		t.Helper()
		resp, err := http.Post(base+"/__sim/"+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d", path, body, resp.StatusCode)
		}
	}
	post("offline", `{"offline": true, "account": "`+accounts[2]+`"}`)
	post("logout", `{"account": "`+accounts[0]+`"}`)
	p1 := pages[0]
	waitJS(t, p1, "account 1's post-logout landing", `location.search.includes('post_logout=1')`, 10*time.Second)
	p3 := pages[2]
	element(t, p3, `#side [data-icon="alert-phone"]`)
	if has, _, _ := p2.Has(`#side [data-icon="alert-phone"]`); has {
		t.Fatal("account 2 shows the offline banner of account 3's phone")
	}
	if !s.LinkedAccount(accounts[1]) || s.LinkedAccount(accounts[0]) {
		t.Fatal("logout of account 1 touched another account")
	}
	resp, err := http.Get(base + "/__sim/state")
	if err != nil {
		t.Fatal(err)
	}
	var st State
	_ = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	got := map[string]AccountState{}
	for _, a := range st.Accounts {
		got[a.Phone] = a
	}
	if got[accounts[0]].Linked != 0 || got[accounts[1]].Linked != 1 || !got[accounts[2]].Offline || got[accounts[1]].Ledger != 1 {
		t.Fatalf("state accounts: %+v", st.Accounts)
	}
	post("conflict", `{"account": "`+accounts[1]+`"}`)
	element(t, p2, `[role="dialog"]`)
	if has, _, _ := p3.Has(`[role="dialog"]`); has {
		t.Fatal("account 3 shows the conflict raised on account 2")
	}
	resp, err = http.Post(base+"/__sim/logout", "application/json", strings.NewReader(`{"account": "+91 98"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a bad account number got %d, want 400", resp.StatusCode)
	}
}

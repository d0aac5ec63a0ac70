package wasim

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

type client struct {
	t     *testing.T
	base  string
	token string
}

func (c *client) do(method, path string, body any, out any) int {
	c.t.Helper()
	var rd *bytes.Reader
	if s, ok := body.(string); ok {
		rd = bytes.NewReader([]byte(s))
	} else if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if c.token != "" {
		req.Header.Set("X-Wa-Session", c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			c.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// TestControlAPI plays both sides over HTTP: the page's private API and the
// phone's control API.
func TestControlAPI(t *testing.T) {
	opts := fastOptions()
	opts.Acks = AckPolicy{SentAfter: 0, DeliveredAfter: 50 * time.Millisecond, ReadAfter: -1}
	s := New(opts)
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := &client{t: t, base: srv.URL}

	var e map[string]string
	if code := c.do("POST", "/__sim/scan", nil, &e); code != http.StatusConflict || !strings.Contains(e["error"], "no QR") {
		t.Fatalf("scan without a QR: %d %v", code, e)
	}
	if code := c.do("POST", "/__sim/offline", `{"offline":`, &e); code != http.StatusBadRequest {
		t.Fatalf("bad JSON: %d", code)
	}
	if code := c.do("POST", "/__sim/unknown", `{}`, &e); code != http.StatusBadRequest {
		t.Fatalf("unknown without phone: %d", code)
	}

	var pv pairView
	c.do("POST", "/wa/pair", nil, &pv)
	c.do("GET", "/wa/pair/"+pv.ID, nil, &pv)
	var st State
	c.do("GET", "/__sim/state", nil, &st)
	if st.QR != pv.Ref || st.Linked {
		t.Fatalf("state %+v, page shows %q", st, pv.Ref)
	}
	if code := c.do("POST", "/__sim/scan", map[string]string{"ref": "2@old,a,b,c"}, &e); code != http.StatusConflict {
		t.Fatalf("scan of a stale payload: %d", code)
	}
	if code := c.do("POST", "/__sim/scan", nil, nil); code != http.StatusOK {
		t.Fatalf("scan: %d", code)
	}
	c.do("GET", "/wa/pair/"+pv.ID, nil, &pv)
	if pv.Token == "" {
		t.Fatal("page did not learn its session after the scan")
	}
	c.token = pv.Token
	if code := c.do("GET", "/wa/session", nil, nil); code != http.StatusOK {
		t.Fatalf("session check: %d", code)
	}
	c.do("POST", "/wa/open", map[string]string{"tab": "t1"}, nil)

	send := func(id, phone, text string) int {
		return c.do("POST", "/wa/send", map[string]string{"tab": "t1", "id": id, "phone": phone, "text": text}, nil)
	}
	if code := send("3EB0AAAAAAAAAAAAAAAA", "919876543210", "a\nb 😀"); code != http.StatusAccepted {
		t.Fatalf("send: %d", code)
	}
	if code := send("3EB0AAAAAAAAAAAAAAAA", "919876543210", "a\nb 😀"); code != http.StatusAccepted {
		t.Fatalf("resend: %d", code)
	}
	c.do("POST", "/__sim/unknown", map[string]string{"phone": "15550001111"}, nil)
	if code := send("3EB0BBBBBBBBBBBBBBBB", "15550001111", "x"); code != http.StatusNotFound {
		t.Fatalf("send to unknown: %d", code)
	}
	var acks ackJSON
	c.do("POST", "/__sim/acks", map[string]any{"drop": true}, &acks)
	if !acks.Drop || acks.DeliveredMS != 50 {
		t.Fatalf("acks %+v", acks)
	}
	send("3EB0CCCCCCCCCCCCCCCC", "919876543210", "dropped")
	c.do("POST", "/__sim/acks", map[string]any{"drop": false}, nil)
	c.do("POST", "/__sim/offline", map[string]bool{"offline": true}, nil)
	send("3EB0DDDDDDDDDDDDDDDD", "919876543210", "held")

	var led []LedgerEntry
	c.do("GET", "/__sim/ledger", nil, &led)
	if len(led) != 1 || led[0].Text != "a\nb 😀" || led[0].ID != "3EB0AAAAAAAAAAAAAAAA" {
		t.Fatalf("ledger %+v", led)
	}
	c.do("POST", "/__sim/offline", map[string]bool{"offline": false}, nil)
	c.do("GET", "/__sim/ledger", nil, &led)
	if len(led) != 2 || led[1].Text != "held" {
		t.Fatalf("ledger after going online %+v", led)
	}

	time.Sleep(80 * time.Millisecond)
	var poll pollView
	c.do("GET", "/wa/poll?tab=t1&chat=919876543210", nil, &poll)
	if poll.State != "ok" || len(poll.Messages) != 2 || poll.Messages[0].Ack != AckDelivered {
		t.Fatalf("poll %+v", poll)
	}
	c.do("POST", "/__sim/conflict", nil, nil)
	c.do("GET", "/wa/poll?tab=t1", nil, &poll)
	if poll.State != "conflict" {
		t.Fatalf("poll during conflict %+v", poll)
	}
	if code := send("3EB0EEEEEEEEEEEEEEEE", "919876543210", "x"); code != http.StatusConflict {
		t.Fatalf("send during conflict: %d", code)
	}
	c.do("POST", "/wa/takeover", map[string]string{"tab": "t1"}, nil)

	c.do("POST", "/__sim/logout", nil, nil)
	c.do("GET", "/wa/poll?tab=t1", nil, &poll)
	if poll.State != "logged_out" {
		t.Fatalf("poll after logout %+v", poll)
	}
	if code := c.do("GET", "/wa/session", nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("logged-out token accepted: %d", code)
	}
	c.do("POST", "/__sim/reset", nil, nil)
	c.do("GET", "/__sim/state", nil, &st)
	if st.Ledger != 0 || len(st.Unknown) != 0 || st.Acks.DeliveredMS != 50 {
		t.Fatalf("state after reset %+v", st)
	}
	resp, err := http.Get(srv.URL + "/__sim/")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("control page: %v %v", err, resp)
	}
	resp.Body.Close()
}

func TestAcksNeverOvertake(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name   string
		policy AckPolicy
		at     time.Duration
		want   int
	}{
		{"pending", AckPolicy{SentAfter: 100 * ms, DeliveredAfter: 200 * ms, ReadAfter: 300 * ms}, 50 * ms, AckPending},
		{"sent", AckPolicy{SentAfter: 100 * ms, DeliveredAfter: 200 * ms, ReadAfter: 300 * ms}, 150 * ms, AckSent},
		{"delivered", AckPolicy{SentAfter: 100 * ms, DeliveredAfter: 200 * ms, ReadAfter: 300 * ms}, 250 * ms, AckDelivered},
		{"read", AckPolicy{SentAfter: 100 * ms, DeliveredAfter: 200 * ms, ReadAfter: 300 * ms}, 350 * ms, AckRead},
		{"long sent delay holds the rest", AckPolicy{SentAfter: time.Second, DeliveredAfter: 200 * ms, ReadAfter: 300 * ms}, 500 * ms, AckPending},
		{"never delivered", AckPolicy{SentAfter: 0, DeliveredAfter: -1, ReadAfter: 10 * ms}, time.Hour, AckSent},
		{"never read", AckPolicy{SentAfter: 0, DeliveredAfter: 10 * ms, ReadAfter: -1}, time.Hour, AckDelivered},
	}
	now := time.Now()
	for _, tt := range tests {
		m := &message{FromMe: true, accepted: now.Add(-tt.at), policy: tt.policy}
		if got := m.ack(now); got != tt.want {
			t.Errorf("%s: ack = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestRunServesUntilCancelled(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, addr, Options{}) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/__sim/state")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("simulator not serving: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if _, err := http.Get("http://" + addr + "/"); err == nil {
		t.Fatal("still serving after Run returned")
	}
}

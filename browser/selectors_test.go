package browser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSelectorsFileRules(t *testing.T) {
	sels := DefaultSelectors()
	for _, key := range []string{"app", "loading", "qr", "ready", "compose", "send_button", "invalid_modal", "conflict", "conflict_use_here", "offline", "msg_out", "ack_sent", "link_code"} {
		if _, ok := sels[key]; !ok {
			t.Errorf("selectors.json lacks %q", key)
		}
	}
	for key, s := range sels {
		for _, css := range s.CSS {
			if strings.Contains(css, "data-testid") {
				t.Errorf("%s uses data-testid: %s", key, css)
			}
		}
	}
}

func TestSelectorsOverrideMergesAndReloads(t *testing.T) {
	dir := t.TempDir()
	st := newSelectorStore(dir)
	if got := st.get()["compose"].CSS[0]; got != DefaultSelectors()["compose"].CSS[0] {
		t.Fatalf("without override compose = %q", got)
	}
	path := filepath.Join(dir, "selectors.json")
	if err := os.WriteFile(path, []byte(`{"compose": {"css": ["div.my-compose"]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	got := st.get()
	if got["compose"].CSS[0] != "div.my-compose" || len(got["compose"].CSS) != 1 {
		t.Fatalf("override not applied: %+v", got["compose"])
	}
	if len(got["ready"].CSS) == 0 {
		t.Fatal("a partial override dropped other keys")
	}
	// A broken edit keeps the last good selectors.
	future := time.Now().Add(2 * time.Second)
	if err := os.WriteFile(path, []byte(`{"compose": `), 0o600); err != nil {
		t.Fatal(err)
	}
	_ = os.Chtimes(path, future, future)
	if st.get()["compose"].CSS[0] != "div.my-compose" {
		t.Fatal("an invalid override replaced the selectors")
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if st.get()["compose"].CSS[0] != DefaultSelectors()["compose"].CSS[0] {
		t.Fatal("removing the override did not restore the defaults")
	}
}

// An override in the data directory changes what the running driver reads,
// without a restart.
func TestSelectorsOverrideTakesEffectLive(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	const phone = "+919880000001"
	if _, err := m.SendText(ctx, phone, "visible bubble"); err != nil {
		t.Fatal(err)
	}
	got, err := m.RecentOutgoing(ctx, phone, 5)
	if err != nil || len(got) != 1 {
		t.Fatalf("before override: %+v, %v", got, err)
	}
	path := filepath.Join(m.opts.DataDir, "selectors.json")
	if err := os.WriteFile(path, []byte(`{"msg_out": {"css": ["[data-id^=\"nothing_\"]"], "attr": "data-id"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err = m.RecentOutgoing(ctx, phone, 5)
	if err != nil || len(got) != 0 {
		t.Fatalf("with override: %+v, %v (override not applied)", got, err)
	}
	// A fallback list: the first selector misses, the second matches.
	later := time.Now().Add(2 * time.Second)
	if err := os.WriteFile(path, []byte(`{"msg_out": {"css": ["[data-id^=\"nothing_\"]", "[data-id^=\"true_\"]"], "attr": "data-id"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_ = os.Chtimes(path, later, later)
	got, err = m.RecentOutgoing(ctx, phone, 5)
	if err != nil || len(got) != 1 {
		t.Fatalf("with fallback override: %+v, %v", got, err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	got, err = m.RecentOutgoing(ctx, phone, 5)
	if err != nil || len(got) != 1 || got[0].Text != "visible bubble" {
		t.Fatalf("after removing override: %+v, %v", got, err)
	}
}

// A page that matches no selector is reported in Status.Error (markup changed).
func TestUnrecognisedPageIsReported(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	override := `{"app": {"css": ["#no-such-app"]}}`
	if err := os.WriteFile(filepath.Join(dir, "selectors.json"), []byte(override), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := testOptions(dir)
	opts.LoadTimeout = time.Second
	m := newManager(t, opts)
	deadline := time.Now().Add(20 * time.Second)
	for m.Status().Error != unrecognisedHint {
		if time.Now().After(deadline) {
			t.Fatalf("no hint; status %+v", m.Status())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

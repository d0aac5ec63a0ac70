package cli

import (
	"context"
	"testing"

	"github.com/sambad/sambad/browser"
)

// TestAccountEventsPerAccount: each account's session gets its own events,
// named by the account; repeats, passing states and the idle sleep do not.
func TestAccountEventsPerAccount(t *testing.T) {
	ctx := context.Background()
	names := map[string]string{"a1": "Shop", "a2": "Office"}
	ae := &accountEvents{last: map[string]string{}, names: func(_ context.Context, id string) string { return names[id] }}
	type step struct {
		id     string
		state  browser.State
		asleep bool
		want   bool
	}
	steps := []step{
		{"a1", browser.StateStopped, false, false}, // where every start begins
		{"a1", "loading", false, false},
		{"a1", "ready", false, true},
		{"a2", "ready", false, true}, // another account: its own news
		{"a1", "ready", false, false},
		{"a2", browser.StateStopped, true, false}, // asleep for idleness
		{"a2", "logged_out", false, true},
		{"a1", "phone_offline", false, true},
	}
	for i, s := range steps {
		e, ok := ae.next(ctx, s.id, browser.Status{State: s.state, Error: "why"}, s.asleep)
		if ok != s.want {
			t.Fatalf("step %d (%s %s asleep=%v): recorded=%v, want %v", i, s.id, s.state, s.asleep, ok, s.want)
		}
		if ok && (e.SubjectID != s.id || e.Subject != names[s.id] || e.State != string(s.state) || e.Detail != "why") {
			t.Fatalf("step %d: event %+v", i, e)
		}
	}
}

package server

import (
	"strings"
	"testing"
)

// TestPagesFailAtStartup: a page name or fragment without its template is
// refused when the pages load, not when a request renders it.
func TestPagesFailAtStartup(t *testing.T) {
	if _, err := loadPages(declaredPages); err != nil {
		t.Fatalf("the declared pages do not load: %v", err)
	}
	missing := &page{name: "no_such_page"}
	if _, err := loadPages(append([]*page{missing}, declaredPages...)); err == nil || !strings.Contains(err.Error(), "no_such_page") {
		t.Fatalf("an undeclared template loaded: %v", err)
	}
	noFragment := &page{name: "campaign", fragments: []string{"no_such_fragment"}}
	if _, err := loadPages([]*page{noFragment}); err == nil || !strings.Contains(err.Error(), "no_such_fragment") {
		t.Fatalf("a missing fragment loaded: %v", err)
	}
}

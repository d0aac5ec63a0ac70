package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestImportOfMillionEmptyHeaderCells: the API and the preview page answer a
// 1 MB header of empty cells with a short 422 (it made a 65 MB JSON answer
// and a 90 MB page).
func TestImportOfMillionEmptyHeaderCells(t *testing.T) {
	s := newSite(t, "")
	wide := []byte("phone" + strings.Repeat(",", 1_000_000) + "name\n9876543210,Asha\n")
	r := s.upload("/api/v1/contacts/import", "wide.csv", wide, map[string]string{"dry_run": "true"})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "row 1 has more than 1000 cells") || len(r.body) > 1024 {
		t.Fatalf("API: %d, %d bytes: %.300s", r.status, len(r.body), r.body)
	}
	r = s.follow(s.upload("/contacts/import", "wide.csv", wide, nil))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "row 1 has more than 1000 cells") || len(r.body) > 32<<10 {
		t.Fatalf("preview: %d, %d bytes", r.status, len(r.body))
	}
}

// TestImportPreviewIsPaged: 250 invalid rows show 100 at a time.
func TestImportPreviewIsPaged(t *testing.T) {
	s := newSite(t, "")
	var b strings.Builder
	b.WriteString("phone,name\n")
	for i := 0; i < 250; i++ {
		fmt.Fprintf(&b, "bad%d,Person %d\n", i, i)
	}
	page := s.upload("/contacts/import", "bad.csv", []byte(b.String()), nil).header.Get("Location")
	r := s.get(page)
	if r.status != http.StatusOK || strings.Count(r.body, "is not a valid number") != 100 || !strings.Contains(r.body, "Page 1 of 3") || !strings.Contains(r.body, "bad0&#39;") || strings.Contains(r.body, "bad100&#39;") {
		t.Fatalf("page 1: %d, %d rows listed", r.status, strings.Count(r.body, "is not a valid number"))
	}
	r = s.get(page + "?page=3")
	if r.status != http.StatusOK || strings.Count(r.body, "is not a valid number") != 50 || !strings.Contains(r.body, "bad249&#39;") {
		t.Fatalf("page 3: %d, %d rows listed", r.status, strings.Count(r.body, "is not a valid number"))
	}
	if r = s.get(page + "?page=4"); r.status != http.StatusNotFound {
		t.Fatalf("page 4: %d", r.status)
	}
}

// TestImportUploadsAreBounded: at most 16 uploads wait for their commit; a
// new one pushes out the oldest.
func TestImportUploadsAreBounded(t *testing.T) {
	s := newSite(t, "")
	var pages []string
	for i := 0; i < 20; i++ {
		r := s.upload("/contacts/import", "c.csv", []byte(importCSV), nil)
		if r.status != http.StatusSeeOther {
			t.Fatalf("upload %d: %d", i, r.status)
		}
		pages = append(pages, r.header.Get("Location"))
	}
	for i, p := range pages {
		r := s.get(p)
		if kept := r.status == http.StatusOK; kept != (i >= 4) {
			t.Fatalf("upload %d: %d (want the first 4 pushed out)", i, r.status)
		}
	}
}

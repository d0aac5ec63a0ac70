package server

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
)

const mediaPerPage = 48

// mediaView is the Media page.
type mediaView struct {
	Items       []mediaItem
	Total       int64
	Q           string // the pager's search (none here)
	Page, Pages int
	PhotoMaxMB  int64
	DocMaxMB    int64
}

// mediaItem is one file as the page shows it.
type mediaItem struct {
	models.Media
	Thumb    bool   // a photo: show its thumbnail
	Badge    string // otherwise: a short type label (PDF, MP4, …)
	SizeText string
}

// mediaList shows the library, newest first, with the upload form.
func (s *Server) mediaList(c *gin.Context) {
	s.renderMedia(c, http.StatusOK)
}

func (s *Server) renderMedia(c *gin.Context, status int) {
	page := intQuery(c, "page", 1)
	items, total, err := s.store.ListMedia(c.Request.Context(), models.MediaQuery{Page: page, PerPage: mediaPerPage})
	if err == nil && len(items) == 0 && page > 1 {
		// Past the end (the last file of a page was deleted): the last page.
		page = pageCount(total, mediaPerPage)
		items, total, err = s.store.ListMedia(c.Request.Context(), models.MediaQuery{Page: page, PerPage: mediaPerPage})
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	v := mediaView{Total: total, Page: page, Pages: pageCount(total, mediaPerPage), PhotoMaxMB: media.PhotoVideoMax >> 20, DocMaxMB: s.media.DocumentMax() >> 20}
	for _, m := range items {
		v.Items = append(v.Items, mediaItem{Media: m, Thumb: m.Kind == models.MediaPhoto, Badge: mediaBadge(m), SizeText: humanSize(m.Size)})
	}
	s.render(c, status, pageMedia, "media", v)
}

// mediaBadge is the label shown in place of a thumbnail: the name's
// extension when it has a short one, else the kind.
func mediaBadge(m models.Media) string {
	ext := strings.ToUpper(strings.TrimPrefix(filepath.Ext(m.Name), "."))
	if ext != "" && len(ext) <= 4 {
		return ext
	}
	return strings.ToUpper(m.Kind[:3])
}

// humanSize writes a byte count as people read it (1 KB = 1024 bytes).
func humanSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	case n < 100<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
}

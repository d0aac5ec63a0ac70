package server

import (
	"github.com/gin-gonic/gin"
)

// mediaThumbnail serves a photo's thumbnail (page and API). The URL names a
// file whose content never changes, so browsers may keep it.
func (s *Server) mediaThumbnail(c *gin.Context) {
	ctx := c.Request.Context()
	m, err := s.store.GetMedia(ctx, c.Param("id"))
	if err != nil {
		s.mediaError(c, err)
		return
	}
	path, err := s.media.Thumbnail(ctx, m)
	if err != nil {
		s.mediaError(c, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=86400, immutable")
	c.Header("Content-Type", "image/jpeg")
	c.Header("X-Content-Type-Options", "nosniff")
	c.File(path)
}

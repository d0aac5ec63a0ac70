package server

import (
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"
)

// mediaContent downloads a file (page and API): its sniffed type, never
// sniffed again by the browser, as an attachment under its original name.
func (s *Server) mediaContent(c *gin.Context) {
	ctx := c.Request.Context()
	m, err := s.store.GetMedia(ctx, c.Param("id"))
	if err != nil {
		s.mediaError(c, err)
		return
	}
	f, err := s.media.Open(ctx, m)
	if err != nil {
		s.mediaError(c, err)
		return
	}
	defer f.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", m.MimeType)
	h.Set("X-Content-Type-Options", "nosniff")
	// A document may be HTML or SVG: should a browser ever render it, it
	// runs nothing and reaches nothing of Sambad's origin.
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Disposition", contentDisposition(m.Name))
	h.Set("Cache-Control", "private, no-cache")
	http.ServeContent(c.Writer, c.Request, "", m.UpdatedAt, f)
}

// contentDisposition makes an attachment header for a name a person chose:
// quoted, or RFC 2231-encoded when it is not plain ASCII.
func contentDisposition(name string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "attachment"
}

// mediaError answers an error in JSON for the API and as a page otherwise.
func (s *Server) mediaError(c *gin.Context, err error) {
	status, msg := mediaFailure(c, err)
	if isAPI(c) {
		apiError(c, status, msg)
		return
	}
	s.renderError(c, status, "The file cannot be shown", msg)
}

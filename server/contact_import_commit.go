package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// commitWait is how long the confirm button waits for the import before
// showing the progress page: small files show their result at once.
const commitWait = 1500 * time.Millisecond

// contactImportCommit starts the import of a previewed upload.
func (s *Server) contactImportCommit(c *gin.Context) {
	up, ok := s.uploads.get(c.Param("token"))
	if !ok {
		s.renderError(c, http.StatusNotFound, "This import has expired", "Uploaded files are kept for an hour, or until they are imported. Upload the file again.")
		return
	}
	if preview, _ := s.uploads.state(up); preview == nil {
		redirect(c, "/contacts/import/"+up.Token) // preview first
		return
	}
	job := s.startImport(up)
	select {
	case <-job.done:
	case <-time.After(commitWait):
	case <-c.Request.Context().Done():
	}
	redirect(c, "/contacts/import/"+up.Token)
}

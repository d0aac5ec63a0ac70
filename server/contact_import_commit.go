package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// commitWait is how long the confirm button waits for the import before
// showing the progress page: small files show their result at once.
const commitWait = 1500 * time.Millisecond

// contactImportCommit starts the import of a previewed upload, adding every
// contact to the groups ticked or named on the preview.
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
	groups, err := addToGroups(c.PostFormArray("add_groups"), c.PostForm("new_groups"))
	if err != nil {
		flash(c, "error", err.Error())
		redirect(c, "/contacts/import/"+up.Token)
		return
	}
	s.audit(c, "contacts.import", fmt.Sprintf("%q (%s)", up.Name, up.Mode))
	job := s.startImport(up, groups)
	select {
	case <-job.done:
	case <-time.After(commitWait):
	case <-c.Request.Context().Done():
	}
	redirect(c, "/contacts/import/"+up.Token)
}

package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/importer"
)

// importView is what contact_import_show.html shows: the preview of an
// upload, its commit's progress, or the commit's result.
type importView struct {
	Token, Name string
	Mode        string
	Preview     *importer.Report
	FileError   string
	Job         *importJob
	Result      *importer.Report
	JobError    string
}

// contactImportShow shows an upload: the dry run's report and the confirm
// button, or the commit's progress and result.
func (s *Server) contactImportShow(c *gin.Context) {
	up, ok := s.uploads.get(c.Param("token"))
	if !ok {
		s.renderError(c, http.StatusNotFound, "This import has expired", "Uploaded files are kept for an hour, or until they are imported. Upload the file again.")
		return
	}
	view := importView{Token: up.Token, Name: up.Name, Mode: string(up.Mode)}
	preview, job := s.uploads.state(up)
	if job == nil && preview == nil {
		rep, err := importer.Run(c.Request.Context(), s.store, up.Path, importer.Options{Mode: up.Mode, DryRun: true, Region: s.cfg.DefaultRegion})
		var fe *importer.FileError
		if errors.As(err, &fe) {
			s.uploads.remove(up.Token)
			view.FileError = fe.Message
			s.render(c, http.StatusUnprocessableEntity, pageContactImportShow, "contacts", s.withJob(view, nil))
			return
		}
		if err != nil {
			s.pageStoreError(c, err)
			return
		}
		s.uploads.setPreview(up, rep)
		preview = rep
	}
	view.Preview = preview
	s.render(c, http.StatusOK, pageContactImportShow, "contacts", s.withJob(view, job))
}

// withJob adds the commit's state to the view.
func (s *Server) withJob(v importView, j *importJob) importView {
	v.Job = j
	if j != nil && j.finished() {
		v.Result = j.Report
		if j.Err != nil {
			v.JobError = importFailureText(j.Err)
		}
	}
	return v
}

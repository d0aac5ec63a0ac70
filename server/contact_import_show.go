package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/models"
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
	Groups      []models.Group // for "add every contact to these groups"
	// One page of the preview's row lists, previewPerPage rows of each.
	Page, Pages int
	Invalid     []importer.Problem
	Duplicates  []importer.Duplicate
	Existing    []importer.Existing
}

// previewPerPage rows of each list show on one page of a preview.
const previewPerPage = 100

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
	var err error
	if job == nil && preview == nil {
		var rep *importer.Report
		rep, err = importer.Run(c.Request.Context(), s.store, up.Path, importer.Options{Mode: up.Mode, DryRun: true, Region: s.cfg.DefaultRegion, MaxBytes: s.importLimit(), TmpDir: s.uploads.dir})
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
	if job == nil {
		if view.Groups, err = s.store.ListGroups(c.Request.Context()); err != nil {
			s.pageStoreError(c, err)
			return
		}
	}
	view.Page = intQuery(c, "page", 1)
	view.Pages = max(1, previewPages(len(preview.Invalid)), previewPages(len(preview.Duplicates)), previewPages(len(preview.Existing)))
	if view.Page > view.Pages {
		s.renderError(c, http.StatusNotFound, "No such page", "This preview has "+strconv.Itoa(view.Pages)+" pages.")
		return
	}
	view.Invalid = pageOf(preview.Invalid, view.Page)
	view.Duplicates = pageOf(preview.Duplicates, view.Page)
	view.Existing = pageOf(preview.Existing, view.Page)
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

func previewPages(n int) int { return (n + previewPerPage - 1) / previewPerPage }

// pageOf returns page p (1-based) of list, previewPerPage items long.
func pageOf[T any](list []T, p int) []T {
	from := (p - 1) * previewPerPage
	if from >= len(list) {
		return nil
	}
	return list[from:min(len(list), from+previewPerPage)]
}

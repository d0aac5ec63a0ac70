package server

import (
	"fmt"
	"net/http"
	"os"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/models"
)

// apiContactImport answers POST /api/v1/contacts/import (multipart: file,
// mode=update|skip, dry_run=true|false, add_to_groups=a,b) with the import's report: 200, or
// 400 for a malformed request, 413 for a file over SAMBAD_IMPORT_MAX_MB,
// 422 for a file that cannot be imported.
func (s *Server) apiContactImport(c *gin.Context) {
	up, fields, err := s.receive(c)
	if err != nil {
		status, msg := importFailure(c, err)
		apiError(c, status, msg)
		return
	}
	defer os.Remove(up.Path)
	mode, err := models.ParseImportMode(formOrQuery(c, fields, "mode"))
	if err != nil {
		apiStoreError(c, err)
		return
	}
	dry := false
	if v := formOrQuery(c, fields, "dry_run"); v != "" {
		if dry, err = strconv.ParseBool(v); err != nil {
			apiError(c, http.StatusBadRequest, "dry_run must be true or false")
			return
		}
	}
	groups, err := addToGroups(nil, formOrQuery(c, fields, "add_to_groups"))
	if err != nil {
		apiError(c, http.StatusUnprocessableEntity, err.Error())
		return
	}
	rep, err := importer.Run(c.Request.Context(), s.store, up.Path, importer.Options{Mode: mode, DryRun: dry, Region: s.cfg.DefaultRegion, AddToGroups: groups, MaxBytes: s.importLimit(), TmpDir: s.uploads.dir})
	s.noteImport(up.Name, dry, rep, err)
	if err != nil {
		status, msg := importFailure(c, err)
		apiError(c, status, msg)
		return
	}
	s.audit(c, "contacts.import", fmt.Sprintf("%d rows: %d added, %d updated, %d skipped (API%s)", rep.Rows, rep.Imported, rep.Updated, rep.Skipped, map[bool]string{true: ", dry run"}[rep.DryRun]))
	c.JSON(http.StatusOK, rep)
}

// formOrQuery reads a multipart field, or the query parameter of that name.
func formOrQuery(c *gin.Context, fields map[string]string, name string) string {
	if v, ok := fields[name]; ok {
		return v
	}
	return c.Query(name)
}

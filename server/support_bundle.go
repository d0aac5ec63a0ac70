package server

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/support"
)

// supportBundle sends a zip for troubleshooting: settings without secrets,
// versions, doctor output and the end of error.log, masked.
func (s *Server) supportBundle(c *gin.Context) {
	ctx := c.Request.Context()
	versions := support.Versions()
	versions["database"] = s.store.Dialect()
	if v, err := s.store.SchemaVersion(ctx); err == nil {
		versions["schema"] = strconv.FormatInt(v, 10)
	}
	var doctor []byte
	if s.ops.diagnose != nil {
		dctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		out, err := s.ops.diagnose(dctx)
		cancel()
		doctor = out
		if out == nil && err != nil {
			doctor = []byte(`{"error":"doctor did not finish; see error.log"}`)
			logrus.WithFields(logrus.Fields{"error": err}).Error("server: doctor failed for the support bundle")
		}
	}
	var buf bytes.Buffer
	now := time.Now()
	b := support.Bundle{Config: s.cfg.Redacted(), Versions: versions, Doctor: doctor, LogPath: s.cfg.LogPath()}
	if err := support.Write(&buf, b, now); err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to build the support bundle")
		s.renderError(c, http.StatusInternalServerError, "Support bundle failed", "The bundle could not be built; the details are in error.log.")
		return
	}
	name := "sambad-support-" + now.UTC().Format("20060102-150405") + ".zip"
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/zip", buf.Bytes())
}

package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiMediaUpload answers POST /api/v1/media (multipart, field "file", may
// repeat). 201 when at least one file is new; 200 when every file was
// already in the library (each item then says "duplicate": true and is the
// stored file's record). A refused file stops the upload: the answer names
// it and lists the files stored before it.
func (s *Server) apiMediaUpload(c *gin.Context) {
	saved, err := s.receiveMedia(c)
	if err != nil {
		status, msg := mediaFailure(c, err)
		c.AbortWithStatusJSON(status, gin.H{"error": msg, "items": saved})
		return
	}
	status := http.StatusOK
	for _, m := range saved {
		if !m.Duplicate {
			status = http.StatusCreated
		}
	}
	c.JSON(status, gin.H{"items": saved})
}

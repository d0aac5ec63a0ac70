package server

import "github.com/gin-gonic/gin"

// contactExportCSV answers GET /contacts/export.csv?q=&group_id=.
func (s *Server) contactExportCSV(c *gin.Context) { s.exportContacts(c, "csv") }

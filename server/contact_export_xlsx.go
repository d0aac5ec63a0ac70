package server

import "github.com/gin-gonic/gin"

// contactExportXLSX answers GET /contacts/export.xlsx?q=&group_id=.
func (s *Server) contactExportXLSX(c *gin.Context) { s.exportContacts(c, "xlsx") }

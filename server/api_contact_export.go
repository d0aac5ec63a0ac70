package server

import "github.com/gin-gonic/gin"

// apiContactExport answers GET /api/v1/contacts/export.csv?q=&group_id=.
func (s *Server) apiContactExport(c *gin.Context) { s.exportContacts(c, "csv") }

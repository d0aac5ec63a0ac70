package server

import "github.com/gin-gonic/gin"

// consoleRoutes adds the console: error.log, filtered, live and downloadable.
func (s *Server) consoleRoutes(r *gin.Engine) {
	r.GET("/console", s.consoleShow)
	r.GET("/console/events", s.consoleEvents)
	r.GET("/console/error.log", s.consoleDownload)
}

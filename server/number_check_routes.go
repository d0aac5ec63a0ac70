package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// numberCheckRoutes registers the number checker's pages and API.
func (s *Server) numberCheckRoutes(r *gin.Engine, api *gin.RouterGroup) {
	r.POST("/contacts/check-numbers", s.requireNumberChecker(), s.numberCheckStart)
	pg := r.Group("/numbers/checks", s.requireNumberChecker())
	pg.GET("/:id", s.numberCheckShow)
	pg.GET("/:id/progress", s.numberCheckProgress)
	pg.POST("/:id/cancel", s.numberCheckCancel)

	ag := api.Group("/numbers/check", s.requireNumberChecker())
	ag.POST("", s.apiNumberCheckCreate)
	ag.GET("/:id", s.apiNumberCheckGet)
	ag.POST("/:id/cancel", s.apiNumberCheckCancel)
}

// requireNumberChecker answers 503 when Sambad runs without the checker.
func (s *Server) requireNumberChecker() gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.numbers != nil {
			c.Next()
			return
		}
		if isAPI(c) {
			apiError(c, http.StatusServiceUnavailable, "the number checker is not running")
			return
		}
		s.renderError(c, http.StatusServiceUnavailable, "Number checks are unavailable", "The number checker is not running; see error.log.")
		c.Abort()
	}
}

package server

import (
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/static"
)

func (s *Server) routes() {
	r := s.router
	r.Use(recoverLogged(), securityHeaders())
	staticFS, _ := fs.Sub(static.FS, ".")
	r.StaticFS("/static", http.FS(staticFS))
	r.GET("/healthz", s.healthz)
	r.GET("/", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/contacts") })

	r.GET("/contacts", s.contactList)
	r.GET("/contacts/new", s.contactNew)
	r.POST("/contacts", s.contactCreate)
	r.GET("/contacts/:id/edit", s.contactEdit)
	r.POST("/contacts/:id", s.contactUpdate)
	r.POST("/contacts/:id/delete", s.contactDelete)
	r.POST("/contacts/bulk", s.contactBulk)

	r.GET("/groups", s.groupList)
	r.POST("/groups", s.groupCreate)
	r.GET("/groups/:id", s.groupShow)
	r.POST("/groups/:id/rename", s.groupRename)
	r.POST("/groups/:id/delete", s.groupDelete)
	r.POST("/groups/:id/members/remove", s.groupMembersRemove)

	api := r.Group("/api/v1", s.requireAPIToken())
	api.GET("/contacts", s.apiContactList)
	api.POST("/contacts", s.apiContactCreate)
	api.GET("/contacts/:id", s.apiContactGet)
	api.PATCH("/contacts/:id", s.apiContactUpdate)
	api.DELETE("/contacts/:id", s.apiContactDelete)
	api.GET("/groups", s.apiGroupList)
	api.POST("/groups", s.apiGroupCreate)
	api.GET("/groups/:id", s.apiGroupGet)
	api.PATCH("/groups/:id", s.apiGroupUpdate)
	api.DELETE("/groups/:id", s.apiGroupDelete)
	api.POST("/groups/:id/members", s.apiGroupMembersAdd)
	api.DELETE("/groups/:id/members", s.apiGroupMembersRemove)
	s.campaignRoutes(r, api)

	r.NoRoute(func(c *gin.Context) {
		if isAPI(c) {
			apiError(c, http.StatusNotFound, "no such endpoint")
			return
		}
		s.renderError(c, http.StatusNotFound, "Page not found", "There is nothing at this address.")
	})
}

package server

import (
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/static"
)

func (s *Server) routes() {
	r := s.router
	r.Use(recoverLogged(), securityHeaders(), s.requireSignIn(), s.capBodies(), s.checkQuery(), s.limitStreams())
	staticFS, _ := fs.Sub(static.FS, ".")
	r.StaticFS("/static", http.FS(staticFS))
	r.GET("/healthz", s.healthz)
	s.opsRoutes(r)
	r.GET("/", s.home)
	r.GET("/home/account/events", s.homeAccountEvents)

	r.GET("/contacts", s.contactList)
	r.GET("/contacts/new", s.contactNew)
	r.POST("/contacts", s.contactCreate)
	r.GET("/contacts/:id/edit", s.contactEdit)
	r.POST("/contacts/:id", s.contactUpdate)
	r.POST("/contacts/:id/delete", s.contactDelete)
	r.POST("/contacts/bulk", s.contactBulk)
	r.POST("/contacts/bulk-edit", s.contactBulkEdit)
	r.POST("/contacts/bulk-edit/undo", s.contactBulkUndo)
	r.GET("/contacts/import", s.contactImportForm)
	r.POST("/contacts/import", s.uploadBody(s.importUploadLimit), s.contactImportUpload)
	r.GET("/contacts/import/sample.csv", s.contactImportSample)
	r.GET("/contacts/import/:token", s.contactImportShow)
	r.GET("/contacts/import/:token/progress", s.contactImportProgress)
	r.POST("/contacts/import/:token/commit", s.contactImportCommit)
	r.GET("/contacts/export.csv", s.contactExportCSV)
	r.GET("/contacts/export.xlsx", s.contactExportXLSX)

	r.GET("/groups", s.groupList)
	r.POST("/groups", s.groupCreate)
	r.GET("/groups/:id", s.groupShow)
	r.POST("/groups/:id/rename", s.groupRename)
	r.POST("/groups/:id/delete", s.groupDelete)
	r.POST("/groups/:id/members/remove", s.groupMembersRemove)

	r.GET("/accounts", s.accountList)
	r.POST("/accounts", s.accountCreate)
	r.POST("/accounts/:id", s.accountUpdate)
	r.POST("/accounts/:id/delete", s.accountDelete)
	r.POST("/accounts/:id/session/:action", s.accountAction)
	r.POST("/accounts/:id/link-code", s.accountLinkCode)
	r.GET("/whatsapp", s.whatsappShow)
	r.GET("/whatsapp/events", s.whatsappEvents)
	r.GET("/events", s.liveEvents)
	r.POST("/notices/no-password/dismiss", s.passwordNoticeDismiss)
	r.POST("/whatsapp/session/:action", s.whatsappAction)
	r.POST("/whatsapp/link-code", s.whatsappLinkCode)
	r.POST("/whatsapp/test-message", s.messageSend)
	r.GET("/sync", s.syncShow)
	r.POST("/sync/now", s.syncNow)
	r.POST("/sync/rejected/:op/dismiss", s.syncDismiss)
	r.POST("/sync/rejected/:op/retry", s.syncRetry)

	api := r.Group("/api/v1", s.requireAPIToken(), s.maskAPI())
	api.GET("/contacts", s.apiContactList)
	api.POST("/contacts", s.apiContactCreate)
	api.GET("/contacts/:id", s.apiContactGet)
	api.PATCH("/contacts/:id", s.apiContactUpdate)
	api.DELETE("/contacts/:id", s.apiContactDelete)
	api.POST("/contacts/import", s.uploadBody(s.importUploadLimit), s.apiContactImport)
	api.GET("/contacts/export.csv", s.apiContactExport)
	api.GET("/groups", s.apiGroupList)
	api.POST("/groups", s.apiGroupCreate)
	api.GET("/groups/:id", s.apiGroupGet)
	api.PATCH("/groups/:id", s.apiGroupUpdate)
	api.DELETE("/groups/:id", s.apiGroupDelete)
	api.POST("/groups/:id/members", s.apiGroupMembersAdd)
	api.DELETE("/groups/:id/members", s.apiGroupMembersRemove)
	api.GET("/accounts", s.apiAccountList)
	api.POST("/accounts", s.apiAccountCreate)
	api.GET("/accounts/:id", s.apiAccountGet)
	api.PATCH("/accounts/:id", s.apiAccountUpdate)
	api.DELETE("/accounts/:id", s.apiAccountDelete)
	api.POST("/accounts/:id/session/:action", s.apiAccountSession)
	api.GET("/session", s.apiSessionGet)
	api.POST("/session/:action", s.apiSessionAction)
	api.POST("/messages", s.apiMessageSend)
	api.GET("/openapi.json", s.apiOpenAPI)
	s.campaignRoutes(r, api)
	s.numberCheckRoutes(r, api)
	r.GET("/reports", s.reportList)
	r.GET("/reports.csv", s.reportExportCSV)
	r.GET("/reports.xlsx", s.reportExportXLSX)
	s.mediaRoutes(r, api)
	s.backupRoutes(r, api)
	s.webhookRoutes(r, api)
	s.consoleRoutes(r)
	s.userRoutes(r, api)
	r.GET("/settings", s.settingsShow)
	r.POST("/settings", s.settingsSave)
	r.POST("/settings/variables", s.settingsVariablesSave)

	r.NoRoute(func(c *gin.Context) {
		if isAPI(c) {
			apiError(c, http.StatusNotFound, "no such endpoint")
			return
		}
		s.renderError(c, http.StatusNotFound, "Page not found", "There is nothing at this address.")
	})
}

package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// ctxUser holds the *models.User a request acts as.
const ctxUser = "user"

// staffRoutes are the routes staff may use: contacts, groups, campaigns,
// reports, media, the read-only WhatsApp state, their own account and
// tokens. Every other route is for admins only, so a route added later is
// closed to staff until it is named here (roles_test.go walks the router
// and fails on a route it does not know).
var staffRoutes = map[string]bool{}

func staff(routes ...string) {
	for _, r := range routes {
		staffRoutes[r] = true
	}
}

func init() {
	staff("GET /", "GET /home/account/events", "GET /events", "POST /notices/no-password/dismiss",
		"GET /healthz", "GET /readyz", "GET /login", "POST /login", "GET /setup", "POST /setup", "POST /logout",
		"GET /static/*filepath", "HEAD /static/*filepath",
		"GET /account", "POST /account/password", "POST /account/tokens", "POST /account/tokens/:id/delete",
		"GET /whatsapp", "GET /whatsapp/events")
	staff("GET /contacts", "GET /contacts/new", "POST /contacts", "GET /contacts/:id/edit", "POST /contacts/:id",
		"POST /contacts/:id/delete", "POST /contacts/bulk", "POST /contacts/bulk-edit", "POST /contacts/bulk-edit/undo",
		"GET /contacts/import", "POST /contacts/import", "GET /contacts/import/sample.csv", "GET /contacts/import/:token",
		"GET /contacts/import/:token/progress", "POST /contacts/import/:token/commit",
		"GET /contacts/export.csv", "GET /contacts/export.xlsx")
	staff("GET /groups", "POST /groups", "GET /groups/:id", "POST /groups/:id/rename", "POST /groups/:id/delete",
		"POST /groups/:id/members/remove")
	staff("GET /campaigns", "GET /campaigns/new", "POST /campaigns/preview", "POST /campaigns", "GET /campaigns/:id",
		"GET /campaigns/:id/edit", "POST /campaigns/:id", "POST /campaigns/:id/delete", "POST /campaigns/:id/start",
		"POST /campaigns/:id/schedule", "POST /campaigns/:id/unschedule", "POST /campaigns/:id/pause",
		"POST /campaigns/:id/resume", "POST /campaigns/:id/stop", "POST /campaigns/:id/retry",
		"POST /campaigns/:id/duplicate", "POST /campaigns/:id/unknown", "GET /campaigns/:id/events",
		"GET /campaigns/:id/report", "GET /campaigns/:id/recipients", "GET /campaigns/:id/report.csv",
		"GET /campaigns/:id/report.xlsx", "GET /reports", "GET /reports.csv", "GET /reports.xlsx")
	staff("GET /media", "POST /media", "POST /media/:id/delete", "GET /media/:id/content", "GET /media/:id/thumbnail")
	staff("GET /api/v1/contacts", "POST /api/v1/contacts", "GET /api/v1/contacts/:id", "PATCH /api/v1/contacts/:id",
		"DELETE /api/v1/contacts/:id", "POST /api/v1/contacts/import", "GET /api/v1/contacts/export.csv",
		"GET /api/v1/groups", "POST /api/v1/groups", "GET /api/v1/groups/:id", "PATCH /api/v1/groups/:id",
		"DELETE /api/v1/groups/:id", "POST /api/v1/groups/:id/members", "DELETE /api/v1/groups/:id/members",
		"GET /api/v1/session", "GET /api/v1/openapi.json",
		"GET /api/v1/campaigns", "POST /api/v1/campaigns", "GET /api/v1/campaigns/:id",
		"POST /api/v1/campaigns/:id/duplicate", "POST /api/v1/campaigns/:id/:action",
		"GET /api/v1/campaigns/:id/recipients", "GET /api/v1/campaigns/:id/report.csv",
		"POST /api/v1/media", "GET /api/v1/media", "GET /api/v1/media/:id", "GET /api/v1/media/:id/content",
		"GET /api/v1/media/:id/thumbnail", "DELETE /api/v1/media/:id",
		"GET /api/v1/tokens", "POST /api/v1/tokens", "DELETE /api/v1/tokens/:id")
	staff("POST /contacts/check-numbers", "GET /numbers/checks/:id", "GET /numbers/checks/:id/progress", "POST /numbers/checks/:id/cancel",
		"GET /campaigns/:id/report.pdf", "GET /api/v1/campaigns/:id/report.pdf", "PATCH /api/v1/campaigns/:id", "GET /accounts", "GET /api/v1/accounts", "GET /api/v1/accounts/:id",
		"POST /api/v1/numbers/check", "GET /api/v1/numbers/check/:id", "POST /api/v1/numbers/check/:id/cancel")
}

// requestUser returns who the request acts as: the user requireSignIn or
// requireAPIToken found, or, when neither let the request through as
// someone (a public page such as /login), nobody: no name, no admin, no
// numbers.
func requestUser(c *gin.Context) *models.User {
	if u, ok := c.Get(ctxUser); ok {
		return u.(*models.User)
	}
	return nobody
}

// nobody is who a request that is not signed in acts as.
var nobody = &models.User{Role: models.RoleStaff}

// localAdmin is who acts on an open local install (no user yet): nobody
// signs in there, and the one person using it is an admin.
var localAdmin = &models.User{Name: "local", Role: models.RoleAdmin, SeeNumbers: true}

// apiTokenAdmin is who SAMBAD_API_TOKEN acts as.
var apiTokenAdmin = &models.User{Name: "SAMBAD_API_TOKEN", Role: models.RoleAdmin, SeeNumbers: true}

// masksNumbers reports whether phone numbers must be masked for this request.
func masksNumbers(c *gin.Context) bool { return !requestUser(c).SeesNumbers() }

// allowedRole answers 403 (JSON for the API, a page otherwise) when a staff
// user asks for an admin route, and reports whether the request may go on.
func (s *Server) allowedRole(c *gin.Context) bool {
	u := requestUser(c)
	if u.IsAdmin() || staffRoutes[c.Request.Method+" "+c.FullPath()] || c.FullPath() == "" {
		return true
	}
	if isAPI(c) {
		apiError(c, http.StatusForbidden, "this needs an admin: your user ("+u.Name+") is staff, who may use contacts, groups and campaigns")
		return false
	}
	s.renderError(c, http.StatusForbidden, "Only an admin can open this",
		"You are signed in as "+u.Name+", a staff user: you can work with contacts, groups and campaigns. Ask an admin if you need this page.")
	c.Abort()
	return false
}

package server

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// auditActions are the actions the audit log records, in the order the
// audit page's filter lists them. A prefix ending in "." selects a family.
var auditActions = []string{
	"auth.", "auth.sign_in", "auth.sign_in_failed", "auth.sign_out", "auth.password_change", "auth.setup",
	"user.", "user.create", "user.update", "user.password_reset", "user.delete",
	"token.", "token.create", "token.revoke",
	"contacts.", "contacts.import", "contacts.export",
	"campaign.", "campaign.start", "campaign.pause", "campaign.resume", "campaign.stop", "campaign.delete",
	"report.export", "whatsapp.", "whatsapp.link", "whatsapp.logout", "whatsapp.action",
	"settings.change", "backup.download", "backup.restore", "webhook.", "webhook.create", "webhook.update", "webhook.delete",
}

// audit writes one line of the audit log: the request's user, the action,
// a detail, and where it came from (IP, user agent). It is the one place
// entries are written. Detail must never hold a secret: name what changed,
// not its value. A failure to write is logged and does not fail the request.
func (s *Server) audit(c *gin.Context, action, detail string) {
	u := requestUser(c)
	s.auditAs(c, u.ID, u.Name, action, detail)
}

// auditAs is audit for a request whose user is not (yet) known: a sign-in.
func (s *Server) auditAs(c *gin.Context, userID, userName, action, detail string) {
	e := &models.AuditEntry{At: time.Now(), UserID: userID, UserName: clip(userName, 100), Action: action,
		Detail: clip(detail, 500), IP: c.ClientIP(), UserAgent: clip(c.Request.UserAgent(), 300)}
	// Written even when the client has gone: the action happened.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 5*time.Second)
	defer cancel()
	if err := s.store.AddAudit(ctx, e); err != nil {
		logrus.WithFields(logrus.Fields{"error": err, "action": action}).Error("server: unable to write the audit log")
	}
}

// clip cuts s to at most n characters: the audit log echoes what clients
// send (user names, user agents) and must stay small.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// campaignName names a campaign for the audit log (its id when it is gone).
func (s *Server) campaignName(c *gin.Context, id string) string {
	if cp, err := s.store.GetCampaign(c.Request.Context(), id); err == nil {
		return "\"" + cp.Name + "\" (" + id + ")"
	}
	return id
}

// sessionAudit is the audit action of a WhatsApp session action.
func sessionAudit(action string) string {
	if action == "logout" {
		return "whatsapp.logout"
	}
	return "whatsapp.action"
}

// auditFailedSignIn records a failed sign-in under the user it named. A
// name that is no user is not written: people type their password into the
// name field by mistake, and the log must not keep it.
func (s *Server) auditFailedSignIn(c *gin.Context, name string) {
	u, err := s.store.UserByName(c.Request.Context(), name)
	switch {
	case name == "":
		s.auditAs(c, "", "", "auth.sign_in_failed", "wrong password for the first admin")
	case err == nil:
		s.auditAs(c, u.ID, u.Name, "auth.sign_in_failed", "wrong password")
	default:
		s.auditAs(c, "", "", "auth.sign_in_failed", "no such user name")
	}
}

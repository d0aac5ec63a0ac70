package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/campaign"
)

// campaignRoutes registers the campaign pages and API.
func (s *Server) campaignRoutes(r *gin.Engine, api *gin.RouterGroup) {
	pg := r.Group("/campaigns", s.requireEngine())
	pg.GET("", s.campaignList)
	pg.GET("/new", s.campaignNew)
	pg.POST("/preview", s.campaignPreview)
	pg.POST("", s.campaignCreate)
	pg.GET("/:id", s.campaignShow)
	pg.GET("/:id/edit", s.campaignEdit)
	pg.POST("/:id", s.campaignUpdate)
	pg.POST("/:id/delete", s.campaignDelete)
	pg.POST("/:id/start", s.campaignStart)
	pg.POST("/:id/schedule", s.campaignSchedule)
	pg.POST("/:id/unschedule", s.campaignUnschedule)
	pg.POST("/:id/pause", s.campaignPause)
	pg.POST("/:id/resume", s.campaignResume)
	pg.POST("/:id/stop", s.campaignStop)
	pg.POST("/:id/retry", s.campaignRetry)
	pg.POST("/:id/duplicate", s.campaignDuplicate)
	pg.POST("/:id/unknown", s.campaignUnknown)
	pg.POST("/:id/release-held", s.campaignReleaseHeld)
	pg.GET("/:id/events", s.campaignEvents)
	pg.GET("/:id/report", s.campaignReport)
	pg.GET("/:id/recipients", s.campaignRecipients)
	pg.GET("/:id/report.csv", s.campaignExportCSV)
	pg.GET("/:id/report.xlsx", s.campaignExportXLSX)
	pg.GET("/:id/report.pdf", s.campaignReportPDF)

	ag := api.Group("/campaigns", s.requireEngine())
	ag.GET("", s.apiCampaignList)
	ag.POST("", s.apiCampaignCreate)
	ag.GET("/:id", s.apiCampaignGet)
	ag.PATCH("/:id", s.apiCampaignUpdate)
	ag.POST("/:id/duplicate", s.apiCampaignDuplicate)
	ag.POST("/:id/release-held", s.apiCampaignReleaseHeld)
	ag.POST("/:id/:action", s.apiCampaignControl)
	ag.GET("/:id/recipients", s.apiCampaignRecipients)
	ag.GET("/:id/report.csv", s.campaignExportCSV)
	ag.GET("/:id/report.pdf", s.campaignReportPDF)
}

// requireEngine answers 503 when Sambad runs without a campaign engine.
func (s *Server) requireEngine() gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.campaigns != nil {
			c.Next()
			return
		}
		if isAPI(c) {
			apiError(c, http.StatusServiceUnavailable, "the campaign engine is not running")
			return
		}
		s.renderError(c, http.StatusServiceUnavailable, "Campaigns are unavailable", "The campaign engine is not running; see error.log.")
		c.Abort()
	}
}

// campaignErrorStatus is the status and message of an error: a person's
// mistake (a *campaign.Error) with its own, anything else as the store's
// errors.
func campaignErrorStatus(c *gin.Context, err error) (int, string) {
	if ue := campaign.UserError(err); ue != nil {
		return ue.Status, ue.Message
	}
	return classify(c, err)
}

// apiCampaignError writes an engine error as JSON; template errors carry
// their line and column.
func apiCampaignError(c *gin.Context, err error) {
	var te *campaign.TemplateError
	if errors.As(err, &te) {
		c.AbortWithStatusJSON(http.StatusUnprocessableEntity, gin.H{"error": te.Error(), "line": te.Line, "column": te.Col})
		return
	}
	status, msg := campaignErrorStatus(c, err)
	apiError(c, status, msg)
}

// userCampaignMessage is the text of an error a person can fix, or "".
func userCampaignMessage(c *gin.Context, err error) string {
	if err == nil {
		return ""
	}
	status, msg := campaignErrorStatus(c, err)
	if status == http.StatusInternalServerError || status == http.StatusNotFound {
		return ""
	}
	return msg
}

// campaignBack redirects to a campaign's page with a flash message.
func campaignBack(c *gin.Context, id, kind, msg string) {
	if msg != "" {
		flash(c, kind, msg)
	}
	redirect(c, "/campaigns/"+id)
}

// pageCampaignError answers a failed control action from a page: a person's
// mistake is flashed on the campaign page, anything else is an error page.
func (s *Server) pageCampaignError(c *gin.Context, id string, err error) {
	if msg := userCampaignMessage(c, err); msg != "" {
		campaignBack(c, id, "error", msg)
		return
	}
	s.pageStoreError(c, err)
}

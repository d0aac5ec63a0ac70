package server

// page names a page template, templates/<name>.html. Handlers can render
// only the pages declared here (render takes a *page, not a string), and
// loadPages fails at start-up when a declared page has no template or lacks
// a fragment declared for it: a mistyped name never reaches a request.
type page struct {
	name      string
	fragments []string
}

// fragment is one named template of a page, rendered alone for htmx and SSE.
type fragment struct {
	page *page
	name string
}

// declaredPages is every page declared below, checked by loadPages.
var declaredPages []*page

func declarePage(name string) *page {
	p := &page{name: name}
	declaredPages = append(declaredPages, p)
	return p
}

func (p *page) fragment(name string) fragment {
	p.fragments = append(p.fragments, name)
	return fragment{page: p, name: name}
}

// The pages.
var (
	pageCampaign           = declarePage("campaign")
	pageCampaignForm       = declarePage("campaign_form")
	pageCampaignRecipients = declarePage("campaign_recipients")
	pageCampaignReport     = declarePage("campaign_report")
	pageCampaigns          = declarePage("campaigns")
	pageCloudUnreachable   = declarePage("cloud_unreachable")
	pageConfirm            = declarePage("confirm")
	pageContactForm        = declarePage("contact_form")
	pageContactImport      = declarePage("contact_import")
	pageContactImportShow  = declarePage("contact_import_show")
	pageContacts           = declarePage("contacts")
	pageError              = declarePage("error")
	pageGroup              = declarePage("group")
	pageGroups             = declarePage("groups")
	pageLogin              = declarePage("login")
	pageSetup              = declarePage("setup")
	pageSupport            = declarePage("support")
	pageSync               = declarePage("sync")
	pageWhatsApp           = declarePage("whatsapp")
	pageBackup             = declarePage("backup")
	pageConsole            = declarePage("console")
	pageHome               = declarePage("home")
	pageMedia              = declarePage("media")
	pageSettings           = declarePage("settings")
	pageWebhook            = declarePage("webhook")
	pageWebhooks           = declarePage("webhooks")
	pageReports            = declarePage("reports")
	pageUsers              = declarePage("users")
	pageAccount            = declarePage("account")
	pageAudit              = declarePage("audit")
	pageNumberCheck        = declarePage("number_check")
	pageAccounts           = declarePage("accounts")
)

// The fragments.
var (
	fragmentCampaignMonitor     = pageCampaign.fragment("monitor")
	fragmentImportProgress      = pageContactImportShow.fragment("import_progress")
	fragmentNumberCheckProgress = pageNumberCheck.fragment("number_check_progress")
	fragmentSessionStatus       = pageWhatsApp.fragment("session_status")
	fragmentConsoleEntry        = pageConsole.fragment("log_entry")
	fragmentHomeAccount         = pageHome.fragment("account_status")
	fragmentFormPreview         = pageCampaignForm.fragment("form_preview")
	fragmentSessionLive         = pageWhatsApp.fragment("session_live")
	fragmentWhatsAppBadge       = pageWhatsApp.fragment("wa_badge")
	fragmentReportPDF           = pageCampaignReport.fragment("report_pdf")
	fragmentAccountLive         = pageAccounts.fragment("account_live")
)

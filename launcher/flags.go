package launcher

import (
	"strings"

	"github.com/go-rod/rod/lib/launcher/flags"
)

// disabledFeatures repeats rod's own value (setting the flag replaces it) and
// adds what calls Google's hosts or costs memory without use for WhatsApp Web.
var disabledFeatures = []string{
	"site-per-process", "TranslateUI", // rod's defaults
	"NetworkTimeServiceQuerying", // clients2.google.com time queries
	// The omnibox popups are preloaded WebUI pages in their own renderer
	// (~70 MiB PSS measured); headless WhatsApp never shows an omnibox.
	"WebUIOmniboxPopup", "WebUIOmniboxAimPopup",
	// Every send navigates: no cached copies of previous documents.
	"BackForwardCache",
	"OptimizationHints", "OptimizationHintsFetching", "OptimizationGuideModelDownloading",
	"MediaRouter", "DialMediaRouteProvider", // local network discovery
	"AutofillServerCommunication", "CertificateTransparencyComponentUpdater",
	"InterestFeedContentSuggestions", "Translate", "PrivacySandboxSettings4", "SegmentationPlatform",
}

// applyFlags sets Sambad's command line on a rod launcher.
func applyFlags(l interface {
	Set(flags.Flag, ...string) *rodLauncher
	Delete(flags.Flag) *rodLauncher
}, opts Options) {
	for _, f := range []string{
		"no-sandbox", "disable-setuid-sandbox", "disable-gpu", "disable-dev-shm-usage",
		"no-first-run", "no-zygote", "disable-extensions", "disable-component-update",
		"disable-domain-reliability", "disable-breakpad", "mute-audio", "no-default-browser-check",
		"password-store=basic", "disable-software-rasterizer", "in-process-gpu",
	} {
		name, val, _ := strings.Cut(f, "=")
		if val == "" {
			l.Set(flags.Flag(name))
		} else {
			l.Set(flags.Flag(name), val)
		}
	}
	l.Set("component-updater", "url-source=http://127.0.0.1:9/")
	// navigator.webdriver=false, as in a browser a person uses.
	l.Set("disable-blink-features", "AutomationControlled")
	l.Set("disable-features", disabledFeatures...)
	// enable-automation shows the "controlled by automated software" marker
	// that WhatsApp can read; stealth hides navigator.webdriver as well.
	l.Delete("enable-automation")
	if opts.SingleProcess {
		l.Set("single-process")
	}
	if opts.TestHostRules != "" {
		l.Set("host-resolver-rules", opts.TestHostRules)
	}
	for k, v := range opts.ExtraFlags {
		if v == "-" {
			l.Delete(flags.Flag(k))
		} else if v == "" {
			l.Set(flags.Flag(k))
		} else {
			l.Set(flags.Flag(k), v)
		}
	}
}

// Package doctor checks an install: which browser would be used and why, a
// real headless launch, the data directory, the database, the selectors
// file, the error log and the WhatsApp address. `sambad doctor` prints it;
// the support bundle includes it.
package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/sambad/sambad/config"
)

// Status of one check.
type Status string

// Check outcomes. A warning does not fail the run.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Check is the outcome of one check.
type Check struct {
	Name   string   `json:"name"`
	Status Status   `json:"status"`
	Detail string   `json:"detail"`
	Tried  []string `json:"tried,omitempty"` // browser: every place looked, and why it was not used
	Fix    string   `json:"fix,omitempty"`
}

// Report is every check and whether all passed.
type Report struct {
	OK     bool      `json:"ok"`
	Time   time.Time `json:"time"`
	Checks []Check   `json:"checks"`
}

// Attempt is one place the browser was looked for.
type Attempt struct{ Source, Path, Reason string }

// Resolution is the browser chosen and every place looked first (the shape
// of launcher.Resolve's answer).
type Resolution struct {
	Path   string
	Source string // "SAMBAD_CHROME_PATH", "bundled", "system", "download"
	Tried  []Attempt
}

// SourceExplicit is the Source of a browser named by SAMBAD_CHROME_PATH.
const SourceExplicit = "SAMBAD_CHROME_PATH"

// Doctor runs the checks. Resolve and Launch are seams: the command line
// wires the launcher package's resolution; tests can replace either.
type Doctor struct {
	Config *config.Config
	// Resolve finds the browser the way Sambad will when it starts.
	Resolve func() (Resolution, error)
	// Launch starts the browser headless, loads a page and returns a
	// description (version, timing). Nil uses LaunchAndLoad.
	Launch func(ctx context.Context, path string) (string, error)
	// SkipLaunch leaves the launch out (the running server's support bundle:
	// a second browser would compete with the one in use).
	SkipLaunch bool
	// HTTP fetches the WhatsApp address; nil uses a client with a 10 s timeout.
	HTTP *http.Client
}

// Run runs every check; it never stops at the first failure.
func (d *Doctor) Run(ctx context.Context) Report {
	r := Report{Time: time.Now().UTC()}
	browser, path := d.checkBrowser()
	r.Checks = append(r.Checks, browser)
	r.Checks = append(r.Checks, d.checkLaunch(ctx, path))
	r.Checks = append(r.Checks, checkDataDir(d.Config))
	r.Checks = append(r.Checks, checkDatabase(ctx, d.Config)...)
	r.Checks = append(r.Checks, checkSelectors(d.Config))
	r.Checks = append(r.Checks, checkErrorLog(d.Config))
	r.Checks = append(r.Checks, d.checkWhatsApp(ctx))
	r.OK = true
	for _, c := range r.Checks {
		if c.Status == Fail {
			r.OK = false
		}
	}
	return r
}

// Failed counts failed checks.
func (r Report) Failed() int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == Fail {
			n++
		}
	}
	return n
}

// WriteJSON writes the report as indented JSON.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for a person.
func (r Report) WriteText(w io.Writer) {
	fmt.Fprintln(w, "Sambad doctor")
	for _, c := range r.Checks {
		fmt.Fprintf(w, "  [%-4s] %-15s %s\n", strings.ToUpper(string(c.Status)), c.Name, c.Detail)
		for _, t := range c.Tried {
			fmt.Fprintf(w, "         %-15s tried %s\n", "", t)
		}
		if c.Fix != "" {
			fmt.Fprintf(w, "         %-15s fix: %s\n", "", c.Fix)
		}
	}
	if n := r.Failed(); n > 0 {
		fmt.Fprintf(w, "%d check(s) failed.\n", n)
		return
	}
	fmt.Fprintln(w, "All checks passed.")
}

func (d *Doctor) checkBrowser() (Check, string) {
	c := Check{Name: "browser"}
	if d.Resolve == nil {
		c.Status, c.Detail = Skip, "no browser resolver in this build"
		return c, ""
	}
	res, err := d.Resolve()
	for _, a := range res.Tried {
		c.Tried = append(c.Tried, fmt.Sprintf("%s %s: %s", a.Source, a.Path, a.Reason))
	}
	if err != nil {
		c.Status, c.Detail = Fail, firstLine(err.Error())
		c.Fix = "install Chromium (Debian: apt-get install chromium), set SAMBAD_CHROME_PATH, or run `sambad bundle-chrome`"
		return c, ""
	}
	if d.Config.ChromePath != "" && res.Source != SourceExplicit {
		// A configured path that does not work is a mistake even when another browser is found.
		c.Status = Fail
		c.Detail = fmt.Sprintf("SAMBAD_CHROME_PATH=%s is not usable (%s); Sambad would fall back to %s (from %s)",
			d.Config.ChromePath, explicitReason(res.Tried), res.Path, res.Source)
		c.Fix = "point SAMBAD_CHROME_PATH at a Chromium/Chrome executable, or unset it"
		return c, res.Path
	}
	c.Status, c.Detail = OK, fmt.Sprintf("%s (from %s)", res.Path, res.Source)
	return c, res.Path
}

func explicitReason(tried []Attempt) string {
	for _, a := range tried {
		if a.Source == SourceExplicit {
			return a.Reason
		}
	}
	return "not used"
}

func (d *Doctor) checkLaunch(ctx context.Context, path string) Check {
	c := Check{Name: "browser launch"}
	switch {
	case d.SkipLaunch:
		c.Status, c.Detail = Skip, "skipped while Sambad is running; run `sambad doctor` for a launch test"
		return c
	case path == "":
		c.Status, c.Detail = Fail, "no browser to launch"
		return c
	}
	launch := d.Launch
	if launch == nil {
		launch = LaunchAndLoad
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	detail, err := launch(ctx, path)
	if err != nil {
		c.Status, c.Detail = Fail, firstLine(err.Error())
		c.Fix = "run the browser by hand with --headless=new --no-sandbox to see its error (missing shared libraries are common in containers)"
		return c
	}
	c.Status, c.Detail = OK, detail
	return c
}

func (d *Doctor) checkWhatsApp(ctx context.Context) Check {
	c := Check{Name: "whatsapp url"}
	client := d.HTTP
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.Config.WhatsAppURL, nil)
	if err != nil {
		c.Status, c.Detail = Fail, err.Error()
		return c
	}
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36")
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		c.Status, c.Detail = Fail, fmt.Sprintf("%s is not reachable: %v", d.Config.WhatsAppURL, err)
		c.Fix = "check the network, proxy and firewall, or SAMBAD_WHATSAPP_URL"
		return c
	}
	resp.Body.Close()
	c.Status, c.Detail = OK, fmt.Sprintf("%s answered %s in %s", d.Config.WhatsAppURL, resp.Status, time.Since(start).Round(time.Millisecond))
	if resp.StatusCode >= 500 {
		c.Status = Warn
	}
	return c
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

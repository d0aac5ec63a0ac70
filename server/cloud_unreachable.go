package server

import (
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/static"
)

// CloudStatus is how opening the cloud database goes, for the page shown
// until it opens. Reason and Host never carry the password.
type CloudStatus struct {
	Host     string    // host:port of DATABASE_URL
	Reason   string    // why the last try failed; empty before the first failure
	NeedsFix bool      // the database answered and refused (password, database name)
	Attempts int       // tries so far
	LastTry  time.Time // end of the last failed try
	NextTry  time.Time // when the next try starts
	Hidden   bool      // Host and Reason are left out: the client is not on loopback
}

// cloudRefreshSeconds is how often the page reloads itself.
const cloudRefreshSeconds = 5

// NewCloudUnreachable returns the handler served in cloud mode until the
// database opens: every page answers 503 saying why, the API answers the same
// in JSON, and /healthz and /readyz report the database as unreachable.
// status is called on every request. The Host check applies as on the app.
func NewCloudUnreachable(cfg *config.Config, status func() CloudStatus) (http.Handler, error) {
	p, err := loadPages(declaredPages)
	if err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	s := &Server{pages: p, router: gin.New()}
	r := s.router
	// Gin trusts every peer's X-Forwarded-For by default: a client behind a
	// local proxy could then pass for loopback and read the details.
	if err := r.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("server: SAMBAD_TRUSTED_PROXIES: %w", err)
	}
	r.Use(recoverLogged(), securityHeaders())
	staticFS, _ := fs.Sub(static.FS, ".")
	r.StaticFS("/static", http.FS(staticFS))
	r.GET("/healthz", func(c *gin.Context) {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "database": "unreachable"})
	})
	r.GET("/readyz", func(c *gin.Context) { cloudUnreachableJSON(c, shownStatus(c, status())) })
	r.NoRoute(func(c *gin.Context) {
		st := shownStatus(c, status())
		c.Header("Retry-After", strconv.Itoa(cloudRefreshSeconds))
		if isAPI(c) {
			cloudUnreachableJSON(c, st)
			return
		}
		s.render(c, http.StatusServiceUnavailable, pageCloudUnreachable, "auth",
			gin.H{"Status": st, "RefreshSeconds": cloudRefreshSeconds})
	})
	return guardHosts(cfg, r), nil
}

// shownStatus is st for a client on this machine; others learn only that
// the database is not open yet, not its host, port or the driver's reason.
func shownStatus(c *gin.Context, st CloudStatus) CloudStatus {
	if loopbackClient(c) {
		return st
	}
	hidden := CloudStatus{Hidden: true, Attempts: st.Attempts, LastTry: st.LastTry, NextTry: st.NextTry}
	if st.Reason != "" {
		hidden.Reason = "the details are shown only on the computer Sambad runs on, and in error.log"
	}
	return hidden
}

// cloudUnreachableJSON answers 503 with the status, for /readyz and the API.
func cloudUnreachableJSON(c *gin.Context, st CloudStatus) {
	body := gin.H{
		"status":   "unavailable",
		"error":    "the cloud database cannot be reached; Sambad keeps trying",
		"database": "unreachable",
		"host":     st.Host,
		"reason":   st.Reason,
		"attempts": st.Attempts,
		"retrying": true,
	}
	if st.Hidden {
		delete(body, "host")
	}
	switch {
	case st.Reason == "":
		body["database"], body["reason"] = "connecting", "connecting to the cloud database"
	case st.NeedsFix:
		body["database"] = "refused"
	}
	if !st.LastTry.IsZero() {
		body["last_try"] = st.LastTry.UTC().Format(time.RFC3339)
	}
	if !st.NextTry.IsZero() {
		body["next_try"] = st.NextTry.UTC().Format(time.RFC3339)
	}
	c.AbortWithStatusJSON(http.StatusServiceUnavailable, body)
}

package browser

import (
	"net/url"
	"strings"
)

// encodeURIComponent escapes text for a query value with %20 for spaces
// (never '+') and %0A for newlines, as click-to-chat links do.
func encodeURIComponent(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

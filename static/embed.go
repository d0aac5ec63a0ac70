// Package static embeds the stylesheet, images and vendored scripts (htmx and
// its SSE extension), so a local install works offline.
package static

import "embed"

// FS holds the static files.
//
//go:embed *.css *.js *.svg vendor
var FS embed.FS

// Package templates embeds Sambad's html/template pages. Each page defines
// "title" and "content" and is rendered inside layout.html.
package templates

import "embed"

// FS holds every template.
//
//go:embed *.html
var FS embed.FS

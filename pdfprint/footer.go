package pdfprint

import "html"

// footer is Chromium's footer template: the text, escaped, and the page
// number in the spans Chromium fills in.
func footer(text string) string {
	return `<div style="font-family: sans-serif; font-size: 8px; color: #666; width: 100%; padding: 0 0.5in; display: flex; justify-content: space-between;">` +
		`<span>` + html.EscapeString(text) + `</span>` +
		`<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`
}

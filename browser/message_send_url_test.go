package browser

import (
	"fmt"
	"strings"
	"testing"
)

// TestSendTextURLModeExactness records how exact the text= URL parameter is
// compared with typing (the default). It fails only if URL mode sends a
// wrong text without reporting an error.
func TestSendTextURLModeExactness(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	m.opts.TextMode = TextURL
	defer func() { m.opts.TextMode = TextInsert }()
	long := strings.Repeat("0123456789 ✓ ", 4096/13+1)
	long = string([]rune(long)[:4096])
	cases := []struct{ name, text string }{
		{"emoji", "Hi 👋🏽 family 👨‍👩‍👧‍👦 ❤️"},
		{"newlines", "one\ntwo\n\nfour"},
		{"symbols", `a+b=c & 100% #1 ?x=1 "q"`},
		{"4096", long},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			phone := fmt.Sprintf("9198210%05d", i)
			_, err := m.SendText(ctx, "+"+phone, c.text)
			got := ledgerFor(phone)
			if err != nil {
				t.Logf("URL mode reported %v", err)
				return
			}
			if len(got) != 1 || got[0].Text != c.text {
				t.Fatalf("URL mode sent %+v, want %q", got, c.text)
			}
		})
	}
}

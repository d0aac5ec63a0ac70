package campaign

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sambad/sambad/models"
)

func TestTemplateRender(t *testing.T) {
	c := &models.Contact{ID: "c1", Name: "Asha", Phone: "+919876543210", V1: "Pune", Attributes: models.Attributes{"city": "Mumbai"}}
	for _, tc := range []struct{ src, want string }{
		{"Hi {{name}}", "Hi Asha"},
		{"{{ Name }} at {{phone}}", "Asha at +919876543210"},
		{"{{v1}}/{{v2|friend}}/{{v1|x}}", "Pune/friend/Pune"},
		{"from {{city}}", "from Mumbai"},
		{"{{zone|n/a}}", "n/a"},
		{`\{literal\} a|b \\`, `{literal} a|b \`},
		{"{only}", "only"},
		{"{{v2|}}!", "!"},
	} {
		tpl, err := ParseTemplate(tc.src)
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		if got := tpl.Render(c, 1); got != tc.want {
			t.Errorf("%q rendered %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestTemplateSpintaxStable(t *testing.T) {
	tpl, err := ParseTemplate("{Hi|Hello|Hey} {{name}}, {great|good} {day|{morning|evening}}")
	if err != nil {
		t.Fatal(err)
	}
	c := &models.Contact{Name: "Asha"}
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		id := models.NewID()
		a := tpl.Render(c, Seed("camp", id))
		if b := tpl.Render(c, Seed("camp", id)); a != b {
			t.Fatalf("same seed rendered %q then %q", a, b)
		}
		seen[strings.Fields(a)[0]] = true
	}
	// 200 recipients all getting one greeting would mean the choice is not random.
	if len(seen) != 3 {
		t.Fatalf("greetings used: %v", seen)
	}
}

func TestTemplateErrors(t *testing.T) {
	for _, tc := range []struct {
		src       string
		line, col int
		msg       string
	}{
		{"Hi {{name", 1, 4, "never closed"},
		{"Hi {Hello|Hey", 1, 4, "never closed"},
		{"ok\nthen } here", 2, 6, "closes nothing"},
		{"{{}}", 1, 1, "names no variable"},
		{"{{first name}}", 1, 1, "not a variable name"},
		{"a {} b", 1, 3, "empty"},
		{"Hé {{x\n}}", 1, 4, "not closed before"},
	} {
		_, err := ParseTemplate(tc.src)
		var te *TemplateError
		if !errors.As(err, &te) {
			t.Fatalf("%q: want a TemplateError, got %v", tc.src, err)
		}
		if te.Line != tc.line || te.Col != tc.col || !strings.Contains(te.Msg, tc.msg) {
			t.Errorf("%q: got line %d col %d %q; want %d:%d %q", tc.src, te.Line, te.Col, te.Msg, tc.line, tc.col, tc.msg)
		}
	}
}

func TestTemplateUnknownVariable(t *testing.T) {
	tpl, err := ParseTemplate("Hi {{name}}\nfrom {{cty}}")
	if err != nil {
		t.Fatal(err)
	}
	err = tpl.Check([]string{"city"})
	var te *TemplateError
	if !errors.As(err, &te) || te.Line != 2 || te.Col != 6 || !strings.Contains(te.Msg, "{{cty}}") || !strings.Contains(te.Msg, "city") {
		t.Fatalf("unknown variable: %v", err)
	}
	if err := tpl.Check([]string{"cty"}); err != nil {
		t.Fatalf("known attribute refused: %v", err)
	}
}

func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{"Hi {{name}}", "{a|b|{c|d}}", "{{v1|x}}", `\{\}`, "}", "{", "{{", "{{a}", "{|}", "é{{name}}é"} {
		f.Add(s)
	}
	c := &models.Contact{Name: "N", Phone: "+1", V1: "x", Attributes: models.Attributes{"a": "b"}}
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := ParseTemplate(src)
		if err != nil {
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if te.Offset < 0 || te.Offset > len(src) || te.Line < 1 || te.Col < 1 {
				t.Fatalf("bad position %+v for %q", te, src)
			}
			return
		}
		_ = tpl.Check(nil)
		a := tpl.Render(c, 42)
		if b := tpl.Render(c, 42); a != b {
			t.Fatalf("render not stable: %q vs %q", a, b)
		}
		// Text without any special character renders as itself.
		if !strings.ContainsAny(src, `{}\`) && a != src {
			t.Fatalf("plain %q rendered as %q", src, a)
		}
		if utf8.ValidString(src) && !utf8.ValidString(a) {
			t.Fatalf("valid %q rendered invalid %q", src, a)
		}
	})
}

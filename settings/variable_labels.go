package settings

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sambad/sambad/models"
)

// MaxVarLabelLen bounds the name a person gives a variable.
const MaxVarLabelLen = 40

// VarLabelKey is the settings key of the name of vN: "var_label_vN".
func VarLabelKey(n int) string { return fmt.Sprintf("var_label_v%d", n) }

// VarLabels are the names a person gave v1..v10 (index 0 is v1); "" is a
// variable without a name. Pages show them; exports and templates keep
// v1..v10, so a file exported and imported again lands in the same fields
// whatever the names are.
type VarLabels [models.VariableCount]string

// Of returns the name of vN, or "vN" when it has none.
func (l VarLabels) Of(n int) string {
	if n >= 1 && n <= models.VariableCount && l[n-1] != "" {
		return l[n-1]
	}
	return fmt.Sprintf("v%d", n)
}

// LoadVarLabels reads the variables' names.
func LoadVarLabels(ctx context.Context, store *models.Store) (VarLabels, error) {
	var l VarLabels
	stored, err := store.Settings(ctx)
	if err != nil {
		return l, err
	}
	for i := range l {
		l[i] = stored[VarLabelKey(i+1)]
	}
	return l, nil
}

// NormalizeVarLabel checks the name typed for vN and returns it as stored
// ("" removes the name).
func NormalizeVarLabel(n int, value string) (string, error) {
	value = strings.Join(strings.Fields(value), " ")
	bad := func(msg string) (string, error) {
		return "", &FieldError{Key: VarLabelKey(n), Label: fmt.Sprintf("Name of v%d", n), Message: msg}
	}
	switch {
	case value == "":
		return "", nil
	case utf8.RuneCountInString(value) > MaxVarLabelLen:
		return bad(fmt.Sprintf("is longer than %d characters", MaxVarLabelLen))
	case strings.ContainsAny(value, "{}|"):
		return bad("may not hold { } or |, which mean something in message templates")
	case models.VariableIndex(value) != 0 && models.VariableIndex(value) != n:
		return bad(fmt.Sprintf("%q is the name of another variable", value))
	}
	return value, nil
}

// CheckVarLabels normalises the ten names and refuses two variables with
// the same name (ignoring case), which a table header could not tell apart.
// It returns the values to store and the problems by key.
func CheckVarLabels(typed VarLabels) (map[string]string, map[string]string) {
	values, errs := map[string]string{}, map[string]string{}
	seen := map[string]int{}
	for i, raw := range typed {
		n := i + 1
		v, err := NormalizeVarLabel(n, raw)
		var fe *FieldError
		if errors.As(err, &fe) {
			errs[VarLabelKey(n)] = fe.Message
			continue
		}
		if first, ok := seen[strings.ToLower(v)]; ok && v != "" {
			errs[VarLabelKey(n)] = fmt.Sprintf("v%d is already named %q", first, values[VarLabelKey(first)])
			continue
		}
		seen[strings.ToLower(v)] = n
		values[VarLabelKey(n)] = v
	}
	return values, errs
}

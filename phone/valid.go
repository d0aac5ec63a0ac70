package phone

import (
	"errors"
	"regexp"
	"slices"

	"github.com/nyaruka/phonenumbers"
)

// codeValidator is phonenumbers.IsValidNumber for the numbers of one calling
// code that have no Italian leading zero, step for step, but with the
// library's patterns compiled once: the library concatenates each pattern
// into a new string and looks it up in a locked cache on every call, which
// costs more than the matching. valid_test.go checks on random numbers that
// both always agree.
type codeValidator struct {
	callingCode int32
	regions     []regionRules // in the library's order
}

// regionRules are one region's validity rules.
type regionRules struct {
	id      string
	leading *regexp.Regexp // the region's leading digits; nil when it has none
	// usable is false when the library would not validate against this
	// region (no metadata, or metadata for another calling code).
	usable  bool
	general descRule
	// types are the descriptions of which the number must match one to be
	// valid: premium rate … voicemail, fixed line, and mobile unless it
	// shares the fixed-line pattern, as getNumberTypeHelper tries them. Only
	// whether one matches counts, so they are kept shortest pattern first:
	// a mobile number then skips the long fixed-line pattern of regions
	// such as IN.
	types []descRule
}

// descRule is one PhoneNumberDesc: the possible lengths and the pattern.
type descRule struct {
	lengths []int32
	pattern *regexp.Regexp
}

// matches is the library's isNumberMatchingDesc.
func (d *descRule) matches(nsn string) bool {
	if len(d.lengths) > 0 && !slices.Contains(d.lengths, int32(len(nsn))) {
		return false
	}
	return d.pattern.MatchString(nsn)
}

// errUnsupported says the metadata has a shape the library itself would not
// handle (a missing description); such calling codes keep the library path.
var errUnsupported = errors.New("phone: metadata not supported by the precompiled validator")

// newCodeValidator compiles the rules of the regions of callingCode from
// the library's embedded metadata, the data IsValidNumber reads.
func newCodeValidator(callingCode int) (*codeValidator, error) {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil, err
	}
	byRegion := map[string]*phonenumbers.PhoneMetadata{}
	var nonGeo *phonenumbers.PhoneMetadata
	for _, m := range coll.GetMetadata() {
		if m.GetId() == "001" {
			if int(m.GetCountryCode()) == callingCode {
				nonGeo = m
			}
			continue
		}
		byRegion[m.GetId()] = m
	}
	v := &codeValidator{callingCode: int32(callingCode)}
	for _, id := range phonenumbers.GetRegionCodesForCountryCode(callingCode) {
		m := byRegion[id]
		if id == "001" {
			m = nonGeo
		}
		r := regionRules{id: id}
		if m == nil {
			v.regions = append(v.regions, r)
			continue
		}
		r.usable = id == "001" || int(m.GetCountryCode()) == callingCode
		if ld := m.GetLeadingDigits(); ld != "" {
			if r.leading, err = regexp.Compile("^(?:" + ld + ")"); err != nil {
				return nil, err
			}
		}
		descs := []*phonenumbers.PhoneNumberDesc{m.GetPremiumRate(), m.GetTollFree(), m.GetSharedCost(), m.GetVoip(),
			m.GetPersonalNumber(), m.GetPager(), m.GetUan(), m.GetVoicemail(), m.GetFixedLine()}
		if r.general, err = compileDesc(m.GetGeneralDesc()); err != nil {
			return nil, err
		}
		for _, d := range descs {
			rule, err := compileDesc(d)
			if err != nil {
				return nil, err
			}
			r.types = append(r.types, rule)
		}
		if !m.GetSameMobileAndFixedLinePattern() {
			rule, err := compileDesc(m.GetMobile())
			if err != nil {
				return nil, err
			}
			r.types = append(r.types, rule)
		}
		slices.SortStableFunc(r.types, func(a, b descRule) int {
			return len(a.pattern.String()) - len(b.pattern.String())
		})
		v.regions = append(v.regions, r)
	}
	// A region without metadata makes the library panic when it is asked
	// about it in a list of several; leave such calling codes to it.
	if len(v.regions) > 1 {
		for _, r := range v.regions {
			if r.general.pattern == nil {
				return nil, errUnsupported
			}
		}
	}
	return v, nil
}

func compileDesc(d *phonenumbers.PhoneNumberDesc) (descRule, error) {
	if d == nil {
		return descRule{}, errUnsupported
	}
	re, err := regexp.Compile("^(?:" + d.GetNationalNumberPattern() + ")$")
	return descRule{lengths: d.GetPossibleLength(), pattern: re}, err
}

// valid is phonenumbers.IsValidNumber for the number +callingCode nsn,
// where nsn is the national significant number as the library formats it
// (digits, no leading zero).
func (v *codeValidator) valid(nsn string) bool {
	switch len(v.regions) {
	case 0:
		return false
	case 1:
		return v.regions[0].validFor(nsn)
	}
	// GetRegionCodeForNumber: the first region whose leading digits match,
	// or, for a region without them, whose rules accept the number.
	for i := range v.regions {
		r := &v.regions[i]
		if r.leading != nil {
			if r.leading.MatchString(nsn) {
				return r.validFor(nsn)
			}
		} else if r.numberType(nsn) {
			return r.validFor(nsn)
		}
	}
	return false
}

// validFor is IsValidNumberForRegion.
func (r *regionRules) validFor(nsn string) bool {
	return r.usable && r.numberType(nsn)
}

// numberType is getNumberTypeHelper(nsn) != UNKNOWN.
func (r *regionRules) numberType(nsn string) bool {
	if !r.general.matches(nsn) {
		return false
	}
	for i := range r.types {
		if r.types[i].matches(nsn) {
			return true
		}
	}
	return false
}

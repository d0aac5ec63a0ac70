package phone

import "github.com/nyaruka/phonenumbers"

// Readable writes an E.164 number the way people read it, grouped as in its
// country: "+919811122333" becomes "+91 98111 22333". Anything it cannot
// parse comes back as it was.
func Readable(e164 string) string {
	n, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

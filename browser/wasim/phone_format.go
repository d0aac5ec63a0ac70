package wasim

import "github.com/nyaruka/phonenumbers"

// displayPhone formats digits the way WhatsApp Web titles an unsaved
// contact ("+91 98765 43210"), falling back to "+<digits>".
func displayPhone(digits string) string {
	n, err := phonenumbers.Parse("+"+digits, "")
	if err != nil {
		return "+" + digits
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

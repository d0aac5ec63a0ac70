package wasim

import (
	"fmt"
	"time"
)

// DefaultAccount is the phone number of the account a device links to when
// the test names none (Scan, ScanRef, a link code typed without a number).
const DefaultAccount = "919990000001"

// account is one WhatsApp account on the simulated server: a phone number,
// its chats (shared by every device linked to it, as on the real service)
// and its phone's connectivity.
type account struct {
	phone    string
	chats    map[string][]*message // by the other party's number
	offline  bool
	offSince time.Time
	// devices counts the devices ever linked: each gets the next number,
	// as the ":7" in the real "919876543210:7@c.us".
	devices int
}

// device is one linked browser session (the token kept in the profile).
type device struct {
	token     string
	account   *account
	number    int // device number within the account
	linkedAt  time.Time
	loggedOut bool
	// activeTab is the page instance that owns the session; any other tab
	// that polls gets the conflict modal.
	activeTab string
}

// wid is the device's own id as the page keeps it in localStorage
// ("last-wid-md"): the account's number, the device number, "@c.us".
func (d *device) wid() string {
	return fmt.Sprintf("%s:%d@c.us", d.account.phone, d.number)
}

// elsewhere is the activeTab of a device taken over by "another window".
const elsewhere = "another-window"

func (s *Server) validDevice(token string) *device {
	d := s.devices[token]
	if d == nil || d.loggedOut {
		return nil
	}
	return d
}

// accountLocked returns the account of phone, creating it on first use.
func (s *Server) accountLocked(phone string) *account {
	if phone == "" {
		phone = DefaultAccount
	}
	a := s.accounts[phone]
	if a == nil {
		a = &account{phone: phone, chats: map[string][]*message{}}
		s.accounts[phone] = a
	}
	return a
}

// devicesOf returns the devices of account phone ("" means every device).
func (s *Server) devicesOf(phone string) []*device {
	var out []*device
	for _, d := range s.devices {
		if phone == "" || d.account.phone == phone {
			out = append(out, d)
		}
	}
	return out
}

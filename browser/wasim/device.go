package wasim

import "time"

// device is one linked browser session (the token kept in the profile).
type device struct {
	token     string
	linkedAt  time.Time
	loggedOut bool
	// activeTab is the page instance that owns the session; any other tab
	// that polls gets the conflict modal.
	activeTab string
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

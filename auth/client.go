package auth

import (
	"net"
)

// ClientKey is what the rate limits count a client by: its IPv4 address,
// or the /64 of its IPv6 address (one home or server gets a whole /64, so
// counting single IPv6 addresses would let one attacker rotate through
// billions of them).
func ClientKey(ip string) string {
	parsed := net.ParseIP(ip)
	if parsed == nil {
		return ip
	}
	if v4 := parsed.To4(); v4 != nil {
		return v4.String()
	}
	return (&net.IPNet{IP: parsed.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}

package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"

	"github.com/sambad/sambad/models"
)

// errPrivate is returned by the dialer when a name resolves to an address
// that webhooks may not reach.
var errPrivate = errors.New("the address is on a private, loopback or link-local network; set SAMBAD_WEBHOOK_ALLOW_PRIVATE=true to allow it")

// privateAddr reports whether ip is loopback, link-local, private (RFC 1918,
// unique local, carrier-grade NAT) or unspecified.
func privateAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() ||
		netip.MustParsePrefix("100.64.0.0/10").Contains(ip) || netip.MustParsePrefix("0.0.0.0/8").Contains(ip)
}

// CheckURL says whether raw may be registered: http or https, a host, and
// (unless allowPrivate) no name or address on a private network. The
// dialer checks again at every delivery, so a name that later resolves to
// a private address (DNS rebinding) is refused then.
func CheckURL(ctx context.Context, raw string, allowPrivate bool) error {
	bad := func(msg string) error { return &models.ValidationError{Field: "url", Message: msg} }
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return bad(fmt.Sprintf("%q is not a URL; write it in full, such as https://example.com/hooks/sambad", raw))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return bad(fmt.Sprintf("only http and https URLs can receive webhooks, not %q", u.Scheme))
	}
	if u.User != nil {
		return bad("put no user name or password in the URL; check the X-Sambad-Signature header instead")
	}
	if allowPrivate {
		return nil
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if privateAddr(ip) {
			return bad(fmt.Sprintf("%s is a private, loopback or link-local address; set SAMBAD_WEBHOOK_ALLOW_PRIVATE=true to allow it", host))
		}
		return nil
	}
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return bad("localhost is a loopback address; set SAMBAD_WEBHOOK_ALLOW_PRIVATE=true to allow it")
	}
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return bad(fmt.Sprintf("the name %s cannot be resolved: check the spelling", host))
	}
	for _, ip := range ips {
		if privateAddr(ip) {
			return bad(fmt.Sprintf("%s resolves to %s, a private, loopback or link-local address; set SAMBAD_WEBHOOK_ALLOW_PRIVATE=true to allow it", host, ip))
		}
	}
	return nil
}

// dialControl refuses connections to private addresses: it runs after name
// resolution, on the address actually dialled.
func dialControl(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook: unexpected address %q: %w", address, err)
	}
	if privateAddr(ap.Addr()) {
		return errPrivate
	}
	return nil
}

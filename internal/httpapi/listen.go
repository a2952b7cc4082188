package httpapi

import (
	"net"
	"net/netip"
)

// IsLoopback reports whether addr (host:port) names a loopback address: an
// IP literal in 127.0.0.0/8 or ::1, or "localhost". An empty host means
// every interface and is not loopback.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

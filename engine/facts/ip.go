package facts

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
)

// IP classes of URL_FACT.ip_class.
const (
	classPublic      = "public"
	classLoopback    = "loopback"
	classPrivate     = "private"
	classLinkLocal   = "link_local"
	classCGNAT       = "cgnat"
	classMulticast   = "multicast"
	classUnspecified = "unspecified"
	classBroadcast   = "broadcast"
	classReserved    = "reserved"
	classMetadata    = "metadata"
)

var errBadIPv4 = errors.New("host ends in a number but is not a valid IPv4 address")

// hostIP parses host (lower-case, no brackets, no trailing dot) as an IP
// literal in any form an HTTP client may accept. isIP is false for a name.
// When a dotted part has leading zeros, inet_aton reads it as octal but
// other parsers (Python's ipaddress before 3.9.5, CVE-2021-29921) read it as
// decimal; alt is the decimal reading when it differs, so the caller can
// classify by the more dangerous one.
func hostIP(host string) (addr, alt netip.Addr, isIP bool, err error) {
	if strings.IndexByte(host, ':') >= 0 {
		a, perr := netip.ParseAddr(host)
		if perr != nil {
			return netip.Addr{}, netip.Addr{}, false, errors.New("host is not a valid IPv6 address")
		}
		return a.Unmap(), netip.Addr{}, true, nil
	}
	if !endsInNumber(host) {
		return netip.Addr{}, netip.Addr{}, false, nil
	}
	addr, ok := parseIPv4(host, false)
	if !ok {
		return netip.Addr{}, netip.Addr{}, false, errBadIPv4
	}
	if dec, ok := parseIPv4(host, true); ok && dec != addr {
		alt = dec
	}
	return addr, alt, true, nil
}

// endsInNumber is the WHATWG URL test: a host whose last label is a number
// must parse as IPv4 or be refused, it is never looked up as a name.
func endsInNumber(host string) bool {
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	if strings.HasPrefix(last, "0x") {
		for i := 2; i < len(last); i++ {
			if !isHex(last[i]) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(last); i++ {
		if last[i] < '0' || last[i] > '9' {
			return false
		}
	}
	return true
}

// parseIPv4 parses the inet_aton forms: 1 to 4 parts, each decimal, octal
// (leading 0) or hex (0x); the last part fills the remaining bytes, so
// "127.1" is 127.0.0.1 and "2130706433" is too. decimal reads leading-zero
// parts as decimal instead of octal.
func parseIPv4(host string, decimal bool) (netip.Addr, bool) {
	var parts [4]uint64
	n := 0
	for p := range strings.SplitSeq(host, ".") {
		if n == len(parts) {
			return netip.Addr{}, false
		}
		v, ok := parseIPv4Part(p, decimal)
		if !ok {
			return netip.Addr{}, false
		}
		parts[n] = v
		n++
	}
	var val uint64
	for i := 0; i < n-1; i++ {
		if parts[i] > 0xff {
			return netip.Addr{}, false
		}
		val |= parts[i] << (8 * (3 - i))
	}
	lastMax := uint64(1)<<(8*(5-n)) - 1
	if parts[n-1] > lastMax {
		return netip.Addr{}, false
	}
	val |= parts[n-1]
	return netip.AddrFrom4([4]byte{byte(val >> 24), byte(val >> 16), byte(val >> 8), byte(val)}), true
}

func parseIPv4Part(p string, decimal bool) (uint64, bool) {
	if p == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(p) >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
		p, base = p[2:], 16
		if p == "" {
			return 0, true // "0x" is 0 to WHATWG and glibc alike
		}
	case len(p) >= 2 && p[0] == '0' && !decimal:
		p, base = p[1:], 8
	}
	if len(p) > 12 {
		return 0, false // longer than any 32-bit value in any base; avoids overflow
	}
	v, err := strconv.ParseUint(p, base, 64)
	return v, err == nil
}

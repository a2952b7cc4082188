package facts

import "net/netip"

// metadataAddrs are cloud instance-metadata endpoints: AWS/GCP/Azure/
// OpenStack (169.254.169.254), AWS ECS task (169.254.170.2) and EKS pod
// identity (169.254.170.23), AWS IPv6 (fd00:ec2::254, fd00:ec2::23), Alibaba
// (100.100.100.200), Oracle (192.0.0.192), Tencent (169.254.0.23).
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"),
	netip.MustParseAddr("169.254.170.2"),
	netip.MustParseAddr("169.254.170.23"),
	netip.MustParseAddr("169.254.0.23"),
	netip.MustParseAddr("100.100.100.200"),
	netip.MustParseAddr("192.0.0.192"),
	netip.MustParseAddr("fd00:ec2::254"),
	netip.MustParseAddr("fd00:ec2::23"),
}

type classRange struct {
	prefix netip.Prefix
	class  string
}

func cidr(prefix, class string) classRange {
	return classRange{netip.MustParsePrefix(prefix), class}
}

// v4Ranges are checked in order: the first match wins (broadcast before 240/4).
var v4Ranges = []classRange{
	cidr("0.0.0.0/8", classUnspecified), // Linux connects 0.0.0.0 to the local host
	cidr("10.0.0.0/8", classPrivate),
	cidr("100.64.0.0/10", classCGNAT),
	cidr("127.0.0.0/8", classLoopback),
	cidr("169.254.0.0/16", classLinkLocal),
	cidr("172.16.0.0/12", classPrivate),
	cidr("192.0.0.0/24", classReserved), // IETF protocol assignments
	cidr("192.0.2.0/24", classReserved), // TEST-NET-1
	cidr("192.88.99.0/24", classReserved),
	cidr("192.168.0.0/16", classPrivate),
	cidr("198.18.0.0/15", classReserved),   // benchmarking
	cidr("198.51.100.0/24", classReserved), // TEST-NET-2
	cidr("203.0.113.0/24", classReserved),  // TEST-NET-3
	cidr("224.0.0.0/4", classMulticast),
	cidr("255.255.255.255/32", classBroadcast),
	cidr("240.0.0.0/4", classReserved),
}

var v6Ranges = []classRange{
	cidr("::1/128", classLoopback),
	cidr("::/128", classUnspecified),
	cidr("64:ff9b:1::/48", classPrivate), // local-use NAT64
	cidr("100::/64", classReserved),      // discard-only
	cidr("2001::/23", classReserved),     // IETF assignments: Teredo, benchmarking, ORCHID
	cidr("2001:db8::/32", classReserved), // documentation
	cidr("3fff::/20", classReserved),     // documentation (RFC 9637)
	cidr("fc00::/7", classPrivate),       // unique local
	cidr("fe80::/10", classLinkLocal),
	cidr("fec0::/10", classPrivate), // deprecated site-local
	cidr("ff00::/8", classMulticast),
}

var (
	nat64Prefix   = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour     = netip.MustParsePrefix("2002::/16")
	globalUnicast = netip.MustParsePrefix("2000::/3")
)

// classify returns the ip_class of a. IPv6 addresses that embed an IPv4
// address a gateway will connect to (NAT64 64:ff9b::/96, 6to4 2002::/16)
// take the class of the embedded address. IPv6 outside 2000::/3 that no
// range names is reserved: fail closed on address space with no public use.
func classify(a netip.Addr) string {
	a = a.WithZone("").Unmap()
	for _, m := range metadataAddrs {
		if a == m {
			return classMetadata
		}
	}
	if a.Is4() {
		return firstClass(a, v4Ranges, classPublic)
	}
	b := a.As16()
	switch {
	case nat64Prefix.Contains(a):
		return classify(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
	case sixToFour.Contains(a):
		return classify(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
	}
	fallback := classReserved
	if globalUnicast.Contains(a) {
		fallback = classPublic
	}
	return firstClass(a, v6Ranges, fallback)
}

func firstClass(a netip.Addr, ranges []classRange, fallback string) string {
	for _, cr := range ranges {
		if cr.prefix.Contains(a) {
			return cr.class
		}
	}
	return fallback
}

// classRank orders classes by danger, to pick between two readings of an
// ambiguous literal.
func classRank(c string) int {
	switch c {
	case classMetadata:
		return 9
	case classLoopback:
		return 8
	case classUnspecified:
		return 7
	case classPrivate:
		return 6
	case classLinkLocal:
		return 5
	case classCGNAT:
		return 4
	case classBroadcast:
		return 3
	case classMulticast:
		return 2
	case classReserved:
		return 1
	}
	return 0
}

package facts

import (
	"net/netip"
	"testing"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"8.8.8.8":            classPublic,
		"1.1.1.1":            classPublic,
		"127.0.0.1":          classLoopback,
		"127.255.0.9":        classLoopback,
		"10.1.2.3":           classPrivate,
		"172.16.0.1":         classPrivate,
		"172.31.255.255":     classPrivate,
		"172.32.0.1":         classPublic,
		"192.168.1.1":        classPrivate,
		"169.254.1.1":        classLinkLocal,
		"169.254.169.254":    classMetadata,
		"169.254.170.2":      classMetadata,
		"169.254.170.23":     classMetadata,
		"169.254.0.23":       classMetadata,
		"100.100.100.200":    classMetadata,
		"192.0.0.192":        classMetadata,
		"100.64.0.1":         classCGNAT,
		"100.127.255.255":    classCGNAT,
		"100.128.0.1":        classPublic,
		"224.0.0.1":          classMulticast,
		"239.255.255.250":    classMulticast,
		"255.255.255.255":    classBroadcast,
		"240.0.0.1":          classReserved,
		"0.0.0.0":            classUnspecified,
		"0.1.2.3":            classUnspecified,
		"192.0.0.8":          classReserved,
		"192.0.2.1":          classReserved,
		"198.51.100.7":       classReserved,
		"203.0.113.9":        classReserved,
		"198.18.0.1":         classReserved,
		"198.19.255.255":     classReserved,
		"192.88.99.1":        classReserved,
		"::1":                classLoopback,
		"::":                 classUnspecified,
		"fe80::1":            classLinkLocal,
		"fc00::1":            classPrivate,
		"fd12:3456::1":       classPrivate,
		"fec0::1":            classPrivate,
		"fd00:ec2::254":      classMetadata,
		"fd00:ec2::23":       classMetadata,
		"ff02::1":            classMulticast,
		"2001:db8::1":        classReserved,
		"3fff::1":            classReserved,
		"2001::1":            classReserved, // Teredo
		"2001:2::1":          classReserved, // benchmarking
		"100::1":             classReserved,
		"::7f00:1":           classReserved, // IPv4-compatible, deprecated
		"4000::1":            classReserved, // outside 2000::/3
		"2606:4700::1111":    classPublic,
		"64:ff9b::a9fe:a9fe": classMetadata,
		"64:ff9b::a00:1":     classPrivate,
		"64:ff9b::808:808":   classPublic,
		"64:ff9b:1::1":       classPrivate,
		"2002:7f00:1::":      classLoopback,
		"2002:808:808::":     classPublic,
		"::ffff:10.0.0.1":    classPrivate,
		"fe80::1%eth0":       classLinkLocal,
	}
	for addr, want := range cases {
		t.Run(addr, func(t *testing.T) {
			t.Parallel()
			if got := classify(netip.MustParseAddr(addr)); got != want {
				t.Errorf("classify(%s) = %q, want %q", addr, got, want)
			}
		})
	}
}

func TestHostIP(t *testing.T) {
	t.Parallel()
	cases := []struct {
		host, ip, alt string
		isIP, wantErr bool
	}{
		{host: "example.com"},
		{host: "1e3.example"},
		{host: "127.0.0.1.nip.io"},
		{host: "a.0x", wantErr: true}, // ends in a number ("0x" is zero) but "a" is no part
		{host: "127.0.0.1", ip: "127.0.0.1", isIP: true},
		{host: "2130706433", ip: "127.0.0.1", isIP: true},
		{host: "0x7f000001", ip: "127.0.0.1", isIP: true},
		{host: "017700000001", ip: "127.0.0.1", isIP: true}, // decimal reading overflows: no alt
		{host: "0177.1", ip: "127.0.0.1", alt: "177.0.0.1", isIP: true},
		{host: "0x7f.0.1", ip: "127.0.0.1", isIP: true},
		{host: "1.0x10000", ip: "1.1.0.0", isIP: true},
		{host: "192.168.1", ip: "192.168.0.1", isIP: true},
		{host: "0300.0250.0.1", ip: "192.168.0.1", isIP: true},
		{host: "0.0.0.0", ip: "0.0.0.0", isIP: true},
		{host: "::1", ip: "::1", isIP: true},
		{host: "::ffff:1.2.3.4", ip: "1.2.3.4", isIP: true},
		{host: "1.2.3.256", wantErr: true},
		{host: "1.2.65536", wantErr: true},
		{host: "1.16777216", wantErr: true},
		{host: "08.0.0.1", wantErr: true},
		{host: "0xg.1", wantErr: true},
		{host: "1..1", wantErr: true},
		{host: "99999999999999999999", wantErr: true},
		{host: "::zz", wantErr: true},
	}
	for _, c := range cases {
		t.Run(c.host, func(t *testing.T) {
			t.Parallel()
			addr, alt, isIP, err := hostIP(c.host)
			if (err != nil) != c.wantErr {
				t.Fatalf("hostIP(%q) err = %v, want error %v", c.host, err, c.wantErr)
			}
			if c.wantErr {
				return
			}
			if isIP != c.isIP {
				t.Fatalf("hostIP(%q) isIP = %v", c.host, isIP)
			}
			if isIP && addr.String() != c.ip {
				t.Errorf("hostIP(%q) = %s, want %s", c.host, addr, c.ip)
			}
			if got := ""; alt.IsValid() {
				got = alt.String()
				if got != c.alt {
					t.Errorf("hostIP(%q) alt = %s, want %q", c.host, got, c.alt)
				}
			} else if c.alt != "" {
				t.Errorf("hostIP(%q) has no alt, want %s", c.host, c.alt)
			}
		})
	}
}

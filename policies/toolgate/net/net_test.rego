package toolgate.net_test

import data.toolgate.fixtures as fx
import data.toolgate.net

field := "arguments.url"

v(code, severity, message) := fx.violation(code, severity, field, message)

fetch(fact) := vs if {
	vs := net.violations with input as fx.fetch_call(fact)
}

test_a_public_https_url_is_fine if {
	fetch(fx.url("https", "docs.example.com")) == set()
	fetch(fx.ip_url("93.184.216.34", "public")) == set()
}

test_a_url_without_a_usable_fact_is_invalid if {
	invalid := {v("url_invalid", "high", "the URL could not be parsed")}
	net.violations == invalid with input as fx.call("http.fetch", {"url": "x"}, {})
	fetch({"ok": false, "error": "missing protocol scheme"}) == invalid
	fetch(json.remove(fx.url("https", "a.example"), ["userinfo"])) == invalid
}

test_an_http_url_without_host_is_invalid if {
	fetch(fx.url("http", "")) == {v("url_invalid", "high", "the URL has no host")}
}

test_schemes_other_than_http_and_https_are_blocked if {
	fetch(fx.url("file", "")) == {v("blocked_scheme", "high", "the URL scheme \"file\" is not allowed")}
	fetch(fx.url("gopher", "example.com")) == {v("blocked_scheme", "high", "the URL scheme \"gopher\" is not allowed")}
}

test_userinfo_is_denied if {
	fetch(object.union(fx.url("https", "evil.example"), {"userinfo": true})) == {v("url_userinfo", "high", "the URL carries user information")}
}

test_private_and_local_ip_classes_in_any_literal_form if {
	# the engine canonicalises 0x7f000001, 2130706433, 0177.0.0.1, 127.1 and ::ffff:127.0.0.1
	fetch(fx.ip_url("127.0.0.1", "loopback")) == {v("private_address", "critical", "the URL points to a loopback address")}
	fetch(fx.ip_url("10.1.2.3", "private")) == {v("private_address", "critical", "the URL points to a private address")}
	fetch(fx.ip_url("169.254.1.1", "link_local")) == {v("private_address", "critical", "the URL points to a link_local address")}
	fetch(fx.ip_url("100.64.0.1", "cgnat")) == {v("private_address", "critical", "the URL points to a cgnat address")}
	fetch(fx.ip_url("224.0.0.1", "multicast")) == {v("private_address", "critical", "the URL points to a multicast address")}
	fetch(fx.ip_url("0.0.0.0", "unspecified")) == {v("private_address", "critical", "the URL points to a unspecified address")}
}

test_an_ip_class_the_policy_does_not_know_is_denied if {
	fetch(fx.ip_url("198.18.0.1", "benchmarking")) == {v("private_address", "critical", "the URL points to a benchmarking address")}
}

test_denied_ip_classes_come_from_settings if {
	fetch(fx.ip_url("10.1.2.3", "private")) == set() with data.toolgate.settings.network.denied_ip_classes as ["loopback"]
}

test_localhost_names if {
	fetch(fx.url("http", "localhost")) == {v("localhost", "critical", "the URL points to the local name localhost")}
	fetch(fx.url("http", "api.localhost")) == {v("localhost", "critical", "the URL points to the local name api.localhost")}
	fetch(fx.url("http", "ip6-loopback")) == {v("localhost", "critical", "the URL points to the local name ip6-loopback")}
	fetch(fx.url("http", "printer.local")) == {v("localhost", "critical", "the URL points to the local name printer.local")}

	# names that spell an address stay names (is_ip false): public DNS maps them home
	fetch(fx.url("http", "127.0.0.1.nip.io")) == {v("localhost", "critical", "the URL points to the local name 127.0.0.1.nip.io")}
	fetch(fx.url("http", "lvh.me")) == {v("localhost", "critical", "the URL points to the local name lvh.me")}
}

test_cluster_and_service_discovery_suffixes_are_local if {
	fetch(fx.url("https", "kubernetes.default.svc")) == {v("localhost", "critical", "the URL points to the local name kubernetes.default.svc")}
	fetch(fx.url("http", "kubernetes.default.svc.cluster.local")) == {v("localhost", "critical", "the URL points to the local name kubernetes.default.svc.cluster.local")}
	fetch(fx.url("http", "consul.service.consul")) == {v("localhost", "critical", "the URL points to the local name consul.service.consul")}
	fetch(fx.url("https", "svc.example.com")) == set()
}

single(host) := v("localhost", "critical", sprintf("the URL points to the single-label name %s, resolved through the local search domains", [host]))

test_a_single_label_name_is_local if {
	# the engine gives "intranet." as intranet, ｒｅｄｉｓ and %72edis as redis
	fetch(fx.url("http", "redis")) == {single("redis")}
	fetch(fx.url("http", "intranet")) == {single("intranet")}
	fetch(fx.url("http", "xn--bcher-kva")) == {single("xn--bcher-kva")}

	# a metadata name is both; a listed local name is reported once, as a local name
	fetch(fx.url("http", "metadata")) == {single("metadata"), v("cloud_metadata", "critical", "the URL points to a cloud metadata endpoint")}
	fetch(fx.url("http", "ip6-loopback")) == {v("localhost", "critical", "the URL points to the local name ip6-loopback")}
}

test_an_ip_literal_without_dots_is_judged_as_an_ip if {
	fetch(object.union(fx.ip_url("127.0.0.1", "loopback"), {"host": "2130706433"})) == {v("private_address", "critical", "the URL points to a loopback address")}
	fetch(object.union(fx.ip_url("2606:4700::1111", "public"), {"host": "2606:4700::1111"})) == set()
}

test_the_single_label_rule_is_a_setting if {
	fetch(fx.url("http", "redis")) == set() with data.toolgate.settings.network.single_label_is_local as false

	# anything but false keeps it on (fail closed)
	fetch(fx.url("http", "redis")) == {single("redis")} with data.toolgate.settings.network.single_label_is_local as "no"
	fetch(fx.url("http", "redis")) == {single("redis")} with data.toolgate.settings.network as {"mode": "denylist"}
}

test_allowlist_mode_does_not_lift_local_names if {
	settings := object.union(data.toolgate.settings.network, {"mode": "allowlist", "allow_hosts": ["redis", "svc.internal"]})
	fetch(fx.url("http", "redis")) == {single("redis")} with data.toolgate.settings.network as settings
	fetch(fx.url("http", "svc.internal")) == {v("localhost", "critical", "the URL points to the local name svc.internal")} with data.toolgate.settings.network as settings
	fetch(fx.url("http", "intranet")) == {single("intranet"), v("host_not_allowed", "high", "the host intranet is not on the allowlist")} with data.toolgate.settings.network as settings

	# with the rule off, an allowlisted single-label name is reachable, others are not
	off := object.union(settings, {"single_label_is_local": false})
	fetch(fx.url("http", "redis")) == set() with data.toolgate.settings.network as off
	fetch(fx.url("http", "intranet")) == {v("host_not_allowed", "high", "the host intranet is not on the allowlist")} with data.toolgate.settings.network as off
}

test_localhost_is_local_whatever_the_settings_say if {
	fetch(fx.url("http", "localhost")) == {v("localhost", "critical", "the URL points to the local name localhost")} with data.toolgate.settings.network as {"mode": "denylist"}
}

test_cloud_metadata_by_class_name_or_ip if {
	metadata := v("cloud_metadata", "critical", "the URL points to a cloud metadata endpoint")
	fetch(fx.ip_url("169.254.169.254", "metadata")) == {metadata}
	fetch(fx.url("http", "metadata.google.internal")) == {metadata, v("localhost", "critical", "the URL points to the local name metadata.google.internal")}
	fetch(fx.ip_url("100.100.100.200", "cgnat")) == {metadata, v("private_address", "critical", "the URL points to a cgnat address")}

	# ECS task metadata written as a hex literal: the engine gives the canonical IP
	fetch(object.union(fx.ip_url("169.254.170.2", "link_local"), {"host": "0xa9fea902"})) == {metadata, v("private_address", "critical", "the URL points to a link_local address")}
}

test_allowlist_mode_allows_hosts_and_their_subdomains if {
	settings := object.union(data.toolgate.settings.network, {"mode": "allowlist", "allow_hosts": ["example.com"]})
	fetch(fx.url("https", "example.com")) == set() with data.toolgate.settings.network as settings
	fetch(fx.url("https", "api.example.com")) == set() with data.toolgate.settings.network as settings
	fetch(fx.url("https", "badexample.com")) == {v("host_not_allowed", "high", "the host badexample.com is not on the allowlist")} with data.toolgate.settings.network as settings
}

test_an_unknown_mode_is_allowlist_mode if {
	fetch(fx.url("https", "example.com")) == {v("host_not_allowed", "high", "the host example.com is not on the allowlist")} with data.toolgate.settings.network.mode as "denylst"
}

test_missing_network_settings_fail_closed if {
	fetch(fx.url("https", "example.com")) == {v("host_not_allowed", "high", "the host example.com is not on the allowlist")} with data.toolgate.settings.network as 7
}

# The quick test (violations) and the findings agree on every kind of URL fact.
test_the_quick_test_agrees_with_the_findings if {
	every fact in [
		fx.url("https", "docs.example.com"), fx.url("https", "LOCALHOST"), fx.url("http", "localhost"),
		fx.url("http", "a.localhost"), fx.url("http", "svc.internal"), fx.url("http", "redis"),
		fx.url("https", "kubernetes.default.svc"), fx.url("http", "metadata"), fx.url("http", "metadata.google.internal"),
		fx.url("ftp", "example.com"), fx.url("https", ""), object.union(fx.url("https", "a.example"), {"userinfo": true}),
		fx.ip_url("93.184.216.34", "public"), fx.ip_url("127.0.0.1", "loopback"), fx.ip_url("169.254.169.254", "metadata"),
		object.union(fx.url("https", "a.example"), {"ip": "169.254.169.254"}), {"ok": false},
	] {
		net.violations == net.findings with input as fx.fetch_call(fact)
		net.violations == net.findings with input as fx.fetch_call(fact)
			with data.toolgate.settings.network.mode as "allowlist"
		net.violations == net.findings with input as fx.fetch_call(fact)
			with data.toolgate.settings.network.single_label_is_local as false
	}
}

test_headers_that_override_the_destination if {
	call := fx.call("http.fetch", {"url": "https://example.com/", "headers": {"Host": "169.254.169.254", "X-Forwarded-Host": "127.0.0.1", "Accept": "*/*"}}, {})
	net.header_violations == {
		fx.violation("header_override", "high", "arguments.headers.Host", "the Host header would send the request elsewhere than its URL"),
		fx.violation("header_override", "high", "arguments.headers.X-Forwarded-Host", "the X-Forwarded-Host header would send the request elsewhere than its URL"),
	} with input as call
	net.header_violations == set() with input as fx.call("http.fetch", {"url": "https://example.com/", "headers": {"Accept": "*/*"}}, {})
	net.header_violations == set() with input as fx.call("http.fetch", {"url": "https://example.com/", "headers": ["Host"]}, {})

	# other spellings of the name
	net.header_violations == {
		fx.violation("header_override", "high", "arguments.headers.hOST", "the hOST header would send the request elsewhere than its URL"),
		fx.violation("header_override", "high", "arguments.headers.Forwarded", "the Forwarded header would send the request elsewhere than its URL"),
	} with input as fx.call("http.fetch", {"url": "https://example.com/", "headers": {"hOST": "localhost", "Forwarded": "host=127.0.0.1"}}, {})
}

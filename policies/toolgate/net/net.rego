# METADATA
# title: Network destinations (SSRF)
# description: |
#   URL arguments (input.facts.urls) must use an allowed scheme, carry no userinfo,
#   and name neither a local, private or metadata address (in any literal form: the
#   facts give the canonical IP and its class, and a single-label name the resolver
#   completes with its search domains) nor, in allowlist mode, a host that is not on
#   the list.
package toolgate.net

import data.toolgate.lib

fields := lib.fields("url")

# violations of the URL facts: empty, without evaluating each finding, when every
# URL is a usable http(s)-style URL with a host name (not an IP literal), no user
# information, and a host that is neither local (by name, suffix or single label) nor
# a metadata endpoint, in denylist mode. Otherwise every finding that applies.
violations := set() if {
	not allowlist_mode
	every field in fields {
		f := input.facts.urls[field]
		valid(f)
		f.scheme in schemes
		f.host != ""
		f.userinfo == false
		f.is_ip == false
		f.ip == ""
		f.ip_class != "metadata"
		not local_name(f.host, cfg)
		not single_label(f, cfg)
		not f.host in object.get(cfg, "metadata_hosts", [])
	}
} else := findings

# facts maps each URL field to its fact, for facts that have the documented shape.
facts := {field: f |
	some field in fields
	f := input.facts.urls[field]
	valid(f)
}

valid(f) if {
	f.ok == true
	is_string(f.scheme)
	is_string(f.host)
	is_boolean(f.userinfo)
	is_boolean(f.is_ip)
	is_string(f.ip)
	is_string(f.ip_class)
}

default cfg := {}

cfg := data.toolgate.settings.network if is_object(data.toolgate.settings.network)

schemes := object.get(cfg, "allowed_schemes", ["http", "https"])

denied_classes := object.get(cfg, "denied_ip_classes", [
	"loopback", "private", "link_local", "cgnat", "multicast",
	"unspecified", "broadcast", "reserved",
])

# Any mode other than "denylist" (a typo included) means allowlist: fail closed.
default allowlist_mode := true

allowlist_mode := false if object.get(cfg, "mode", "allowlist") == "denylist"

# METADATA
# title: URL not usable
# description: A URL argument has no usable fact.
# custom:
#   code: url_invalid
#   severity: high
findings contains v if {
	some field in fields
	not facts[field]
	v := {"code": "url_invalid", "severity": "high", "field": field, "message": "the URL could not be parsed"}
}

# METADATA
# title: URL without a host
# description: An http(s) URL with an empty host.
# custom:
#   code: url_invalid
#   severity: high
findings contains v if {
	some field, f in facts
	f.scheme in schemes
	f.host == ""
	v := {"code": "url_invalid", "severity": "high", "field": field, "message": "the URL has no host"}
}

# METADATA
# title: Scheme not allowed
# description: Any scheme other than settings.network.allowed_schemes (http, https).
# custom:
#   code: blocked_scheme
#   severity: high
findings contains v if {
	some field, f in facts
	not f.scheme in schemes
	v := {"code": "blocked_scheme", "severity": "high", "field": field, "message": sprintf("the URL scheme %q is not allowed", [f.scheme])}
}

# METADATA
# title: Userinfo in the URL
# description: user[:pass]@ in the authority (the good.example@evil.example trick).
# custom:
#   code: url_userinfo
#   severity: high
findings contains v if {
	some field, f in facts
	f.userinfo
	v := {"code": "url_userinfo", "severity": "high", "field": field, "message": "the URL carries user information"}
}

# METADATA
# title: Private or local IP address
# description: |
#   The host is an IP literal (any form) of a class in settings.network.denied_ip_classes,
#   or of a class the policy does not know.
# custom:
#   code: private_address
#   severity: critical
findings contains v if {
	some field, f in facts
	f.is_ip
	denied_ip(f.ip_class, denied_classes)
	v := {"code": "private_address", "severity": "critical", "field": field, "message": sprintf("the URL points to a %s address", [f.ip_class])}
}

# METADATA
# title: Local host name
# description: localhost, *.localhost, and the names and suffixes of settings.network local_names/local_suffixes.
# custom:
#   code: localhost
#   severity: critical
findings contains v if {
	some field, f in facts
	local_name(f.host, cfg)
	v := {"code": "localhost", "severity": "critical", "field": field, "message": sprintf("the URL points to the local name %s", [f.host])}
}

# METADATA
# title: Single-label host name
# description: |
#   A host name without a dot (redis, intranet., its full-width or percent-encoded
#   spellings: the facts give the canonical name), which the resolver completes with
#   its search domains to an internal service (redis.default.svc.cluster.local).
#   Off when settings.network.single_label_is_local is false.
# custom:
#   code: localhost
#   severity: critical
findings contains v if {
	some field, f in facts
	single_label(f, cfg)
	not local_name(f.host, cfg)
	v := {"code": "localhost", "severity": "critical", "field": field, "message": sprintf("the URL points to the single-label name %s, resolved through the local search domains", [f.host])}
}

# METADATA
# title: Cloud metadata endpoint
# description: ip_class metadata, or the host or IP in settings.network.metadata_hosts.
# custom:
#   code: cloud_metadata
#   severity: critical
findings contains v if {
	some field, f in facts
	metadata(f, object.get(cfg, "metadata_hosts", []))
	v := {"code": "cloud_metadata", "severity": "critical", "field": field, "message": "the URL points to a cloud metadata endpoint"}
}

# METADATA
# title: Host not on the allowlist
# description: In allowlist mode, the host is neither on settings.network.allow_hosts nor a subdomain of an entry.
# custom:
#   code: host_not_allowed
#   severity: high
findings contains v if {
	allowlist_mode
	some field, f in facts
	not allowed_host(f.host, object.get(cfg, "allow_hosts", []))
	v := {"code": "host_not_allowed", "severity": "high", "field": field, "message": sprintf("the host %s is not on the allowlist", [f.host])}
}

denied_ip(class, denied) if class in denied

# ip_class values the engine may report; an IP of any other class is denied.
denied_ip(class, _) if not class in {
	"public", "loopback", "private", "link_local", "cgnat", "multicast",
	"unspecified", "broadcast", "reserved", "metadata",
}

# localhost and *.localhost are always local (RFC 6761), whatever the settings say.
local_name("localhost", _)

local_name(host, _) if endswith(host, ".localhost")

local_name(host, c) if host in object.get(c, "local_names", [])

local_name(host, c) if strings.any_suffix_match(host, object.get(c, "local_suffixes", []))

# single_label is true for a host name (not an IP literal) without a dot, unless
# settings.network.single_label_is_local is false (any other value counts as true).
single_label(f, c) if {
	object.get(c, "single_label_is_local", true) != false
	f.is_ip == false
	f.host != ""
	not contains(f.host, ".")
}

metadata(f, _) if f.ip_class == "metadata"

metadata(f, hosts) if f.host in hosts

metadata(f, hosts) if {
	f.ip != ""
	f.ip in hosts
}

allowed_host(host, hosts) if host in hosts

allowed_host(host, hosts) if {
	some h in hosts
	endswith(host, concat("", [".", h]))
}

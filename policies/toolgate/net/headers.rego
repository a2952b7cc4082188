# Request headers that pick the destination: a Host or X-Forwarded-Host header sends
# the request to another virtual host than the URL names, where the URL checks never
# looked (Host: 169.254.169.254 on a proxy, Host: localhost:8080 on a shared front end).
package toolgate.net

# METADATA
# title: Header that overrides the destination
# description: A Host, X-Forwarded-Host, Forwarded or similar header in an HTTP tool's headers argument.
# custom:
#   code: header_override
#   severity: high
header_violations contains v if {
	headers := object.get(input.tool.arguments, "headers", {})
	is_object(headers)
	some name, _ in headers
	lower(name) in routing_headers
	v := {"code": "header_override", "severity": "high", "field": concat(".", ["arguments.headers", name]), "message": sprintf("the %s header would send the request elsewhere than its URL", [name])}
}

# routing_headers name the host or path a server or proxy routes by (lower case).
routing_headers := {
	"host", "x-forwarded-host", "x-forwarded-server", "forwarded", "x-host", "x-original-host",
	"x-original-url", "x-rewrite-url", ":authority",
}

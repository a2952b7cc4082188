# Shared fixtures for the policy tests: input documents and facts as the engine
# builds them. Loaded by opa test only (the engine leaves *_test.rego out).
package toolgate.fixtures

workspace := "/srv/work"

principal := {"id": "alice", "roles": ["developer"], "tenant": "acme"}

# call is the input document of a call to tool with arguments and facts, by alice
# (developer) in session s-42, with an empty secrets scan.
call(tool, arguments, facts) := {
	"tool": {"name": tool, "server": "", "arguments": arguments},
	"principal": principal,
	"session": {"id": "s-42"},
	"request": {},
	"environment": {"workspace": workspace},
	"facts": object.union({"secrets": []}, facts),
}

# by returns call_input made by a principal with roles.
by(call_input, roles) := object.union(call_input, {"principal": {"id": "alice", "roles": roles, "tenant": "acme"}})

# path returns the fact of a clean path argument: raw as given, clean as resolved.
path(raw, clean) := {
	"ok": true, "raw": raw, "decoded": raw, "clean": clean, "real": clean,
	"inside_workspace": inside(clean), "dotdot": false, "encoded": false, "nul": false,
	"base": base(clean),
}

inside(clean) if {
	startswith(concat("", [clean, "/"]), concat("", [workspace, "/"]))
} else := false

base(p) := parts[count(parts) - 1] if parts := split(p, "/")

# read_call reads one path with fs.read_file; write_call writes it with fs.write_file.
read_call(fact) := call("fs.read_file", {"path": fact.raw}, {"paths": {"arguments.path": fact}})

write_call(fact) := call("fs.write_file", {"path": fact.raw, "content": "x"}, {"paths": {"arguments.path": fact}})

# cmd is one simple command of a shell fact.
cmd(name, args) := {"name": name, "argv0": name, "args": args, "dynamic": false}

# shell is a parsed shell fact.
shell(commands, pipelines, redirects, features) := {
	"ok": true, "commands": commands, "pipelines": pipelines,
	"redirects": redirects, "features": features,
}

# shell_call runs a command with shell.exec; the fact is what the engine parsed.
shell_call(fact) := call("shell.exec", {"command": "(see facts)"}, {"shell": {"arguments.command": fact}})

# url is the fact of a URL naming host (not an IP).
url(scheme, host) := {
	"ok": true, "scheme": scheme, "host": host, "port": "", "userinfo": false,
	"is_ip": false, "ip": "", "ip_class": "",
}

# ip_url is the fact of a URL whose host is an IP literal of class.
ip_url(ip, class) := object.union(url("http", ip), {"is_ip": true, "ip": ip, "ip_class": class})

fetch_call(fact) := call("http.fetch", {"url": "(see facts)"}, {"urls": {"arguments.url": fact}})

sql_call(fact) := call("sql.query", {"query": "(see facts)"}, {"sql": {"arguments.query": fact}})

# statement is one statement of a SQL fact.
statement(kind, has_where) := {"kind": kind, "has_where": has_where}

sql(statements) := {"ok": true, "statements": statements, "count": count(statements), "comments": false}

email_call(addresses) := call(
	"email.send",
	{"to": [a | some a in addresses], "subject": "s", "body": "b"},
	{"emails": {"arguments.to": {"ok": true, "addresses": [{"address": a, "domain": domain(a)} | some a in addresses]}}},
)

domain(address) := parts[count(parts) - 1] if parts := split(address, "@")

# violation is a violation object.
violation(code, severity, field, message) := {"code": code, "severity": severity, "field": field, "message": message}

# settings_with returns the site settings with key replaced by value. (A "with" on a
# nested data path merges objects when the policy reads a parent path, so tests
# that replace an object swap the whole settings document.)
settings_with(key, value) := object.union(json.remove(data.toolgate.settings, [key]), {key: value})

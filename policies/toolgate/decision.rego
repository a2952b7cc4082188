# METADATA
# title: toolgate decision
# description: |
#   The entry point. Combines the violations of every concern package with the
#   sandbox, rate limits, audit instructions and obligations into the decision
#   document of docs/input-and-decision.md. allow is true only when there is no
#   violation; every key is always present.
package toolgate

import data.toolgate.auditspec
import data.toolgate.authz
import data.toolgate.email
import data.toolgate.exec
import data.toolgate.fs
import data.toolgate.lib
import data.toolgate.net
import data.toolgate.obligations
import data.toolgate.secrets
import data.toolgate.sql

# violations of every concern, sorted by code, then field, then message. A concern
# package is only evaluated when the call carries its kind of fact (its rules could
# not match otherwise): skipping the others keeps a decision cheap.
violations := sort(union({authz.violations, secrets.violations} | {concern(kind) | some kind in lib.kinds}))

# concern returns the violations of the packages that judge a kind of fact. fs also
# looks at shell commands (sensitive paths, protected write targets).
concern("path") := fs.violations | fs.revision_violations

concern("shell") := exec.violations | fs.shell_violations

concern("url") := net.violations | net.header_violations

concern("sql") := sql.violations

concern("email") := email.violations

allow := count(violations) == 0

# METADATA
# title: Decision
# description: The decision for one tool call (data.toolgate.decision).
# entrypoint: true
decision := {
	"allow": allow,
	"violations": violations,
	"sandbox": row.sandbox,
	"rate_limits": object.get({true: row.rate_limits}, lib.authenticated, []),
	"concurrency": object.get({true: row.concurrency}, lib.authenticated, []),
	"audit": {
		"level": object.get({false: "warn"}, allow, row.level),
		"redact": auditspec.redact,
	},
	"obligations": obligations.obligations,
} if {
	# What depends on the tool alone is one row (toolgate.tables.envelope), read here
	# directly: each rule evaluated on every call costs. Buckets and caps apply to an
	# authenticated principal only; a denied call is audited at level warn.
	row := lib.envelope
}

# METADATA
# title: Email recipients
# description: |
#   Recipient arguments (input.facts.emails) must parse, and every recipient must be in
#   the site's own domains (settings.email_domains) unless a role of the principal has
#   email_recipients "any".
package toolgate.email

import data.toolgate.lib
import data.toolgate.tables

fields := lib.fields("email")

# facts maps each recipient field to its fact, for facts that have the documented shape.
facts := {field: f |
	some field in fields
	f := input.facts.emails[field]
	valid(f)
}

valid(f) if {
	f.ok == true
	is_array(f.addresses)
	count(f.addresses) > 0
	every a in f.addresses {
		is_string(a.address)
		is_string(a.domain)
	}
}

# own_domains_for returns the site's own mail domains, lower-cased, as an object of
# true (toolgate.tables.own_domains).
own_domains_for(domains) := {lower(d): true | some d in domains; is_string(d)}

default any_recipient := false

any_recipient if {
	some name in input.principal.roles
	tables.any_recipient[name]
}

# METADATA
# title: Recipients not usable
# description: A recipient argument has no usable fact, or no address.
# custom:
#   code: email_invalid
#   severity: high
violations contains v if {
	some field in fields
	not facts[field]
	v := {"code": "email_invalid", "severity": "high", "field": field, "message": "the recipients could not be parsed"}
}

# METADATA
# title: External recipient
# description: A recipient outside settings.email_domains, for a principal limited to them.
# custom:
#   code: email_external_recipient
#   severity: high
violations contains v if {
	not any_recipient
	some field, f in facts
	some a in f.addresses
	not tables.own_domains[lower(a.domain)]
	v := {"code": "email_external_recipient", "severity": "high", "field": field, "message": sprintf("%s is outside the site's own domains", [a.address])}
}

# METADATA
# title: Header injection
# description: |
#   A line break in an argument a mailer writes into a header (subject, from,
#   reply_to ...): "Hi\r\nBcc: eve@evil.example" adds a recipient no rule checked.
# custom:
#   code: email_header_injection
#   severity: high
violations contains v if {
	some name in header_arguments
	value := input.tool.arguments[name]
	is_string(value)
	regex.match(`[\r\n]`, value)
	v := {"code": "email_header_injection", "severity": "high", "field": concat(".", ["arguments", name]), "message": sprintf("%s holds a line break, which would start a new mail header", [name])}
}

# header_arguments are the arguments of mail tools written into headers.
header_arguments := ["subject", "from", "reply_to", "in_reply_to", "references", "sender"]

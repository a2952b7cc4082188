# METADATA
# title: Sandbox
# description: |
#   The execution envelope of the call: per-class defaults (settings.sandbox_classes,
#   "default" for a class without an entry), overridden by the tool's own catalog
#   entry (tools[name].sandbox), then clamped to the site maximums
#   (settings.sandbox_max) so that nothing is ever looser than the site allows.
#   Network is "none" unless the class is http; then "allowlist" (allowlist mode) or
#   "any", never more than sandbox_max.network. File access is the workspace only.
#   It depends on the tool name and data only: the decision takes it from the tool's
#   row of toolgate.tables.envelope, which the engine computes once per policy load.
package toolgate.sandbox

import data.toolgate.lib

# for_tool computes the sandbox of the tool called name (any value: a name the
# catalog does not know gets the "default" class).

for_tool(name) := {
	# Each numeric limit is the smaller of the requested value and the site maximum;
	# the maximum when nothing is requested. A requested value that is not a number
	# never wins over a numeric maximum.
	"timeout_ms": min([object.get(requested, "timeout_ms", mx_timeout_ms), mx_timeout_ms]),
	"cpu_ms": min([object.get(requested, "cpu_ms", mx_cpu_ms), mx_cpu_ms]),
	"memory_mb": min([object.get(requested, "memory_mb", mx_memory_mb), mx_memory_mb]),
	"max_output_bytes": min([object.get(requested, "max_output_bytes", mx_max_output_bytes), mx_max_output_bytes]),
	"max_file_bytes": min([object.get(requested, "max_file_bytes", mx_max_file_bytes), mx_max_file_bytes]),
	"max_open_files": min([object.get(requested, "max_open_files", mx_max_open_files), mx_max_open_files]),
	"max_procs": min([object.get(requested, "max_procs", mx_max_procs), mx_max_procs]),
	"network": network,
	"allow_hosts": array.slice(hosts, 0, count(hosts) * to_number(network == "allowlist")),
	# [workspace] for read (rank 1) and write (rank 2) access, else [].
	"read_paths": array.slice(workspace, 0, fs_rank),
	"write_paths": array.slice(workspace, 0, fs_rank - 1),
	"env": sort([e | some e in object.get(requested, "env", []); e in object.get(mx, "env", [])]),
} if {
	settings := data.toolgate.settings

	# A numeric maximum the site does not set is 0: "not set by policy", the runner
	# applies its own maximum.
	mx := object.get(settings, "sandbox_max", {})
	mx_timeout_ms := object.get(mx, "timeout_ms", 0)
	mx_cpu_ms := object.get(mx, "cpu_ms", 0)
	mx_memory_mb := object.get(mx, "memory_mb", 0)
	mx_max_output_bytes := object.get(mx, "max_output_bytes", 0)
	mx_max_file_bytes := object.get(mx, "max_file_bytes", 0)
	mx_max_open_files := object.get(mx, "max_open_files", 0)
	mx_max_procs := object.get(mx, "max_procs", 0)

	# The class's entry of sandbox_classes (else its "default" entry), with the
	# tool's own sandbox entry on top.
	classes := object.get(settings, "sandbox_classes", {})
	class := lib.class_of(name)
	requested := object.union(
		object.get(classes, class, object.get(classes, "default", {})),
		object.get(data.toolgate.tools, [name, "sandbox"], {}),
	)

	# Network ranks none 0 < allowlist 1 < any 2 (an unknown mode ranks 0). The
	# narrowest of: the class (only http may reach the network), the request, the
	# site maximum, and the network mode (anything but "denylist" caps at allowlist).
	ranks := {"none": 0, "allowlist": 1, "any": 2}
	network := ["none", "allowlist", "any"][min([
		object.get({"http": 2}, class, 0),
		object.get(ranks, object.get(requested, "network", "any"), 0),
		object.get(ranks, object.get(mx, "network", "any"), 0),
		object.get({"denylist": 2}, object.get(settings, ["network", "mode"], ""), 1),
	])]
	hosts := sort(object.get(settings, ["network", "allow_hosts"], []))

	# File access ranks none 0 < read 1 < write 2 (an unknown access ranks 0).
	access := {"none": 0, "read": 1, "write": 2}
	fs_rank := min([
		object.get(access, object.get(requested, "fs", "none"), 0),
		object.get(access, object.get(mx, "fs", "write"), 0),
	])
	workspace := [ws | ws := lib.workspace; ws != ""]
}

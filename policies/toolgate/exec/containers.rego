# Container escapes
#
# A container started with the host's privileges is the host: --privileged, the
# host's root or the container runtime's socket mounted, the host's PID, IPC or
# user namespace, added capabilities, confinement turned off.
package toolgate.exec

import data.toolgate.shell

# METADATA
# title: Container with host privileges
# description: docker run --privileged, -v /:/host, -v /var/run/docker.sock:..., --pid=host, --cap-add=SYS_ADMIN (docker, podman, nerdctl)
# custom:
#   code: privilege_escalation
#   severity: critical
found_tag.container contains v if {
	some name in shell.named.container
	some inv in shell.by_name[name]
	some reason in container_escapes(inv.args)
	v := {"code": "privilege_escalation", "severity": "critical", "field": inv.field, "message": sprintf("%s starts a container %s", [name, reason])}
}

# container_escapes lists why a container started with args has the host's
# privileges. Options are read in both spellings: --opt value and --opt=value.
container_escapes(args) := {reason |
	some i, a in args
	[opt, value] := container_option(args, i, a)
	reason := container_escape(opt, lower(value))
}

# container_option splits an option args[i] into [option, value] (shell.key_value);
# a flag without a value (--privileged) takes the next argument, which no escape of
# a flag reads.
container_option(args, i, a) := shell.key_value(args, i) if startswith(a, "-")

container_escape("--privileged", _) := "with --privileged"

container_escape(opt, value) := sprintf("with the host path %s mounted", [src]) if {
	opt in {"-v", "--volume", "--mount"}
	src := mount_source(value)
	host_root_like(src)
}

container_escape(opt, value) := sprintf("in the host's %s namespace", [trim_left(opt, "-")]) if {
	opt in {"--pid", "--ipc", "--userns", "--uts", "--cgroupns"}
	value == "host"
}

container_escape("--cap-add", value) := sprintf("with the capability %s", [value]) if {
	trim_prefix(value, "cap_") in {"all", "sys_admin", "sys_module", "sys_ptrace", "dac_read_search", "sys_rawio", "bpf"}
}

container_escape("--security-opt", value) := sprintf("with %s", [value]) if {
	some off in ["apparmor=unconfined", "seccomp=unconfined", "label=disable", "no-new-privileges=false", "systempaths=unconfined"]
	value == off
}

container_escape("--device", value) := sprintf("with the host device %s", [value])

# mount_source is the host side of -v SRC:DST[:opts] or --mount type=bind,source=SRC,...
mount_source(value) := src if {
	contains(value, "source=")
	some kv in split(value, ",")
	[k, src] := split(kv, "=")
	k in {"source", "src"}
} else := split(value, ":")[0]

# host_root_like: the host's root, a top-level system directory, home directories,
# or a container runtime socket.
host_root_like(src) if {
	p := shell.target_path(src, "")
	p in {"/", "/etc", "/root", "/home", "/var", "/usr", "/boot", "/proc", "/sys", "/dev", "/run", "/var/run", "/var/lib"}
}

host_root_like(src) if src in {"~", "$home", "${home}"}

host_root_like(src) if endswith(src, ".sock")

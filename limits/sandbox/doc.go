// Package sandbox runs a process tool inside the limits a toolgate decision
// set: wall timeout, CPU time, memory, processes, output bytes, file size,
// open files, read and write paths, network and environment.
//
// The host binary re-executes itself as a small helper (Main must be called
// first thing in main and in TestMain) that enters its cgroups, sets its
// rlimits, drops capabilities, confines itself with Landlock and seccomp and
// then execve's the tool, which therefore never runs unconfined. The parent
// puts the helper in new PID, mount, IPC, UTS and (for network "none")
// network namespaces, caps the output it reads and kills the whole tree on
// timeout.
//
// Fail closed: Run refuses, with an error wrapping ErrUnavailable, a Spec
// asking for a restriction this host cannot enforce. Hardening the Spec did
// not ask for degrades with a warning. Result.Layers lists what was applied.
//
// The package is Linux-only; elsewhere New returns ErrUnavailable.
package sandbox

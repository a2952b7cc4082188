package toolgate.shell_test

import data.toolgate.fixtures as fx
import data.toolgate.shell

field := "arguments.command"

# eval_shell evaluates a rule of toolgate.shell for one parsed command.
invocations(commands) := x if {
	x := shell.invocations with input as fx.shell_call(fx.shell(commands, [], [], []))
}

write_targets(commands, redirects) := x if {
	x := shell.write_targets with input as fx.shell_call(fx.shell(commands, [], redirects, []))
}

test_facts_need_the_documented_shape if {
	good := fx.shell([], [], [], [])
	shell.facts == {field: good} with input as fx.shell_call(good)
	shell.facts == {field: object.union(good, {"features": {"eval"}})} with input as fx.shell_call(object.union(good, {"features": {"eval"}}))
	shell.facts == {} with input as fx.shell_call({"ok": false, "error": "unterminated quote"})
	shell.facts == {} with input as fx.shell_call(object.union(good, {"features": "eval"}))
	shell.fields == {field} with input as fx.shell_call({"ok": false})
}

test_features_become_a_set if {
	shell.features == {field: {"eval", "ifs"}} with input as fx.shell_call(fx.shell([], [], [], ["ifs", "eval", "ifs"]))
}

test_wrappers_are_unwrapped if {
	invocations([fx.cmd("sudo", ["-u", "root", "env", "FOO=1", "/bin/rm", "-rf", "/"])]) == [
		{"field": field, "name": "sudo", "args": ["-u", "root", "env", "FOO=1", "/bin/rm", "-rf", "/"]},
		{"field": field, "name": "root", "args": ["env", "FOO=1", "/bin/rm", "-rf", "/"]},
		{"field": field, "name": "env", "args": ["FOO=1", "/bin/rm", "-rf", "/"]},
		{"field": field, "name": "foo=1", "args": ["/bin/rm", "-rf", "/"]},
		{"field": field, "name": "rm", "args": ["-rf", "/"]},
		{"field": field, "name": "", "args": []},
	]
}

test_find_runs_the_command_after_exec if {
	invocations([fx.cmd("find", [".", "-name", "*.tmp", "-exec", "/usr/bin/shred", "-u", "{}", ";"])]) == [
		{"field": field, "name": "find", "args": [".", "-name", "*.tmp", "-exec", "/usr/bin/shred", "-u", "{}", ";"]},
		{"field": field, "name": "shred", "args": ["-u", "{}", ";"]},
	]
}

test_names_are_lower_cased_and_tagged if {
	call_input := fx.shell_call(fx.shell([fx.cmd("CURL", ["x"]), fx.cmd("Bash", []), fx.cmd("python3.12", []), fx.cmd("mkfs.ext4", [])], [], [], []))
	shell.names == {"curl", "bash", "python3.12", "mkfs.ext4"} with input as call_input
	shell.named == {
		"downloader": {"curl"}, "writes_output": {"curl"},
		"shell": {"bash"}, "script": {"python3.12"}, "disk": {"mkfs.ext4"},
	} with input as call_input
	shell.by_name.curl == [{"field": field, "name": "curl", "args": ["x"]}] with input as call_input
}

test_tags if {
	shell.tags("sudo") == ["wrapper", "escalator"]
	shell.tags("python") == ["script"]
	shell.tags("pypy3") == ["script"]
	shell.tags("chown") == ["writes_all", "mode"]
	shell.tags("pushd") == ["chdir"]
	shell.tags("mknod") == ["writes_all", "fifo"]
	shell.tags("ls") == []
}

test_pipelines_and_redirects_keep_their_field if {
	call_input := fx.shell_call(fx.shell([], [["CURL", "sh"]], [{"op": ">", "target": "f"}], []))
	shell.pipelines == [{"field": field, "names": ["curl", "sh"]}] with input as call_input
	shell.redirects == [{"field": field, "op": ">", "target": "f"}] with input as call_input
}

test_words_are_operands_and_redirect_targets if {
	shell.words == {field: ["a.txt", "b", "out"]} with input as fx.shell_call(fx.shell([fx.cmd("cat", ["-n", "A.txt"]), fx.cmd("x", ["b"])], [], [{"op": ">", "target": "out"}], []))
}

test_redirect_targets_are_written_file_descriptors_are_not if {
	write_targets([], [{"op": ">", "target": "a"}, {"op": ">>", "target": "b"}, {"op": ">&", "target": "2"}, {"op": "<", "target": "c"}, {"op": ">&", "target": "-"}]) == {
		{"field": field, "target": "a"}, {"field": field, "target": "b"},
	}
}

test_writers_write_their_operands if {
	write_targets([fx.cmd("tee", ["-a", "x", "y"])], []) == {{"field": field, "target": "x"}, {"field": field, "target": "y"}}
	write_targets([fx.cmd("cp", ["-r", "a", "b", "dest"])], []) == {{"field": field, "target": "dest"}}
	write_targets([fx.cmd("cp", ["-t", "dir", "a"])], []) == {{"field": field, "target": "a"}, {"field": field, "target": "dir"}}
	write_targets([fx.cmd("sed", ["-i", "s/a/b/", "f"])], []) == {{"field": field, "target": "s/a/b/"}, {"field": field, "target": "f"}}
	write_targets([fx.cmd("sed", ["--in-place=.bak", "s/a/b/", "f"])], []) == {{"field": field, "target": "s/a/b/"}, {"field": field, "target": "f"}}
	write_targets([fx.cmd("sed", ["-n", "p", "f"])], []) == set()
	write_targets([fx.cmd("curl", ["-o", "x.sh", "https://h/x"])], []) == {{"field": field, "target": "x.sh"}}
	write_targets([fx.cmd("dd", ["if=a", "of=/dev/sda"])], []) == {{"field": field, "target": "/dev/sda"}}
	write_targets([fx.cmd("git", ["diff", "--output=/etc/x"])], []) == {{"field": field, "target": "/etc/x"}}
	write_targets([fx.cmd("ls", ["a=b"])], []) == set()
}

test_downloaded_files if {
	call_input := fx.shell_call(fx.shell(
		[fx.cmd("wget", ["https://h.example/i.sh?x=1"]), fx.cmd("curl", ["-o", "/tmp/y", "https://h.example/"])],
		[], [{"op": ">", "target": "log"}], [],
	))
	shell.downloaded == {
		{"field": field, "name": "i.sh"}, {"field": field, "name": ""},
		{"field": field, "name": "y"}, {"field": field, "name": "log"},
	} with input as call_input
	shell.download_fields == {field} with input as call_input
}

test_nothing_is_downloaded_without_a_downloader if {
	shell.downloaded == set() with input as fx.shell_call(fx.shell([fx.cmd("echo", ["https://x/y"])], [], [{"op": ">", "target": "y"}], []))
}

test_arg_after if {
	shell.arg_after(["-o", "out"], 0) == "out"
	shell.arg_after(["-o"], 0) == ""
}

test_file_words_include_option_values if {
	shell.file_words("--post-file=~/.ssh/id_rsa") == ["~/.ssh/id_rsa"]
	shell.file_words("-d@.env") == [".env"]
	shell.file_words("HEAD:.env") == ["HEAD:.env", ".env"]
	shell.file_words("-rf") == []
}

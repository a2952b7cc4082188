package audit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/toolgate/toolgate/audit"
	"github.com/toolgate/toolgate/audit/sink"
	"github.com/toolgate/toolgate/engine"
)

// A logger records a decision with its secrets redacted, and the log it wrote
// verifies.
func Example() {
	var log bytes.Buffer
	l, err := audit.New(sink.NewWriter(&log), audit.WithFsync(audit.FsyncNever))
	if err != nil {
		panic(err)
	}
	call := engine.Call{
		Tool: engine.Tool{Name: "git.push", Arguments: map[string]any{
			"remote": "origin", "token": "ghp_0123456789abcdefghijABCDEFGHIJ012345",
		}},
		Principal: engine.Principal{ID: "alice", Roles: []string{"developer"}},
	}
	d := engine.Decision{ID: "d-1", Allow: true}
	if err := l.Decision(context.Background(), audit.DecisionEvent{DecisionID: d.ID, Call: call, Decision: d}); err != nil {
		panic(err) // the coordinator refuses the call instead
	}
	if err := l.Close(); err != nil {
		panic(err)
	}

	var ev struct {
		Input  map[string]any `json:"input"`
		Erased []string       `json:"erased"`
	}
	if err := json.Unmarshal(log.Bytes(), &ev); err != nil {
		panic(err)
	}
	args, _ := json.Marshal(ev.Input["tool"].(map[string]any)["arguments"])
	fmt.Println(string(args), ev.Erased)

	rep, err := audit.Verify(audit.VerifyOptions{}, audit.Source{Name: "log", R: &log})
	fmt.Println(rep.Events, rep.Err(), err)
	// Output:
	// {"remote":"origin","token":"[REDACTED:github_token]"} [/input/tool/arguments/token]
	// 1 <nil> <nil>
}

package coordinator_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

// Embedding toolgate in a Go tool server: the default policies, an
// in-process tool, and a refusal read through its stable code. This is the
// README's embedding snippet, kept compiling and true.
func Example() {
	ctx := context.Background()
	ps, err := engine.LoadDefault()
	if err != nil {
		panic(err)
	}
	eng, err := engine.New(ctx, ps, engine.WithWorkspace("/srv/work"))
	if err != nil {
		panic(err)
	}
	coord, err := coordinator.New(eng)
	if err != nil {
		panic(err)
	}
	readFile := coordinator.ToolFunc(func(_ context.Context, call engine.Call) ([]byte, error) {
		return []byte("contents of " + call.Tool.Arguments["path"].(string)), nil
	})
	alice := engine.Principal{ID: "alice", Roles: []string{"developer"}}
	for _, path := range []string{"notes/todo.md", "../../etc/shadow"} {
		call := engine.Call{Tool: engine.Tool{Name: "fs.read_file", Arguments: map[string]any{"path": path}}, Principal: alice}
		res, err := coord.Execute(ctx, call, readFile)
		var refusal *coordinator.Error
		if errors.As(err, &refusal) {
			fmt.Println("refused:", refusal.Code, refusal.Violations[0].Code)
			continue
		}
		fmt.Println(string(res.Output))
	}
	// Output:
	// contents of notes/todo.md
	// refused: denied path_traversal
}

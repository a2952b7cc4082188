package coordinator_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/coordinator"
	"github.com/toolgate/toolgate/engine"
)

func TestAsErrorAndErrorOf(t *testing.T) {
	t.Parallel()
	denied := &coordinator.Error{Code: coordinator.CodeDenied, Message: "no"}
	e, ok := coordinator.AsError(fmt.Errorf("wrapped: %w", denied))
	require.True(t, ok)
	assert.Same(t, denied, e)
	assert.Same(t, denied, coordinator.ErrorOf(fmt.Errorf("wrapped: %w", denied)))

	_, ok = coordinator.AsError(errors.New("boom"))
	assert.False(t, ok)
	cause := errors.New("boom")
	e = coordinator.ErrorOf(cause)
	assert.Equal(t, coordinator.CodePolicyError, e.Code)
	assert.Equal(t, "boom", e.Message)
	assert.ErrorIs(t, e, cause)
}

func TestErrorText(t *testing.T) {
	t.Parallel()
	e := &coordinator.Error{
		Code: coordinator.CodeDenied, Message: "the policy denied the call", DecisionID: "d1",
		Violations: []engine.Violation{
			{Code: "path_traversal", Field: "arguments.path", Message: "the path leaves the workspace"},
			{Code: "bare"},
		},
	}
	assert.Equal(t, "toolgate refused this tool call (denied): the policy denied the call\n"+
		"- path_traversal [arguments.path]: the path leaves the workspace\n"+
		"- bare\n"+
		"decision id: d1", e.Text())
}

package engine_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toolgate/toolgate/engine"
)

// CheckUniqueKeys refuses an exact duplicate at any depth, and only that:
// case variants and deep nesting, which ParseCall refuses, pass.
func TestCheckUniqueKeys(t *testing.T) {
	for _, doc := range []string{
		`{"a":1,"a":2}`,
		`{"a":[{"b":{"c":1,"c":2}}]}`,
	} {
		err := engine.CheckUniqueKeys([]byte(doc))
		require.Error(t, err, doc)
		assert.ErrorIs(t, err, engine.ErrInvalidInput, doc)
		assert.Contains(t, err.Error(), "duplicate key", doc)
	}
	deep := strings.Repeat(`{"a":`, 200) + "1" + strings.Repeat("}", 200)
	for _, doc := range []string{
		`{"url":1,"URL":2}`,
		`{"a":{"b":1},"b":{"b":1},"c":[{"b":1},{"b":2}]}`,
		deep,
	} {
		assert.NoError(t, engine.CheckUniqueKeys([]byte(doc)), doc)
	}
}

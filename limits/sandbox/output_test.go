package sandbox

import (
	"bytes"
	"testing"
)

func TestCappedBuffer(t *testing.T) {
	calls := 0
	c := newCappedBuffer(5, func() { calls++ })
	for _, w := range []string{"abc", "defg", "hij"} {
		if n, err := c.Write([]byte(w)); n != len(w) || err != nil {
			t.Fatalf("Write(%q) = %d, %v: must accept everything so the pipe drains", w, n, err)
		}
	}
	got, truncated := c.result()
	if !bytes.Equal(got, []byte("abcde")) || !truncated || calls != 1 {
		t.Fatalf("kept %q truncated=%v overflow calls=%d; want \"abcde\", true, 1", got, truncated, calls)
	}
	exact := newCappedBuffer(3, func() { t.Fatal("overflow at exactly the cap") })
	_, _ = exact.Write([]byte("abc"))
	if got, truncated := exact.result(); string(got) != "abc" || truncated {
		t.Fatalf("exact fit: %q truncated=%v", got, truncated)
	}
}

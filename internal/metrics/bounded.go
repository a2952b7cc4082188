package metrics

import (
	"strconv"
	"sync"
)

// boundedSet admits the first maxLabelValues distinct values.
type boundedSet struct {
	mu   sync.RWMutex
	seen map[string]struct{}
}

func newBoundedSet() *boundedSet { return &boundedSet{seen: make(map[string]struct{})} }

func (b *boundedSet) label(v string) string {
	b.mu.RLock()
	_, ok := b.seen[v]
	b.mu.RUnlock()
	if ok {
		return v
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.seen[v]; ok {
		return v
	}
	if len(b.seen) >= maxLabelValues {
		return OtherLabel
	}
	b.seen[v] = struct{}{}
	return v
}

func statusLabel(code int) string { return strconv.Itoa(code) }

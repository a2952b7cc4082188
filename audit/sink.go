package audit

// Sink stores event lines. The Logger calls it from one goroutine at a time.
type Sink interface {
	// Write stores one complete line, trailing newline included, with a
	// single write so that a crash cannot interleave or tear lines from two
	// events. On error nothing of the line may remain: the Logger does not
	// count the event and the next one links to the previous line. Write
	// must not retain line.
	Write(line []byte) error
	// Sync flushes written lines to stable storage.
	Sync() error
	// Close flushes and releases the sink.
	Close() error
}

// Resumer is implemented by sinks that keep earlier events (a file, a
// spool). LastLine returns the last complete line they hold, or nil when they
// hold none, so that a new Logger continues the chain instead of starting a
// second one.
type Resumer interface {
	LastLine() ([]byte, error)
}

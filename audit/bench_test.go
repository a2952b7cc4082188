package audit

import (
	"testing"
	"time"

	"github.com/toolgate/toolgate/audit/sink"
	"github.com/toolgate/toolgate/internal/benchcpu"
)

// BenchmarkDecision is the cost of recording one decision event of a
// typical call (redaction with the engine's detector, JSON encoding, chain
// hash, one write) under each fsync mode, and with audit off.
func BenchmarkDecision(b *testing.B) {
	ev := DecisionEvent{DecisionID: "d", Call: sampleCall(1), Decision: allowDecision("d"), Latency: time.Millisecond}
	ev.Call.Tool.Arguments["token"] = "ghp_0123456789abcdefghijABCDEFGHIJ012345"
	modes := []struct {
		name string
		opts []Option
	}{
		{"fsync=never", []Option{WithFsync(FsyncNever)}},
		{"fsync=interval100ms", []Option{WithFsyncInterval(100 * time.Millisecond)}},
		{"fsync=always", []Option{WithFsync(FsyncAlways)}},
		{"fsync=never,hmac", []Option{WithFsync(FsyncNever), WithRedaction(RedactHMAC), WithHMACKey(testHMACKey)}},
	}
	b.Run("nop", func(b *testing.B) {
		l := Nop()
		b.ReportAllocs()
		for b.Loop() {
			if err := l.Decision(ctx, ev); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, m := range modes {
		b.Run("file,"+m.name, func(b *testing.B) {
			l, _ := openFileLogger(b, sink.FileOptions{}, m.opts...)
			defer func() { _ = l.Close() }()
			b.ReportAllocs()
			defer benchcpu.Report(b)()
			for b.Loop() {
				if err := l.Decision(ctx, ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Many callers at once: with fsync=always they share fsyncs.
	b.Run("file,fsync=always,parallel", func(b *testing.B) {
		l, _ := openFileLogger(b, sink.FileOptions{}, WithFsync(FsyncAlways))
		defer func() { _ = l.Close() }()
		b.ReportAllocs()
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := l.Decision(ctx, ev); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkVerify is the cost of verifying one line.
func BenchmarkVerify(b *testing.B) {
	l, path := openFileLogger(b, sink.FileOptions{}, WithFsync(FsyncNever))
	for i := 0; i < 1000; i++ {
		if err := l.Decision(ctx, DecisionEvent{Call: sampleCall(i), Decision: allowDecision("d")}); err != nil {
			b.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rep := verifyFiles(b, VerifyOptions{}, path)
		if rep.Events != 1000 {
			b.Fatal(rep.Err())
		}
	}
}

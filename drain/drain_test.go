package drain

import (
	"context"
	"testing"
	"time"
)

// TestContext: the work context outlives its stop by the grace, keeps its values, and
// Stopping tells the loop at once.
func TestContext(t *testing.T) {
	type key struct{}
	stop, stopNow := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
	work, cancel := Context(stop, 200*time.Millisecond)
	defer cancel()
	if Stopping(work) || work.Value(key{}) != "v" {
		t.Fatalf("before the stop: stopping %v, value %v", Stopping(work), work.Value(key{}))
	}
	stopNow()
	if !Stopping(work) {
		t.Error("not stopping after the stop")
	}
	select {
	case <-Done(work):
	default:
		t.Error("Done not closed after the stop")
	}
	if work.Err() != nil {
		t.Error("the work in hand was cancelled with the stop; want it cancelled after the grace")
	}
	start := time.Now()
	<-work.Done()
	if d := time.Since(start); d < 150*time.Millisecond || d > 2*time.Second {
		t.Errorf("work cancelled %s after the stop, want about 200ms", d)
	}
}

// TestContextNoGrace: with no grace the work ends with the stop; cancel ends it before.
func TestContextNoGrace(t *testing.T) {
	stop, stopNow := context.WithCancel(context.Background())
	work, cancel := Context(stop, 0)
	defer cancel()
	stopNow()
	select {
	case <-work.Done():
	case <-time.After(time.Second):
		t.Fatal("work not cancelled with the stop")
	}

	work2, cancel2 := Context(context.Background(), time.Hour)
	cancel2()
	if work2.Err() == nil || !Stopping(work2) {
		t.Error("cancel did not end the work")
	}
}

// TestPlainContext: any other context stops when it ends.
func TestPlainContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	if Stopping(ctx) {
		t.Error("stopping before the end")
	}
	cancel()
	if !Stopping(ctx) {
		t.Error("not stopping after the end")
	}
}

package complaints

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aduan/domain"
	"aduan/workflows"
)

func inputFor(code string) workflows.Input {
	return workflows.Input{Case: domain.CaseState{Code: code}}
}

// TestStarterStartsInBackground: a queued complaint's workflow is started shortly after
// intake, without intake waiting for it.
func TestStarterStartsInBackground(t *testing.T) {
	started := make(chan string, 1)
	st := newStarter(1, 8, time.Second, func(_ context.Context, in workflows.Input) error {
		started <- in.Case.Code
		return nil
	})
	st.Start()
	defer st.Stop()
	t0 := time.Now()
	st.enqueue(context.Background(), inputFor("ADU-AAAA-0001"))
	if d := time.Since(t0); d > 10*time.Millisecond {
		t.Errorf("enqueue took %s", d)
	}
	select {
	case code := <-started:
		if code != "ADU-AAAA-0001" {
			t.Errorf("started %s", code)
		}
		if d := time.Since(t0); d < intakeQuiet/2 || d > st.giveWay {
			t.Errorf("started after %s, want after the intake went quiet (%s)", d, intakeQuiet)
		}
	case <-time.After(st.giveWay + time.Second):
		t.Fatal("not started")
	}
}

// TestStarterGivesWayToABurst: while complaints keep arriving, the starter waits, but
// never longer than its give-way bound for any complaint.
func TestStarterGivesWayToABurst(t *testing.T) {
	var mu sync.Mutex
	var first time.Time
	st := newStarter(1, 1024, time.Second, func(context.Context, workflows.Input) error {
		mu.Lock()
		defer mu.Unlock()
		if first.IsZero() {
			first = time.Now()
		}
		return nil
	})
	st.giveWay = 2 * time.Second // workflows.StartGiveWay, shortened for the test
	st.Start()
	defer st.Stop()
	t0 := time.Now()
	var at []time.Time                                     // when each complaint of the burst came in
	for time.Since(t0) < st.giveWay+500*time.Millisecond { // a burst longer than the limit
		st.enqueue(context.Background(), inputFor("ADU-BURST-0001"))
		at = append(at, time.Now())
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if first.IsZero() {
		t.Fatal("nothing started during a long burst")
	}
	// A loaded machine may pause this loop: to the starter, a pause as long as intakeQuiet
	// ends the burst, and starting then is right. Only an unbroken burst is measured.
	for i := 1; i < len(at) && at[i-1].Before(first); i++ {
		if gap := at[i].Sub(at[i-1]); gap >= intakeQuiet*3/4 {
			t.Skipf("the burst paused %s before the first start (a loaded machine): nothing to measure", gap)
		}
	}
	// Not before about giveWay; the upper bound only allows for a loaded machine.
	if d := first.Sub(t0); d < st.giveWay-100*time.Millisecond || d > st.giveWay+time.Second {
		t.Errorf("first start %s into the burst, want about %s", d, st.giveWay)
	}
}

// TestStarterFullQueueLeavesToRelay: when the queue is full, intake does not wait; the
// complaint stays unstarted in PostgreSQL for the relay.
func TestStarterFullQueueLeavesToRelay(t *testing.T) {
	block := make(chan struct{})
	st := newStarter(1, 1, time.Second, func(context.Context, workflows.Input) error {
		<-block
		return nil
	})
	st.Start()
	defer st.Stop()
	defer close(block) // before Stop, which waits for the start in progress
	t0 := time.Now()
	for i := 0; i < 5; i++ {
		st.enqueue(context.Background(), inputFor("ADU-FULL-0001"))
	}
	if d := time.Since(t0); d > 50*time.Millisecond {
		t.Errorf("enqueue on a full queue blocked for %s", d)
	}
}

// TestStarterStops: Stop ends the goroutines, a queued complaint is left (to the relay),
// and Stop twice is harmless.
func TestStarterStops(t *testing.T) {
	var calls atomic.Int32
	st := newStarter(2, 8, time.Second, func(context.Context, workflows.Input) error {
		calls.Add(1)
		return nil
	})
	st.Start()
	st.Stop()
	st.enqueue(context.Background(), inputFor("ADU-STOP-0001"))
	time.Sleep(500 * time.Millisecond)
	if n := calls.Load(); n != 0 {
		t.Errorf("a stopped starter started %d workflows", n)
	}
	done := make(chan struct{})
	go func() { st.Stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("a second Stop blocked")
	}
}

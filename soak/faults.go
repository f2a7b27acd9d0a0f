package soak

import (
	"context"
	"math/rand/v2"
	"sort"
	"time"
)

// Fault kinds.
const (
	faultWorkerKill      = "worker SIGKILL"
	faultTemporalRestart = "Temporal restart"
)

// Fault is one fault: planned (At, Down) and, once injected, what it did.
type Fault struct {
	Kind string
	// At is when it strikes, from the start of traffic; Down how long the part stays away.
	At, Down time.Duration
	// Injected says it happened (traffic may end first); Recovered is the time from the
	// part being back to the next action answered 200 (0: none came before the end).
	Injected  bool
	Recovered time.Duration
	// Lost counts the tries answered 503 or lost on the way from the fault until
	// lostWindow after the part was back (an action waiting on a workflow task the killed
	// worker held is answered 503 after the API's 20 s, and retried).
	Lost int
	Err  string
	// began and back are when it struck and when the part was back.
	began, back time.Time
}

// lostWindow is how long after a fault the tries answered 503 or lost are counted as its.
const lostWindow = 30 * time.Second

// attributeLost counts, for each fault, the tries answered 503 or lost in its window,
// and returns how many fell outside every fault's window.
func attributeLost(faults []Fault, lost []time.Time) (outside int) {
	for _, at := range lost {
		hit := false
		for i := range faults {
			f := &faults[i]
			if f.Injected && !at.Before(f.began) && at.Before(f.back.Add(lostWindow)) {
				f.Lost++
				hit = true
				break
			}
		}
		if !hit {
			outside++
		}
	}
	return outside
}

// scheduleFaults draws the faults' moments (seeded): uniformly between the end of
// warm-up (and its samples) and nine tenths of the traffic, so every fault has traffic
// before and after it. A worker is down 1–3 s, Temporal 2–10 s.
func scheduleFaults(rng *rand.Rand, o Options) []Fault {
	from, to := o.Warmup+10*time.Second, o.Duration*9/10
	if to <= from {
		to = from + time.Second
	}
	at := func() time.Duration { return from + time.Duration(rng.Int64N(int64(to-from))) }
	var out []Fault
	for i := 0; i < o.WorkerKills; i++ {
		out = append(out, Fault{Kind: faultWorkerKill, At: at(), Down: time.Second + time.Duration(rng.Int64N(int64(2*time.Second)))})
	}
	for i := 0; i < o.TemporalRestarts; i++ {
		out = append(out, Fault{Kind: faultTemporalRestart, At: at(), Down: 2*time.Second + time.Duration(rng.Int64N(int64(8*time.Second)))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}

// injectFaults carries the schedule out, one fault at a time (one that falls while the
// previous is still under way follows it), until traffic stops.
func injectFaults(ctx context.Context, s *stack, tr *traffic, sched []Fault, start time.Time, lg *logger) []Fault {
	out := append([]Fault(nil), sched...)
	for i := range out {
		f := &out[i]
		select {
		case <-ctx.Done():
			return out
		case <-time.After(time.Until(start.Add(f.At))):
		}
		f.began = time.Now()
		began := time.Since(start)
		switch f.Kind {
		case faultWorkerKill:
			lg.printf("soak: fault at %s: SIGKILL the worker (pid %d); back in %s", began.Round(time.Second), s.worker.pid(), f.Down.Round(100*time.Millisecond))
			s.worker.kill()
			time.Sleep(f.Down)
			if err := s.worker.start(); err != nil {
				f.Err = err.Error()
			}
		case faultTemporalRestart:
			lg.printf("soak: fault at %s: stop Temporal; back in %s", began.Round(time.Second), f.Down.Round(100*time.Millisecond))
			if err := s.temporal.stop(); err != nil {
				f.Err = "stop: " + err.Error()
			}
			time.Sleep(f.Down)
			if err := s.temporal.start(context.Background()); err != nil {
				f.Err = err.Error()
			}
		}
		f.Injected = true
		back := time.Now()
		f.back = back
		// Recovered: the first action answered 200 after the part came back.
		for ctx.Err() == nil && f.Err == "" {
			if last := tr.http.lastAction.Load(); last > back.UnixNano() {
				f.Recovered = time.Unix(0, last).Sub(back)
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		lg.printf("soak: %s over; first action answered 200 %s after %s", f.Kind, f.Recovered.Round(100*time.Millisecond), f.Err)
	}
	return out
}

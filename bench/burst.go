package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"
)

// A disaster-day burst: thousands of people write within minutes, over WhatsApp, SMS and
// the web form, some of them twice, and the providers deliver a few payloads again (a
// retry after a slow answer, or two deliveries at once). Nothing may be lost, nothing
// doubled, and the system must have acknowledged every complaint and started every
// workflow soon after the burst ends.

// GoalBurstCatchUp is how soon after the burst's end every acknowledgement must be sent
// and every workflow started.
const GoalBurstCatchUp = 60 * time.Second

// BurstResult is the burst figure.
type BurstResult struct {
	// Messages are the distinct messages sent (first messages and follow-ups), by channel.
	Messages  int
	ByChannel map[Channel]int
	// FollowUps are second messages from a number whose first opened a complaint.
	FollowUps int
	// Redelivered are deliveries sent again with the same payload: after the first was
	// answered (Again) or at the same moment as it (Concurrent).
	Again, Concurrent int
	// Over is the planned spread of the messages; Took the time from the first planned
	// moment to the last answer (the burst's end).
	Over, Took time.Duration
	// Latency is per delivery, from its planned moment to its answer (waiting for a free
	// client counts: the load is open, as people do not wait for each other).
	Latency Latency
	// Retries are deliveries a provider would have retried (an error or a status other
	// than the one that means taken), sent again after a second.
	Retries int
	// Lost are messages found neither as a complaint nor as an attached message, Doubled
	// the extra copies of those found more than once.
	Lost, Doubled int
	// DoubledAs says how the doubled messages were found: "complaint and message" (kept
	// as the complaint it opened and again as a message of it), "2 complaints", ...
	DoubledAs map[string]int
	// Complaints and Attached are what the burst left in PostgreSQL.
	Complaints, Attached int
	// CatchUp is the time from the burst's end until every complaint of the burst had its
	// workflow started and its acknowledgement sent; CaughtUp is false when that did not
	// happen within the bench's patience (10 minutes).
	CatchUp  time.Duration
	CaughtUp bool
	// AcksSent counts the burst's complaints whose acknowledgement is in the outbox as sent.
	AcksSent int
}

// burstJob is what one client does at one moment: one or more deliveries in order.
type burstJob struct {
	at    time.Duration
	steps []request
	// twin: the same delivery as the job before, at the same moment.
	twin bool
}

// burstPlan lays out n messages over `over`: channels in the proportions of a disaster day
// (half WhatsApp, three in ten SMS, two in ten web), one WhatsApp or SMS sender in eight
// writing again after the first is taken, one delivery in fifty sent again after its
// answer and one in a hundred twice at once. The web form sends an Idempotency-Key, as
// the public form does, so its retries are retries too.
func (s *Stack) burstPlan(n int, over time.Duration, tag string) ([]burstJob, BurstResult) {
	r := BurstResult{ByChannel: map[Channel]int{}, Over: over}
	pattern := []Channel{WhatsApp, WhatsApp, WhatsApp, WhatsApp, WhatsApp, SMS, SMS, SMS, Web, Web}
	var jobs []burstJob
	for i := 0; r.Messages < n; i++ {
		ch := pattern[i%len(pattern)]
		m := newMessage(ch, fmt.Sprintf("%s %d", tag, r.Messages))
		first := s.request(m)
		if ch == Web {
			first.header.Set("Idempotency-Key", "darurat-"+randomHex(8))
		}
		j := burstJob{steps: []request{first}}
		r.Messages++
		r.ByChannel[ch]++
		if ch != Web && i%8 == 3 && r.Messages < n {
			j.steps = append(j.steps, s.request(m.followUp(fmt.Sprintf("%s %d", tag, r.Messages))))
			r.Messages++
			r.ByChannel[ch]++
			r.FollowUps++
		}
		if i%50 == 7 {
			j.steps = append(j.steps, first)
			r.Again++
		}
		jobs = append(jobs, j)
		if i%100 == 42 {
			jobs = append(jobs, burstJob{steps: []request{first}, twin: true})
			r.Concurrent++
		}
	}
	// Spread evenly: the k-th job at k/len of the way, a twin at its original's moment.
	for k := range jobs {
		jobs[k].at = time.Duration(int64(over) * int64(k) / int64(len(jobs)))
		if jobs[k].twin {
			jobs[k].at = jobs[k-1].at
		}
	}
	return jobs, r
}

// Burst sends n messages spread over `over` on up to conc clients at once, then waits
// until the system has caught up and counts what PostgreSQL holds.
func Burst(ctx context.Context, s *Stack, n int, over time.Duration, conc int) (BurstResult, error) {
	tag := "darurat-" + randomHex(3)
	jobs, r := s.burstPlan(n, over, tag)
	hc := newClient(conc)
	defer hc.CloseIdleConnections()
	if _, err := Quiesce(ctx, s); err != nil {
		return r, err
	}
	s.settle(ctx)
	var since time.Time
	if err := s.DB.GetContext(ctx, &since, `SELECT now()`); err != nil {
		return r, err
	}
	var (
		mu       sync.Mutex
		lat      []time.Duration
		retries  int
		failed   int
		firstErr error
		wg       sync.WaitGroup
		queue    = make(chan burstJob, len(jobs))
	)
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				for _, step := range j.steps {
					tries, err := deliver(ctx, hc, s.BaseURL, step)
					d := time.Since(start.Add(j.at))
					mu.Lock()
					retries += tries - 1
					if err != nil {
						failed++
						if firstErr == nil {
							firstErr = err
						}
					} else {
						lat = append(lat, d)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, j := range jobs {
		if wait := time.Until(start.Add(j.at)); wait > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
		}
		queue <- j
	}
	close(queue)
	wg.Wait()
	end := time.Now()
	r.Took, r.Retries = end.Sub(start), retries
	r.Latency = summarise(lat, failed, r.Took)
	if ctx.Err() != nil {
		return r, ctx.Err()
	}

	// Caught up: every complaint of the burst (all made since it began) started and
	// acknowledged.
	for time.Since(end) < 10*time.Minute {
		var behind int
		if err := s.DB.GetContext(ctx, &behind, `SELECT count(*) FROM complaints
			WHERE created_at >= $1 AND (NOT workflow_started OR ack_pending)`, since); err != nil {
			return r, err
		}
		if behind == 0 {
			r.CatchUp, r.CaughtUp = time.Since(end), true
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !r.CaughtUp {
		r.CatchUp = time.Since(end)
	}
	if err := s.DB.GetContext(ctx, &r.AcksSent, `SELECT count(*) FROM complaints c WHERE c.created_at >= $1
		AND EXISTS (SELECT 1 FROM notifications n WHERE n.code = c.code AND n.kind = 'ack' AND n.sent_at IS NOT NULL)`, since); err != nil {
		return r, fmt.Errorf("count acknowledgements: %w", err)
	}
	if err := r.count(ctx, s, tag, since); err != nil {
		return r, err
	}
	if failed > 0 {
		return r, fmt.Errorf("%d deliveries failed after retries, the first: %w", failed, firstErr)
	}
	return r, nil
}

// deliver sends one delivery as a provider does: again after a second when it was not
// taken, up to five times. It returns how many times it sent it.
func deliver(ctx context.Context, hc *http.Client, base string, r request) (int, error) {
	var err error
	for try := 1; try <= 5; try++ {
		if _, err = send(ctx, hc, base, r); err == nil {
			return try, nil
		}
		if ctx.Err() != nil {
			return try, err
		}
		time.Sleep(time.Second)
	}
	return 5, err
}

// count finds every message of the burst by the tag its text carries, as a complaint's
// text or an attached message's: one row each, none missing.
func (r *BurstResult) count(ctx context.Context, s *Stack, tag string, since time.Time) error {
	var rows []struct {
		I     int    `db:"i"`
		Kind  string `db:"kind"`
		Count int    `db:"n"`
	}
	pattern := `\(` + tag + ` ([0-9]+)\)`
	if err := s.DB.SelectContext(ctx, &rows, `SELECT (regexp_match(text, $2))[1]::int AS i, kind, count(*) AS n FROM (
			SELECT text, 'complaint' AS kind FROM complaints WHERE created_at >= $1
			UNION ALL
			SELECT text, 'message' FROM complaint_messages WHERE at >= $1
		) t WHERE text ~ $2 GROUP BY 1, 2`, since, pattern); err != nil {
		return fmt.Errorf("count the burst's messages: %w", err)
	}
	found := map[int]int{}
	kinds := map[int]map[string]int{}
	for _, row := range rows {
		found[row.I] += row.Count
		if kinds[row.I] == nil {
			kinds[row.I] = map[string]int{}
		}
		kinds[row.I][row.Kind] += row.Count
		if row.Kind == "complaint" {
			r.Complaints += row.Count
		} else {
			r.Attached += row.Count
		}
	}
	r.DoubledAs = map[string]int{}
	for i := range r.Messages {
		switch c := found[i]; {
		case c == 0:
			r.Lost++
		case c > 1:
			r.Doubled += c - 1
			k := kinds[i]
			r.DoubledAs[fmt.Sprintf("%d complaint(s) and %d message(s)", k["complaint"], k["message"])]++
		}
	}
	if len(found) > r.Messages {
		return errors.New("the burst's count found messages it did not send")
	}
	return nil
}

// burstSummary is a line for progress.
func (r BurstResult) summary() string {
	chs := make([]string, 0, len(r.ByChannel))
	for ch, k := range r.ByChannel {
		chs = append(chs, fmt.Sprintf("%s %d", ch, k))
	}
	sort.Strings(chs)
	return fmt.Sprintf("%d messages (%v) in %s, %d lost, %d doubled, caught up %s after its end",
		r.Messages, chs, r.Took.Round(time.Second/10), r.Lost, r.Doubled, r.CatchUp.Round(time.Second/10))
}

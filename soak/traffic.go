package soak

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"sync"
	"sync/atomic"
	"time"
)

// Channels a complaint comes in by.
const (
	chWeb      = "web"
	chWhatsApp = "whatsapp"
	chSMS      = "sms"
)

// Lifecycles the clients drive.
const (
	pathHappy    = "happy"    // triage, forward, partner_answer, approve, publish, feedback
	pathAnswer   = "answer"   // triage, the pokja answers itself, publish, feedback
	pathQuestion = "question" // request_info, the complainant replies, triage, answer, publish, feedback
	pathReject   = "reject"   // reject (spam or out of scope)
	pathLate     = "late"     // the happy path with a partner who answers 20–100 s late: the timers act meanwhile
	pathSilent   = "silent"   // request_info and no reply (WhatsApp/SMS): closed for no reply
)

// outcome is what became of one action a client sent.
type outcome int

const (
	applied outcome = iota // answered 200: it must be in the audit trail exactly once
	refused                // answered 409 at its first try: it must not be there
	unsure                 // 409 after a lost try, or no answer: at most once
	// byMessage went as the complainant's WhatsApp or SMS message, which the webhook
	// answers 200 once stored, whether or not it moved the complaint: at most once.
	byMessage
)

// step is one action a client sent; Event is what its audit event records (a complainant's
// "not solved" records reopen).
type step struct {
	Event   string
	Outcome outcome
}

// record is one complaint as its clients saw it.
type record struct {
	Channel string
	Path    string
	Key     string // web: the intake's Idempotency-Key
	Phone   string // WhatsApp, SMS: the complainant's number
	Code    string // as the client learnt it (web: the answer; WhatsApp/SMS: the acknowledgement)
	Taken   bool   // the intake was answered 201 (web) or 200 (webhook)

	mu    sync.Mutex
	Steps []step
}

func (r *record) add(event string, o outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Steps = append(r.Steps, step{Event: event, Outcome: o})
}

// traffic is the soak's clients and what they saw.
type traffic struct {
	s     *stack
	o     Options
	http  *httpClient
	runID string
	seed  uint64

	phones atomic.Int64
	msgs   atomic.Int64
	// aside holds the lifecycles waiting for a late partner apart from their client.
	aside sync.WaitGroup

	mu         sync.Mutex
	records    []*record
	errs       []string // lifecycles that could not finish a request
	unexpected []string // answers that are neither success, 409, nor the system being away
}

// newTraffic prepares the clients; abort ends every request at once.
func newTraffic(s *stack, o Options, seed uint64, abort context.Context) *traffic {
	return &traffic{s: s, o: o, seed: seed, runID: randomHex(3), http: newHTTPClient(s.apiBase, 2*o.Clients+8, abort)}
}

// run drives o.Clients clients until runCtx ends; a client finishes the request in hand
// and then stops.
func (t *traffic) run(runCtx context.Context) {
	var wg sync.WaitGroup
	for i := 0; i < t.o.Clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &clientRun{t: t, ctx: runCtx, rng: rand.New(rand.NewPCG(t.seed, uint64(i)))}
			for runCtx.Err() == nil {
				c.lifecycle()
			}
		}()
	}
	wg.Wait()
	t.aside.Wait()
}

func (t *traffic) closeIdle() { t.http.hc.CloseIdleConnections() }

func (t *traffic) begun() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.records)
}

func (t *traffic) newRecord(channel string) *record {
	r := &record{Channel: channel}
	t.mu.Lock()
	t.records = append(t.records, r)
	n := len(t.records)
	t.mu.Unlock()
	switch channel {
	case chWeb:
		r.Key = fmt.Sprintf("soak-%s-%d", t.runID, n)
	default:
		// A number of its own per complaint: 62 813 and nine digits.
		r.Phone = fmt.Sprintf("62813%02d%07d", t.seed%100, t.phones.Add(1))
	}
	return r
}

func (t *traffic) failed(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errs = append(t.errs, fmt.Sprintf(format, args...))
}

func (t *traffic) odd(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.unexpected = append(t.unexpected, fmt.Sprintf(format, args...))
}

func (t *traffic) snapshot() (records []*record, errs, unexpected []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]*record(nil), t.records...), append([]string(nil), t.errs...), append([]string(nil), t.unexpected...)
}

// clientRun is one client: it takes complaints in and along, one at a time.
type clientRun struct {
	t   *traffic
	ctx context.Context // ends when traffic stops
	rng *rand.Rand
	// deck is the paths still to come: pathDeck shuffled, dealt one per lifecycle, so
	// that even a short soak drives every path in its share.
	deck []string
}

// nextPath deals the next path, shuffling a new deck when the last is used up.
func (c *clientRun) nextPath() string {
	if len(c.deck) == 0 {
		for _, x := range pathWeights {
			for i := 0; i < x.w; i++ {
				c.deck = append(c.deck, x.key)
			}
		}
		c.rng.Shuffle(len(c.deck), func(i, j int) { c.deck[i], c.deck[j] = c.deck[j], c.deck[i] })
	}
	p := c.deck[0]
	c.deck = c.deck[1:]
	return p
}

func (c *clientRun) stopped() bool { return c.ctx.Err() != nil }

// think waits as a person does between two steps (0.2–1.2 s); false when traffic stopped.
func (c *clientRun) think() bool {
	select {
	case <-c.ctx.Done():
		return false
	case <-time.After(200*time.Millisecond + time.Duration(c.rng.IntN(1000))*time.Millisecond):
		return true
	}
}

// pick chooses one of the keys by weight.
func pick(rng *rand.Rand, weights []struct {
	key string
	w   int
}) string {
	total := 0
	for _, x := range weights {
		total += x.w
	}
	n := rng.IntN(total)
	for _, x := range weights {
		if n < x.w {
			return x.key
		}
		n -= x.w
	}
	return weights[len(weights)-1].key
}

type weighted = []struct {
	key string
	w   int
}

var (
	channelWeights = weighted{{chWeb, 45}, {chWhatsApp, 30}, {chSMS, 25}}
	// pathWeights make a deck of 20 (see nextPath): 40 % happy, 15 % answered by the pokja,
	// 15 % with a question, 10 % rejected, 10 % late partner, 10 % question unanswered.
	pathWeights = weighted{{pathHappy, 8}, {pathAnswer, 3}, {pathQuestion, 3}, {pathReject, 2},
		{pathLate, 2}, {pathSilent, 2}}
	codePattern = regexp.MustCompile(`\b(ADU-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})\b`)
	linkPattern = regexp.MustCompile(`/tanggapan/([A-Za-z0-9_-]{16,64})`)
)

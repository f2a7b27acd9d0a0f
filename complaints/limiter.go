package complaints

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// clientLimiter keeps one token bucket per key (a client address, a phone number).
type clientLimiter struct {
	mu       sync.Mutex
	perSec   rate.Limit
	burst    int
	buckets  map[string]*bucket
	lastTidy time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newClientLimiter(perMinute float64, burst int) *clientLimiter {
	return &clientLimiter{perSec: rate.Limit(perMinute / 60), burst: burst, buckets: map[string]*bucket{}}
}

// allow takes a token for key, or says how long to wait for one.
func (l *clientLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastTidy) > time.Minute {
		// Forget clients whose buckets have refilled, so the map stays small.
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.lastTidy = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.perSec, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// AllowClient takes one public submission from the client at address ip (intake, a
// reply, feedback), or refuses it with KindRateLimited and how long to wait.
func (s *Service) AllowClient(ip string) error {
	if ok, wait := s.limiter.allow(ip, time.Now()); !ok {
		return rateLimited("Terlalu banyak pengiriman dari perangkat ini. Silakan coba lagi beberapa saat lagi.", wait)
	}
	return nil
}

// Code lookups. A tracking code is the only key to a complaint's tracking page, so a
// client that guesses codes is held back: each lookup of a code that does not exist
// spends one of the client's misses (LookupMissesPerMinute, LookupMissBurst), and a
// client with none left is refused every lookup (429) until they refill. A complainant
// looking up their own code never misses, so never waits.

// peek reports whether key has a token now, or how long until it has one; it takes
// nothing.
func (l *clientLimiter) peek(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return true, 0
	}
	if tokens := b.lim.TokensAt(now); tokens < 1 {
		return false, time.Duration((1 - tokens) / float64(l.perSec) * float64(time.Second))
	}
	return true, 0
}

// lookup runs find, a lookup of a complaint by its code for the client at ip: refused
// with KindRateLimited while the client has no misses left; a wrong code (KindNotFound)
// or a wrong feedback token (KindForbidden) spends one.
func (s *Service) lookup(ip string, find func() error) error {
	if ok, wait := s.misses.peek(ip, time.Now()); !ok {
		return rateLimited("Terlalu banyak kode aduan yang tidak dikenal dari perangkat ini. "+
			"Periksa kembali kode Anda dan coba lagi beberapa saat lagi.", wait)
	}
	err := find()
	if k := KindOf(err); k == KindNotFound || k == KindForbidden {
		s.misses.allow(ip, time.Now())
	}
	return err
}

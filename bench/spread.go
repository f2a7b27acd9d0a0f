package bench

import (
	"fmt"
	"slices"
	"time"
)

// Spread is a figure over runs: the smallest, the median and the largest, so a reader
// sees whether a PASS is robust or one run's luck.
type Spread struct {
	Min, Med, Max float64
	N             int
}

func spreadOf(v []float64) Spread {
	if len(v) == 0 {
		return Spread{}
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return Spread{Min: s[0], Med: medianF(s), Max: s[len(s)-1], N: len(s)}
}

// ratios is the spread of a/b, run by run.
func ratios(a, b []float64) Spread {
	var r []float64
	for i := range min(len(a), len(b)) {
		if b[i] > 0 {
			r = append(r, a[i]/b[i])
		}
	}
	return spreadOf(r)
}

// rangeText is " (min–max)" in format, or "" for a single run.
func (s Spread) rangeText(format func(float64) string) string {
	if s.N < 2 {
		return ""
	}
	return " (" + format(s.Min) + "–" + format(s.Max) + ")"
}

// ms is the median duration with its range.
func (s Spread) ms() string {
	return ms(time.Duration(s.Med)) + s.rangeText(func(v float64) string { return msBare(time.Duration(v)) })
}

// times is the median ratio with its range ("1.3× (1.1–1.6)").
func (s Spread) times() string {
	f := func(v float64) string { return fmt.Sprintf("%.2f", v) }
	return f(s.Med) + "×" + s.rangeText(f)
}

// percent is the median share with its range ("34% (30–37)").
func (s Spread) percent() string {
	f := func(v float64) string { return fmt.Sprintf("%.0f", 100*v) }
	return f(s.Med) + "%" + s.rangeText(f)
}

// rate is the median rate with its range.
func (s Spread) rate(unit string) string {
	f := func(v float64) string {
		if v < 100 {
			return fmt.Sprintf("%.1f", v)
		}
		return fmt.Sprintf("%.0f", v)
	}
	return f(s.Med) + " " + unit + s.rangeText(f)
}

// msBare is ms without the unit.
func msBare(d time.Duration) string {
	if d >= 10*time.Millisecond {
		return fmt.Sprintf("%.0f", float64(d)/1e6)
	}
	return fmt.Sprintf("%.1f", float64(d)/1e6)
}

// goalResult is the verdict on the median with how many runs met the goal on their own:
// "PASS (3/3 runs)".
func goalResult(medianOK bool, runsOK, runs int) string {
	v := verdict(medianOK)
	if runs < 2 {
		return v
	}
	return fmt.Sprintf("%s (%d/%d runs)", v, runsOK, runs)
}

// countOK counts the values that meet ok.
func countOK(v []float64, ok func(float64) bool) int {
	n := 0
	for _, x := range v {
		if ok(x) {
			n++
		}
	}
	return n
}

package soak

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"aduan/store"
)

// clientEvents are the audit events only a client's request records: each must match
// what the clients were answered (the rest are the workflow's own: submit, overdue,
// escalate, close, question_held).
var clientEvents = []string{"triage", "request_info", "reject", "forward", "answer", "partner_answer", "approve",
	"publish", "info", "feedback", "reopen"}

// check compares what the clients were answered with what PostgreSQL and the workflows
// hold, fills the report's figures and lists every failure.
func check(ctx context.Context, s *stack, tr *traffic, rep *Report, lg *logger) {
	fail := func(format string, args ...any) { rep.Failures = append(rep.Failures, fmt.Sprintf(format, args...)) }
	records, errs, unexpected := tr.snapshot()
	rep.Requests = tr.http.tally.snapshot()
	listed := func(what string, items []string) {
		for i, e := range items {
			if i == 10 {
				fail("... and %d more %s", len(items)-10, what)
				break
			}
			fail("%s: %s", what, e)
		}
	}
	rep.LostOutside = attributeLost(rep.Faults, tr.http.lostTimes())
	listed("request without an answer", errs)
	listed("unexpected answer", unexpected)
	for _, p := range []*proc{s.worker, s.api} {
		listed("process exit", p.unexpectedExits())
	}
	for _, f := range rep.Faults {
		if f.Err != "" {
			fail("%s at %s: %s", f.Kind, f.At.Round(time.Second), f.Err)
		}
	}
	if rep.SettleErr != nil {
		fail("settle: %v", rep.SettleErr)
	}

	// Every complaint a client was given a code for exists once, and nothing else does.
	var rows []struct {
		Code    string  `db:"code"`
		Channel string  `db:"channel"`
		Phone   *string `db:"phone"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT code, channel, phone FROM complaints`); err != nil {
		fail("read complaints: %v", err)
		return
	}
	byCode := map[string]string{}
	byPhone := map[string][]string{}
	for _, r := range rows {
		byCode[r.Code] = r.Channel
		if r.Phone != nil {
			byPhone[*r.Phone] = append(byPhone[*r.Phone], r.Code)
		}
	}
	rep.Channels, rep.Paths = map[string]int{}, map[string]int{}
	owner := map[string]int{}
	taken := 0
	for i, rec := range records {
		if !rec.Taken {
			continue
		}
		taken++
		rep.Channels[rec.Channel]++
		if rec.Path != "" {
			rep.Paths[rec.Path]++
		}
		if rec.Channel != chWeb {
			codes := byPhone[rec.Phone]
			if len(codes) != 1 {
				fail("%s complaint from a soak number: %d complaints for the number, want 1", rec.Channel, len(codes))
				continue
			}
			if rec.Code != "" && rec.Code != codes[0] {
				fail("%s complaint %s: the acknowledgement said %s", rec.Channel, codes[0], rec.Code)
			}
			rec.Code = codes[0]
			if got := s.prov.find(rec.Phone, codePattern); got != rec.Code {
				fail("%s complaint %s: the complainant's phone never received its code (got %q)", rec.Channel, rec.Code, got)
			}
		}
		if _, ok := byCode[rec.Code]; !ok {
			fail("%s complaint %s answered to a client does not exist", rec.Channel, rec.Code)
			continue
		}
		if j, seen := owner[rec.Code]; seen {
			fail("complaint %s given to two intakes (%d and %d)", rec.Code, j, i)
		}
		owner[rec.Code] = i
	}
	rep.Complaints = len(rows)
	if len(rows) != taken {
		fail("%d complaints in PostgreSQL for %d intakes the clients were answered", len(rows), taken)
	}

	// Every action answered 200 is in the audit trail exactly once; one refused is not;
	// one whose answer was lost (or that went as a message) at most once. The trail is
	// numbered 1..n without a gap and starts with one submit.
	var evs []struct {
		Code   string `db:"code"`
		Seq    int64  `db:"seq"`
		Action string `db:"action"`
		Role   string `db:"role"`
	}
	if err := s.db.SelectContext(ctx, &evs, `SELECT code, seq, action, role FROM complaint_events ORDER BY code, seq`); err != nil {
		fail("read events: %v", err)
		return
	}
	counts := map[string]map[string]int{}
	rep.SystemEvents = map[string]int{}
	next := map[string]int64{}
	gaps := 0
	for _, e := range evs {
		if counts[e.Code] == nil {
			counts[e.Code] = map[string]int{}
		}
		counts[e.Code][e.Action]++
		if e.Role == "system" {
			rep.SystemEvents[e.Action]++
		}
		if next[e.Code]++; e.Seq != next[e.Code] {
			if gaps++; gaps <= 5 {
				fail("%s: event %d where %d was due", e.Code, e.Seq, next[e.Code])
			}
			next[e.Code] = e.Seq
		}
	}
	bad := 0
	for _, rec := range records {
		if !rec.Taken || rec.Code == "" {
			continue
		}
		got := counts[rec.Code]
		if got["submit"] != 1 {
			if bad++; bad <= 10 {
				fail("%s: %d submit events, want 1", rec.Code, got["submit"])
			}
		}
		want := map[string][3]int{} // event → applied, unsure, by message
		for _, st := range rec.Steps {
			w := want[st.Event]
			switch st.Outcome {
			case applied:
				w[0]++
				rep.Actions.Applied++
			case refused:
				rep.Actions.Refused++
			case unsure:
				w[1]++
				rep.Actions.Unsure++
			case byMessage:
				w[2]++
				rep.Actions.Messages++
			}
			want[st.Event] = w
		}
		for _, ev := range clientEvents {
			n, w := got[ev], want[ev]
			if n < w[0] || n > w[0]+w[1]+w[2] {
				if bad++; bad <= 10 {
					fail("%s (%s, %s): %d %s events for %d answered 200, %d unsure and %d by message",
						rec.Code, rec.Channel, rec.Path, n, ev, w[0], w[1], w[2])
				}
			}
			// What is recorded beyond the 200s goes to the messages first: one whose
			// answer was lost is the rarer.
			extra := max(0, n-w[0])
			m := min(extra, w[2])
			rep.Actions.MessagesRecorded += m
			rep.Actions.UnsureRecorded += min(extra-m, w[1])
		}
	}
	if bad > 10 {
		fail("... %d complaints whose audit trail does not match their clients' answers", bad)
	}

	rep.Statuses = countBy(ctx, s.db, `SELECT status AS k, count(*) AS n FROM complaints GROUP BY status`, fail)
	rep.CloseReasons = countBy(ctx, s.db, `SELECT coalesce(close_reason, 'closed by staff or feedback') AS k, count(*) AS n
		FROM complaints WHERE status = 'closed' GROUP BY 1`, fail)
	rep.Notifications = countBy(ctx, s.db, `SELECT kind AS k, count(*) AS n FROM notifications WHERE sent_at IS NOT NULL GROUP BY kind`, fail)
	rep.ProviderMessages = s.prov.sent()

	// The operator's check: `aduan verify`, the real command, exits 0 with no drift. A
	// timer firing between its read of a row and its query of the workflow shows as
	// drift for a moment, so it gets three tries.
	for try := 1; try <= 3; try++ {
		cmd := exec.CommandContext(ctx, s.o.AduanBin, "verify")
		cmd.Env = append(cmd.Environ(), s.worker.env...)
		out, err := cmd.CombinedOutput()
		rep.VerifyCommand = lastLines(string(out), 2)
		if err == nil {
			break
		}
		if try == 3 {
			fail("aduan verify: %v\n%s", err, lastLines(string(out), 12))
		}
		time.Sleep(2 * time.Second)
	}
	if rep.Verify.Checked != rep.Complaints {
		fail("verify checked %d complaints of %d", rep.Verify.Checked, rep.Complaints)
	}

	// Memory and descriptors: flat after warm-up.
	rep.Flat = flatness(rep.Samples)
	for _, f := range rep.Flat {
		if !f.OK {
			fail("%s not flat: %s", f.Process, f.Text)
		}
	}
	lg.printf("soak: checked %d complaints, %d actions answered 200; %d failures", rep.Complaints, rep.Actions.Applied, len(rep.Failures))
}

func countBy(ctx context.Context, db *store.DB, query string, fail func(string, ...any)) map[string]int {
	var rows []struct {
		K string `db:"k"`
		N int    `db:"n"`
	}
	out := map[string]int{}
	if err := db.SelectContext(ctx, &rows, query); err != nil {
		fail("%v", err)
		return out
	}
	for _, r := range rows {
		out[r.K] = r.N
	}
	return out
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Flat is one process's memory and descriptors at the end against after warm-up.
type Flat struct {
	Process string
	OK      bool
	Text    string
}

// flatness compares the end sample with the warm-up one: RSS within MaxRSSGrowth,
// descriptors of the process's own within MaxFDGrowth, and its PostgreSQL connections
// within the pool's bound (store.Open: 20).
func flatness(samples []Sample) []Flat {
	var warm, end *Sample
	for i := range samples {
		switch samples[i].Label {
		case "warm-up":
			warm = &samples[i]
		case "end":
			end = &samples[i]
		}
	}
	if warm == nil || end == nil {
		return []Flat{{Process: "worker and API", Text: "no warm-up or end sample"}}
	}
	one := func(name string, w, e ProcSample) Flat {
		if w.PID == 0 || e.PID == 0 {
			return Flat{Process: name, Text: "down when sampled"}
		}
		growth := float64(e.RSS-w.RSS) / float64(w.RSS)
		ok := growth <= MaxRSSGrowth && e.Own() <= w.Own()+MaxFDGrowth && e.DBConns <= 20
		text := fmt.Sprintf("RSS %s → %s (%+.0f %%, at most +%.0f %%); own descriptors %d → %d (at most +%d); PostgreSQL connections %d → %d (pool at most 20)",
			mib(w.RSS), mib(e.RSS), 100*growth, 100*MaxRSSGrowth, w.Own(), e.Own(), MaxFDGrowth, w.DBConns, e.DBConns)
		if w.PID != e.PID {
			text += fmt.Sprintf(" (pid %d after warm-up, %d at the end: restarted by a fault)", w.PID, e.PID)
		}
		return Flat{Process: name, OK: ok, Text: text}
	}
	return []Flat{one("worker", warm.Worker, end.Worker), one("API", warm.API, end.API)}
}

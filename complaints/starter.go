package complaints

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/api/serviceerror"

	"aduan/reqid"
	"aduan/store"
	"aduan/workflows"
)

// starter starts new complaints' workflows in the background. Intake answers as soon as
// the complaint is committed to PostgreSQL, which is what makes it durable, and does not
// wait for Temporal: a complaint is taken as fast as the database takes a row, even when
// the workflow side is busy. What the starter cannot start (queue full, Temporal down,
// the process stopped) the worker's relay starts later from the unstarted rows, and an
// action that arrives first starts the workflow itself: a staff action by
// Update-with-Start, a complainant's reply or feedback by startNow. Nothing is lost.
//
// During a burst of intake the starter gives way: it starts a workflow once intake has
// been quiet for a moment, or once the complaint has waited workflows.StartGiveWay. The
// burst is taken at the speed of PostgreSQL, and the workflows follow right after it.
type starter struct {
	queue   chan queued
	start   func(context.Context, workflows.Input) error
	timeout time.Duration
	workers int
	// giveWay is how long a complaint's start waits for intake to go quiet at most
	// (workflows.StartGiveWay; tests shorten it).
	giveWay time.Duration
	// lastIntake is when the last complaint was queued (Unix nanoseconds).
	lastIntake atomic.Int64
	// stop ends the goroutines; wg waits for them.
	stop     chan struct{}
	wg       sync.WaitGroup
	startMu  sync.Mutex
	running  bool
	stopOnce sync.Once
}

// queued is a complaint waiting for its workflow, with when it was queued and the id of
// the request that took it in (its start carries it to the workflow, package reqid).
type queued struct {
	in  workflows.Input
	at  time.Time
	rid string
}

// intakeQuiet is how long intake must have been quiet before the starter goes on.
const intakeQuiet = 50 * time.Millisecond

// newStarter makes a starter of n goroutines taking workflows to start from a queue of
// size; Start runs them.
func newStarter(n, size int, timeout time.Duration, start func(context.Context, workflows.Input) error) *starter {
	return &starter{queue: make(chan queued, size), start: start, timeout: timeout, workers: n,
		giveWay: workflows.StartGiveWay, stop: make(chan struct{})}
}

// Start runs the goroutines (once).
func (st *starter) Start() {
	st.startMu.Lock()
	defer st.startMu.Unlock()
	if st.running {
		return
	}
	st.running = true
	for range st.workers {
		st.wg.Add(1)
		go st.run()
	}
}

// Stop ends the goroutines once the starts in progress are done. Complaints still queued
// are the relay's.
func (st *starter) Stop() {
	st.stopOnce.Do(func() { close(st.stop) })
	st.wg.Wait()
}

// enqueue hands a committed complaint to the starter; a full queue leaves it to the relay.
// ctx is intake's, for its request id.
func (st *starter) enqueue(ctx context.Context, in workflows.Input) {
	now := time.Now()
	st.lastIntake.Store(now.UnixNano())
	select {
	case st.queue <- queued{in: in, at: now, rid: reqid.From(ctx)}:
	default:
		slog.Info("start queue full; the relay will start the workflow", "code", in.Case.Code)
	}
}

func (st *starter) run() {
	defer st.wg.Done()
	for {
		var q queued
		select {
		case <-st.stop:
			return
		case q = <-st.queue:
		}
		for time.Since(q.at) < st.giveWay && time.Since(time.Unix(0, st.lastIntake.Load())) < intakeQuiet {
			select {
			case <-st.stop:
				return
			case <-time.After(intakeQuiet / 2):
			}
		}
		ctx, cancel := context.WithTimeout(reqid.With(context.Background(), q.rid), st.timeout)
		if err := st.start(ctx, q.in); err != nil {
			slog.Warn("workflow start failed; the relay will start it", "code", q.in.Case.Code, "err", err)
		}
		cancel()
	}
}

// startQueued starts the workflow of a complaint the starter took from its queue, unless
// an action has started it meanwhile (Update-with-Start): a PostgreSQL read is cheaper
// than a start request to a busy Temporal server.
func (s *Service) startQueued(ctx context.Context, in workflows.Input) error {
	if started, err := s.db.WorkflowStarted(ctx, in.Case.Code); err == nil && started {
		return nil
	}
	return s.startAndMark(ctx, in)
}

// startAndMark starts a complaint's workflow and records that it runs.
func (s *Service) startAndMark(ctx context.Context, in workflows.Input) error {
	if err := workflows.Start(ctx, s.temporal, s.cfg.TaskQueue, in); err != nil {
		return err
	}
	if err := s.db.MarkWorkflowStarted(ctx, in.Case.Code); err != nil {
		// The workflow runs; the relay's next start of it is a harmless no-op.
		slog.Warn("marking workflow started failed", "code", in.Case.Code, "err", err)
	}
	return nil
}

// startNow starts the workflow of a complaint that an action reached before the starter
// or the relay did. It reports whether the action should be tried again: the workflow was
// started now, or was started meanwhile (the starter marks a complaint once its workflow
// runs). A complaint unknown to PostgreSQL, or whose workflow ended, is not retried.
func (s *Service) startNow(ctx context.Context, code string) (bool, error) {
	row, err := s.db.Complaint(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if row.WorkflowStarted {
		// Started meanwhile, or archived long ago: only the latter ends with its 409.
		return time.Since(row.CreatedAt) < time.Hour, nil
	}
	in, err := s.initialInput(ctx, row)
	if err != nil {
		return false, err
	}
	return true, s.startAndMark(ctx, in)
}

// initialInput is the workflow input of a complaint intake recorded: its deadlines are
// planned from when it was received, as intake planned them.
func (s *Service) initialInput(ctx context.Context, row store.Complaint) (workflows.Input, error) {
	policy, err := s.policy(ctx)
	if err != nil {
		return workflows.Input{}, err
	}
	return workflows.NewInput(row.CaseState(), policy, s.cfg.SLAOverride), nil
}

// isNotFound reports whether err says the workflow does not exist (yet, or any more).
func isNotFound(err error) bool {
	var missing *serviceerror.NotFound
	return errors.As(err, &missing)
}

package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"aduan/domain"
	"aduan/worker"
)

// TestWorkerVersioning tries Temporal's Worker Deployments on the production profile's
// server (1.29.1): complaints run on build 1; build 2 starts beside it and is made the
// deployment's current version; build 1 stops; the complaints carry on to published on
// build 2 (AutoUpgrade), and Temporal says which build ran them last.
func TestWorkerVersioning(t *testing.T) {
	if !clusterMode() {
		t.Skip("worker versioning is tried on the production profile's server (ADUAN_E2E_TEMPORAL=cluster)")
	}
	db, toks := freshDatabase(t)
	hostPort := ownTemporal(t, false).hostPort
	c := dialTemporal(t, hostPort)
	tq := "aduan-versioning-" + randomHex(4)
	deployment := "aduan-" + randomHex(3)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	startBuild := func(build string) func() {
		w := worker.NewWithPublisher(c, db, tq, nil, nil, worker.WithDeployment(deployment, build))
		if err := w.Start(); err != nil {
			t.Fatalf("start worker %s: %v", build, err)
		}
		return w.Stop
	}
	makeCurrent := func(build string) {
		h := c.WorkerDeploymentClient().GetHandle(deployment)
		var err error
		// The version exists once its worker has polled; until then it is refused.
		if !eventually(60*time.Second, func() bool {
			_, err = h.SetCurrentVersion(ctx, client.WorkerDeploymentSetCurrentVersionOptions{BuildID: build})
			return err == nil
		}) {
			t.Fatalf("set current version %s: %v", build, err)
		}
	}
	stop1 := startBuild("build-1")
	makeCurrent("build-1")
	srv := inProcessAPI(t, c, db, tq)
	bctx, bcancel := context.WithCancel(ctx)
	bdone := make(chan struct{})
	go func() { defer close(bdone); worker.RunBackground(bctx, c, db, tq, nil, time.Second) }()
	defer func() { bcancel(); <-bdone }()

	d := newDriver(toks, srv.URL)
	const n = 3
	codes := make([]string, n)
	for i := range codes {
		cursor := 0
		code, err := d.submitFrom(&cursor, intakeBody(d.run, i), fmt.Sprintf("versioning-%s-%d", d.run, i))
		if err != nil {
			t.Fatal(err)
		}
		codes[i] = code
		for _, s := range happyPath[:2] {
			if err := d.act(&cursor, code, s.user, s.action, s.body, s.want); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("%d complaints at the partner on build-1", n)

	stop2 := startBuild("build-2")
	defer stop2()
	makeCurrent("build-2")
	stop1()
	t.Logf("build-2 is current; build-1 stopped")
	for _, code := range codes {
		cursor := 0
		for _, s := range happyPath[2:] {
			if err := d.act(&cursor, code, s.user, s.action, s.body, s.want); err != nil {
				t.Fatalf("after the switch: %v", err)
			}
		}
		desc, err := c.DescribeWorkflow(ctx, domain.WorkflowID(code), "")
		if err != nil {
			t.Fatal(err)
		}
		info := desc.RawResponse.GetWorkflowExecutionInfo().GetVersioningInfo()
		if got := info.GetDeploymentVersion().GetBuildId(); got != "build-2" {
			t.Errorf("%s: last run on %q (%v), want build-2", code, got, info)
		}
	}
	checkPublished(t, db, codes)
	checkNoDrift(t, db, c, n, 30*time.Second)
}

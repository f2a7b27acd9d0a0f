package worker

import (
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/workflow"

	sdkworker "go.temporal.io/sdk/worker"

	"aduan/workflows"
)

// TestReplayRecordedHistories replays histories of real lifecycles, recorded from the dev
// server by the e2e tests (ADUAN_RECORD_HISTORIES=1 go test ./e2e/), against today's
// workflow code: testdata/history_*.json, one per lifecycle. A failure means a change is
// not deterministic for running complaints: guard it with workflow.GetVersion.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("../testdata/history_*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("found %d recorded histories in testdata/, want at least 3", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := sdkworker.NewWorkflowReplayer()
			r.RegisterWorkflowWithOptions(workflows.Complaint, workflow.RegisterOptions{Name: workflows.WorkflowName})
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}

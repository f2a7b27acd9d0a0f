package activities

import (
	"errors"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"
)

// TestJoinAttempts: the announcement is retried while either half may still succeed, and
// given up only when every failure is final.
func TestJoinAttempts(t *testing.T) {
	final := temporal.NewNonRetryableApplicationError("confidential", "Confidential", nil)
	passing := errors.New("site down")
	isFinal := func(err error) bool {
		var app *temporal.ApplicationError
		return errors.As(err, &app) && app.NonRetryable()
	}
	if err := joinAttempts(nil, nil); err != nil {
		t.Errorf("both succeeded: %v", err)
	}
	if err := joinAttempts(nil, passing); err == nil || isFinal(err) {
		t.Errorf("one passing failure: %v, want a retryable error", err)
	}
	if err := joinAttempts(final, passing); err == nil || isFinal(err) {
		t.Errorf("final and passing failures: %v, want a retryable error", err)
	}
	if err := joinAttempts(final, nil); !isFinal(err) {
		t.Errorf("one final failure: %v, want a non-retryable error", err)
	}
	if err := joinAttempts(final, final); !isFinal(err) || !strings.HasPrefix(err.Error(), "confidential") {
		t.Errorf("two final failures: %v", err)
	}
}

package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"

	"aduan/temporaladmin"
	"aduan/workflows"
)

// TestSetupTemporal: what `aduan setup-temporal` does to a cluster. On a namespace that
// does not exist it creates it and adds all ten attributes; run again it adds nothing;
// on a namespace where one attribute has another type it fails naming that attribute.
func TestSetupTemporal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	attrs, err := temporaladmin.ParseAttributes(workflows.SearchAttributeTypes)
	if err != nil {
		t.Fatal(err)
	}
	ns := "aduan-setup-" + randomHex(3)
	rep, err := temporaladmin.Ensure(ctx, tc, ns, 24*time.Hour, attrs)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.NamespaceCreated || len(rep.Added) != len(attrs) || len(rep.Present) != 0 {
		t.Errorf("first run: %s", rep)
	}
	rep, err = temporaladmin.Ensure(ctx, tc, ns, 24*time.Hour, attrs)
	if err != nil {
		t.Fatal(err)
	}
	if rep.NamespaceCreated || len(rep.Added) != 0 || len(rep.Present) != len(attrs) {
		t.Errorf("second run must change nothing: %s", rep)
	}

	// Another namespace where someone registered AduanPokja as Text.
	bad := "aduan-setup-bad-" + randomHex(3)
	if _, err := temporaladmin.Ensure(ctx, tc, bad, 24*time.Hour, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: bad,
		SearchAttributes: map[string]enumspb.IndexedValueType{"AduanPokja": enumspb.INDEXED_VALUE_TYPE_TEXT}}); err != nil {
		t.Fatal(err)
	}
	_, err = temporaladmin.Ensure(ctx, tc, bad, 24*time.Hour, attrs)
	if !errors.Is(err, temporaladmin.ErrWrongType) || !strings.Contains(err.Error(), "AduanPokja is Text") {
		t.Fatalf("want the wrong type named, got %v", err)
	}
	if _, err := temporaladmin.ParseAttributes([]string{"AduanX=Nonsense"}); err == nil {
		t.Errorf("an unknown type must be refused")
	}
}

// Package temporaladmin prepares a Temporal cluster for Aduan: the namespace and the
// search attributes of the complaint workflow. `aduan setup-temporal` runs it against a
// self-hosted cluster; it is safe to run again at every deployment.
package temporaladmin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Attribute is one search attribute: its name and its type as the CLI spells it
// (Keyword, Datetime, Bool, ...).
type Attribute struct {
	Name, Type string
}

// ParseAttributes reads NAME=Type specs (the dev server's --search-attribute form).
func ParseAttributes(specs []string) ([]Attribute, error) {
	attrs := make([]Attribute, 0, len(specs))
	for _, spec := range specs {
		name, typ, ok := strings.Cut(spec, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("search attribute %q is not NAME=Type", spec)
		}
		if _, err := indexedType(typ); err != nil {
			return nil, err
		}
		attrs = append(attrs, Attribute{Name: name, Type: typ})
	}
	return attrs, nil
}

func indexedType(typ string) (enumspb.IndexedValueType, error) {
	v, ok := enumspb.IndexedValueType_value["INDEXED_VALUE_TYPE_"+strings.ToUpper(typ)]
	if !ok || v == 0 {
		return 0, fmt.Errorf("search attribute type %q is not a Temporal type", typ)
	}
	return enumspb.IndexedValueType(v), nil
}

// Report says what Ensure found and did.
type Report struct {
	NamespaceCreated bool
	Added, Present   []string
}

func (r Report) String() string {
	var b strings.Builder
	if r.NamespaceCreated {
		b.WriteString("namespace created; ")
	}
	fmt.Fprintf(&b, "%d search attributes added", len(r.Added))
	if len(r.Added) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(r.Added, ", "))
	}
	fmt.Fprintf(&b, ", %d already present with the right type", len(r.Present))
	return b.String()
}

// ErrWrongType is wrapped by Ensure's error when an attribute exists with another type;
// Temporal cannot change the type of an attribute, so the operator must decide.
var ErrWrongType = errors.New("search attribute exists with another type")

// Ensure makes namespace exist (registered with retention when missing) and holds every
// attribute with its type: it adds the missing ones and refuses, naming it, an
// attribute registered with another type. It changes nothing else, so it can run at
// every deployment.
func Ensure(ctx context.Context, c client.Client, namespace string, retention time.Duration, attrs []Attribute) (Report, error) {
	var rep Report
	created, err := ensureNamespace(ctx, c, namespace, retention)
	if err != nil {
		return rep, err
	}
	rep.NamespaceCreated = created
	existing, err := listAttributes(ctx, c, namespace, created)
	if err != nil {
		return rep, err
	}
	missing := map[string]enumspb.IndexedValueType{}
	for _, a := range attrs {
		want, err := indexedType(a.Type)
		if err != nil {
			return rep, err
		}
		have, ok := existing[a.Name]
		switch {
		case !ok:
			missing[a.Name] = want
			rep.Added = append(rep.Added, a.Name)
		case have != want:
			return rep, fmt.Errorf("%w: %s is %s in namespace %s, Aduan needs %s", ErrWrongType, a.Name,
				typeName(have), namespace, a.Type)
		default:
			rep.Present = append(rep.Present, a.Name)
		}
	}
	slices.Sort(rep.Added)
	slices.Sort(rep.Present)
	if len(missing) > 0 {
		_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
			Namespace: namespace, SearchAttributes: missing,
		})
		if err != nil {
			return rep, fmt.Errorf("add search attributes %s: %w", strings.Join(rep.Added, ", "), err)
		}
	}
	return rep, waitUsable(ctx, c, namespace, attrs)
}

// waitUsable waits until the frontend accepts a visibility query naming every attribute.
// A new attribute (or namespace) reaches the servers' namespace caches some seconds after
// it is stored; a workflow started before that is refused ("no mapping defined for
// search attribute"), so setup is done only when the attributes can be used.
func waitUsable(ctx context.Context, c client.Client, namespace string, attrs []Attribute) error {
	var terms []string
	for _, a := range attrs {
		terms = append(terms, a.Name+" "+sampleCondition(a.Type))
	}
	query := strings.Join(terms, " AND ")
	deadline := time.Now().Add(2 * time.Minute)
	for {
		_, err := c.WorkflowService().CountWorkflowExecutions(ctx, &workflowservice.CountWorkflowExecutionsRequest{
			Namespace: namespace, Query: query})
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the search attributes are registered but the cluster does not accept them yet: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// sampleCondition is a condition any attribute of type typ accepts.
func sampleCondition(typ string) string {
	switch strings.ToLower(typ) {
	case "bool":
		return "= false"
	case "datetime":
		return "> '2000-01-01T00:00:00Z'"
	case "int", "double":
		return "= 0"
	default:
		return "= ''"
	}
}

func typeName(t enumspb.IndexedValueType) string {
	s := strings.TrimPrefix(t.String(), "INDEXED_VALUE_TYPE_")
	if s == "" {
		return "unknown"
	}
	return s[:1] + strings.ToLower(s[1:])
}

// ensureNamespace registers namespace when Temporal does not know it.
func ensureNamespace(ctx context.Context, c client.Client, namespace string, retention time.Duration) (bool, error) {
	_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
	var notFound *serviceerror.NamespaceNotFound
	if err == nil {
		return false, nil
	}
	if !errors.As(err, &notFound) {
		return false, fmt.Errorf("describe namespace %s: %w", namespace, err)
	}
	_, err = c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: namespace, WorkflowExecutionRetentionPeriod: durationpb.New(retention),
		Description: "Aduan: complaint case management",
	})
	var exists *serviceerror.NamespaceAlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return false, fmt.Errorf("register namespace %s: %w", namespace, err)
	}
	return err == nil, nil
}

// listAttributes reads the namespace's custom search attributes. A namespace just
// registered takes a moment to reach every frontend (its cache refreshes every few
// seconds), so a fresh one is asked again for a while.
func listAttributes(ctx context.Context, c client.Client, namespace string, fresh bool) (map[string]enumspb.IndexedValueType, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
		if err == nil {
			return resp.GetCustomAttributes(), nil
		}
		var notFound *serviceerror.NamespaceNotFound
		if !fresh || !errors.As(err, &notFound) || time.Now().After(deadline) {
			return nil, fmt.Errorf("list search attributes of %s: %w", namespace, err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"strings"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"

	enumspb "go.temporal.io/api/enums/v1"

	"aduan/config"
	"aduan/domain"
	"aduan/store"
	"aduan/workflows"
)

// runUser manages staff users: `user create` and `user token`.
func runUser(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: aduan user create --username U --name N --role R [--group G] | aduan user token USERNAME")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("user create", flag.ExitOnError)
		username := fs.String("username", "", "login name (required)")
		name := fs.String("name", "", "full name (required)")
		role := fs.String("role", "", "admin, pokja, partner or supervisor (required)")
		group := fs.String("group", "", "pokja ID for role pokja, partner ID for role partner")
		email := fs.String("email", "", "e-mail address for notifications (optional)")
		head := fs.Bool("head", false, "head of office: receives the second escalation level (supervisors only)")
		_ = fs.Parse(args[1:])
		r := domain.Role(*role)
		switch {
		case *username == "" || *name == "":
			return errors.New("--username and --name are required")
		case !r.Valid():
			return fmt.Errorf("--role must be admin, pokja, partner or supervisor, not %q", *role)
		case (r == domain.RolePokja || r == domain.RolePartner) && *group == "":
			return fmt.Errorf("--group is required for role %s", r)
		}
		if r == domain.RolePokja {
			if ok, err := db.PokjaExists(ctx, *group); err != nil || !ok {
				return fmt.Errorf("unknown pokja %q", *group)
			}
		}
		if r == domain.RolePartner {
			if ok, err := db.PartnerExists(ctx, *group); err != nil || !ok {
				return fmt.Errorf("unknown partner %q", *group)
			}
		}
		if *head && r != domain.RoleSupervisor {
			return errors.New("--head is for supervisors")
		}
		user := store.NewStaff(*username, *name, r, *group)
		user.Email = sql.NullString{String: *email, Valid: *email != ""}
		user.HeadOfOffice = *head
		if err := db.UpsertStaff(ctx, user); err != nil {
			return err
		}
		return printToken(ctx, db, *username)
	case "token":
		if len(args) != 2 {
			return errors.New("usage: aduan user token USERNAME")
		}
		return printToken(ctx, db, args[1])
	}
	return fmt.Errorf("unknown user command %q", args[0])
}

func printToken(ctx context.Context, db *store.DB, username string) error {
	token, err := db.IssueToken(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user %q", username)
	}
	if err != nil {
		return err
	}
	fmt.Printf("token for %s (shown once; only its hash is stored):\n%s\n", username, token)
	return nil
}

// runSetupTemporal registers the search attributes on a real cluster (the dev server
// gets them as start flags). Attributes that exist already are left alone.
func runSetupTemporal(ctx context.Context, cfg config.Config, _ []string) error {
	tc, err := dialTemporal(cfg)
	if err != nil {
		return err
	}
	defer tc.Close()
	attrs := map[string]enumspb.IndexedValueType{}
	for _, spec := range workflows.SearchAttributeTypes {
		name, typ, _ := strings.Cut(spec, "=")
		attrs[name] = enumspb.IndexedValueType(enumspb.IndexedValueType_value["INDEXED_VALUE_TYPE_"+strings.ToUpper(typ)])
	}
	_, err = tc.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: cfg.Temporal.Namespace, SearchAttributes: attrs,
	})
	var exists *serviceerror.AlreadyExists
	if errors.As(err, &exists) {
		fmt.Println("search attributes already registered")
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Printf("registered %d search attributes in namespace %s\n", len(attrs), cfg.Temporal.Namespace)
	return nil
}

// runSearchAttributeFlags prints the dev server's flags (search attributes, and the
// SQLite settings for its history file), so scripts take them from the code instead of
// keeping a copy.
func runSearchAttributeFlags(_ context.Context, _ config.Config, _ []string) error {
	fmt.Println(strings.Join(devServerFlags(true), " "))
	return nil
}

// devServerFlags are the flags our Temporal CLI dev server starts with (make run; the
// tests and aduan-bench start theirs with the same flags, from bench.DevServerFlags):
// every search attribute of the complaint workflow, and, when it keeps its history in
// a file, the SQLite settings a server wants: write-ahead logging with
// synchronous=NORMAL. SQLite's defaults (a rollback journal synced in full on every
// commit) made the dev server the bottleneck of make bench; with WAL a committed
// transaction survives a crash of the server process (the fault tests kill it), and at
// worst the last ones are lost if the machine itself loses power. Production runs on a
// real Temporal cluster instead.
func devServerFlags(dbFile bool) []string {
	var flags []string
	for _, spec := range workflows.SearchAttributeTypes {
		flags = append(flags, "--search-attribute", spec)
	}
	if dbFile {
		flags = append(flags, "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal")
	}
	return flags
}

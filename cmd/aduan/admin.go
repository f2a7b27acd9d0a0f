package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"aduan/accounts"
	"aduan/config"
	"aduan/domain"
	"aduan/store"
	"aduan/temporaladmin"
	"aduan/workflows"
)

const userUsage = `usage: aduan user create --username U --name N --role R [--group G]
       aduan user token USERNAME [--days N]
       aduan user invite USERNAME
       aduan user deactivate USERNAME | aduan user activate USERNAME`

// runUser manages staff users: `user create`, `user token`, `user invite`, `user
// deactivate` and `user activate`.
func runUser(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) == 0 {
		return errors.New(userUsage)
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
		return printToken(ctx, db, *username, store.DefaultTokenTTL)
	case "token":
		fs := flag.NewFlagSet("user token", flag.ExitOnError)
		days := fs.Int("days", 90, "days the token works (1 or more)")
		username, err := oneName(fs, args[1:], "aduan user token USERNAME [--days N]")
		if err != nil {
			return err
		}
		if *days < 1 {
			return errors.New("--days must be 1 or more")
		}
		return printToken(ctx, db, username, time.Duration(*days)*24*time.Hour)
	case "invite":
		username, err := oneName(flag.NewFlagSet("user invite", flag.ExitOnError), args[1:], "aduan user invite USERNAME")
		if err != nil {
			return err
		}
		token, err := accounts.New(db, accounts.Config{}).Invite(ctx, username)
		if accounts.KindOf(err) == accounts.KindNotFound {
			return fmt.Errorf("no user %q", username)
		}
		if err != nil {
			return err
		}
		fmt.Printf("invite for %s (works once, for 72 hours; only its hash is stored):\n%s/staf/undangan/%s\n",
			username, cfg.HTTP.PublicURL, token)
		return nil
	case "deactivate", "activate":
		username, err := oneName(flag.NewFlagSet("user "+args[0], flag.ExitOnError), args[1:], "aduan user "+args[0]+" USERNAME")
		if err != nil {
			return err
		}
		acc := accounts.New(db, accounts.Config{})
		if args[0] == "deactivate" {
			err = acc.Deactivate(ctx, username)
		} else {
			err = acc.Activate(ctx, username)
		}
		if accounts.KindOf(err) == accounts.KindNotFound {
			return fmt.Errorf("no user %q", username)
		}
		if err != nil {
			return err
		}
		if args[0] == "deactivate" {
			fmt.Printf("%s deactivated: sessions ended, tokens revoked\n", username)
		} else {
			fmt.Printf("%s active again (issue a new token with aduan user token %s)\n", username, username)
		}
		return nil
	}
	return fmt.Errorf("unknown user command %q\n%s", args[0], userUsage)
}

// oneName parses fs from args, flags before or after the one name they must hold.
func oneName(fs *flag.FlagSet, args []string, usage string) (string, error) {
	var names []string
	for {
		_ = fs.Parse(args)
		if fs.NArg() == 0 {
			break
		}
		names = append(names, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(names) != 1 {
		return "", errors.New("usage: " + usage)
	}
	return names[0], nil
}

func printToken(ctx context.Context, db *store.DB, username string, ttl time.Duration) error {
	token, err := db.IssueTokenFor(ctx, username, ttl)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no active user %q", username)
	}
	if err != nil {
		return err
	}
	fmt.Printf("token for %s, until %s (shown once; only its hash is stored; revoke it with aduan token revoke %s):\n%s\n",
		username, time.Now().Add(ttl).Format("2006-01-02 15:04 MST"), token[:store.TokenPrefixLen], token)
	return nil
}

// runToken revokes API tokens: `token revoke TOKEN-PREFIX` or `token revoke --all USERNAME`.
func runToken(ctx context.Context, cfg config.Config, args []string) error {
	const usage = "usage: aduan token revoke TOKEN-PREFIX | aduan token revoke --all USERNAME"
	if len(args) < 2 || args[0] != "revoke" {
		return errors.New(usage)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	acc := accounts.New(db, accounts.Config{})
	if args[1] == "--all" || args[1] == "-all" {
		if len(args) != 3 {
			return errors.New(usage)
		}
		n, err := acc.RevokeAllTokens(ctx, args[2])
		if accounts.KindOf(err) == accounts.KindNotFound {
			return fmt.Errorf("no user %q", args[2])
		}
		if err != nil {
			return err
		}
		fmt.Printf("%d token(s) of %s revoked\n", n, args[2])
		return nil
	}
	if len(args) != 2 {
		return errors.New(usage)
	}
	username, err := acc.RevokeToken(ctx, args[1])
	if accounts.KindOf(err) == accounts.KindNotFound {
		return fmt.Errorf("no live token starts with %q", args[1])
	}
	if err != nil {
		return err
	}
	fmt.Printf("token of %s revoked\n", username)
	return nil
}

// runSetupTemporal registers the search attributes on a real cluster (the dev server
// gets them as start flags). Attributes that exist already are left alone.
func runSetupTemporal(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("setup-temporal", flag.ExitOnError)
	retention := fs.Duration("retention", 30*24*time.Hour,
		"how long Temporal keeps a closed complaint's history (used only when the namespace is created)")
	_ = fs.Parse(args)
	attrs, err := temporaladmin.ParseAttributes(workflows.SearchAttributeTypes)
	if err != nil {
		return err
	}
	tc, err := dialTemporal(cfg)
	if err != nil {
		return err
	}
	defer tc.Close()
	rep, err := temporaladmin.Ensure(ctx, tc, cfg.Temporal.Namespace, *retention, attrs)
	if err != nil {
		return err
	}
	fmt.Printf("namespace %s: %s\n", cfg.Temporal.Namespace, rep)
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

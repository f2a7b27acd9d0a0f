package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"aduan/config"
	"aduan/domain"
)

// runPolicy shows and changes the regency's deadline policy: `policy show`,
// `policy default`, `policy set FILE`. A new version applies to stages that start after it.
func runPolicy(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: aduan policy show | aduan policy default | aduan policy set [--note TEXT] FILE")
	}
	switch args[0] {
	case "default":
		return printJSON(domain.DefaultSLAPolicy())
	case "show", "set":
	default:
		return fmt.Errorf("unknown policy command %q", args[0])
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "show" {
		p, err := db.CurrentSLAPolicy(ctx)
		if err != nil {
			return err
		}
		return printJSON(p)
	}
	fs := flag.NewFlagSet("policy set", flag.ExitOnError)
	note := fs.String("note", "", "why the policy changes (kept with the version)")
	_ = fs.Parse(args[1:])
	if fs.NArg() != 1 {
		return errors.New("usage: aduan policy set [--note TEXT] FILE")
	}
	raw, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	var p domain.SLAPolicy
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	version, err := db.SaveSLAPolicy(ctx, p, *note)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	fmt.Printf("policy version %d saved; it applies to stages that start from now on\n", version)
	return nil
}

func printJSON(v any) error {
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	fmt.Println(string(out))
	return nil
}

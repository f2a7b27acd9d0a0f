package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"aduan/config"
	"aduan/store"
)

const directoryUsage = `usage:
  aduan directory import FILE                 make the kecamatan and desa of FILE's kabupaten what FILE says (CSV: ` + "kecamatan_code,kecamatan_name,desa_code,desa_name,type" + `)
  aduan directory pokja|partner list          every pokja or partner, retired ones marked
  aduan directory pokja|partner add ID NAME   create one
  aduan directory pokja|partner rename ID NAME
  aduan directory pokja|partner retire ID     keep it for its complaints, offer it for no new one`

// runDirectory keeps the regency's directory: `directory import`, and the pokja and
// partners' add, rename, retire and list.
func runDirectory(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) == 0 {
		return errors.New(directoryUsage)
	}
	switch args[0] {
	case "import":
		if len(args) != 2 {
			return errors.New("usage: aduan directory import FILE")
		}
		return importDirectory(ctx, cfg, args[1])
	case "pokja", "partner":
		return groupCommand(ctx, cfg, store.GroupKind(args[0]), args[1:])
	}
	return fmt.Errorf("unknown directory command %q\n%s", args[0], directoryUsage)
}

func importDirectory(ctx context.Context, cfg config.Config, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	list, err := store.ParsePlaces(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.ImportPlaces(ctx, list, store.ImportOptions{})
	if err != nil {
		return err
	}
	nk, nd := list.Count()
	fmt.Printf("kabupaten %s: %d kecamatan, %d desa/kelurahan in %s\n", list.Kabupaten, nk, nd, path)
	for _, t := range []struct {
		name string
		c    store.ImportCounts
	}{{"kecamatan", res.Kecamatan}, {"desa", res.Desa}} {
		fmt.Printf("%-9s  created %d, linked %d, renamed %d, restored %d, retired %d, unchanged %d\n",
			t.name, t.c.Created, t.c.Linked, t.c.Renamed, t.c.Restored, t.c.Retired, t.c.Unchanged)
	}
	if !res.Kecamatan.Changed() && !res.Desa.Changed() {
		fmt.Println("nothing changed")
	}
	return nil
}

func groupCommand(ctx context.Context, cfg config.Config, kind store.GroupKind, args []string) error {
	usage := fmt.Errorf("usage: aduan directory %s list | add ID NAME | rename ID NAME | retire ID", kind)
	if len(args) == 0 {
		return usage
	}
	name := strings.Join(args[min(2, len(args)):], " ")
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case args[0] == "list" && len(args) == 1,
		args[0] == "retire" && len(args) == 2:
	case (args[0] == "add" || args[0] == "rename") && len(args) >= 3 && name != "":
		if len(name) > 200 {
			return errors.New("NAME: at most 200 characters")
		}
	default:
		return usage
	}
	if args[0] == "add" && (args[1] != store.Slug(args[1]) || len(args[1]) > 50) {
		return fmt.Errorf("ID %q: lower-case letters, digits and single '-' inside, at most 50 characters (like %q)", args[1], store.Slug(args[1]))
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "list":
		groups, err := db.GroupList(ctx, kind)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		for _, g := range groups {
			if g.RetiredAt.Valid {
				fmt.Fprintf(w, "%s\t%s\tretired %s\n", g.ID, g.Name, g.RetiredAt.Time.Format("2006-01-02"))
			} else {
				fmt.Fprintf(w, "%s\t%s\n", g.ID, g.Name)
			}
		}
		return w.Flush()
	case "add":
		err = db.AddGroup(ctx, kind, args[1], name)
	case "rename":
		err = db.RenameGroup(ctx, kind, args[1], name)
	case "retire":
		err = db.RetireGroup(ctx, kind, args[1], time.Now())
	}
	if err != nil {
		return err
	}
	fmt.Printf("%s %s: %s done\n", kind, args[1], args[0])
	return nil
}

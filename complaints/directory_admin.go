package complaints

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"aduan/domain"
	"aduan/store"
)

// The system admin's use cases on the directory (the page /staf/admin/direktori) and the
// deadline policy in force (/staf/admin/kebijakan): pokja and partners are added,
// renamed, retired and restored; kecamatan and desa renamed, retired and restored (a
// whole list comes with `aduan directory import FILE`). Nothing is ever deleted: a
// retired entry stays for the complaints that name it and is offered to no new one.
// Admins change; admins and supervisors view. Every change is logged with the admin's
// username.

// directoryAdminStore is what the directory's administration needs beyond Store
// (*store.DB has it; the handler tests' stand-ins need not).
type directoryAdminStore interface {
	GroupList(ctx context.Context, kind store.GroupKind) ([]store.Group, error)
	AddGroup(ctx context.Context, kind store.GroupKind, id, name string) error
	RenameGroup(ctx context.Context, kind store.GroupKind, id, name string) error
	RetireGroup(ctx context.Context, kind store.GroupKind, id string, now time.Time) error
	RestoreGroup(ctx context.Context, kind store.GroupKind, id string) error
	PlaceList(ctx context.Context) ([]store.PlaceGroup, error)
	RenamePlace(ctx context.Context, kind store.PlaceKind, id, name string) error
	RetirePlace(ctx context.Context, kind store.PlaceKind, id string, now time.Time) error
	RestorePlace(ctx context.Context, kind store.PlaceKind, id string) error
}

var _ directoryAdminStore = (*store.DB)(nil)

type (
	// Group is a pokja or partner, retired ones included (RetiredAt set).
	Group = store.Group
	// PlaceEntry is a kecamatan or desa, retired ones included (RetiredAt set).
	PlaceEntry = store.PlaceEntry
	// PlaceGroup is a kecamatan with its desa.
	PlaceGroup = store.PlaceGroup
)

// DirectoryListing is the whole directory as the admin keeps it: retired entries too.
type DirectoryListing struct {
	Pokja, Partners []Group
	Kecamatan       []PlaceGroup
	Categories      []domain.Category
}

// MayViewAdmin says whether a user may open the admin's pages (admins and supervisors).
func MayViewAdmin(a domain.Actor) bool {
	return a.Role == domain.RoleAdmin || a.Role == domain.RoleSupervisor
}

// MayManageDirectory says whether a user may change the directory (admins only).
func MayManageDirectory(a domain.Actor) bool { return a.Role == domain.RoleAdmin }

const (
	msgAdminView   = "Hanya admin Call Center dan supervisor yang dapat membuka halaman ini."
	msgAdminManage = "Hanya admin Call Center yang dapat mengubah direktori."
)

func forbidden(message string) *Error { return &Error{Kind: KindForbidden, Message: message} }

func (s *Service) directoryAdmin() (directoryAdminStore, error) {
	d, ok := s.db.(directoryAdminStore)
	if !ok {
		return nil, unavailable(errors.New("this store cannot keep the directory"))
	}
	return d, nil
}

// DirectoryListing reads every pokja, partner, kecamatan and desa, retired ones included,
// with the fixed categories (admins and supervisors).
func (s *Service) DirectoryListing(ctx context.Context, by domain.Actor) (DirectoryListing, error) {
	var out DirectoryListing
	if !MayViewAdmin(by) {
		return out, forbidden(msgAdminView)
	}
	d, err := s.directoryAdmin()
	if err != nil {
		return out, err
	}
	if out.Pokja, err = d.GroupList(ctx, store.KindPokja); err != nil {
		return out, unavailable(err)
	}
	if out.Partners, err = d.GroupList(ctx, store.KindPartner); err != nil {
		return out, unavailable(err)
	}
	if out.Kecamatan, err = d.PlaceList(ctx); err != nil {
		return out, unavailable(err)
	}
	out.Categories = domain.Categories
	return out, nil
}

// groupKind reads "pokja" or "partner".
func groupKind(kind string) (store.GroupKind, *Error) {
	switch store.GroupKind(kind) {
	case store.KindPokja, store.KindPartner:
		return store.GroupKind(kind), nil
	}
	return "", notFound("Jenis direktori tidak dikenal (pokja atau partner).")
}

// placeKind reads "kecamatan" or "desa".
func placeKind(kind string) (store.PlaceKind, *Error) {
	switch store.PlaceKind(kind) {
	case store.KindKecamatan, store.KindDesa:
		return store.PlaceKind(kind), nil
	}
	return "", notFound("Jenis wilayah tidak dikenal (kecamatan atau desa).")
}

// cleanEntryName is a name with its spaces tidied, or the field's problem.
func cleanEntryName(name string) (string, string) {
	name = strings.Join(strings.Fields(name), " ")
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return name, "Isi nama."
	case n > 200:
		return name, "Nama paling banyak 200 karakter."
	}
	return name, ""
}

// CheckGroupID says what is wrong with a new pokja or partner ID ("" when nothing).
func CheckGroupID(id string) string {
	if id == "" || id != store.Slug(id) || len(id) > 50 {
		return "ID: huruf kecil, angka dan tanda minus tunggal di tengah, paling banyak 50 karakter (misalnya " +
			orExample(store.Slug(id)) + ")."
	}
	return ""
}

func orExample(slug string) string {
	if slug == "" || len(slug) > 50 {
		return "pendidikan"
	}
	return slug
}

func (s *Service) groupChange(ctx context.Context, by domain.Actor, kind string) (directoryAdminStore, store.GroupKind, error) {
	if !MayManageDirectory(by) {
		return nil, "", forbidden(msgAdminManage)
	}
	k, kerr := groupKind(kind)
	if kerr != nil {
		return nil, "", kerr
	}
	d, err := s.directoryAdmin()
	return d, k, err
}

// groupError turns the store's refusals into the core's.
func groupError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrGroupUnknown):
		return notFound("Pokja atau lembaga mitra ini tidak ada di direktori.")
	case errors.Is(err, store.ErrGroupExists):
		return invalid(map[string]string{"id": "ID ini sudah dipakai (juga oleh yang sudah dipensiunkan); ID tidak pernah dipakai ulang."})
	}
	return unavailable(err)
}

// AddGroup creates a pokja or partner (kind "pokja" or "partner"); an ID that exists,
// retired or not, is refused.
func (s *Service) AddGroup(ctx context.Context, by domain.Actor, kind, id, name string) error {
	d, k, err := s.groupChange(ctx, by, kind)
	if err != nil {
		return err
	}
	id = strings.TrimSpace(id)
	fields := map[string]string{}
	if p := CheckGroupID(id); p != "" {
		fields["id"] = p
	}
	name, p := cleanEntryName(name)
	if p != "" {
		fields["name"] = p
	}
	if len(fields) > 0 {
		return invalid(fields)
	}
	if err := groupError(d.AddGroup(ctx, k, id, name)); err != nil {
		return err
	}
	slog.Info("admin: directory group added", "by", by.Username, "kind", k, "id", id, "name", name)
	return nil
}

// RenameGroup gives a pokja or partner a new name; its ID stays.
func (s *Service) RenameGroup(ctx context.Context, by domain.Actor, kind, id, name string) error {
	d, k, err := s.groupChange(ctx, by, kind)
	if err != nil {
		return err
	}
	name, p := cleanEntryName(name)
	if p != "" {
		return invalid(map[string]string{"name": p})
	}
	if err := groupError(d.RenameGroup(ctx, k, id, name)); err != nil {
		return err
	}
	slog.Info("admin: directory group renamed", "by", by.Username, "kind", k, "id", id, "name", name)
	return nil
}

// RetireGroup retires a pokja or partner (restore false) or brings it back (restore
// true). Retired, it keeps its complaints and takes no new ones.
func (s *Service) RetireGroup(ctx context.Context, by domain.Actor, kind, id string, restore bool) error {
	d, k, err := s.groupChange(ctx, by, kind)
	if err != nil {
		return err
	}
	if restore {
		err = d.RestoreGroup(ctx, k, id)
	} else {
		err = d.RetireGroup(ctx, k, id, time.Now())
	}
	if err := groupError(err); err != nil {
		return err
	}
	slog.Info("admin: directory group "+map[bool]string{false: "retired", true: "restored"}[restore], "by", by.Username,
		"kind", k, "id", id)
	return nil
}

func (s *Service) placeChange(ctx context.Context, by domain.Actor, kind string) (directoryAdminStore, store.PlaceKind, error) {
	if !MayManageDirectory(by) {
		return nil, "", forbidden(msgAdminManage)
	}
	k, kerr := placeKind(kind)
	if kerr != nil {
		return nil, "", kerr
	}
	d, err := s.directoryAdmin()
	return d, k, err
}

func placeError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return notFound("Kecamatan atau desa ini tidak ada di direktori.")
	}
	return unavailable(err)
}

// RenamePlace gives a kecamatan or desa (kind "kecamatan" or "desa") a new name; its ID
// and code stay. The next import of its kabupaten's list sets the file's name again.
func (s *Service) RenamePlace(ctx context.Context, by domain.Actor, kind, id, name string) error {
	d, k, err := s.placeChange(ctx, by, kind)
	if err != nil {
		return err
	}
	name, p := cleanEntryName(name)
	if p != "" {
		return invalid(map[string]string{"name": p})
	}
	if err := placeError(d.RenamePlace(ctx, k, id, name)); err != nil {
		return err
	}
	slog.Info("admin: directory place renamed", "by", by.Username, "kind", k, "id", id, "name", name)
	return nil
}

// RetirePlace retires a kecamatan or desa (restore false) or brings it back (restore
// true). The next import of its kabupaten's list restores what the file lists and
// retires what it leaves out.
func (s *Service) RetirePlace(ctx context.Context, by domain.Actor, kind, id string, restore bool) error {
	d, k, err := s.placeChange(ctx, by, kind)
	if err != nil {
		return err
	}
	if restore {
		err = d.RestorePlace(ctx, k, id)
	} else {
		err = d.RetirePlace(ctx, k, id, time.Now())
	}
	if err := placeError(err); err != nil {
		return err
	}
	slog.Info("admin: directory place "+map[bool]string{false: "retired", true: "restored"}[restore], "by", by.Username,
		"kind", k, "id", id)
	return nil
}

// PolicyInForce is the regency's stored deadline policy, newest version (admins and
// supervisors). Overridden says that this server runs with a test or demo policy
// instead (Config.SLAOverride) for the complaints it takes in.
func (s *Service) PolicyInForce(ctx context.Context, by domain.Actor) (policy domain.SLAPolicy, overridden bool, err error) {
	if !MayViewAdmin(by) {
		return policy, false, forbidden(msgAdminView)
	}
	policy, err = s.db.CurrentSLAPolicy(ctx)
	if err != nil {
		return policy, false, unavailable(err)
	}
	return policy, s.cfg.SLAOverride != nil, nil
}

package complaints

import (
	"context"
	"errors"
	"strconv"

	"aduan/domain"
	"aduan/store"
)

// User is a signed-in staff user.
type User struct {
	Username string
	Name     string
	Role     domain.Role
	Pokja    string
	Partner  string
}

// Actor is the user as the workflow sees them.
func (u User) Actor() domain.Actor {
	return domain.Actor{Username: u.Username, Role: u.Role, Pokja: u.Pokja, Partner: u.Partner}
}

// Authenticate resolves a bearer token to its active user (KindUnauthenticated when it is
// unknown or revoked).
func (s *Service) Authenticate(ctx context.Context, token string) (User, error) {
	if token == "" {
		return User{}, &Error{Kind: KindUnauthenticated, Message: "Masuk diperlukan: sertakan header Authorization: Bearer TOKEN."}
	}
	st, err := s.db.StaffByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return User{}, &Error{Kind: KindUnauthenticated, Message: "Token tidak dikenal atau sudah dicabut."}
	}
	if err != nil {
		return User{}, unavailable(err)
	}
	return User{Username: st.Username, Name: st.Name, Role: st.Role, Pokja: st.PokjaID.String, Partner: st.PartnerID.String}, nil
}

// load reads a complaint's row (KindNotFound, KindUnavailable).
func (s *Service) load(ctx context.Context, code string) (store.Complaint, error) {
	row, err := s.db.Complaint(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return row, notFound(msgNoCode)
	}
	if err != nil {
		return row, unavailable(err)
	}
	return row, nil
}

// Exists reports whether a complaint with this code was taken in.
func (s *Service) Exists(ctx context.Context, code string) (bool, error) {
	_, err := s.load(ctx, code)
	switch KindOf(err) {
	case "":
		return true, nil
	case KindNotFound:
		return false, nil
	}
	return false, err
}

// Tracking is the complainant's view of a complaint; a merged duplicate also carries
// the complaint it was merged into (Merged, without that one's code and question). A
// failure to read the merged one leaves Merged nil rather than failing the page.
func (s *Service) Tracking(ctx context.Context, code string) (TrackingView, error) {
	row, err := s.load(ctx, code)
	if err != nil {
		return TrackingView{}, err
	}
	events, err := s.db.Events(ctx, code)
	if err != nil {
		return TrackingView{}, unavailable(err)
	}
	v := trackingViewOf(row, events)
	if v.duplicateOf != "" {
		if other, err := s.load(ctx, v.duplicateOf); err == nil {
			if oe, err := s.db.Events(ctx, v.duplicateOf); err == nil {
				m := trackingViewOf(other, oe)
				// Another complainant's complaint: neither its code nor its question.
				m.Code, m.Question, m.duplicateOf, m.MergedIntoOther = "", "", "", false
				if m.Answer != nil {
					m.Answer.Code = ""
				}
				v.Merged = &m
			}
		}
	}
	return v, nil
}

// TrackingFor is Tracking for a public client at address ip, who may not guess codes
// without limit (KindRateLimited once their misses are spent).
func (s *Service) TrackingFor(ctx context.Context, ip, code string) (v TrackingView, err error) {
	err = s.lookup(ip, func() error {
		v, err = s.Tracking(ctx, code)
		return err
	})
	return v, err
}

// ExistsFor is Exists for a public client at address ip, limited as TrackingFor.
func (s *Service) ExistsFor(ctx context.Context, ip, code string) (found bool, err error) {
	err = s.lookup(ip, func() error {
		_, err := s.load(ctx, code)
		return err
	})
	switch KindOf(err) {
	case "":
		return true, nil
	case KindNotFound:
		return false, nil
	}
	return false, err
}

// StaffView is a complaint as the user may see it (KindForbidden when it is not theirs).
func (s *Service) StaffView(ctx context.Context, viewer domain.Actor, code string) (StaffView, error) {
	row, err := s.load(ctx, code)
	if err != nil {
		return StaffView{}, err
	}
	if !domain.CanView(viewer, row.CaseState()) {
		return StaffView{}, &Error{Kind: KindForbidden, Message: msgNotAssigned}
	}
	return s.staffView(ctx, viewer, row, nil)
}

// staffView completes the view of row with its audit trail and messages.
func (s *Service) staffView(ctx context.Context, viewer domain.Actor, row store.Complaint, redactions []domain.Redaction) (StaffView, error) {
	events, err := s.db.Events(ctx, row.Code)
	if err != nil {
		return StaffView{}, unavailable(err)
	}
	messages, err := s.db.Messages(ctx, row.Code)
	if err != nil {
		return StaffView{}, unavailable(err)
	}
	sent, err := s.db.SentToComplainant(ctx, row.Code)
	if err != nil {
		return StaffView{}, unavailable(err)
	}
	v := staffViewOf(viewer, row, events, messages)
	v.Redactions = redactions
	for _, n := range sent {
		v.Outbox = append(v.Outbox, Sent{At: n.CreatedAt, Kind: n.Kind, Channel: n.Channel, SentVia: n.SentVia.String,
			DeliveryStatus: n.DeliveryStatus, DeliveryError: n.DeliveryError.String, LastError: n.LastError.String,
			Resend: n.Resend, HoldUntil: n.HoldUntil})
		if !domain.SeesEverything(viewer) {
			// A sender's error may quote what it was given; those who see no contacts see
			// only the provider's verdict.
			v.Outbox[len(v.Outbox)-1].LastError = ""
		}
	}
	return v, nil
}

// inboxSize bounds the inbox.
const inboxSize = 200

// Tasks is the user's inbox: the complaints whose ball is with them, soonest deadline first.
func (s *Service) Tasks(ctx context.Context, viewer domain.Actor) ([]Summary, error) {
	rows, err := s.db.Tasks(ctx, viewer, inboxSize)
	if err != nil {
		return nil, unavailable(err)
	}
	return summariesOf(viewer, rows), nil
}

// PerPage is the size of a page of every list.
const PerPage = 20

// SearchQuery is a staff search as a person typed it.
type SearchQuery struct {
	Status, Pokja, Partner, Category, Kecamatan, Channel, Overdue, Q string
	// WithGroup keeps the complaints whose ball is with the Pokja or Partner asked for.
	WithGroup bool
	Page      int
}

// Page is one page of a list with the count of all matches.
type Page[T any] struct {
	Items   []T
	Page    int
	PerPage int
	Total   int
	// TotalCapped says a text search matched more than Total (store.TextCountCap): it
	// stopped counting there.
	TotalCapped bool
}

// Search lists the complaints the user may see that match the query, newest first.
func (s *Service) Search(ctx context.Context, viewer domain.Actor, q SearchQuery) (Page[Summary], error) {
	fields := map[string]string{}
	f := store.Filter{Status: q.Status, Pokja: checkID(fields, "pokja", q.Pokja), Partner: checkID(fields, "partner", q.Partner),
		Category: q.Category, Kecamatan: checkID(fields, "kecamatan", q.Kecamatan), Channel: q.Channel,
		WithGroup: q.WithGroup, Q: domain.CleanText(q.Q), Page: checkPage(fields, q.Page), PerPage: PerPage}
	if f.Status != "" && !domain.Status(f.Status).Valid() {
		fields["status"] = "status tidak dikenal"
	}
	if f.Category != "" {
		if _, ok := domain.CategoryByID(f.Category); !ok {
			fields["category"] = "kategori tidak dikenal"
		}
	}
	if f.Channel != "" && !domain.OneOf(f.Channel, domain.Channels) {
		fields["channel"] = "kanal tidak dikenal"
	}
	if q.Overdue != "" {
		b, err := strconv.ParseBool(q.Overdue)
		if err != nil {
			fields["overdue"] = "harus true atau false"
		}
		f.Overdue = &b
	}
	if len(fields) > 0 {
		return Page[Summary]{}, invalid(fields)
	}
	rows, total, err := s.db.Search(ctx, viewer, f)
	if err != nil {
		return Page[Summary]{}, unavailable(err)
	}
	p := Page[Summary]{Items: summariesOf(viewer, rows), Page: f.Page, PerPage: f.PerPage, Total: total}
	if total > store.TextCountCap {
		p.Total, p.TotalCapped = store.TextCountCap, true
	}
	return p, nil
}

// PublicQuery narrows the published answers.
type PublicQuery struct {
	Kecamatan, Category, Pokja, Q string
	Page, PerPage                 int
}

// Publications lists published answers, newest first.
func (s *Service) Publications(ctx context.Context, q PublicQuery) (Page[Publication], error) {
	if q.PerPage <= 0 {
		q.PerPage = PerPage
	}
	fields := map[string]string{}
	q.Page = checkPage(fields, q.Page)
	q.Kecamatan, q.Category, q.Pokja = checkID(fields, "kecamatan", q.Kecamatan), checkID(fields, "category", q.Category),
		checkID(fields, "pokja", q.Pokja)
	if len(fields) > 0 {
		return Page[Publication]{}, invalid(fields)
	}
	rows, total, err := s.db.PublicPage(ctx, store.PublicPageFilter{Pokja: q.Pokja, PublicFilter: store.PublicFilter{
		Kecamatan: q.Kecamatan, Category: q.Category, Q: domain.CleanText(q.Q), Page: q.Page, PerPage: q.PerPage}})
	if err != nil {
		return Page[Publication]{}, unavailable(err)
	}
	items := make([]Publication, 0, len(rows))
	for _, r := range rows {
		items = append(items, publicationOf(r))
	}
	return Page[Publication]{Items: items, Page: q.Page, PerPage: q.PerPage, Total: total}, nil
}

// Publication is one published answer (KindNotFound when there is none with this code).
func (s *Service) Publication(ctx context.Context, code string) (Publication, error) {
	row, err := s.db.Publication(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return Publication{}, notFound("Jawaban yang diterbitkan tidak ditemukan.")
	}
	if err != nil {
		return Publication{}, unavailable(err)
	}
	return publicationOf(row), nil
}

// Directory is the regency's pokja, partners, kecamatan and desa.
type (
	Directory = store.Directory
	Kecamatan = store.Kecamatan
)

// Directory reads the directory.
func (s *Service) Directory(ctx context.Context) (Directory, error) {
	d, err := s.db.Directory(ctx)
	if err != nil {
		return d, unavailable(err)
	}
	return d, nil
}

// Notification is one of a staff user's notifications.
type Notification = store.Notification

// Notifications lists the user's own notifications, newest first.
func (s *Service) Notifications(ctx context.Context, username string, page int) (Page[Notification], error) {
	fields := map[string]string{}
	if page = checkPage(fields, page); len(fields) > 0 {
		return Page[Notification]{}, invalid(fields)
	}
	rows, total, err := s.db.NotificationsFor(ctx, username, page, PerPage)
	if err != nil {
		return Page[Notification]{}, unavailable(err)
	}
	return Page[Notification]{Items: rows, Page: page, PerPage: PerPage, Total: total}, nil
}

package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"aduan/domain"
	"aduan/store"
)

// A year of complaints: the closed complaints a regency's Call Center leaves behind in a
// year, written straight into PostgreSQL (store.BulkLoad) with the spread of a real year:
// channels, kecamatan and desa of the directory in the database (a few villages often,
// most seldom), categories and the pokja each goes to, partners, the ways a complaint
// ends (published and closed by feedback or by the feedback window, answered privately,
// rejected, closed for want of a reply, reopened once), missed deadlines, and the days
// they arrive on (the rainy season, weekdays, office hours, disaster spikes).
//
// Their workflows are gone: they completed and the namespace's retention deleted them,
// so each row says workflow_started (the relay leaves it alone) and its acknowledgement
// is sent (the acknowledger too); `aduan verify` counts such a complaint as archived, not
// as drift (verify.Check).

// yearBatch is how many complaints one COPY round writes: big enough for COPY's speed,
// small enough to keep the generated rows' memory low.
const yearBatch = 5000

// yearLoaders is how many transactions write at once: PostgreSQL runs each on one core,
// and the search vectors, the indexes and the stage visits (a trigger) of a year cost
// more CPU than one core gives in the time the load should take.
const yearLoaders = 2

// LoadYear writes n closed complaints of the past year (created between a year and two
// weeks ago, each finished before now) into db, drawn from seed, then vacuums and
// analyzes the tables as autovacuum would. The directory (pokja, partners, kecamatan,
// desa) and staff must be in place (demo.Seed). It returns how long it took. The batches
// go through yearLoaders transactions at once: on an error, what the others committed
// stays.
func LoadYear(ctx context.Context, db *store.DB, n int, seed int64) (time.Duration, error) {
	start := time.Now()
	g, err := newYearGen(ctx, db, seed, start)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	batches := make(chan []store.ClosedComplaint, yearLoaders)
	var wg sync.WaitGroup
	for range yearLoaders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			loadBatches(ctx, db, batches, cancel)
		}()
	}
	// One generator draws every complaint in order, so a seed draws the same year.
	for done := 0; done < n && ctx.Err() == nil; {
		batch := make([]store.ClosedComplaint, min(yearBatch, n-done))
		for i := range batch {
			batch[i] = g.complaint()
		}
		select {
		case batches <- batch:
		case <-ctx.Done():
		}
		done += len(batch)
	}
	close(batches)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return 0, err
	}
	if err := db.SettleBulk(ctx); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// loadBatches writes the batches it receives in one transaction; on an error it cancels
// the load and takes what is still sent, so the generator stops.
func loadBatches(ctx context.Context, db *store.DB, batches <-chan []store.ClosedComplaint, cancel context.CancelCauseFunc) {
	err := func() error {
		bulk, err := db.BeginBulk(ctx)
		if err != nil {
			return err
		}
		defer bulk.Rollback()
		for batch := range batches {
			if err := bulk.Add(ctx, batch); err != nil {
				return err
			}
		}
		return bulk.Commit()
	}()
	if err != nil {
		cancel(fmt.Errorf("load a year: %w", err))
		for range batches {
		}
	}
}

// wita is the regency's zone (UTC+8): days and office hours are counted there.
var wita = time.FixedZone("WITA", 8*3600)

// yearGen draws complaints.
type yearGen struct {
	r   *rand.Rand
	now time.Time
	// days are the year's days (midnight WITA) with the cumulative weight of each.
	days    []time.Time
	dayCum  []float64
	hourCum []float64
	// places are the desa, most named first; placeCum their cumulative weights.
	places   []yearPlace
	placeCum []float64
	pokja    []string
	partners []string
	// members are the staff usernames by role ("admin", "supervisor") or group
	// ("pokja:<id>", "partner:<id>").
	members map[string][]string
	codes   map[string]bool
	// recent are codes of this load a duplicate may point to.
	recent []string
	seq    int
}

type yearPlace struct{ kecID, kecName, desaID, desaName string }

// yearCategoryWeights weigh domain.Categories by how often complaints are about each.
var yearCategoryWeights = map[string]float64{
	"bantuan_logistik": 24, "hunian": 15, "air_sanitasi": 12, "kesehatan": 8, "pendidikan": 4, "infrastruktur": 16,
	"data_penerima": 9, "informasi": 5, "perlindungan": 1.5, "penyalahgunaan": 2, "lainnya": 3.5,
}

// yearPokjaOf is the pokja a category goes to (when the directory has it).
var yearPokjaOf = map[string]string{
	"bantuan_logistik": "logistik", "data_penerima": "logistik", "hunian": "hunian", "infrastruktur": "hunian",
	"air_sanitasi": "wash", "kesehatan": "kesehatan", "pendidikan": "pelibatan", "informasi": "pelibatan",
	"perlindungan": "pelibatan", "penyalahgunaan": "pelibatan", "lainnya": "pelibatan",
}

var yearChannels = []string{"whatsapp", "web", "sms", "phone", "desk"}
var yearChannelWeights = []float64{40, 22, 15, 13, 10}

func newYearGen(ctx context.Context, db *store.DB, seed int64, now time.Time) (*yearGen, error) {
	g := &yearGen{r: rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15)), now: now,
		members: map[string][]string{}, codes: map[string]bool{}}
	dir, err := db.Directory(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range dir.Pokja {
		g.pokja = append(g.pokja, p.ID)
	}
	for _, p := range dir.Partners {
		g.partners = append(g.partners, p.ID)
	}
	for _, k := range dir.Kecamatan {
		for _, d := range k.Desa {
			g.places = append(g.places, yearPlace{k.ID, k.Name, d.ID, d.Name})
		}
	}
	if len(g.pokja) == 0 || len(g.partners) == 0 || len(g.places) == 0 {
		return nil, errors.New("load a year: the directory has no pokja, partner or desa (seed it first)")
	}
	staff, err := db.StaffAccounts(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range staff {
		switch {
		case s.Role == domain.RolePokja && s.PokjaID.Valid:
			g.members["pokja:"+s.PokjaID.String] = append(g.members["pokja:"+s.PokjaID.String], s.Username)
		case s.Role == domain.RolePartner && s.PartnerID.Valid:
			g.members["partner:"+s.PartnerID.String] = append(g.members["partner:"+s.PartnerID.String], s.Username)
		default:
			g.members[string(s.Role)] = append(g.members[string(s.Role)], s.Username)
		}
	}
	if len(g.members["admin"]) == 0 {
		return nil, errors.New("load a year: no admin in staff (seed it first)")
	}
	codes, err := db.Codes(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range codes {
		g.codes[c] = true
	}
	// A few villages are named often (by the river, under the slope), most seldom: Zipf
	// over the directory in an order of the seed's.
	g.r.Shuffle(len(g.places), func(i, j int) { g.places[i], g.places[j] = g.places[j], g.places[i] })
	g.placeCum = cumulative(len(g.places), func(i int) float64 { return 1 / math.Pow(float64(i+1), 0.9) })
	g.layDays()
	return g, nil
}

// layDays weighs the year's days: the rainy season (peak in January), fewer on weekends,
// and three disasters whose contacts jump eightfold and ebb over ten days.
func (g *yearGen) layDays() {
	last := time.Date(g.now.In(wita).Year(), g.now.In(wita).Month(), g.now.In(wita).Day(), 0, 0, 0, 0, wita).AddDate(0, 0, -14)
	first := last.AddDate(0, 0, -365)
	spikes := map[int]float64{}
	for range 3 {
		d := g.r.IntN(365)
		for k, f := range []float64{8, 6, 4, 3, 2.5, 2, 1.8, 1.6, 1.4, 1.2} {
			spikes[d+k] = max(spikes[d+k], f)
		}
	}
	for i := range 365 {
		d := first.AddDate(0, 0, i)
		w := 1 + 0.5*math.Cos(2*math.Pi*float64(d.YearDay()-15)/365)
		switch d.Weekday() {
		case time.Saturday:
			w *= 0.7
		case time.Sunday:
			w *= 0.55
		}
		if f, ok := spikes[i]; ok {
			w *= f
		}
		g.days = append(g.days, d)
		g.dayCum = append(g.dayCum, w)
	}
	for i := 1; i < len(g.dayCum); i++ {
		g.dayCum[i] += g.dayCum[i-1]
	}
	hours := []float64{0.2, 0.15, 0.1, 0.1, 0.2, 0.4, 0.8, 1.5, 2.5, 2.8, 2.6, 2.2, 1.6, 1.8, 2, 1.9, 1.6, 1.3, 1.4, 1.8, 1.9, 1.5, 0.9, 0.4}
	g.hourCum = cumulative(len(hours), func(i int) float64 { return hours[i] })
}

func cumulative(n int, w func(int) float64) []float64 {
	c := make([]float64, n)
	sum := 0.0
	for i := range n {
		sum += w(i)
		c[i] = sum
	}
	return c
}

// pick draws an index from cumulative weights.
func (g *yearGen) pick(cum []float64) int {
	x := g.r.Float64() * cum[len(cum)-1]
	return min(sort.SearchFloat64s(cum, x), len(cum)-1)
}

func (g *yearGen) weighted(items []string, weights []float64) string {
	return items[g.pick(cumulative(len(weights), func(i int) float64 { return weights[i] }))]
}

func (g *yearGen) one(list []string) string { return list[g.r.IntN(len(list))] }

func (g *yearGen) chance(p float64) bool { return g.r.Float64() < p }

// hours draws a duration of about mean hours (exponential), at least min.
func (g *yearGen) hours(mean, least float64) time.Duration {
	return time.Duration((least + g.r.ExpFloat64()*mean) * float64(time.Hour))
}

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// code draws a complaint code of domain.NewCode's form, not yet in use.
func (g *yearGen) code() string {
	for {
		b := []byte("ADU-XXXX-XXXX")
		for _, i := range []int{4, 5, 6, 7, 9, 10, 11, 12} {
			b[i] = crockford[g.r.IntN(32)]
		}
		if c := string(b); !g.codes[c] {
			g.codes[c] = true
			return c
		}
	}
}

// created draws when a complaint arrives: a day by the year's weights, an hour by the
// day's rhythm (phone and desk complaints within office hours on weekdays).
func (g *yearGen) created(channel string) time.Time {
	d := g.days[g.pick(g.dayCum)]
	h := g.pick(g.hourCum)
	if channel == "phone" || channel == "desk" {
		h = 8 + g.r.IntN(8)
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDate(0, 0, 1)
		}
	}
	return d.Add(time.Duration(h)*time.Hour + time.Duration(g.r.IntN(3600))*time.Second).UTC()
}

func (g *yearGen) member(key, fallback string) string {
	if m := g.members[key]; len(m) > 0 {
		return g.one(m)
	}
	return fallback
}

var yearGiven = []string{"Siti", "Ahmad", "Nurhayati", "Muhammad", "Rahmawati", "Andi", "Hasnah", "Syamsul", "Fatmawati",
	"Rudi", "Marlina", "Abdul", "Sitti", "Irwan", "Hajrah", "Yusuf", "Nurlina", "Hamzah", "Darmawati", "Ismail"}
var yearFamily = []string{"Rahman", "Latif", "Basri", "Sulaiman", "Hakim", "Makmur", "Jafar", "Said", "Tahir", "Usman"}

// trail collects a complaint's events at offsets from its intake.
type trail struct {
	events []store.Event
	offs   []time.Duration
	t      time.Duration
}

func (tr *trail) add(after time.Duration, actor string, role domain.Role, action domain.Action, status domain.Status, note string) {
	tr.t += after
	tr.offs = append(tr.offs, tr.t)
	tr.events = append(tr.events, store.Event{Seq: int64(len(tr.events) + 1), Actor: actor, Role: string(role),
		Action: string(action), Status: status, Note: sql.NullString{String: note, Valid: note != ""}})
}

// complaint draws one closed complaint with its trail, feedback and outbox rows.
func (g *yearGen) complaint() store.ClosedComplaint {
	g.seq++
	channel := g.weighted(yearChannels, yearChannelWeights)
	created := g.created(channel)
	code := g.code()
	cat := domain.Categories[g.pick(cumulative(len(domain.Categories), func(i int) float64 {
		return yearCategoryWeights[domain.Categories[i].ID]
	}))].ID
	place := g.places[g.pick(g.placeCum)]
	title, text := g.texts(cat, place)
	c := store.Complaint{Code: code, Channel: channel, Text: text, CreatedAt: created, WorkflowStarted: true,
		Kecamatan: ns(place.kecID), Desa: ns(place.desaID)}
	switch {
	case g.chance(0.03):
		c.Kecamatan, c.Desa = sql.NullString{}, sql.NullString{}
	case g.chance(0.05):
		c.Desa = sql.NullString{}
	}
	if !g.chance(0.08) {
		c.Name = ns(g.one(yearGiven) + " " + g.one(yearFamily))
	} else {
		c.Anonymous = true
	}
	phone := fmt.Sprintf("628%02d%08d", 11+g.r.IntN(42), g.r.IntN(1e8))
	switch channel {
	case "whatsapp", "sms":
		c.Phone = ns(phone)
	case "web":
		if g.chance(0.7) {
			c.Phone = ns(phone)
		}
		if g.chance(0.4) {
			c.Email = ns(fmt.Sprintf("warga%d@example.net", g.seq))
		}
		if g.chance(0.6) {
			c.ReportedCategory = ns(cat)
		}
	default:
		if g.chance(0.85) {
			c.Phone = ns(phone)
		}
		c.TakenBy = ns(g.member("admin", ""))
	}
	if c.Phone.Valid {
		c.PhoneConfirmedBy = ns(domain.PhoneConfirmation(channel, c.TakenBy.String))
	}
	c.Confidential = domain.IsSensitive(cat) || g.chance(0.015)

	tr := &trail{}
	intakeActor, intakeRole := "pelapor", domain.RoleComplainant
	if c.TakenBy.Valid {
		intakeActor, intakeRole = c.TakenBy.String, domain.RoleAdmin
	}
	tr.add(0, intakeActor, intakeRole, domain.ActionSubmit, domain.StatusReceived, "Aduan diterima melalui kanal "+channel+".")
	admin := func() string { return g.member("admin", "admin") }
	notes := []noteAt{{kind: domain.NotifyAck, off: time.Duration(5+g.r.IntN(55)) * time.Second}}
	g.path(&c, tr, cat, title, place, admin, &notes)

	// The whole trail must end before now: a complaint drawn late in the year has its
	// stages pressed together.
	limit := g.now.Add(-time.Hour).Sub(created)
	scale := 1.0
	if last := tr.offs[len(tr.offs)-1]; last > limit {
		scale = float64(limit) / float64(last)
	}
	at := func(off time.Duration) time.Time {
		return created.Add(time.Duration(float64(off) * scale)).Truncate(time.Microsecond)
	}
	// The overall clock (60 days) runs from intake, or from the complainant's reply.
	overallFrom := created
	for i := range tr.events {
		e := &tr.events[i]
		e.At = at(tr.offs[i])
		switch domain.Action(e.Action) {
		case domain.ActionPublish: // the projection keeps the last publication
			t := e.At
			c.PublishedAt = &t
		case domain.ActionInfo:
			overallFrom = e.At
		}
	}
	lastAt := tr.events[len(tr.events)-1].At
	od := overallFrom.AddDate(0, 0, 60)
	c.ClosedAt, c.UpdatedAt, c.LastSeq, c.OverallDeadline = &lastAt, lastAt, int64(len(tr.events)), &od
	cc := store.ClosedComplaint{Complaint: c, Events: tr.events}
	for _, n := range notes {
		cc.Notifications = append(cc.Notifications, g.notice(c, n.kind, n.seq, at(n.off)))
	}
	for _, e := range tr.events {
		if e.Action == string(domain.ActionFeedback) || e.Action == string(domain.ActionReopen) {
			cc.Feedback = append(cc.Feedback, store.Feedback{At: sql.NullTime{Time: e.At, Valid: true},
				Channel: feedbackChannel(channel), Satisfied: e.Action == string(domain.ActionFeedback),
				Comment: ns(g.one(yearComments))})
		}
	}
	g.recent = append(g.recent, code)
	if len(g.recent) > 2000 {
		g.recent = g.recent[1000:]
	}
	return cc
}

func feedbackChannel(channel string) string {
	if channel == "whatsapp" || channel == "sms" {
		return channel
	}
	return "web"
}

func ns(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// texts writes a complaint's title (as the call centre sets it at triage) and its text.
func (g *yearGen) texts(cat string, p yearPlace) (title, text string) {
	short, long, _ := strings.Cut(g.one(yearProblems[cat]), "|")
	var b strings.Builder
	if o := g.one(yearOpenings); o != "" {
		b.WriteString(o + " ")
	}
	b.WriteString(strings.ToUpper(long[:1]) + long[1:])
	if g.chance(0.55) {
		d := g.weighted(yearDisasters, yearDisasterWeights)
		b.WriteString(" " + fmt.Sprintf(g.one(yearSince), d))
	}
	switch w := g.one(yearWhere); {
	case strings.Count(w, "%") == 2 && strings.HasPrefix(w, "di Dusun"):
		b.WriteString(" " + fmt.Sprintf(w, g.one(yearDusun), p.desaName))
	case strings.Count(w, "%") == 2 && strings.HasPrefix(w, "di RT"):
		b.WriteString(" " + fmt.Sprintf(w, 1+g.r.IntN(12), p.desaName))
	case strings.Count(w, "%") == 2:
		b.WriteString(" " + fmt.Sprintf(w, p.desaName, p.kecName))
	default:
		b.WriteString(" " + fmt.Sprintf(w, p.desaName))
	}
	b.WriteString(".")
	if pl := g.one(yearPleas); pl != "" {
		if strings.Contains(pl, "%d") {
			pl = fmt.Sprintf(pl, 3+g.r.IntN(120))
		}
		b.WriteString(" " + pl)
	}
	return short + " di " + p.desaName, b.String()
}

// answer is what the pokja or partner answers.
func (g *yearGen) answer(cat string, p yearPlace, at string) string {
	return fmt.Sprintf("Terima kasih atas laporan Anda. %s di Desa %s, Kecamatan %s, %s. Silakan hubungi Call Center bila masih ada kendala.",
		capital(g.one(yearActions[cat])), p.desaName, p.kecName, at)
}

func capital(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// path draws how the complaint went from received to its end, adding its events,
// setting the fields its projection ends with and the outbox rows the complainant got.
// notes gets the messages its events sent, timed by complaint() once the trail is.
func (g *yearGen) path(c *store.Complaint, tr *trail, cat, title string, p yearPlace, admin func() string, notes *[]noteAt) {
	sys, sysRole := "system", domain.RoleSystem
	note := func(kind domain.NotifyKind) {
		*notes = append(*notes, noteAt{kind: kind, off: tr.t, seq: len(tr.events)})
	}
	r := g.r.Float64()
	switch {
	case r < 0.06: // spam or out of scope
		c.RejectReason = ns(g.one([]string{"spam", "out_of_scope"}))
		tr.add(g.hours(6, 0.2), admin(), domain.RoleAdmin, domain.ActionReject, domain.StatusRejected, "")
		c.Status = domain.StatusRejected
		return
	case r < 0.11 && len(g.recent) > 0: // the same as an earlier complaint
		c.RejectReason, c.DuplicateOf = ns("duplicate"), ns(g.one(g.recent))
		tr.add(g.hours(6, 0.2), admin(), domain.RoleAdmin, domain.ActionReject, domain.StatusRejected, "Sama dengan aduan "+c.DuplicateOf.String+".")
		c.Status = domain.StatusRejected
		note(domain.NotifyDuplicate)
		return
	case r < 0.14: // a question nobody answered
		c.Question = ns("Mohon sebutkan nama dusun dan jumlah keluarga yang terdampak.")
		tr.add(g.hours(5, 0.3), admin(), domain.RoleAdmin, domain.ActionRequestInfo, domain.StatusAwaitingInfo, c.Question.String)
		note(domain.NotifyQuestion)
		tr.add(14*24*time.Hour, sys, sysRole, domain.ActionClose, domain.StatusClosed, "Pelapor tidak menjawab sampai tenggat; aduan ditutup.")
		c.Status, c.CloseReason = domain.StatusClosed, ns("no_reply")
		note(domain.NotifyNoReplyClosed)
		return
	case r < 0.18: // a question answered
		tr.add(g.hours(5, 0.3), admin(), domain.RoleAdmin, domain.ActionRequestInfo, domain.StatusAwaitingInfo,
			"Mohon sebutkan nama dusun dan jumlah keluarga yang terdampak.")
		note(domain.NotifyQuestion)
		tr.add(g.hours(30, 1), "pelapor", domain.RoleComplainant, domain.ActionInfo, domain.StatusReceived, "Pelapor menjawab pertanyaan.")
	}
	// Triage to the category's pokja.
	pokja := yearPokjaOf[cat]
	if !slices.Contains(g.pokja, pokja) {
		pokja = g.pokja[len(cat)%len(g.pokja)]
	}
	c.Pokja, c.Category, c.Title = ns(pokja), ns(cat), ns(title)
	c.Priority = ns(g.weighted(domain.Priorities, []float64{10, 25, 65}))
	triageNote := ""
	if g.chance(0.2) {
		triageNote = "Mohon segera ditangani."
	}
	tr.add(g.hours(4, 0.1), admin(), domain.RoleAdmin, domain.ActionTriage, domain.StatusAtPokja, triageNote)
	member := func() string { return g.member("pokja:"+pokja, "pokja-"+pokja) }
	late := func(stage time.Duration, status domain.Status) {
		// A stage that took over a week missed its deadline (five working days).
		if stage > 7*24*time.Hour {
			tr.add(7*24*time.Hour, sys, sysRole, domain.ActionOverdue, status, "Tenggat tahap ini terlewati; supervisor diberi tahu.")
			note(domain.NotifyEscalation)
			if stage > 10*24*time.Hour {
				tr.add(3*24*time.Hour, sys, sysRole, domain.ActionEscalate, status, "Masih terlambat; diteruskan ke kepala dinas.")
			}
		}
	}
	stageTo := func(stage time.Duration) time.Duration {
		// What is left of a stage after its overdue events.
		switch {
		case stage > 10*24*time.Hour:
			return stage - 10*24*time.Hour
		case stage > 7*24*time.Hour:
			return stage - 7*24*time.Hour
		}
		return stage
	}
	answered := func() {
		ans := g.answer(cat, p, "minggu ini")
		forward := g.chance(0.55)
		if c.Confidential {
			forward = g.chance(0.3)
		}
		if forward {
			partner := g.one(g.partners)
			c.Partner = ns(partner)
			st := g.hours(40, 2)
			late(st, domain.StatusAtPokja)
			tr.add(stageTo(st), member(), domain.RolePokja, domain.ActionForward, domain.StatusAtPartner, "Mohon ditindaklanjuti oleh mitra.")
			st = g.hours(70, 4)
			late(st, domain.StatusAtPartner)
			c.PartnerAnswer = ns(ans)
			tr.add(stageTo(st), g.member("partner:"+partner, "mitra-"+partner), domain.RolePartner, domain.ActionPartnerAnswer, domain.StatusPokjaReview, ans)
			c.Answer = c.PartnerAnswer
			tr.add(g.hours(12, 0.5), member(), domain.RolePokja, domain.ActionApprove, domain.StatusReadyToPublish, "")
		} else {
			st := g.hours(60, 2)
			late(st, domain.StatusAtPokja)
			c.Answer = ns(ans)
			tr.add(stageTo(st), member(), domain.RolePokja, domain.ActionAnswer, domain.StatusReadyToPublish, ans)
		}
	}
	answered()
	if c.Confidential {
		// Answered to the complainant privately: the only end of a confidential complaint.
		tr.add(g.hours(8, 0.5), admin(), domain.RoleAdmin, domain.ActionClose, domain.StatusClosed, "Jawaban disampaikan langsung kepada pelapor.")
		note(domain.NotifyAnswerPrivate)
		c.Status = domain.StatusClosed
		return
	}
	publish := func() {
		c.PublicTitle, c.PublicAnswer = ns("Tindak lanjut: "+c.Title.String), c.Answer
		tr.add(g.hours(8, 0.5), admin(), domain.RoleAdmin, domain.ActionPublish, domain.StatusPublished, "")
		note(domain.NotifyAnswer)
	}
	publish()
	window := 14 * 24 * time.Hour
	switch f := g.r.Float64(); {
	case f < 0.35:
		tr.add(g.hours(40, 1), "pelapor", domain.RoleComplainant, domain.ActionFeedback, domain.StatusClosed, "Pelapor menyatakan masalahnya selesai.")
	case f < 0.40:
		tr.add(g.hours(40, 1), "pelapor", domain.RoleComplainant, domain.ActionReopen, domain.StatusAtPokja,
			"Pelapor menyatakan belum selesai; aduan dibuka kembali ke pokja (ke-1).")
		c.ReopenCount, c.Partner = 1, sql.NullString{}
		st := g.hours(48, 2)
		late(st, domain.StatusAtPokja)
		c.Answer = ns(g.answer(cat, p, "setelah pemeriksaan ulang"))
		tr.add(stageTo(st), member(), domain.RolePokja, domain.ActionAnswer, domain.StatusReadyToPublish, c.Answer.String)
		publish()
		tr.add(window, sys, sysRole, domain.ActionClose, domain.StatusClosed, "Masa tanggapan pelapor berakhir; aduan selesai.")
	default:
		tr.add(window, sys, sysRole, domain.ActionClose, domain.StatusClosed, "Masa tanggapan pelapor berakhir; aduan selesai.")
	}
	c.Status = domain.StatusClosed
}

// reach is the channel and address a complainant's messages go to.
func reach(c store.Complaint) (channel, address string) {
	switch {
	case c.Channel == "whatsapp":
		return "whatsapp", c.Phone.String
	case c.Channel == "sms" || (c.Phone.Valid && c.Channel != "web"):
		return "sms", c.Phone.String
	case c.Email.Valid:
		return "email", c.Email.String
	case c.Phone.Valid:
		return "sms", c.Phone.String
	}
	return "log", ""
}

// noteAt is an outbox row to write: its kind, when (offset from intake) and after
// which event (0: intake).
type noteAt struct {
	kind domain.NotifyKind
	off  time.Duration
	seq  int
}

// notice is an outbox row about c, sent: to the complainant, or for an escalation to a
// supervisor.
func (g *yearGen) notice(c store.Complaint, kind domain.NotifyKind, seq int, due time.Time) store.Notification {
	n := store.Notification{Code: c.Code, Kind: kind, Recipient: store.ComplainantRecipient, DueAt: due,
		Template: string(kind) + ".pelapor", DedupeKey: fmt.Sprintf("%s/%s/%d/%s", c.Code, kind, seq, store.ComplainantRecipient)}
	switch kind {
	case domain.NotifyAck:
		n.DedupeKey = c.Code + "/ack/" + store.ComplainantRecipient
	case domain.NotifyEscalation:
		n.Recipient = g.member("supervisor", "supervisor")
		n.Channel, n.Template = "log", string(kind)+".staf"
		n.DedupeKey = fmt.Sprintf("%s/%s/%d/%s", c.Code, kind, seq, n.Recipient)
		n.Text = "Aduan " + c.Code + " melewati tenggat tahap ini."
		g.sent(&n)
		return n
	}
	ch, addr := reach(c)
	n.Channel, n.Address = ch, ns(addr)
	n.Text = fmt.Sprintf("Aduan %s: %s. Lacak di https://aduan.mamujukab.go.id/lacak/%s", c.Code, kindWords[kind], c.Code)
	g.sent(&n)
	return n
}

var kindWords = map[domain.NotifyKind]string{
	domain.NotifyAck: "diterima", domain.NotifyQuestion: "kami perlu informasi tambahan",
	domain.NotifyAnswer: "sudah dijawab", domain.NotifyAnswerPrivate: "jawaban untuk Anda",
	domain.NotifyDuplicate: "digabung dengan aduan lain", domain.NotifyNoReplyClosed: "ditutup karena tidak ada jawaban",
}

// sent marks an outbox row delivered as its channel would: most delivered (WhatsApp
// often read), a few failed at the provider.
func (g *yearGen) sent(n *store.Notification) {
	n.CreatedAt = n.DueAt
	at := n.DueAt.Add(time.Duration(1+g.r.IntN(20)) * time.Second)
	n.SentAt, n.Attempts = &at, 1
	switch n.Channel {
	case "log":
		n.SentVia = ns("log")
	case "email":
		n.SentVia = ns("smtp")
	case "whatsapp", "sms":
		n.SentVia = ns(map[string]string{"whatsapp": "whatsapp:text", "sms": "sms"}[n.Channel])
		n.ProviderRef = ns(fmt.Sprintf("%s.%016x", n.Channel, g.r.Uint64()))
		n.DeliveryAt = sql.NullTime{Time: at.Add(time.Duration(2+g.r.IntN(600)) * time.Second), Valid: true}
		switch f := g.r.Float64(); {
		case f < 0.03:
			n.DeliveryStatus, n.DeliveryError = "failed", ns("undeliverable")
		case f < 0.5 && n.Channel == "whatsapp":
			n.DeliveryStatus = "read"
		default:
			n.DeliveryStatus = "delivered"
		}
	}
}

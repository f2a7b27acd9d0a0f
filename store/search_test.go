package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"aduan/domain"
	"aduan/media/mediatest"
	"aduan/store"
)

// searchFixture writes complaints with the given texts, one minute apart (the first
// oldest), coded ADU-SRCH-0001 and on (fixed codes: a search for a one-letter word would
// otherwise meet a random code's), and returns their codes in that order.
func searchFixture(t *testing.T, db *store.DB, texts ...string) []string {
	t.Helper()
	start := time.Now().Add(-time.Hour)
	var codes []string
	for i, text := range texts {
		code := fmt.Sprintf("ADU-SRCH-%04d", i+1)
		exec(t, db, `INSERT INTO complaints (code, channel, text, created_at, status, updated_at)
			VALUES ($1, 'web', $2, $3, 'received', $3)`, code, text, start.Add(time.Duration(i)*time.Minute))
		codes = append(codes, code)
	}
	return codes
}

func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// found runs a search and returns the codes listed (newest first) and the total.
func found(t *testing.T, db *store.DB, viewer domain.Actor, q string) ([]string, int) {
	t.Helper()
	rows, total, err := db.Search(context.Background(), viewer, store.Filter{Q: q, Page: 1, PerPage: 50})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var codes []string
	for _, r := range rows {
		codes = append(codes, r.Code)
	}
	return codes, total
}

var searchAdmin = domain.Actor{Username: "admin", Role: domain.RoleAdmin}

// TestSearchWords: a search matches words (any case, each the beginning of a word, all of
// them required, in any order) in the code, title and text; unicode words as typed; a
// code finds its complaint alone; operators and punctuation typed are words' separators,
// never syntax (and never an error); an empty search lists everything, newest first.
func TestSearchWords(t *testing.T) {
	db := mediatest.Database(t)
	c := searchFixture(t, db,
		"Rumahnya terendam banjir di Desa Botteng sejak kemarin",                             // 0
		"Jalan desa tertimbun longsor, banjir juga merusak jembatan",                         // 1
		"Air bersih tidak mengalir ke rumah warga",                                           // 2
		"Bantuan 🍚 belum tiba — ᨅᨘᨁᨗ test ünïcödé",                                           // 3
		"Surat dari O'Brien & rekan: listrik padam | tolong! 12:30 tiang*roboh kabel\\putus", // 4
		"Jalan-rusak dekat pasar",                                                            // 5
	)
	exec(t, db, `UPDATE complaints SET title = 'Kebutuhan logistik pengungsi' WHERE code = $1`, c[2])
	cases := []struct {
		q    string
		want []int // indexes into c, newest first
	}{
		{"banjir", []int{1, 0}},
		{"BANJIR", []int{1, 0}},
		{"banj", []int{1, 0}},            // the beginning of a word
		{"anjir", nil},                   // not a substring
		{"rumah", []int{2, 0}},           // rumah and rumahnya
		{"banjir longsor", []int{1}},     // every word
		{"longsor   banjir", []int{1}},   // in any order
		{"logistik pengungsi", []int{2}}, // the title
		{"ᨅᨘᨁᨗ", []int{3}},               // another script
		{"ünïcödé", []int{3}},            // accents kept
		{"unicode", nil},                 // and not folded
		{"🍚", nil},                       // no word at all
		{"O'Brien", []int{4}},            // a quote splits words
		{"listrik & padam", []int{4}},    // & is no operator
		{"padam | zzz", nil},             // nor |: both words required
		{"!listrik", []int{4}},           // nor !
		{"listrik:*", []int{4}},          // nor :*
		{"tolong!", []int{4}},            // punctuation
		{"12:30", []int{4}},              // digits
		{`kabel\putus`, []int{4}},        // a backslash
		{`\`, nil},                       // alone
		{"'", nil},                       // a lone quote
		{"tiang*roboh", []int{4}},        // *
		{"(banjir)", []int{1, 0}},        // parentheses
		{"jalan-rusak", []int{5}},        // a hyphenated word whole
		{"rusak", []int{5}},              // and its parts
		{"jalan", []int{5, 1}},           // jalan-rusak, jalan desa
		{"<->", nil},                     // the phrase operator, as text
		{"zzzz", nil},                    // nothing
	}
	for _, tc := range cases {
		got, total := found(t, db, searchAdmin, tc.q)
		var want []string
		for _, i := range tc.want {
			want = append(want, c[i])
		}
		if !slices.Equal(got, want) || total != len(want) {
			t.Errorf("search %q: %v (total %d), want %v", tc.q, got, total, want)
		}
	}

	// A code: in any case, with look-alike letters, finds that complaint alone.
	code := c[2]
	for _, q := range []string{code, strings.ToLower(code), " " + code + " ",
		strings.NewReplacer("0", "O", "1", "I").Replace(code)} {
		if got, total := found(t, db, searchAdmin, q); !slices.Equal(got, []string{code}) || total != 1 {
			t.Errorf("search %q: %v (total %d), want %s", q, got, total, code)
		}
	}
	// The beginning of a code, with or without ADU-, and its second half.
	for _, q := range []string{code[:8], code[4:8], strings.ToLower(code[:11]), code[9:]} {
		if got, _ := found(t, db, searchAdmin, q); !slices.Contains(got, code) {
			t.Errorf("search %q: %v, want %s among them", q, got, code)
		}
	}

	// Empty: everything, newest first.
	for _, q := range []string{"", "   "} {
		got, total := found(t, db, searchAdmin, q)
		want := slices.Clone(c)
		slices.Reverse(want)
		if !slices.Equal(got, want) || total != len(c) {
			t.Errorf("search %q: %v (total %d), want all %v", q, got, total, want)
		}
	}

	// A title set later (triage) is searchable at once: the vector follows the row.
	exec(t, db, `UPDATE complaints SET title = 'Perahu nelayan rusak' WHERE code = $1`, c[0])
	if got, _ := found(t, db, searchAdmin, "nelayan"); !slices.Equal(got, []string{c[0]}) {
		t.Errorf("search for a new title's word: %v, want %s", got, c[0])
	}
}

// TestSearchConfidential: who may not read a confidential complaint's text cannot find
// it by that text, but still by its code and title, and only within their scope; an
// admin finds it by its text.
func TestSearchConfidential(t *testing.T) {
	db := mediatest.Database(t)
	c := searchFixture(t, db,
		"Pelecehan oleh petugas kataRahasia di tenda pengungsian",
		"Bantuan kataRahasia belum sampai ke dusun",
		"Petugas meminta uang kataRahasia di posko lain")
	exec(t, db, `UPDATE complaints SET pokja = 'logistik', title = 'Laporan perlindungan', confidential = (code = $1) WHERE code IN ($1, $2)`, c[0], c[1])
	exec(t, db, `UPDATE complaints SET pokja = 'hunian' WHERE code = $1`, c[2])
	pokja := domain.Actor{Username: "pokja-logistik", Role: domain.RolePokja, Pokja: "logistik"}
	for _, tc := range []struct {
		viewer domain.Actor
		q      string
		want   []string
	}{
		{pokja, "kataRahasia", []string{c[1]}},         // the confidential text withheld, the other pokja's out of scope
		{pokja, "perlindungan", []string{c[1], c[0]}},  // the title is not withheld
		{pokja, "laporan kataRahasia", []string{c[1]}}, // nor the title with a word of the text
		{pokja, c[0], []string{c[0]}},                  // nor the code
		{pokja, "pelecehan", nil},                      // a word of its text only
		{searchAdmin, "kataRahasia", []string{c[2], c[1], c[0]}},
		{searchAdmin, "pelecehan", []string{c[0]}},
	} {
		if got, _ := found(t, db, tc.viewer, tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("%s searches %q: %v, want %v", tc.viewer.Username, tc.q, got, tc.want)
		}
	}
}

// TestSearchTotalCapped: a word most complaints contain is counted up to TextCountCap
// (reported as TextCountCap+1, "more"); the page still lists the newest matches.
func TestSearchTotalCapped(t *testing.T) {
	db := mediatest.Database(t)
	ctx := context.Background()
	exec(t, db, `INSERT INTO complaints (code, channel, text, created_at, status, updated_at)
		SELECT 'ADU-CAP0-' || lpad(i::text, 4, '0'), 'web', 'Banjir besar nomor ' || i, now() - i * interval '1 second',
			'received', now()
		FROM generate_series(1, $1) AS i`, store.TextCountCap+5)
	rows, total, err := db.Search(ctx, searchAdmin, store.Filter{Q: "banjir", Page: 1, PerPage: 3})
	if err != nil {
		t.Fatal(err)
	}
	if total != store.TextCountCap+1 || len(rows) != 3 || rows[0].Code != "ADU-CAP0-0001" || rows[2].Code != "ADU-CAP0-0003" {
		t.Errorf("total %d, page %v", total, rows)
	}
	if _, total, _ = db.Search(ctx, searchAdmin, store.Filter{Q: "nomor 1000", Page: 1, PerPage: 3}); total != 1 {
		t.Errorf("nomor 1000: total %d, want 1", total)
	}
}

// TestPublicationsSearch: the public search matches the published title and answer and
// the code of published, non-confidential complaints only, never the complainant's text.
func TestPublicationsSearch(t *testing.T) {
	db := mediatest.Database(t)
	c := searchFixture(t, db, "Jembatan putus di dusun kami", "Jembatan rusak berat", "Jembatan hanyut", "Jembatan lama")
	exec(t, db, `UPDATE complaints SET published_at = now(), public_title = 'Perbaikan jembatan gantung',
		public_answer = 'Jembatan darurat telah dipasang.' WHERE code IN ($1, $2, $3)`, c[0], c[1], c[2])
	exec(t, db, `UPDATE complaints SET confidential = true WHERE code = $1`, c[1])
	search := func(q string) []string {
		rows, _, err := db.Publications(context.Background(), store.PublicFilter{Q: q, Page: 1, PerPage: 20})
		if err != nil {
			t.Fatalf("publications %q: %v", q, err)
		}
		var codes []string
		for _, r := range rows {
			codes = append(codes, r.Code)
		}
		slices.Sort(codes)
		return codes
	}
	want := []string{c[0], c[2]}
	slices.Sort(want)
	for q, w := range map[string][]string{
		"gantung": want, "darurat dipasang": want, "JEMBATAN": want,
		"putus": nil,    // the complainant's text is not public
		c[0]:    {c[0]}, // a code
		c[1]:    nil,    // a confidential one's code
		c[3]:    nil,    // an unpublished one's
	} {
		if got := search(q); !slices.Equal(got, w) {
			t.Errorf("publications %q: %v, want %v", q, got, w)
		}
	}
}

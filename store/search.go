package store

import (
	"regexp"
	"strings"

	"aduan/domain"
)

// Search by words. What a person types is parsed by PostgreSQL itself, with the same
// 'simple' configuration as the vectors it is matched against (migration 00021: the
// staff's generated column, the public index's expression): the words come out lower-cased and split where the complaints' words are
// split (punctuation, spaces; a hyphenated word is kept whole and in its parts), so
// nothing typed can break the query: quotes, &, |, !, :, * and backslashes are
// punctuation here, not operators.
//
// What matches:
//   - every word typed must be in the complaint (code, title, text for staff; code,
//     public title and answer for the public), in any order and any case;
//   - each word matches the words that begin with it: "banj" finds "banjir", "rumah"
//     finds "rumahnya" (Indonesian suffixes; PostgreSQL has no Indonesian stemmer), but
//     "anjir" does not find "banjir" (the search is by words, not substrings);
//   - accents and scripts are kept as typed ("ünïcödé", "ᨅᨘᨁᨗ"): no folding;
//   - a complaint code (domain.NormalizeCode: any case, O for 0, I or L for 1) finds
//     that complaint alone; the beginning of a code ("ADU-7K3Q", "7K3Q") or its second
//     half ("XW2M") finds the complaints whose code has it;
//   - text without a single word (only punctuation or emoji) matches nothing.
//
// Matches are listed newest first, as every list is; the count stops at TextCountCap.

// wordsQuery is SQL for the tsquery of parameter p: plainto_tsquery's parse (all words
// required), each lexeme made a prefix by appending :* after its closing quote. Lexemes
// hold no spaces, so a quote followed by a space or the end closes one (a quote inside a
// lexeme is doubled and never followed by a space).
func wordsQuery(p string) string {
	return `regexp_replace(plainto_tsquery('simple', ` + p + `)::text, '''( |$)', ''':*\1', 'g')::tsquery`
}

// codeHalf is the beginning of a code after its first half: "7K3Q-", "7k3q-XW".
var codeHalf = regexp.MustCompile(`^[0-9A-Za-z]{4}-[0-9A-Za-z]{0,4}$`)

// words adds a match of text: the vector column against the words typed, or the code
// typed. When recheck is set (SQL with %q for the tsquery), rows it names are matched
// again against less than the vector (a confidential text withheld).
func (q *query) words(text, vector, recheck string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	q.text = true
	if code := domain.NormalizeCode(text); code != "" {
		q.cond("code = " + q.arg(code))
		return
	}
	// The vectors hold a code as its two halves, without the ADU- prefix every complaint
	// would share: the beginning of a code typed is looked for so.
	if len(text) > 4 && strings.EqualFold(text[:4], "ADU-") {
		text = text[4:]
	}
	if codeHalf.MatchString(text) {
		text = text[:4] + " " + text[5:]
	}
	tsq := wordsQuery(q.arg(text))
	cond := vector + " @@ " + tsq
	if recheck != "" {
		cond += " AND " + strings.ReplaceAll(recheck, "%q", tsq)
	}
	q.cond("(" + cond + ")")
}

// staffWords matches text against what viewer may read of a complaint: code, title and
// text, or for a viewer to whom a confidential complaint's text is withheld (domain.
// SeesEverything false), its code and title alone: searching the text would confirm
// guessed words of what the view withholds. The index finds the candidates on the full
// vector (the code and title words are among them), and the few confidential ones are
// parsed again without the text.
func (q *query) staffWords(viewer domain.Actor, text string) {
	if domain.SeesEverything(viewer) {
		q.words(text, "search_vector", "")
		return
	}
	q.words(text, "search_vector",
		`(NOT confidential OR to_tsvector('simple', translate(regexp_replace(code, '^ADU-', ''), '-', ' ') || ' ' || coalesce(title, '')) @@ %q)`)
}

// publicVector is the vector of a published answer: its code, public title and public
// answer, the expression of the index complaints_public_search (migration 00021), which
// holds the published, non-confidential complaints (the condition published).
const publicVector = `to_tsvector('simple'::regconfig, translate(regexp_replace(code, '^ADU-', ''), '-', ' ') || ' ' ` +
	`|| coalesce(public_title, '') || ' ' || coalesce(public_answer, ''))`

// publicWords matches text against a published answer (with the condition published).
func (q *query) publicWords(text string) {
	q.words(text, publicVector, "")
}

package store

import "context"

// PublicPageFilter narrows the public pages' list of published answers: PublicFilter's
// fields and the pokja that answered.
type PublicPageFilter struct {
	PublicFilter
	Pokja string
}

// PublicPage lists published answers for the public pages (/publik), newest first, with
// the total count. Like Publications it never returns a confidential complaint.
func (db *DB) PublicPage(ctx context.Context, f PublicPageFilter) ([]Complaint, int, error) {
	var q query
	q.cond(published)
	q.eq("kecamatan", f.Kecamatan)
	q.eq("category", f.Category)
	q.eq("pokja", f.Pokja)
	q.publicWords(f.Q)
	return db.page(ctx, q, "published_at DESC, code", f.Page, f.PerPage)
}

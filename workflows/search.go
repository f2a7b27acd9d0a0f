package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"

	"aduan/domain"
)

// Search attributes of a complaint workflow. Register them on the dev server with
// --search-attribute and on a real cluster with `aduan setup-temporal`. None carries
// personal data.
var (
	AttrStatus    = temporal.NewSearchAttributeKeyKeyword("AduanStatus")
	AttrPokja     = temporal.NewSearchAttributeKeyKeyword("AduanPokja")
	AttrPartner   = temporal.NewSearchAttributeKeyKeyword("AduanPartner")
	AttrChannel   = temporal.NewSearchAttributeKeyKeyword("AduanChannel")
	AttrCategory  = temporal.NewSearchAttributeKeyKeyword("AduanCategory")
	AttrPriority  = temporal.NewSearchAttributeKeyKeyword("AduanPriority")
	AttrKecamatan = temporal.NewSearchAttributeKeyKeyword("AduanKecamatan")
	AttrDesa      = temporal.NewSearchAttributeKeyKeyword("AduanDesa")
	AttrDeadline  = temporal.NewSearchAttributeKeyTime("AduanDeadline")
	AttrOverdue   = temporal.NewSearchAttributeKeyBool("AduanOverdue")
)

// SearchAttributeTypes lists every attribute as NAME=Type, the form the dev server's
// --search-attribute flag takes.
var SearchAttributeTypes = []string{
	"AduanStatus=Keyword", "AduanPokja=Keyword", "AduanPartner=Keyword", "AduanChannel=Keyword",
	"AduanCategory=Keyword", "AduanPriority=Keyword", "AduanKecamatan=Keyword", "AduanDesa=Keyword",
	"AduanDeadline=Datetime", "AduanOverdue=Bool",
}

// searchValues is the part of a complaint's state that search attributes show.
type searchValues struct {
	status, pokja, partner, channel, category, priority, kecamatan, desa string
	deadline                                                             time.Time
	overdue                                                              bool
}

func searchValuesOf(c domain.CaseState) searchValues {
	v := searchValues{
		status: string(c.Status), pokja: c.Pokja, partner: c.Partner, channel: c.Channel,
		category: c.Category, priority: c.Priority, kecamatan: c.Kecamatan, desa: c.Desa,
		overdue: c.Overdue || c.OverallOverdue,
	}
	if c.Deadline != nil {
		v.deadline = c.Deadline.UTC()
	}
	return v
}

func keyword(k temporal.SearchAttributeKeyKeyword, v string) temporal.SearchAttributeUpdate {
	if v == "" {
		return k.ValueUnset()
	}
	return k.ValueSet(v)
}

// updatesBetween lists the attribute updates that turn old into new (all of them when
// old is nil), so an unchanged attribute costs nothing.
func updatesBetween(old *searchValues, n searchValues) []temporal.SearchAttributeUpdate {
	var u []temporal.SearchAttributeUpdate
	kw := []struct {
		key      temporal.SearchAttributeKeyKeyword
		old, new string
	}{
		{AttrStatus, "", n.status}, {AttrPokja, "", n.pokja}, {AttrPartner, "", n.partner},
		{AttrChannel, "", n.channel}, {AttrCategory, "", n.category}, {AttrPriority, "", n.priority},
		{AttrKecamatan, "", n.kecamatan}, {AttrDesa, "", n.desa},
	}
	if old != nil {
		olds := []string{old.status, old.pokja, old.partner, old.channel, old.category, old.priority, old.kecamatan, old.desa}
		for i := range kw {
			kw[i].old = olds[i]
		}
	}
	for _, k := range kw {
		if old == nil && k.new != "" || old != nil && k.old != k.new {
			u = append(u, keyword(k.key, k.new))
		}
	}
	if old == nil || !old.deadline.Equal(n.deadline) {
		if n.deadline.IsZero() {
			if old != nil {
				u = append(u, AttrDeadline.ValueUnset())
			}
		} else {
			u = append(u, AttrDeadline.ValueSet(n.deadline))
		}
	}
	if old == nil || old.overdue != n.overdue {
		u = append(u, AttrOverdue.ValueSet(n.overdue))
	}
	return u
}

// InitialSearchAttributes are the attributes a complaint workflow starts with.
func InitialSearchAttributes(c domain.CaseState) temporal.SearchAttributes {
	return temporal.NewSearchAttributes(updatesBetween(nil, searchValuesOf(c))...)
}

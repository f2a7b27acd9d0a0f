package store

import (
	"context"
	"time"

	"aduan/domain"
)

// BoardRow is the open work of one pokja or partner: how many complaints it holds now,
// how many of them are overdue, and the earliest deadline among them.
type BoardRow struct {
	Group          string     `db:"grp"`
	Name           string     `db:"name"`
	Open           int        `db:"open"`
	Overdue        int        `db:"overdue"`
	OldestDeadline *time.Time `db:"oldest_deadline"`
}

// Board is the supervisors' view of open work: one row per pokja whose ball it is
// (domain.TurnOf: at_pokja, pokja_review) and one per partner (at_partner), with every group of the
// directory listed even when it holds nothing.
func (db *DB) Board(ctx context.Context) (pokja, partners []BoardRow, err error) {
	pokja, partners = []BoardRow{}, []BoardRow{}
	err = db.SelectContext(ctx, &pokja, `SELECT p.id AS grp, p.name,
			count(c.code) AS open, count(c.code) FILTER (WHERE `+overdueSQL("c.")+`) AS overdue,
			min(c.deadline) AS oldest_deadline
		FROM pokja p LEFT JOIN complaints c ON c.pokja = p.id AND c.status IN `+statusList(domain.StatusesWithBall(domain.RolePokja))+`
		GROUP BY p.id, p.name ORDER BY overdue DESC, open DESC, p.name`)
	if err != nil {
		return nil, nil, err
	}
	err = db.SelectContext(ctx, &partners, `SELECT p.id AS grp, p.name,
			count(c.code) AS open, count(c.code) FILTER (WHERE `+overdueSQL("c.")+`) AS overdue,
			min(c.deadline) AS oldest_deadline
		FROM partners p LEFT JOIN complaints c ON c.partner = p.id AND c.status IN `+statusList(domain.StatusesWithBall(domain.RolePartner))+`
		GROUP BY p.id, p.name ORDER BY overdue DESC, open DESC, p.name`)
	return pokja, partners, err
}

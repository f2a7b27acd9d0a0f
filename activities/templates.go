package activities

import (
	"context"
	"fmt"

	"aduan/notify"
)

// templates is the set of texts in force, as an admin last changed them
// (store.TemplatesInForce: read at most every few seconds). A stored text this Aduan
// cannot use is logged and its default goes out instead: a notification is never held
// up by a text.
func (n *Notifier) templates(ctx context.Context) (notify.Templates, error) {
	v, err := n.DB.TemplatesInForce(ctx)
	if err != nil {
		return notify.Templates{}, fmt.Errorf("message templates: %w", err)
	}
	set, problems := notify.NewTemplates(v.Version, v.Texts)
	for _, p := range problems {
		loggerOf(ctx).Warn("stored message template unusable; its default is used", "version", v.Version, "problem", p.Error())
	}
	return set, nil
}

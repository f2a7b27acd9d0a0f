package notify

import (
	"errors"
	"sort"
)

// Changes is what new texts change in the stored ones: the texts to store and those to
// put back to their defaults (a text written as its default is not stored, so it follows
// the default if a newer Aduan words it better). Each edit is cleaned
// (CleanTemplateText) and checked (Validate); a text the same as the one in force
// changes nothing. Every refusal comes back, joined, and then nothing is to change.
func Changes(stored, edits map[string]string) (set map[string]string, reset []string, err error) {
	names := make([]string, 0, len(edits))
	for name := range edits {
		names = append(names, name)
	}
	sort.Strings(names)
	var refused []error
	set = map[string]string{}
	for _, name := range names {
		text := CleanTemplateText(edits[name])
		if err := Validate(name, text); err != nil {
			refused = append(refused, err)
			continue
		}
		old, custom := stored[name]
		switch {
		case custom && text == old, !custom && text == DefaultText(name):
		case text == DefaultText(name):
			reset = append(reset, name)
		default:
			set[name] = text
		}
	}
	if len(refused) > 0 {
		return nil, nil, errors.Join(refused...)
	}
	return set, reset, nil
}

// Package complaints is Aduan's core: the use cases every door shares, without HTTP.
// Intake from every channel, staff actions (a Workflow Update, Update-with-Start or a
// start first), the complainant's replies and feedback, inbound messages from the
// messaging providers, the starter that starts new complaints' workflows behind intake,
// the rate limiters, and the privacy-filtered views that the JSON API and the pages
// render. It takes a context.Context and returns *Error, whose Kind each door maps to its
// own answer (an HTTP status, a page, a provider's retry).
package complaints

package notify

import "strings"

// Fallback is how a message to a complainant that its provider reported failed is tried
// again: free WhatsApp text (the window had closed, error 131047) as the approved
// template; a WhatsApp template as SMS when an SMS gateway is configured; nothing after
// that (next ""). The failed row stays in the outbox with its error, for `aduan verify`.
func Fallback(channel, sentVia string, smsConfigured bool) (next, mode string) {
	switch {
	case channel == ChannelWhatsApp && strings.HasPrefix(sentVia, "whatsapp:text"):
		return ChannelWhatsApp, ModeTemplate
	case channel == ChannelWhatsApp && smsConfigured:
		return ChannelSMS, ""
	}
	return "", ""
}

// Configured reports whether channel has a real sender (not the log stand-in).
func (s Senders) Configured(channel string) bool {
	switch s[channel].(type) {
	case nil, LogSender, *LogSender:
		return false
	}
	return true
}

package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/domain"
	"aduan/store"
)

// notificationView is one of the caller's notifications. It never carries the address
// the notification went to.
type notificationView struct {
	ID        int64             `json:"id"`
	Code      string            `json:"code"`
	Kind      domain.NotifyKind `json:"kind"`
	Channel   string            `json:"channel"`
	Template  string            `json:"template"`
	Text      string            `json:"text"`
	DueAt     time.Time         `json:"due_at"`
	CreatedAt time.Time         `json:"created_at"`
	SentAt    *time.Time        `json:"sent_at"`
	Attempts  int               `json:"attempts"`
}

func notificationViewOf(n store.Notification) notificationView {
	return notificationView{ID: n.ID, Code: n.Code, Kind: n.Kind, Channel: n.Channel, Template: n.Template,
		Text: n.Text, DueAt: n.DueAt, CreatedAt: n.CreatedAt, SentAt: n.SentAt, Attempts: n.Attempts}
}

// notifications lists the caller's own notifications (reminders, escalations), newest
// first, paged like other lists.
func (s *server) notifications(c *gin.Context) {
	p := page(c)
	rows, total, err := s.DB.NotificationsFor(c.Request.Context(), currentStaff(c).Username, p, perPage)
	if err != nil {
		unavailable(c, err)
		return
	}
	items := make([]notificationView, 0, len(rows))
	for _, r := range rows {
		items = append(items, notificationViewOf(r))
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "page": p, "per_page": perPage, "total": total})
}

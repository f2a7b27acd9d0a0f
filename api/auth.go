package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"aduan/domain"
	"aduan/store"
)

const staffKey = "aduan.staff"

// authenticate resolves the bearer token to a staff user, or answers 401.
func (s *server) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		fail(c, http.StatusUnauthorized, codeUnauthenticated, "Masuk diperlukan: sertakan header Authorization: Bearer TOKEN.", nil)
		return
	}
	user, err := s.DB.StaffByToken(c.Request.Context(), token)
	if errors.Is(err, store.ErrNotFound) {
		fail(c, http.StatusUnauthorized, codeUnauthenticated, "Token tidak dikenal atau sudah dicabut.", nil)
		return
	}
	if err != nil {
		unavailable(c, err)
		return
	}
	c.Set(staffKey, user)
	c.Next()
}

func currentStaff(c *gin.Context) store.Staff {
	return c.MustGet(staffKey).(store.Staff)
}

func currentActor(c *gin.Context) domain.Actor {
	return currentStaff(c).Actor()
}

func (s *server) me(c *gin.Context) {
	u := currentStaff(c)
	out := gin.H{"username": u.Username, "name": u.Name, "role": u.Role}
	if u.PokjaID.Valid {
		out["pokja"] = u.PokjaID.String
	}
	if u.PartnerID.Valid {
		out["partner"] = u.PartnerID.String
	}
	c.JSON(http.StatusOK, out)
}

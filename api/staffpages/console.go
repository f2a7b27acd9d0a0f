package staffpages

import "github.com/gin-gonic/gin"

// registerConsole adds the console's pages (the inbox, search, a complaint with its action
// forms, registering a phone or desk complaint, the supervisor's board, notifications).
func (h handlers) registerConsole(g *gin.RouterGroup) {}

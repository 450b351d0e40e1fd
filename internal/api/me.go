package api

import (
	"net/http"

	"caunoi"
)

// MeResponse is the answer of GET /api/v1/me: who the actor is, the roles
// it holds and every permission those roles give.
type MeResponse struct {
	UserID      string              `json:"user_id"`
	Username    string              `json:"username"`
	DisplayName string              `json:"display_name"`
	Lang        string              `json:"lang"`
	Grants      []caunoi.Grant      `json:"grants"`
	Permissions []caunoi.Permission `json:"permissions"`
}

// Me answers GET /api/v1/me with the signed-in actor.
func (a *API) Me(w http.ResponseWriter, r *http.Request) {
	ac, err := caunoi.RequireActor(r.Context())
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	me := MeResponse{UserID: ac.UserID, Username: ac.Username, DisplayName: ac.DisplayName, Lang: ac.Lang,
		Grants: ac.Grants, Permissions: []caunoi.Permission{}}
	if me.Grants == nil {
		me.Grants = []caunoi.Grant{}
	}
	for _, p := range caunoi.Permissions {
		if ac.Can(p) {
			me.Permissions = append(me.Permissions, p)
		}
	}
	WriteJSON(w, http.StatusOK, me)
}

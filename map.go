package caunoi

import "context"

// MapService counts what the map shows beside the places themselves.
type MapService interface {
	// ContactsByPlace returns, for the subtree of an organisation in the
	// actor's client.read scope, the number of live contacts made at each
	// place (by id) in the period, counted by the Vietnamese day.
	ContactsByPlace(ctx context.Context, orgID string, p Period) (map[string]int, error)
}

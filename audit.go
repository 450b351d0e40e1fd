package caunoi

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEntry is one line of the audit trail: every write, and every read of
// a client's record, written in the same transaction as the change.
type AuditEntry struct {
	ID        string          `json:"id"`
	At        time.Time       `json:"at"`
	ActorID   string          `json:"actor_id,omitempty"`
	ActorName string          `json:"actor_name"`
	Action    string          `json:"action"` // create, update, void, read, login, …
	Entity    string          `json:"entity"` // org, user, client, …
	EntityID  string          `json:"entity_id"`
	OrgPath   string          `json:"-"`
	Before    json.RawMessage `json:"before,omitempty"`
	After     json.RawMessage `json:"after,omitempty"`
	Reason    string          `json:"reason,omitempty"`
}

// Audit actions.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionVoid   = "void"
	ActionRead   = "read"
	ActionImport = "import"
	ActionLogin  = "login"
	ActionLogout = "logout"
	ActionGrant  = "grant"
	ActionRevoke = "revoke"
	// ActionReencrypt: identifying fields sealed again with the current key.
	ActionReencrypt = "reencrypt"
)

// AuditFilter selects audit entries.
type AuditFilter struct {
	ActorID  string
	Entity   string
	EntityID string
	Action   string
	From, To *time.Time
	Page
}

// AuditService reads the audit trail. Needs audit.read; entries are scoped
// to the organisations of the actor's subtree.
type AuditService interface {
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
}

package caunoi

import (
	"context"
	"time"
)

// Kinds of operation a phone sends to be synced. Each is applied by the
// same service method a form or the API calls, so validation, scope and
// audit are the same.
const (
	// SyncCreateClient registers a client (ClientService.CreateClient).
	SyncCreateClient = "client.create"
	// SyncCreateContact records an outreach contact
	// (ContactService.CreateContact).
	SyncCreateContact = "contact.create"
	// SyncCreateActivity records a group activity with its attendance
	// (ActivityService.CreateActivity): the meeting's register.
	SyncCreateActivity = "activity.create"
	// SyncUpdateClient changes a client against the version the phone
	// saw (ClientService.UpdateClient): a stale version is a conflict.
	SyncUpdateClient = "client.update"
)

// SyncKinds lists the kinds of sync operation.
var SyncKinds = []string{SyncCreateClient, SyncCreateContact, SyncCreateActivity, SyncUpdateClient}

// The states of a synced operation.
const (
	// SyncAccepted: applied; RecordID names the record. Final.
	SyncAccepted = "accepted"
	// SyncRejected: not applied, and never will be under this operation
	// id: Err says what to fix; the phone records it anew. Final.
	SyncRejected = "rejected"
	// SyncConflict: not applied because the record changed on the server
	// since the phone read it (a stale version) or is voided; nothing was
	// overwritten. Final.
	SyncConflict = "conflict"
	// SyncRetry: not applied this time (the batch was too long, or the
	// server failed); nothing is stored: send it again later.
	SyncRetry = "retry"
)

// SyncStates lists the states of a synced operation.
var SyncStates = []string{SyncAccepted, SyncRejected, SyncConflict, SyncRetry}

// MaxSyncOps is the most operations one batch applies; those beyond it are
// answered SyncRetry.
const MaxSyncOps = 10000

// FieldCacheSize bounds the clients a phone keeps for looking them up
// offline.
const FieldCacheSize = 200

// FieldCacheLife is how long a phone may keep its cache of clients before
// it must fetch it again (and wipes it if it cannot).
const FieldCacheLife = 72 * time.Hour

// FieldCacheWindow is how far back a worker's clients count as recent.
const FieldCacheWindow = 180 * 24 * time.Hour

// SyncOp is one operation of a batch sent by a phone. ID is a UUIDv7 the
// phone made when the record was typed, so that a batch sent again after a
// lost answer is applied once. Exactly one of Client, Contact, Activity
// and Update is set, by Kind.
type SyncOp struct {
	ID       string
	Kind     string
	Client   *Client
	Contact  *Contact
	Activity *Activity
	// Update and UpdateID: the change of client.update and its client.
	Update   *ClientUpdate
	UpdateID string
	// Err is what was wrong with the operation as sent (unreadable, an
	// unknown kind): it is answered rejected and not applied.
	Err error
}

// SyncResult is the answer for one operation. A repeated operation gets
// the answer it got the first time, with Replayed set.
type SyncResult struct {
	OpID     string
	Status   string // one of SyncStates
	RecordID string // the record made or changed, when accepted
	Version  int    // its version then; for a conflict, the version stored
	// Err says why an operation was not accepted.
	Err      *Error
	Replayed bool
	// At is when the server first received the operation.
	At time.Time
}

// FieldClient is what a phone keeps of one of its worker's clients, to
// find them offline: nothing identifying, never the legal name, phone or
// identity number.
type FieldClient struct {
	ID        string `json:"id"`
	OrgID     string `json:"org_id"`
	Nickname  string `json:"nickname"`
	UIC       string `json:"uic,omitempty"`
	BirthYear int    `json:"birth_year,omitempty"`
	Sex       string `json:"sex"`
}

// SyncService applies what phones recorded offline.
type SyncService interface {
	// Sync applies a batch of operations in order, each on its own: one
	// that fails is answered with its reason and the others are kept. Each
	// operation's answer is stored under its id in the same transaction
	// as the record, so a repeat (a batch sent again, a replay of an old
	// one) returns the first answer and stores nothing twice. Operations
	// beyond MaxSyncOps are answered SyncRetry. Any signed-in actor may
	// call it; each operation needs the permission of its service method.
	// The error is for the batch as a whole (no actor: EUNAUTHORIZED);
	// the answers of operations whose transaction could not commit are
	// SyncRetry.
	Sync(ctx context.Context, ops []*SyncOp) ([]SyncResult, error)
	// FieldClients returns the actor's own recent clients (those it
	// registered or met within FieldCacheWindow), most recent first, at
	// most FieldCacheSize, for the phone's offline cache. Needs
	// client.read; every client returned is written to the audit trail
	// as read.
	FieldClients(ctx context.Context) ([]FieldClient, error)
}

package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"caunoi"
)

// SyncPath is the route of the sync endpoint.
const SyncPath = "/api/v1/sync"

// MaxSyncBody is the largest batch accepted: caunoi.MaxSyncOps operations
// of up to about 1.5 kB each.
const MaxSyncBody = 16 << 20

// BodyLimit returns the largest body the API route at path accepts.
func BodyLimit(path string) int64 {
	if path == SyncPath {
		return MaxSyncBody
	}
	return MaxBody
}

// SyncRequest is the body of POST /api/v1/sync: the operations a phone
// recorded, oldest first.
type SyncRequest struct {
	Ops []json.RawMessage `json:"ops"`
}

// SyncOpRequest is one operation of a batch. OpID is a UUIDv7 the phone
// made when the record was typed; Kind is one of caunoi.SyncKinds; Data is
// the body the API's own call takes: CreateClientRequest for client.create,
// CreateContactRequest for contact.create, CreateActivityRequest for
// activity.create, SyncClientUpdate for client.update.
type SyncOpRequest struct {
	OpID string          `json:"op_id"`
	Kind string          `json:"kind"`
	Data json.RawMessage `json:"data"`
}

// SyncClientUpdate is the data of client.update: the client, the version
// the phone read, and the fields to change.
type SyncClientUpdate struct {
	ID string `json:"id"`
	UpdateClientRequest
}

// DecodeSync reads a batch. A body that is not a batch at all is an
// error; an operation that cannot be read comes back with its Err set, so
// it is answered on its own while the others are applied. An operation
// that has no readable op_id keeps an empty ID (its answer is then found
// by its index).
func DecodeSync(r io.Reader) ([]*caunoi.SyncOp, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var req SyncRequest
	if err := dec.Decode(&req); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, caunoi.Errorf(caunoi.ETOOLARGE, "err.body.too_large", map[string]any{"Max": "16 MiB"})
		}
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, caunoi.Errorf(caunoi.EINVALID, "err.json.malformed", nil)
	}
	if req.Ops == nil {
		return nil, caunoi.Invalid(caunoi.FieldError{Field: "ops", Key: "err.field.required"})
	}
	ops := make([]*caunoi.SyncOp, len(req.Ops))
	for i, raw := range req.Ops {
		ops[i] = decodeSyncOp(raw)
	}
	return ops, nil
}

// decodeSyncOp reads one operation; what is wrong with it goes to Err.
func decodeSyncOp(raw json.RawMessage) *caunoi.SyncOp {
	op := &caunoi.SyncOp{}
	if b := bytes.TrimSpace(raw); len(b) == 0 || b[0] != '{' {
		op.Err = caunoi.Errorf(caunoi.EINVALID, "err.sync.malformed", nil)
		return op
	}
	// The id first, leniently, so that even a broken operation is
	// answered under it.
	var head struct {
		OpID string `json:"op_id"`
		Kind string `json:"kind"`
	}
	if json.Unmarshal(raw, &head) == nil {
		op.ID, op.Kind = head.OpID, head.Kind
	}
	var req SyncOpRequest
	if err := strictJSON(raw, &req); err != nil {
		op.Err = err
		return op
	}
	op.ID, op.Kind = req.OpID, req.Kind
	if len(req.Data) == 0 || string(req.Data) == "null" {
		op.Err = caunoi.Invalid(caunoi.FieldError{Field: "data", Key: "err.field.required"})
		return op
	}
	switch req.Kind {
	case caunoi.SyncCreateClient:
		var d CreateClientRequest
		if op.Err = strictJSON(req.Data, &d); op.Err == nil {
			op.Client = d.client()
		}
	case caunoi.SyncCreateContact:
		var d CreateContactRequest
		if op.Err = strictJSON(req.Data, &d); op.Err == nil {
			op.Contact, op.Err = d.contact()
		}
	case caunoi.SyncCreateActivity:
		var d CreateActivityRequest
		if op.Err = strictJSON(req.Data, &d); op.Err == nil {
			op.Activity, op.Err = d.activity()
		}
	case caunoi.SyncUpdateClient:
		var d SyncClientUpdate
		if op.Err = strictJSON(req.Data, &d); op.Err == nil {
			if d.ID == "" {
				op.Err = caunoi.Invalid(caunoi.FieldError{Field: "id", Key: "err.field.required"})
				break
			}
			u := d.update()
			op.Update, op.UpdateID = &u, d.ID
		}
	default:
		op.Err = caunoi.Invalid(caunoi.FieldError{Field: "kind", Key: "err.sync.kind"})
	}
	return op
}

// strictJSON reads one JSON value into v, refusing unknown fields, as
// request bodies are read.
func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return caunoi.Errorf(caunoi.EINVALID, "err.json.malformed", nil)
	}
	return nil
}

// SyncResponse is the answer of POST /api/v1/sync: one result per
// operation, in the order sent, and how many ended in each state.
type SyncResponse struct {
	Results   []SyncItemResult `json:"results"`
	Accepted  int              `json:"accepted"`
	Rejected  int              `json:"rejected"`
	Conflicts int              `json:"conflicts"`
	Retry     int              `json:"retry"`
}

// SyncItemResult is the answer for one operation. Accepted, rejected and
// conflict are final: sending the operation again gets the same answer,
// marked replayed. Retry means nothing was stored: send it again later.
type SyncItemResult struct {
	Index      int          `json:"index"`
	OpID       string       `json:"op_id"`
	Status     string       `json:"status"`
	RecordID   string       `json:"record_id,omitempty"`
	Version    int          `json:"version,omitempty"`
	Replayed   bool         `json:"replayed,omitempty"`
	ReceivedAt *time.Time   `json:"received_at,omitempty"`
	Error      *ErrorDetail `json:"error,omitempty"`
}

// Sync answers POST /api/v1/sync with a SyncResponse. The batch as a whole
// fails only when it cannot be read (422, 413) or the caller is not signed
// in (401: a session or token that expired while the phone was offline);
// then nothing is stored and the phone keeps every operation.
func (a *API) Sync(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		a.WriteError(w, r, caunoi.Errorf(caunoi.EINVALID, "err.json.content_type", nil))
		return
	}
	ops, err := DecodeSync(http.MaxBytesReader(w, r.Body, MaxSyncBody))
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	results, err := a.Syncer.Sync(r.Context(), ops)
	if results == nil {
		if err == nil {
			err = errors.New("sync: no answer")
		}
		a.WriteError(w, r, err)
		return
	}
	if err != nil && a.Log != nil {
		// Operations rolled back by a fault of the system are answered
		// retry; the fault is logged here, without their data.
		a.Log.Error("sync", "err", err)
	}
	l := a.Localizer(r)
	resp := SyncResponse{Results: make([]SyncItemResult, len(results))}
	for i, res := range results {
		it := SyncItemResult{Index: i, OpID: res.OpID, Status: res.Status, RecordID: res.RecordID, Version: res.Version, Replayed: res.Replayed}
		if !res.At.IsZero() {
			at := res.At
			it.ReceivedAt = &at
		}
		if res.Err != nil {
			msg, fields := l.Error(res.Err)
			it.Error = &ErrorDetail{Code: res.Err.Code, Message: msg, Fields: fields}
		}
		switch res.Status {
		case caunoi.SyncAccepted:
			resp.Accepted++
		case caunoi.SyncRejected:
			resp.Rejected++
		case caunoi.SyncConflict:
			resp.Conflicts++
		case caunoi.SyncRetry:
			resp.Retry++
		}
		resp.Results[i] = it
	}
	WriteJSON(w, http.StatusOK, resp)
}

// FieldClientsResponse is the answer of GET /api/v1/sync/clients.
type FieldClientsResponse struct {
	Items []caunoi.FieldClient `json:"items"`
	// ExpiresAt is when the phone must drop the list if it has not
	// fetched a new one.
	ExpiresAt time.Time `json:"expires_at"`
	// Max is the most clients the list holds.
	Max int `json:"max"`
}

// FieldClients answers GET /api/v1/sync/clients with the caller's own
// recent clients, for the phone's offline cache: id, group, nickname,
// UIC, birth year and sex only. Every client listed is written to the
// audit trail as read.
func (a *API) FieldClients(w http.ResponseWriter, r *http.Request) {
	items, err := a.Syncer.FieldClients(r.Context())
	if err != nil {
		a.WriteError(w, r, err)
		return
	}
	if items == nil {
		items = []caunoi.FieldClient{}
	}
	WriteJSON(w, http.StatusOK, FieldClientsResponse{Items: items, ExpiresAt: time.Now().Add(caunoi.FieldCacheLife).UTC().Truncate(time.Second),
		Max: caunoi.FieldCacheSize})
}

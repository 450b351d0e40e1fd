package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/api"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// syncOp is one operation of a test batch, as a phone sends it.
func syncOp(opID, kind, data string) string {
	return fmt.Sprintf(`{"op_id":%q,"kind":%q,"data":%s}`, opID, kind, data)
}

func contactData(org string, at time.Time, place string) string {
	return fmt.Sprintf(`{"id":%q,"org_id":%q,"anon_sex":"female","anon_population":"sex_work","at":%q,"place":%q,"commodities":{"condom":10}}`,
		caunoi.NewID(), org, at.Format(time.RFC3339), place)
}

func batch(ops ...string) string { return `{"ops":[` + strings.Join(ops, ",") + `]}` }

func decodeSync(t *testing.T, body []byte) api.SyncResponse {
	t.Helper()
	var resp api.SyncResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("answer: %v: %.300s", err, body)
	}
	return resp
}

func TestDecodeSync(t *testing.T) {
	id := caunoi.NewID()
	for _, c := range []struct {
		name  string
		body  string
		key   string // for a batch refused as a whole
		field string // for one operation refused: the field named
		kind  string // for one operation read: its kind
	}{
		{name: "not JSON", body: `{"ops":[`, key: "err.json.malformed"},
		{name: "no ops", body: `{}`, key: "err.invalid"},
		{name: "unknown top field", body: `{"ops":[],"x":1}`, key: "err.invalid"},
		{name: "two values", body: `{"ops":[]} {}`, key: "err.json.malformed"},
		{name: "an item that is no object", body: `{"ops":[42]}`, field: "-"},
		{name: "unknown kind", body: batch(syncOp(id, "contact.delete", `{}`)), field: "kind"},
		{name: "no data", body: `{"ops":[{"op_id":"` + id + `","kind":"contact.create"}]}`, field: "data"},
		{name: "unknown field in the data", body: batch(syncOp(id, "contact.create", `{"org_id":"x","at":"2025-07-01T19:30:00+07:00","worker_id":"me"}`)), field: "worker_id"},
		{name: "a field of the wrong type", body: batch(syncOp(id, "client.create", `{"org_id":"x","nickname":7}`)), field: "nickname"},
		{name: "a bad time", body: batch(syncOp(id, "contact.create", `{"org_id":"x","at":"01/07/2025 19:30"}`)), field: "at"},
		{name: "a bad day", body: batch(syncOp(id, "activity.create", `{"org_id":"x","kind":"group_meeting","held_on":"hôm qua","title":"x"}`)), field: "held_on"},
		{name: "an update without its client", body: batch(syncOp(id, "client.update", `{"version":1}`)), field: "id"},
		{name: "a contact", body: batch(syncOp(id, "contact.create", `{"org_id":"x","at":"2025-07-01T19:30:00+07:00"}`)), kind: "contact.create"},
		{name: "an update", body: batch(syncOp(id, "client.update", `{"id":"c","version":3,"status":"moved"}`)), kind: "client.update"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ops, err := api.DecodeSync(strings.NewReader(c.body))
			if c.key != "" {
				if e := caunoi.AsError(err); err == nil || e.Code != caunoi.EINVALID || e.Key != c.key {
					t.Fatalf("err = %v, want EINVALID %s", err, c.key)
				}
				return
			}
			if err != nil || len(ops) != 1 {
				t.Fatalf("DecodeSync = %v, %v; want one operation", ops, err)
			}
			op := ops[0]
			if c.kind != "" {
				if op.Err != nil || op.Kind != c.kind || op.ID != id {
					t.Fatalf("op = %+v", op)
				}
				if c.kind == caunoi.SyncUpdateClient && (op.UpdateID != "c" || op.Update.Version != 3 || *op.Update.Status != "moved") {
					t.Fatalf("update = %+v", op.Update)
				}
				return
			}
			e := caunoi.AsError(op.Err)
			if op.Err == nil || e.Code != caunoi.EINVALID {
				t.Fatalf("op.Err = %v, want EINVALID", op.Err)
			}
			if c.field != "-" && !slices.ContainsFunc(e.Fields, func(f caunoi.FieldError) bool { return f.Field == c.field }) {
				t.Fatalf("op.Err = %v, want field %s", e, c.field)
			}
			if c.field != "-" && op.ID != id {
				t.Fatalf("a broken operation lost its id: %q", op.ID)
			}
		})
	}
}

// TestSyncEndpoint sends the bad input the issue lists through the handler:
// a malformed item, an item for another scope, a stale version, a replay
// of an old batch and a batch of 10,000 items.
func TestSyncEndpoint(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		f.api.Syncer = sqldb.NewSyncService(db)
		a := f.api
		at := time.Now().Add(-time.Hour)
		post := func(body string, header map[string]string) (int, api.SyncResponse) {
			t.Helper()
			rec := call(t, a.Sync, f.worker, "POST", "/api/v1/sync", body, nil, header)
			if rec.Code != http.StatusOK {
				return rec.Code, api.SyncResponse{}
			}
			return rec.Code, decodeSync(t, rec.Body.Bytes())
		}
		contacts := func() int {
			_, n, err := a.Contacts.FindContacts(caunoi.NewContextWithActor(t.Context(), f.worker), caunoi.ContactFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		clientID := caunoi.NewID()
		first := batch(
			syncOp(caunoi.NewID(), "client.create", `{"id":"`+clientID+`","org_id":"`+f.group.ID+`","nickname":"Hoa","birth_year":1998,"sex":"female","populations":["sex_work"],"uic":"HOTU1998F"}`),
			syncOp(caunoi.NewID(), "contact.create", contactData(f.group.ID, at, "Karaoke Hoa Hồng")),
			syncOp(caunoi.NewID(), "client.update", `{"id":"`+clientID+`","version":1,"status":"moved"}`),
		)
		code, resp := post(first, nil)
		if code != 200 || resp.Accepted != 3 {
			t.Fatalf("first batch: %d %+v", code, resp)
		}

		stale := caunoi.NewID()
		code, resp = post(batch(
			`{"op_id":"`+caunoi.NewID()+`","kind":"contact.create","data":{"org_id":`,                       // 0: cut short
			syncOp(caunoi.NewID(), "contact.create", contactData(f.group.ID, at, "Nhà nghỉ Sao Mai")),       // 1: good
			syncOp(caunoi.NewID(), "contact.create", contactData(f.prov2.ID, at, "Tỉnh khác")),              // 2: another scope
			syncOp(stale, "client.update", `{"id":"`+clientID+`","version":1,"status":"exited"}`),           // 3: stale
			syncOp(caunoi.NewID(), "contact.create", `{"org_id":"`+f.group.ID+`","at":"2025-07-01 19:30"}`), // 4: bad time
		), map[string]string{"Accept-Language": "en"})
		if code != 422 {
			t.Fatalf("a batch whose JSON is cut short: %d, want 422 for the whole body", code)
		}

		code, resp = post(batch(
			`{"op_id":"`+caunoi.NewID()+`","kind":"contact.create","data":{"org_id":1}}`,                    // 0: malformed
			syncOp(caunoi.NewID(), "contact.create", contactData(f.group.ID, at, "Nhà nghỉ Sao Mai")),       // 1: good
			syncOp(caunoi.NewID(), "contact.create", contactData(f.prov2.ID, at, "Tỉnh khác")),              // 2: another scope
			syncOp(stale, "client.update", `{"id":"`+clientID+`","version":1,"status":"exited"}`),           // 3: stale
			syncOp(caunoi.NewID(), "contact.create", `{"org_id":"`+f.group.ID+`","at":"2025-07-01 19:30"}`), // 4: bad time
		), map[string]string{"Accept-Language": "en"})
		want := []string{"rejected", "accepted", "rejected", "conflict", "rejected"}
		var got []string
		for _, r := range resp.Results {
			got = append(got, r.Status)
		}
		if code != 200 || !slices.Equal(got, want) || resp.Accepted != 1 || resp.Rejected != 3 || resp.Conflicts != 1 {
			t.Fatalf("statuses %v (%d), want %v: %+v", got, code, want, resp)
		}
		for i, field := range map[int]string{0: "org_id", 2: "org_id", 4: "at"} {
			e := resp.Results[i].Error
			if e == nil || e.Fields[field] == "" || e.Message == "" {
				t.Errorf("answer %d: %+v, want a reason for %s", i, e, field)
			}
		}
		if r := resp.Results[3]; r.Version != 2 || r.Error == nil || r.Error.Code != caunoi.ECONFLICT || !strings.Contains(r.Error.Message, "changed") {
			t.Errorf("stale change: %+v, want the stored version 2 and an English message", r)
		}

		// An old batch replayed: the first answers, nothing stored twice.
		n := contacts()
		code, resp = post(first, nil)
		if code != 200 || resp.Accepted != 3 || !resp.Results[0].Replayed || !resp.Results[2].Replayed || resp.Results[2].Version != 2 {
			t.Fatalf("replay: %d %+v", code, resp)
		}
		if contacts() != n {
			t.Fatalf("a replay stored contacts")
		}

		// 10,001 operations: the first 10,000 are applied (among them a
		// few bad ones), the last is left for the next batch.
		ops := make([]string, caunoi.MaxSyncOps+1)
		bad := map[int]bool{17: true, 4000: true, 9999: true}
		for i := range ops {
			data := contactData(f.group.ID, at, fmt.Sprintf("Lô lớn %d", i))
			if bad[i] {
				data = `{"org_id":"` + f.group.ID + `","at":"` + at.Format(time.RFC3339) + `"}` // anonymous without sex or population
			}
			ops[i] = syncOp(caunoi.NewID(), "contact.create", data)
		}
		big := batch(ops...)
		if len(big) > api.MaxSyncBody {
			t.Fatalf("the test batch (%d bytes) is over the limit", len(big))
		}
		n = contacts()
		code, resp = post(big, nil)
		if code != 200 || resp.Accepted != caunoi.MaxSyncOps-len(bad) || resp.Rejected != len(bad) || resp.Retry != 1 {
			t.Fatalf("big batch: %d accepted %d rejected %d retry %d", code, resp.Accepted, resp.Rejected, resp.Retry)
		}
		for i := range bad {
			if resp.Results[i].Status != "rejected" || resp.Results[i].Error.Fields["anon_sex"] == "" {
				t.Errorf("bad item %d: %+v", i, resp.Results[i])
			}
		}
		if last := resp.Results[caunoi.MaxSyncOps]; last.Status != "retry" || last.Error == nil || last.Error.Code != caunoi.ETOOLARGE {
			t.Errorf("the item beyond the limit: %+v", last)
		}
		if got := contacts() - n; got != caunoi.MaxSyncOps-len(bad) {
			t.Fatalf("stored %d contacts, want %d", got, caunoi.MaxSyncOps-len(bad))
		}
		// The same 10,001 again: nothing new but the one left over.
		code, resp = post(big, nil)
		if code != 200 || resp.Accepted != caunoi.MaxSyncOps-len(bad) || resp.Retry != 1 || !resp.Results[0].Replayed {
			t.Fatalf("big batch again: %d accepted %d retry %d", code, resp.Accepted, resp.Retry)
		}
		if got := contacts() - n; got != caunoi.MaxSyncOps-len(bad) {
			t.Fatalf("the replay stored contacts: %d", got)
		}

		// The phone's cache: the worker's own clients, nothing identifying.
		rec := call(t, a.FieldClients, f.worker, "GET", "/api/v1/sync/clients", "", nil, nil)
		var cache api.FieldClientsResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &cache); err != nil || rec.Code != 200 {
			t.Fatalf("cache: %d %v", rec.Code, err)
		}
		if len(cache.Items) != 1 || cache.Items[0].ID != clientID || cache.Items[0].UIC != "HOTU1998F" || cache.Max != caunoi.FieldCacheSize ||
			cache.ExpiresAt.Before(time.Now().Add(caunoi.FieldCacheLife-time.Minute)) {
			t.Fatalf("cache = %+v", cache)
		}
		if strings.Contains(rec.Body.String(), "legal_name") || strings.Contains(rec.Body.String(), "phone") {
			t.Fatalf("the cache carries identifying fields: %s", rec.Body)
		}
		rec = call(t, a.FieldClients, f.nat, "GET", "/api/v1/sync/clients", "", nil, nil)
		if rec.Code != http.StatusForbidden {
			t.Fatalf("national officer: %d", rec.Code)
		}
	})
}

// The documented enumerations follow the domain's lists.
func TestSyncOpenAPIEnums(t *testing.T) {
	rec := call(t, (&api.API{}).OpenAPI, nil, "GET", "/api/v1/openapi.json", "", nil, nil)
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{"SyncKind": caunoi.SyncKinds, "SyncStatus": caunoi.SyncStates} {
		if got := doc.Components.Schemas[name].Enum; !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
}

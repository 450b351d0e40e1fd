package api_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"caunoi"
	"caunoi/internal/api"
)

// FuzzDecodeSync checks that the sync decoder neither panics nor fails
// other than with a user's error, whatever a phone (or anyone) sends: a
// batch it reads has one operation per item, each either carrying what it
// could not read or exactly the payload its kind names.
func FuzzDecodeSync(f *testing.F) {
	id := caunoi.NewID()
	for _, seed := range []string{
		``,
		`{}`,
		`{"ops":[]}`,
		`{"ops":null}`,
		`{"ops":[42, "x", null, [], {}]}`,
		`{"ops":[{"op_id":"` + id + `","kind":"contact.create","data":{"org_id":"o","at":"2025-07-01T19:30:00+07:00","commodities":{"condom":10}}}]}`,
		`{"ops":[{"op_id":"` + id + `","kind":"client.create","data":{"org_id":"o","nickname":"Hoa","sex":"female","populations":["sex_work"],"uic":"HOTU1998F"}}]}`,
		`{"ops":[{"op_id":"` + id + `","kind":"activity.create","data":{"org_id":"o","kind":"group_meeting","held_on":"2025-07-01","title":"x","attendees":["a"]}}]}`,
		`{"ops":[{"op_id":"` + id + `","kind":"client.update","data":{"id":"c","version":2,"status":"moved","populations":["plhiv"]}}]}`,
		`{"ops":[{"op_id":"` + id + `","kind":"contact.create","data":{"org_id":1}}, {"op_id":7}]}`,
		`{"ops":[{"op_id":"` + id + `","kind":"client.update","data":{"version":"2"}}]} trailing`,
		`{"ops":[{"op_id":"\ud800","kind":"\u0000","data":{"a":{"b":[[[[[]]]]]}}}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ops, err := api.DecodeSync(bytes.NewReader(body))
		if err != nil {
			var e *caunoi.Error
			if !errors.As(err, &e) || e.Code != caunoi.EINVALID || e.Key == "" {
				t.Fatalf("err = %#v, want a user's error with a key", err)
			}
			return
		}
		var raw struct{ Ops []json.RawMessage }
		if json.Unmarshal(body, &raw) != nil || len(raw.Ops) != len(ops) {
			t.Fatalf("%d operations read from a batch of %d items", len(ops), len(raw.Ops))
		}
		for i, op := range ops {
			if op == nil {
				t.Fatalf("operation %d is nil", i)
			}
			if op.Err != nil {
				var e *caunoi.Error
				if !errors.As(op.Err, &e) || e.Code != caunoi.EINVALID || e.Key == "" {
					t.Fatalf("operation %d: %#v, want a user's error with a key", i, op.Err)
				}
				continue
			}
			set := 0
			for _, p := range []bool{op.Client != nil, op.Contact != nil, op.Activity != nil, op.Update != nil} {
				if p {
					set++
				}
			}
			want := map[string]bool{caunoi.SyncCreateClient: op.Client != nil, caunoi.SyncCreateContact: op.Contact != nil,
				caunoi.SyncCreateActivity: op.Activity != nil, caunoi.SyncUpdateClient: op.Update != nil && op.UpdateID != ""}
			if set != 1 || !want[op.Kind] {
				t.Fatalf("operation %d of kind %q carries %d payloads: %+v", i, op.Kind, set, op)
			}
		}
	})
}

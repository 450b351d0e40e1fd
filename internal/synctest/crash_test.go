package synctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/secure"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// The crash test: phones stream sync batches to the real server, which is
// killed with SIGKILL at random moments and started again, CAUNOI_CRASH_KILLS
// times (100 in CI, 3 by default). Afterwards every operation the server
// acknowledged is stored exactly once; an operation whose answer was lost
// in a kill is stored completely (record, answer, audit entry, attendance)
// or not at all; and sending those again applies each once.
func TestCrash(t *testing.T) {
	kills := EnvInt(t, "CAUNOI_CRASH_KILLS", 3)
	bin := Build(t)
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			f := setupCrash(t, d)
			c := &crashRun{t: t, f: f, rng: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)), answers: map[string]answer{}}
			for round := range kills {
				srv := Start(t, bin, f.dbURL, f.keys)
				c.stream(srv, time.Duration(20+c.intn(480))*time.Millisecond)
				if t.Failed() {
					t.Fatalf("round %d; server log:\n%s", round, srv.Logs())
				}
			}
			// Before anything is sent again: what a kill interrupted is
			// stored whole or not at all.
			stored := c.check(false)
			srv := Start(t, bin, f.dbURL, f.keys)
			resent := c.resendInDoubt(srv, stored)
			c.check(true)
			srv.Stop()
			if errs := srv.Errors(); len(errs) > 0 {
				t.Errorf("the server logged errors:\n%v", errs)
			}
			t.Logf("crash test (%s): %d SIGKILLs while 2 phones streamed %d batches (%d operations); a kill took the answer of %d batches; "+
				"%d of them were sent again in a later round, their good operations answered %d times as stored before (a replay) and %d times applied then; "+
				"after the last kill %d batches (%d good operations) were still in doubt: read from the database, %d stored whole, %d not at all, "+
				"none half; sent again, %d were answered as replays and %d applied; in the end %d operations acknowledged, each stored exactly once "+
				"(%d contacts, %d clients, %d activities, one audit entry each, no record without its answer)",
				d, kills, c.batches, c.ops, c.lost, c.resentDuring, c.lostStored, c.lostApplied, c.doubtBatches, c.doubtOps, c.doubtStored,
				c.doubtOps-c.doubtStored, resent.replayed, resent.applied, c.acked, c.final["contacts"], c.final["clients"], c.final["activities"])
		})
	}
}

// crashFixture is a database with one peer group, one peer educator and
// her API token, made before the server first starts.
type crashFixture struct {
	dbURL, keys string
	group       string
	token       string
}

func setupCrash(t *testing.T, d sqldb.Dialect) *crashFixture {
	t.Helper()
	ctx := context.Background()
	f := &crashFixture{dbURL: sqldbtest.URL(t, d), keys: filepath.Join(t.TempDir(), "keys")}
	db := openDB(t, f.dbURL, f.keys)
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := sqldb.SeedProvinces(ctx, db); err != nil {
		t.Fatal(err)
	}
	sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
	orgs := sqldb.NewOrgService(db)
	nat := &caunoi.Organisation{Kind: caunoi.OrgNational, Name: "Cục Phòng, chống tệ nạn xã hội"}
	must(t, orgs.CreateOrg(sys, nat))
	prov := &caunoi.Organisation{Kind: caunoi.OrgProvince, ParentID: nat.ID, Name: "Chi cục PCTNXH Quảng Ninh", AdminUnitCode: "22"}
	must(t, orgs.CreateOrg(sys, prov))
	group := &caunoi.Organisation{Kind: caunoi.OrgGroup, GroupKind: caunoi.GroupPeer, ParentID: prov.ID, Name: "Nhóm đồng đẳng Hạ Long"}
	must(t, orgs.CreateOrg(sys, group))
	users := sqldb.NewUserService(db)
	u := &caunoi.User{Username: "dongdang.halong", DisplayName: "Đồng đẳng Hạ Long", Grants: []caunoi.Grant{{Role: caunoi.RolePeerEducator, OrgID: group.ID}}}
	must(t, users.CreateUser(sys, u, "mật khẩu đủ dài 2025"))
	a, _, err := users.Authenticate(ctx, u.Username, "mật khẩu đủ dài 2025")
	must(t, err)
	f.token, _, err = users.CreateToken(caunoi.NewContextWithActor(ctx, a), "điện thoại", time.Now().Add(7*24*time.Hour))
	must(t, err)
	f.group = group.ID
	return f
}

func openDB(t testing.TB, dbURL, keys string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if db.Keys, _, err = secure.LoadKeyring(keys, true); err != nil {
		t.Fatal(err)
	}
	return db
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// crashOp is one operation a phone sends. Each record carries a marker
// (a contact's place, a client's nickname, an activity's title) naming the
// operation, so that a record stored twice, even under an id the server
// made, would be seen.
type crashOp struct {
	ID        string
	Kind      string
	Data      map[string]any
	Bad       bool // made to be rejected (an anonymous contact without sex)
	ClientID  string
	Attendees int
}

func (o *crashOp) marker() string { return "crash-" + o.ID }

type crashBatch struct{ ops []*crashOp }

type answer struct {
	Status   string
	RecordID string
	Replayed bool
}

type crashRun struct {
	t   *testing.T
	f   *crashFixture
	mu  sync.Mutex
	rng *rand.Rand

	known   []string          // clients stored for sure: contacts and meetings may name them
	answers map[string]answer // final answers, by operation id
	all     []*crashOp
	inDoubt []*crashBatch // sent, answer lost in a kill

	batches, ops, acked     int
	lost, resentDuring      int // batches whose answer a kill took; of them, sent again in a later round
	lostStored, lostApplied int // of the good operations sent again in a later round: found stored before, applied then
	doubtBatches, doubtOps  int // still in doubt after the last kill
	doubtStored             int // of those operations, found stored
	final                   map[string]int
}

func (c *crashRun) intn(n int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rng.IntN(n)
}

// newBatch makes one to six operations (now and then hundreds): contacts (with a known client, a
// client of the same batch, or anonymous; some with the phone's id, some
// without), new clients, meetings with attendance, and now and then one
// made to be refused.
func (c *crashRun) newBatch() *crashBatch {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := &crashBatch{}
	var fresh []string
	at := time.Now().Add(-time.Hour).Format(time.RFC3339)
	n := 1 + c.rng.IntN(6)
	if c.rng.IntN(12) == 0 {
		// A phone that was offline all week: a batch longer than one
		// transaction of the server, which a kill may cut between two.
		n = 200 + c.rng.IntN(400)
	}
	for range n {
		op := &crashOp{ID: caunoi.NewID()}
		switch r := c.rng.Float64(); {
		case r < 0.15:
			op.Kind = caunoi.SyncCreateClient
			id := caunoi.NewID()
			op.ClientID = id
			op.Data = map[string]any{"id": id, "org_id": c.f.group, "nickname": op.marker(), "birth_year": 1980 + c.rng.IntN(25),
				"sex": "female", "populations": []string{"sex_work"}}
			fresh = append(fresh, id)
		case r < 0.25 && len(c.known) > 0:
			op.Kind = caunoi.SyncCreateActivity
			var att []string
			for range 1 + c.rng.IntN(3) {
				att = append(att, c.known[c.rng.IntN(len(c.known))])
			}
			op.Data = map[string]any{"id": caunoi.NewID(), "org_id": c.f.group, "kind": "group_meeting", "held_on": caunoi.Today().Format(caunoi.DateLayout),
				"title": op.marker(), "attendees": att, "anon_female": 2}
			seen := map[string]bool{}
			for _, a := range att {
				seen[a] = true
			}
			op.Attendees = len(seen)
		case r < 0.30:
			op.Kind, op.Bad = caunoi.SyncCreateContact, true
			op.Data = map[string]any{"org_id": c.f.group, "at": at, "place": op.marker(), "anon_population": "sex_work"}
		default:
			op.Kind = caunoi.SyncCreateContact
			op.Data = map[string]any{"org_id": c.f.group, "at": at, "place": op.marker(), "commodities": map[string]int{"condom": 1 + c.rng.IntN(20)}}
			if c.rng.IntN(2) == 0 {
				op.Data["id"] = caunoi.NewID()
			}
			switch {
			case len(fresh) > 0 && c.rng.IntN(3) == 0:
				op.Data["client_id"] = fresh[c.rng.IntN(len(fresh))]
			case len(c.known) > 0 && c.rng.IntN(2) == 0:
				op.Data["client_id"] = c.known[c.rng.IntN(len(c.known))]
			default:
				op.Data["anon_sex"], op.Data["anon_population"] = "female", "venue_worker"
			}
		}
		b.ops = append(b.ops, op)
		c.all = append(c.all, op)
	}
	return b
}

// send posts a batch and returns its answers, or an error when the answer
// was lost.
func (c *crashRun) send(client *http.Client, srv *Server, b *crashBatch) ([]answer, error) {
	type item struct {
		OpID string         `json:"op_id"`
		Kind string         `json:"kind"`
		Data map[string]any `json:"data"`
	}
	var body struct {
		Ops []item `json:"ops"`
	}
	for _, op := range b.ops {
		body.Ops = append(body.Ops, item{op.ID, op.Kind, op.Data})
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest("POST", srv.URL+"/api/v1/sync", bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.f.token)
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Results []struct {
			Index    int    `json:"index"`
			OpID     string `json:"op_id"`
			Status   string `json:"status"`
			RecordID string `json:"record_id"`
			Replayed bool   `json:"replayed"`
			Error    any    `json:"error"`
		} `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("answer cut short: %w", err) // killed while answering
	}
	if resp.StatusCode != http.StatusOK || len(out.Results) != len(b.ops) {
		c.t.Errorf("sync answered %d with %d results for %d operations", resp.StatusCode, len(out.Results), len(b.ops))
		return nil, fmt.Errorf("bad answer")
	}
	answers := make([]answer, len(b.ops))
	for i, r := range out.Results {
		op := b.ops[i]
		if r.Index != i || r.OpID != op.ID {
			c.t.Errorf("result %d is for %d %s, want %s", i, r.Index, r.OpID, op.ID)
		}
		answers[i] = answer{Status: r.Status, RecordID: r.RecordID, Replayed: r.Replayed}
		switch {
		case op.Bad && r.Status != caunoi.SyncRejected:
			c.t.Errorf("operation made to be refused was %s", r.Status)
		case !op.Bad && r.Status != caunoi.SyncAccepted:
			c.t.Errorf("operation %s %s was %s: %v", op.Kind, op.ID, r.Status, r.Error)
		}
	}
	return answers, nil
}

// record keeps the answers of a batch that was answered.
func (c *crashRun) record(b *crashBatch, answers []answer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, op := range b.ops {
		if prev, ok := c.answers[op.ID]; ok && (prev.Status != answers[i].Status || prev.RecordID != answers[i].RecordID) {
			c.t.Errorf("operation %s answered %+v, then %+v", op.ID, prev, answers[i])
		}
		c.answers[op.ID] = answers[i]
		if op.Kind == caunoi.SyncCreateClient && answers[i].Status == caunoi.SyncAccepted {
			c.known = append(c.known, op.ClientID)
		}
	}
	c.acked += len(b.ops)
}

// stream sends batches from two phones until the server is killed, after
// the delay.
func (c *crashRun) stream(srv *Server, delay time.Duration) {
	client := &http.Client{Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for {
				// Now and then a batch whose answer an earlier kill took
				// is sent again, as the phone's outbox would.
				b, again := c.nextBatch()
				answers, err := c.send(client, srv, b)
				c.mu.Lock()
				if err != nil {
					if !again {
						c.lost++
					}
					c.inDoubt = append(c.inDoubt, b)
					c.mu.Unlock()
					return
				}
				if again {
					c.resentDuring++
					for i, op := range b.ops {
						switch {
						case op.Bad:
						case answers[i].Replayed:
							c.lostStored++
						default:
							c.lostApplied++
						}
					}
				}
				c.mu.Unlock()
				c.record(b, answers)
				if c.t.Failed() {
					return
				}
			}
		})
	}
	time.Sleep(delay)
	srv.Kill()
	wg.Wait()
}

// nextBatch returns a batch in doubt (a third of the time, when there is
// one), taken out of the list, or a new batch.
func (c *crashRun) nextBatch() (*crashBatch, bool) {
	c.mu.Lock()
	if n := len(c.inDoubt); n > 0 && c.rng.IntN(3) == 0 {
		i := c.rng.IntN(n)
		b := c.inDoubt[i]
		c.inDoubt = append(c.inDoubt[:i], c.inDoubt[i+1:]...)
		c.mu.Unlock()
		return b, true
	}
	c.mu.Unlock()
	b := c.newBatch()
	c.mu.Lock()
	c.batches++
	c.ops += len(b.ops)
	c.mu.Unlock()
	return b, false
}

// resendResult counts what became of operations sent again.
type resendResult struct{ replayed, applied int }

// resendInDoubt sends again every batch whose answer was lost. An
// operation found stored must be answered as a replay; one not stored is
// applied now.
func (c *crashRun) resendInDoubt(srv *Server, stored map[string]bool) resendResult {
	var res resendResult
	client := &http.Client{Timeout: 60 * time.Second}
	defer client.CloseIdleConnections()
	for _, b := range c.inDoubt {
		answers, err := c.send(client, srv, b)
		if err != nil {
			c.t.Fatalf("resending: %v", err)
		}
		for i, op := range b.ops {
			if answers[i].Replayed != stored[op.ID] {
				c.t.Errorf("operation %s: stored before %v, answered replayed=%v", op.ID, stored[op.ID], answers[i].Replayed)
			}
			switch {
			case op.Bad:
			case answers[i].Replayed:
				res.replayed++
			default:
				res.applied++
			}
		}
		c.record(b, answers)
	}
	c.inDoubt = nil
	return res
}

// check reads the database directly. Every operation with an answer is
// stored as answered, exactly once; every record of the group belongs to
// an accepted operation and has one audit entry; an operation in doubt is
// stored whole or not at all (all resolved, when final). It returns which
// operations in doubt were found stored.
func (c *crashRun) check(final bool) map[string]bool {
	t := c.t
	t.Helper()
	db := openDB(t, c.f.dbURL, c.f.keys)
	defer db.Close()
	ctx := context.Background()
	r := db.ReadDB()
	counts := func(q string, args ...any) map[string]int {
		t.Helper()
		rows, err := r.QueryContext(ctx, q, args...)
		must(t, err)
		defer rows.Close()
		m := map[string]int{}
		for rows.Next() {
			var k string
			var n int
			must(t, rows.Scan(&k, &n))
			m[k] = n
		}
		must(t, rows.Err())
		return m
	}
	byMarker := map[string]map[string]int{
		caunoi.SyncCreateContact:  counts("SELECT place, COUNT(*) FROM contacts WHERE org_id = $1 GROUP BY place", c.f.group),
		caunoi.SyncCreateClient:   counts("SELECT nickname, COUNT(*) FROM clients WHERE org_id = $1 GROUP BY nickname", c.f.group),
		caunoi.SyncCreateActivity: counts("SELECT title, COUNT(*) FROM activities WHERE org_id = $1 GROUP BY title", c.f.group),
	}
	recordOf := map[string]map[string]string{} // kind → marker → record id
	for kind, q := range map[string]string{
		caunoi.SyncCreateContact:  "SELECT place, id FROM contacts WHERE org_id = $1",
		caunoi.SyncCreateClient:   "SELECT nickname, id FROM clients WHERE org_id = $1",
		caunoi.SyncCreateActivity: "SELECT title, id FROM activities WHERE org_id = $1",
	} {
		rows, err := r.QueryContext(ctx, q, c.f.group)
		must(t, err)
		recordOf[kind] = map[string]string{}
		for rows.Next() {
			var m, id string
			must(t, rows.Scan(&m, &id))
			recordOf[kind][m] = id
		}
		rows.Close()
	}
	ops := counts("SELECT op_id, COUNT(*) FROM sync_ops GROUP BY op_id")
	answered := map[string]string{} // op id → (status, record id) as stored
	rows, err := r.QueryContext(ctx, "SELECT op_id, status, record_id FROM sync_ops")
	must(t, err)
	for rows.Next() {
		var id, st, rec string
		must(t, rows.Scan(&id, &st, &rec))
		answered[id] = st + " " + rec
	}
	rows.Close()
	audits := counts(`SELECT entity_id, COUNT(*) FROM audit_log WHERE action = 'create' AND entity IN ('contact', 'client', 'activity') GROUP BY entity_id`)
	history := counts("SELECT client_id, COUNT(*) FROM client_status_history GROUP BY client_id")
	attendance := counts("SELECT activity_id, COUNT(*) FROM activity_attendance GROUP BY activity_id")

	// complete reports whether an operation's record is stored whole:
	// once, with its answer, one audit entry, and its attendance or status.
	complete := func(op *crashOp) (present bool, whole bool) {
		n := byMarker[op.Kind][op.marker()]
		if n == 0 {
			return false, ops[op.ID] == 0 || op.Bad
		}
		id := recordOf[op.Kind][op.marker()]
		whole = n == 1 && ops[op.ID] == 1 && answered[op.ID] == "accepted "+id && audits[id] == 1
		switch op.Kind {
		case caunoi.SyncCreateClient:
			whole = whole && history[id] == 1
		case caunoi.SyncCreateActivity:
			whole = whole && attendance[id] == op.Attendees
		}
		return true, whole
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	doubt := map[string]bool{}
	for _, b := range c.inDoubt {
		for _, op := range b.ops {
			doubt[op.ID] = true
		}
	}
	stored := map[string]bool{}
	total := map[string]int{}
	for _, op := range c.all {
		present, whole := complete(op)
		if present {
			total[op.Kind]++
		}
		a, hasAnswer := c.answers[op.ID]
		switch {
		case op.Bad:
			if present {
				t.Errorf("operation %s, refused, left a record", op.ID)
			}
			if hasAnswer && answered[op.ID] != "rejected " {
				t.Errorf("operation %s, refused: stored answer %q", op.ID, answered[op.ID])
			}
			stored[op.ID] = ops[op.ID] == 1
		case hasAnswer && !(doubt[op.ID] && !final):
			if !present || !whole || a.Status != caunoi.SyncAccepted {
				t.Errorf("acknowledged operation %s %s is not stored exactly once: present %v whole %v (%d records, answer %q, audit %d)",
					op.Kind, op.ID, present, whole, byMarker[op.Kind][op.marker()], answered[op.ID], audits[recordOf[op.Kind][op.marker()]])
			}
			if a.RecordID != recordOf[op.Kind][op.marker()] {
				t.Errorf("operation %s answered record %s, stored %s", op.ID, a.RecordID, recordOf[op.Kind][op.marker()])
			}
		case doubt[op.ID]:
			if !whole {
				t.Errorf("operation %s %s, in doubt, is half stored: %d records, answer %q", op.Kind, op.ID, byMarker[op.Kind][op.marker()], answered[op.ID])
			}
			stored[op.ID] = present
		}
	}
	// Nothing else is stored: no record without its operation.
	for kind, markers := range byMarker {
		n := 0
		for _, k := range markers {
			n += k
		}
		if n != total[kind] {
			t.Errorf("%s: %d records in the group, %d made by operations", kind, n, total[kind])
		}
	}
	if !final {
		for _, b := range c.inDoubt {
			c.doubtBatches++
			for _, op := range b.ops {
				if op.Bad {
					continue // refused whatever happens
				}
				c.doubtOps++
				if stored[op.ID] {
					c.doubtStored++
				}
			}
		}
	} else {
		c.final = map[string]int{"contacts": total[caunoi.SyncCreateContact], "clients": total[caunoi.SyncCreateClient], "activities": total[caunoi.SyncCreateActivity]}
	}
	return stored
}

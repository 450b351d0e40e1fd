package synctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// loadUsers is how many simulated users work at once.
const loadUsers = 100

// TestLoad runs 100 simulated peer educators, outreach workers and group
// leaders against the real server with the demo data, on loopback, for
// CAUNOI_LOAD_SECONDS seconds (skipped when unset): page views, searches
// and sync batches, each user as fast as the server answers. It reports
// throughput, latency (p50, p99) by kind, errors (which must be none) and
// the server's peak resident memory. CAUNOI_LOAD_POSTGRES=1 runs it on
// PostgreSQL.
func TestLoad(t *testing.T) {
	seconds := EnvInt(t, "CAUNOI_LOAD_SECONDS", 0)
	if seconds == 0 {
		t.Skip("the load test runs when CAUNOI_LOAD_SECONDS is set, e.g. CAUNOI_LOAD_SECONDS=10 (.ci/run does)")
	}
	d := sqldb.SQLite
	if EnvInt(t, "CAUNOI_LOAD_POSTGRES", 0) == 1 { // CAUNOI_LOAD_POSTGRES=1: on PostgreSQL
		d = sqldb.Postgres
	}
	phase := time.Now()
	bin := Build(t)
	t.Logf("built in %s", time.Since(phase).Round(time.Millisecond))
	phase = time.Now()
	dbURL, keys := sqldbtest.URL(t, d), filepath.Join(t.TempDir(), "keys")
	db := openDB(t, dbURL, keys)
	ctx := context.Background()
	must(t, db.Migrate(ctx))
	must(t, sqldb.SeedProvinces(ctx, db))
	sum, err := demo.Load(ctx, db)
	must(t, err)
	db.Close()
	var field []string
	for _, l := range sum.Logins {
		if caunoi.Role(l.Role).Has(caunoi.PermContactWrite) {
			field = append(field, l.Username)
		}
	}
	t.Logf("demo loaded in %s", time.Since(phase).Round(time.Millisecond))
	srv := Start(t, bin, dbURL, keys)
	startRSS, _ := srv.PeakRSS()
	phase = time.Now()

	// Each simulated user signs in with a session of its own, one after
	// the other: a login costs 64 MiB of argon2id, which would otherwise
	// swell the peak measured.
	users := make([]*loadUser, loadUsers)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 1)
	for i := range users {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			users[i] = signIn(t, srv.URL, field[i%len(field)], i)
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	setupRSS, _ := srv.PeakRSS()
	t.Logf("%d users signed in in %s", loadUsers, time.Since(phase).Round(time.Millisecond))
	must(t, srv.ResetPeakRSS())

	stats := newLoadStats()
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	start := time.Now()
	for _, u := range users {
		wg.Go(func() { u.work(deadline, stats) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	peak, err := srv.PeakRSS()
	must(t, err)
	srv.Stop()

	total, errs := stats.totals()
	t.Logf("load test (%s, %d users, %s on loopback, GOMAXPROCS of the machine): %d requests, %.0f requests/s, %d sync operations applied (%.0f/s), %d errors",
		d, loadUsers, elapsed.Round(time.Millisecond), total, float64(total)/elapsed.Seconds(), stats.synced, float64(stats.synced)/elapsed.Seconds(), errs)
	for _, k := range []string{"page", "search", "sync", "all"} {
		n, p50, p99 := stats.percentiles(k)
		t.Logf("  %-6s %6d requests  p50 %7.1f ms  p99 %7.1f ms", k, n, ms(p50), ms(p99))
	}
	t.Logf("  server peak RSS: %.1f MiB under load (%.1f MiB at start, %.1f MiB after the 100 logins)", float64(peak)/1024, float64(startRSS)/1024, float64(setupRSS)/1024)
	if errs > 0 {
		t.Errorf("%d errors; the first: %v", errs, stats.firstErrors())
	}
	if logged := srv.Errors(); len(logged) > 0 {
		t.Errorf("the server logged errors: %v", logged[:min(5, len(logged))])
	}
	if total == 0 {
		t.Fatal("no request was made")
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// loadUser is one simulated user with its session and what it knows.
type loadUser struct {
	base    string
	client  *http.Client
	rng     *rand.Rand
	org     string
	clients []string // ids of its own recent clients
	names   []string // and the beginnings of their nicknames, to search by
}

func signIn(t *testing.T, base, username string, i int) *loadUser {
	jar, _ := cookiejar.New(nil)
	u := &loadUser{base: base, rng: rand.New(rand.NewPCG(uint64(i), 99)),
		client: &http.Client{Jar: jar, Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	resp, err := u.client.PostForm(base+"/login", url.Values{"username": {username}, "password": {demo.Password}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Errorf("login %s: %v %v", username, err, resp)
		return u
	}
	resp.Body.Close()
	var me struct {
		Grants []struct {
			OrgID string `json:"org_id"`
		} `json:"grants"`
	}
	if err := u.getJSON("/api/v1/me", &me); err != nil || len(me.Grants) == 0 {
		t.Errorf("me %s: %v", username, err)
		return u
	}
	u.org = me.Grants[0].OrgID
	var cache struct {
		Items []caunoi.FieldClient `json:"items"`
	}
	if err := u.getJSON("/api/v1/sync/clients", &cache); err != nil {
		t.Errorf("clients of %s: %v", username, err)
	}
	for _, c := range cache.Items {
		if c.OrgID == u.org {
			u.clients = append(u.clients, c.ID)
		}
		if r := []rune(c.Nickname); len(r) >= 3 {
			u.names = append(u.names, string(r[:3]))
		}
	}
	if len(u.names) == 0 {
		u.names = []string{"Lan", "Hoa", "Mai"}
	}
	return u
}

func (u *loadUser) getJSON(path string, v any) error {
	resp, err := u.client.Get(u.base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %d", path, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

var loadPages = []string{"/", "/field", "/contacts", "/clients", "/activities", "/contacts?mine=1", "/places"}

// work makes requests until the deadline: 45% page views, 30% searches,
// 25% sync batches of one to five contacts.
func (u *loadUser) work(deadline time.Time, s *loadStats) {
	for time.Now().Before(deadline) {
		switch r := u.rng.Float64(); {
		case r < 0.45:
			u.timed(s, "page", func() error { return u.page(loadPages[u.rng.IntN(len(loadPages))]) })
		case r < 0.75:
			q := url.QueryEscape(u.names[u.rng.IntN(len(u.names))])
			if u.rng.IntN(2) == 0 {
				u.timed(s, "search", func() error { return u.page("/clients?q=" + q) })
			} else {
				u.timed(s, "search", func() error { return u.api("/api/v1/clients?q=" + q) })
			}
		default:
			u.timed(s, "sync", func() error { return u.sync(s) })
		}
	}
}

func (u *loadUser) timed(s *loadStats, kind string, fn func() error) {
	start := time.Now()
	err := fn()
	s.add(kind, time.Since(start), err)
}

func (u *loadUser) page(path string) error {
	resp, err := u.client.Get(u.base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !bytes.Contains(b, []byte("</html>")) {
		return fmt.Errorf("GET %s: %d", path, resp.StatusCode)
	}
	return nil
}

func (u *loadUser) api(path string) error {
	var v map[string]any
	return u.getJSON(path, &v)
}

func (u *loadUser) sync(s *loadStats) error {
	type op struct {
		OpID string         `json:"op_id"`
		Kind string         `json:"kind"`
		Data map[string]any `json:"data"`
	}
	var body struct {
		Ops []op `json:"ops"`
	}
	at := time.Now().Add(-30 * time.Minute).Format(time.RFC3339)
	for range 1 + u.rng.IntN(5) {
		data := map[string]any{"id": caunoi.NewID(), "org_id": u.org, "at": at, "place": "Tải thử", "commodities": map[string]int{"condom": 10}}
		if len(u.clients) > 0 && u.rng.IntN(2) == 0 {
			data["client_id"] = u.clients[u.rng.IntN(len(u.clients))]
		} else {
			data["anon_sex"], data["anon_population"] = "female", "sex_work"
		}
		body.Ops = append(body.Ops, op{caunoi.NewID(), caunoi.SyncCreateContact, data})
	}
	raw, _ := json.Marshal(body)
	resp, err := u.client.Post(u.base+"/api/v1/sync", "application/json", bytes.NewReader(raw))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct{ Accepted int }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return fmt.Errorf("sync: %d: %w", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || out.Accepted != len(body.Ops) {
		return fmt.Errorf("sync: %d, %d of %d accepted", resp.StatusCode, out.Accepted, len(body.Ops))
	}
	s.mu.Lock()
	s.synced += out.Accepted
	s.mu.Unlock()
	return nil
}

// loadStats gathers latencies and errors.
type loadStats struct {
	mu     sync.Mutex
	lat    map[string][]time.Duration
	errs   []error
	synced int
}

func newLoadStats() *loadStats { return &loadStats{lat: map[string][]time.Duration{}} }

func (s *loadStats) add(kind string, d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lat[kind] = append(s.lat[kind], d)
	s.lat["all"] = append(s.lat["all"], d)
	if err != nil {
		s.errs = append(s.errs, err)
	}
}

func (s *loadStats) totals() (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.lat["all"]), len(s.errs)
}

func (s *loadStats) firstErrors() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.errs[:min(5, len(s.errs))] {
		out = append(out, e.Error())
	}
	return strings.Join(out, "; ")
}

func (s *loadStats) percentiles(kind string) (int, time.Duration, time.Duration) {
	s.mu.Lock()
	ds := slices.Clone(s.lat[kind])
	s.mu.Unlock()
	if len(ds) == 0 {
		return 0, 0, 0
	}
	slices.Sort(ds)
	at := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	return len(ds), at(0.50), at(0.99)
}

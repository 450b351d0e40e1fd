// Package demo loads demonstration data into an empty Cầu Nối database:
// the national department, five provincial departments, the NGO SCDI, the
// community groups described in the field reports (shared/seeds 000–004),
// an account for every role, a few hundred pseudonymous clients and the
// outreach contacts of the last twelve months.
//
// Everything goes through the storage services of internal/sqldb, as the
// system actor, so the data passes the same validation and leaves the same
// audit trail as data entered by hand. The random choices come from a
// fixed seed: every Load makes data of the same shape (the ids, made by
// the services, differ).
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/sqldb"
)

// Password is the password of every demo account.
const Password = "caunoi-demo-2025"

// seed fixes the random choices, so the data has the same shape each time.
const seed = 20250701

// Login is a demo account.
type Login struct {
	Username string
	Role     string // a caunoi.Role
	Org      string // the name of the organisation the role is held on
}

// Summary tells what Load made.
type Summary struct {
	Logins     []Login // the demo accounts, from the top of the tree down
	Orgs       int     // organisations
	Clients    int     // clients
	Contacts   int     // outreach contacts
	Activities int     // group activities
	Password   string  // the password of the demo accounts
}

// ErrAlreadyLoaded is returned by Load, together with a Summary of what
// the database holds, when the database already has organisations.
var ErrAlreadyLoaded = errors.New("demo: the database already has organisations; nothing was loaded")

// Load fills an empty, migrated database (provinces seeded, see
// sqldb.SeedProvinces) with demo data and returns what it made. It acts as
// the system actor, whatever actor ctx carries.
//
// On a database that already has organisations (voided ones included)
// Load changes nothing: it returns a Summary of what exists — the demo
// accounts still present and enabled, and the numbers of live
// organisations, clients and contacts — together with ErrAlreadyLoaded.
// Summary.Password is then set only if some demo account exists, and is
// right only if nobody has changed that account's password.
//
// The services commit one transaction per record, so a Load that fails
// half-way leaves what it made so far; start again from an empty database.
func Load(ctx context.Context, db *sqldb.DB) (*Summary, error) {
	ctx = caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
	l := &loader{
		ctx:      ctx,
		rng:      rand.New(rand.NewPCG(seed, seed>>8)),
		now:      db.Now(),
		orgSvc:   sqldb.NewOrgService(db),
		userSvc:  sqldb.NewUserService(db),
		clients:  sqldb.NewClientService(db),
		contacts: sqldb.NewContactService(db),
		places:   sqldb.NewPlaceService(db),
		acts:     sqldb.NewActivityService(db),
		orgs:     map[string]*caunoi.Organisation{},
		users:    map[string]*caunoi.User{},
		uics:     map[string]bool{},
		sum:      &Summary{Password: Password},
	}
	_, n, err := l.orgSvc.FindOrgs(ctx, caunoi.OrgFilter{IncludeVoided: true, Page: caunoi.Page{Limit: 1}})
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if n > 0 {
		s, err := l.existing()
		if err != nil {
			return nil, err
		}
		return s, ErrAlreadyLoaded
	}
	if err := l.makeOrgs(); err != nil {
		return nil, err
	}
	if err := l.makeUsers(); err != nil {
		return nil, err
	}
	for _, g := range groups {
		if err := l.makeGroup(g); err != nil {
			return nil, err
		}
	}
	if err := l.makeServices(db); err != nil {
		return nil, err
	}
	if err := l.makeMoney(db); err != nil {
		return nil, err
	}
	if err := l.makeHotline(db); err != nil {
		return nil, err
	}
	if err := l.makeMonitoring(db); err != nil {
		return nil, err
	}
	return l.sum, nil
}

// loader holds the state of one Load.
type loader struct {
	ctx      context.Context
	rng      *rand.Rand
	now      time.Time
	orgSvc   *sqldb.OrgService
	userSvc  *sqldb.UserService
	clients  *sqldb.ClientService
	contacts *sqldb.ContactService
	places   *sqldb.PlaceService
	acts     *sqldb.ActivityService

	orgs  map[string]*caunoi.Organisation // by orgSpec.key
	users map[string]*caunoi.User         // by username
	uics  map[string]bool                 // UICs handed out, kept unique
	sum   *Summary
}

// makeOrgs creates the organisation tree.
func (l *loader) makeOrgs() error {
	for _, s := range orgs {
		o := &caunoi.Organisation{
			Kind:          s.kind,
			GroupKind:     s.groupKind,
			Name:          s.name,
			AdminUnitCode: s.unit,
			Models:        slices.Clone(s.models),
		}
		if s.parent != "" {
			o.ParentID = l.orgs[s.parent].ID
		}
		if s.founded != 0 {
			f := time.Date(s.founded, time.January, 1, 0, 0, 0, 0, time.UTC)
			o.Founded = &f
		}
		if err := l.orgSvc.CreateOrg(l.ctx, o); err != nil {
			return fmt.Errorf("demo: organisation %q: %w", s.name, err)
		}
		l.orgs[s.key] = o
		l.sum.Orgs++
	}
	return nil
}

// makeUsers creates the demo accounts.
func (l *loader) makeUsers() error {
	for _, s := range users {
		o := l.orgs[s.org]
		u := &caunoi.User{
			Username:    s.username,
			DisplayName: s.name,
			Lang:        "vi",
			Grants:      []caunoi.Grant{{Role: s.role, OrgID: o.ID}},
		}
		if err := l.userSvc.CreateUser(l.ctx, u, Password); err != nil {
			return fmt.Errorf("demo: user %q: %w", s.username, err)
		}
		l.users[s.username] = u
		l.sum.Logins = append(l.sum.Logins, Login{Username: u.Username, Role: string(s.role), Org: o.Name})
	}
	return nil
}

// makeGroup registers the clients of a group, maps its places, and records
// its contacts, visits and activities.
func (l *loader) makeGroup(g groupSpec) error {
	org := l.orgs[g.org]
	p := g.profile
	var reachable []*caunoi.Client // clients still met in the field
	for range g.clients {
		c := l.client(org, g)
		if err := l.clients.CreateClient(l.ctx, c); err != nil {
			return fmt.Errorf("demo: client of %q: %w", org.Name, err)
		}
		l.sum.Clients++
		if err := l.clientRecords(org, c); err != nil {
			return err
		}
		if c.Status == "active" || c.Status == "relapsed" {
			reachable = append(reachable, c)
		}
	}
	places, err := l.makePlaces(org, g)
	if err != nil {
		return err
	}
	for i := range g.contacts {
		// The first worker listed is the group's main field worker.
		worker := g.workers[0]
		if len(g.workers) > 1 && l.pct(45) {
			worker = g.workers[1+l.rng.IntN(len(g.workers)-1)]
		}
		k := &caunoi.Contact{
			OrgID:    org.ID,
			WorkerID: l.users[worker].ID,
			At:       l.when(p.evening),
			Channel:  pick(l, g.channels),
		}
		if len(reachable) == 0 || l.pct(g.anonShare) {
			k.AnonSex = pick(l, p.sexes)
			pops := pick(l, p.pops)
			k.AnonPopulation = pops[0]
		} else {
			k.ClientID = reachable[l.rng.IntN(len(reachable))].ID
		}
		if k.Channel == "in_person" {
			place := places[l.rng.IntN(len(places))]
			k.PlaceID, k.Place = place.ID, place.Name
			k.Commodities = p.kit(l)
		}
		k.Topics = []string{p.topics[l.rng.IntN(len(p.topics))]}
		if l.pct(40) {
			k.Topics = append(k.Topics, p.topics[l.rng.IntN(len(p.topics))])
		}
		if l.pct(35) {
			notes := p.notes
			if len(g.notes) > 0 && l.pct(60) {
				notes = g.notes
			}
			k.Notes = notes[l.rng.IntN(len(notes))]
		}
		if err := l.contacts.CreateContact(l.ctx, k); err != nil {
			return fmt.Errorf("demo: contact %d of %q: %w", i+1, org.Name, err)
		}
		l.sum.Contacts++
	}
	if err := l.makeVisits(g, places); err != nil {
		return err
	}
	return l.makeActivities(org, g, reachable)
}

// clientRecords gives some clients a phone (encrypted), their consents and
// a membership of the group.
func (l *loader) clientRecords(org *caunoi.Organisation, c *caunoi.Client) error {
	if l.pct(30) {
		phone := "09" + strconv.Itoa(10000000+l.rng.IntN(89999999))
		if _, err := l.clients.UpdateClient(l.ctx, c.ID, caunoi.ClientUpdate{Version: c.Version, Phone: &phone}); err != nil {
			return fmt.Errorf("demo: phone of a client of %q: %w", org.Name, err)
		}
	}
	given := caunoi.Date(l.day(300, 365))
	for _, purpose := range caunoi.ConsentPurposes {
		if purpose != "services" && !l.pct(50) {
			continue
		}
		if err := l.clients.RecordConsent(l.ctx, &caunoi.Consent{ClientID: c.ID, Purpose: purpose, GivenOn: given}); err != nil {
			return fmt.Errorf("demo: consent of a client of %q: %w", org.Name, err)
		}
	}
	if l.pct(40) {
		role := "member"
		if l.pct(10) {
			role = "peer_educator"
		}
		m := &caunoi.Membership{ClientID: c.ID, OrgID: org.ID, Role: role, JoinedOn: caunoi.Date(l.day(200, 700))}
		if err := l.clients.AddMembership(l.ctx, m); err != nil {
			return fmt.Errorf("demo: membership of a client of %q: %w", org.Name, err)
		}
	}
	return nil
}

// makePlaces maps the group's places: karaoke bars, guesthouses, hotels,
// massage parlours and bars are at-risk establishments; the rest hotspots.
func (l *loader) makePlaces(org *caunoi.Organisation, g groupSpec) ([]*caunoi.Place, error) {
	var out []*caunoi.Place
	for _, name := range g.places {
		p := &caunoi.Place{OrgID: org.ID, Kind: caunoi.PlaceHotspot, Type: "street", Name: name, AdminUnitCode: org.AdminUnitCode}
		low := caunoi.Fold(name)
		for prefix, typ := range map[string]string{"karaoke": "karaoke", "nha nghi": "guesthouse", "khach san": "hotel", "massage": "massage", "quan bar": "bar"} {
			if strings.HasPrefix(low, prefix) {
				p.Kind, p.Type, p.EstimatedWorkers = caunoi.PlaceEstablishment, typ, l.between(3, 25)
			}
		}
		if p.Kind == caunoi.PlaceHotspot && !strings.HasPrefix(low, "duong") && !strings.HasPrefix(low, "cong vien") && !strings.HasPrefix(low, "bai") {
			p.Type = "other"
		}
		if err := l.places.CreatePlace(l.ctx, p); err != nil {
			return nil, fmt.Errorf("demo: place %q: %w", name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// makeVisits records visits of the group's first worker to its
// establishments (seed 002: 150 establishments reached on labour law).
func (l *loader) makeVisits(g groupSpec, places []*caunoi.Place) error {
	purposes := []string{"health_info", "commodities"}
	if g.org == "halong" {
		purposes = []string{"labour_law", "commodities"}
	}
	for _, p := range places {
		if p.Kind != caunoi.PlaceEstablishment {
			continue
		}
		for range l.between(1, 4) {
			v := &caunoi.Visit{PlaceID: p.ID, WorkerID: l.users[g.workers[0]].ID, VisitedOn: caunoi.Date(l.day(0, 360)),
				Purposes: purposes, Commodities: map[string]int{"condom": 50 * l.between(1, 10), "leaflet": l.between(5, 30)}}
			if err := l.places.RecordVisit(l.ctx, v); err != nil {
				return fmt.Errorf("demo: visit to %q: %w", p.Name, err)
			}
		}
	}
	return nil
}

// makeActivities records the group's activities so that their numbers add
// up to the seeds' figures: each series' participants sum to its total,
// a few named members and the rest anonymous heads.
func (l *loader) makeActivities(org *caunoi.Organisation, g groupSpec, members []*caunoi.Client) error {
	for _, spec := range activities[g.org] {
		for i := range spec.count {
			n := spec.total / spec.count
			if i < spec.total%spec.count {
				n++
			}
			a := &caunoi.Activity{OrgID: org.ID, Kind: spec.kind, HeldOn: caunoi.Date(l.day(0, 360)), Title: spec.title, Topics: spec.topics,
				Place: g.places[0]}
			for _, c := range members {
				if len(a.Attendees) >= min(5, n) {
					break
				}
				if l.pct(30) {
					a.Attendees = append(a.Attendees, c.ID)
				}
			}
			rest := n - len(a.Attendees)
			a.AnonMale = rest / 4
			if g.profile == sexWork {
				a.AnonMale = rest / 20
			}
			a.AnonFemale = rest - a.AnonMale
			if err := l.acts.CreateActivity(l.ctx, a); err != nil {
				return fmt.Errorf("demo: activity of %q: %w", org.Name, err)
			}
			l.sum.Activities++
		}
	}
	return nil
}

// day returns a day between lo and hi days ago, in Vietnam, at midnight
// UTC as days are stored.
func (l *loader) day(lo, hi int) time.Time {
	t := l.now.In(caunoi.Zone).AddDate(0, 0, -l.between(lo, hi))
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// client makes a client of the group's profile.
func (l *loader) client(org *caunoi.Organisation, g groupSpec) *caunoi.Client {
	p := g.profile
	c := &caunoi.Client{
		OrgID:       org.ID,
		Populations: slices.Clone(pick(l, p.pops)),
		Sex:         pick(l, p.sexes),
		BirthYear:   l.between(p.born[0], p.born[1]),
		Residence:   pick(l, g.residence),
		Status:      pick(l, p.statuses),
	}
	family := len(c.Populations) == 1 && c.Populations[0] == caunoi.PopFamily
	switch {
	case family:
		// Mothers and wives, mostly; older than the people they care for.
		c.Sex = "male"
		c.Nickname = nicknamesFamilyMale[l.rng.IntN(len(nicknamesFamilyMale))]
		if l.pct(75) {
			c.Sex = "female"
			c.Nickname = nicknamesFamilyFemale[l.rng.IntN(len(nicknamesFamilyFemale))]
		}
		c.BirthYear = l.between(1970, 1990)
		c.Residence = "local"
	case c.Sex == "male":
		c.Nickname = nicknamesMale[l.rng.IntN(len(nicknamesMale))]
	default:
		c.Nickname = nicknamesFemale[l.rng.IntN(len(nicknamesFemale))]
	}
	if l.pct(75) {
		c.UIC = l.uic(c.BirthYear, c.Sex)
	}
	return c
}

// uic makes a new unique identifier code such as "HOTU1998F": two letters
// of the mother's given name, two of the father's, the birth year and the
// sex.
func (l *loader) uic(year int, sex string) string {
	s := map[string]string{"female": "F", "male": "M"}[sex]
	if s == "" {
		s = "O"
	}
	for {
		u := uicParts[l.rng.IntN(len(uicParts))] + uicParts[l.rng.IntN(len(uicParts))] + strconv.Itoa(year) + s
		if !l.uics[u] {
			l.uics[u] = true
			return u
		}
	}
}

// when returns a time in the last twelve months, never in the future: at
// night for sex-work outreach, in working hours otherwise (local time).
func (l *loader) when(evening bool) time.Time {
	today := l.now.In(caunoi.Zone)
	d := l.rng.IntN(364)
	hour := l.between(8, 17)
	if evening {
		hour = l.between(19, 23)
	}
	t := time.Date(today.Year(), today.Month(), today.Day()-d, hour, l.rng.IntN(60), 0, 0, caunoi.Zone)
	if t.After(l.now) {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

// pct is true with the given percent chance.
func (l *loader) pct(n int) bool { return l.rng.IntN(100) < n }

// between returns a number in [lo, hi].
func (l *loader) between(lo, hi int) int { return lo + l.rng.IntN(hi-lo+1) }

// pick makes a weighted choice.
func pick[T any](l *loader, xs []w[T]) T {
	total := 0
	for _, x := range xs {
		total += x.n
	}
	r := l.rng.IntN(total)
	for _, x := range xs {
		if r < x.n {
			return x.v
		}
		r -= x.n
	}
	return xs[len(xs)-1].v
}

// existing summarises what a database that already has organisations
// holds: the demo accounts still there and enabled, and the numbers of
// live records.
func (l *loader) existing() (*Summary, error) {
	s := &Summary{}
	var err error
	one := caunoi.Page{Limit: 1}
	if _, s.Orgs, err = l.orgSvc.FindOrgs(l.ctx, caunoi.OrgFilter{Page: one}); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if _, s.Clients, err = l.clients.FindClients(l.ctx, caunoi.ClientFilter{Page: one}); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if _, s.Contacts, err = l.contacts.FindContacts(l.ctx, caunoi.ContactFilter{Page: one}); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	byName := map[string]*caunoi.User{}
	for off := 0; ; off += caunoi.MaxPageSize {
		us, total, err := l.userSvc.FindUsers(l.ctx, caunoi.UserFilter{Page: caunoi.Page{Offset: off, Limit: caunoi.MaxPageSize}})
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		for _, u := range us {
			byName[u.Username] = u
		}
		if len(us) == 0 || off+len(us) >= total {
			break
		}
	}
	for _, spec := range users {
		u := byName[spec.username]
		if u == nil || u.Disabled || len(u.Grants) == 0 {
			continue
		}
		g := u.Grants[0]
		for _, x := range u.Grants {
			if x.Role == spec.role {
				g = x
				break
			}
		}
		s.Logins = append(s.Logins, Login{Username: u.Username, Role: string(g.Role), Org: g.OrgName})
	}
	if len(s.Logins) > 0 {
		s.Password = Password
	}
	return s, nil
}

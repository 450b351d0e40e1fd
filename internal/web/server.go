// Package web serves Cầu Nối: the server-rendered pages, the JSON API of
// package api under /api/v1, the static files and /healthz. routes.go holds
// the whole route table with the authorization rule of every route.
package web

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"caunoi"
	"caunoi/internal/api"
	"caunoi/internal/i18n"
	"caunoi/internal/sqldb"
)

//go:embed all:templates static
var assets embed.FS

// Server holds what the handlers need.
type Server struct {
	DB       *sqldb.DB
	Orgs     caunoi.OrgService
	Units    caunoi.AdminUnitService
	Users    caunoi.UserService
	Audit    caunoi.AuditService
	Clients  caunoi.ClientService
	Contacts caunoi.ContactService
	Places   caunoi.PlaceService
	Acts     caunoi.ActivityService
	Imports  caunoi.ImportService
	// Monitoring: indicators, targets, reports.
	Indicators caunoi.IndicatorService
	Targets    caunoi.TargetService
	Reports    caunoi.ReportService
	DHIS2      caunoi.DHIS2Service

	// Services and referrals.
	Providers caunoi.ProviderService
	Services  caunoi.ServiceService
	Referrals caunoi.ReferralService

	// MapTiles is the URL template of the map's tiles ("" draws the
	// offline outline), MapAttribution the credit the tiles ask for.
	MapTiles, MapAttribution string
	// Money: funds, loans, budgets.
	Funds   caunoi.FundService
	Loans   caunoi.LoanService
	Budgets caunoi.BudgetService
	// UIC is the formula of unique identifier codes (CAUNOI_UIC_FORMULA).
	UIC      caunoi.UICFormula
	Cat      *i18n.Catalogue
	Sessions *scs.SessionManager
	Log      *slog.Logger
	API      *api.API
	// Hotline cases, shelters and reintegration after rehabilitation.
	Hotline        caunoi.HotlineService
	Shelters       caunoi.ShelterService
	Reintegrations caunoi.ReintegrationService
	// TLS is true when the server is reached over HTTPS (directly or
	// behind a proxy that terminates TLS): cookies are then Secure.
	TLS bool

	logins   *limiter // failed logins per username
	loginIPs *limiter // failed logins per address (offices share one)
	pages    map[string]*template.Template
	routes   []Route
	handler  http.Handler
}

// Config configures a server.
type Config struct {
	DB  *sqldb.DB
	Log *slog.Logger
	TLS bool
	// UIC is the formula of unique identifier codes; the zero value is
	// caunoi.DefaultUICFormula.
	UIC caunoi.UICFormula
	// MapTiles is the URL template of the map's tiles, e.g.
	// https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png; "" for the offline
	// outline. MapAttribution is the credit the tiles ask for.
	MapTiles, MapAttribution string
}

// New returns a server over the database.
func New(cfg Config) (*Server, error) {
	db := cfg.DB
	log := cfg.Log
	if cfg.UIC.String() == "" {
		f, err := caunoi.ParseUICFormula(caunoi.DefaultUICFormula)
		if err != nil {
			return nil, err
		}
		cfg.UIC = f
	}
	if log == nil {
		log = slog.Default()
	}
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	sm := scs.New()
	sm.Store = sqldb.NewSessionStore(db)
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 2 * time.Hour
	sm.Cookie.Name = "caunoi_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.TLS
	sm.Cookie.Path = "/"
	s := &Server{
		DB:       db,
		Orgs:     sqldb.NewOrgService(db),
		Units:    sqldb.NewAdminUnitService(db),
		Users:    sqldb.NewUserService(db),
		Audit:    sqldb.NewAuditService(db),
		Clients:  sqldb.NewClientService(db),
		Contacts: sqldb.NewContactService(db),
		Places:   sqldb.NewPlaceService(db),
		Acts:     sqldb.NewActivityService(db),
		Imports:  sqldb.NewImportService(db),

		Providers: sqldb.NewProviderService(db),
		Services:  sqldb.NewServiceService(db),
		Referrals: sqldb.NewReferralService(db),

		Funds:    sqldb.NewFundService(db),
		Loans:    sqldb.NewLoanService(db),
		Budgets:  sqldb.NewBudgetService(db),
		UIC:      cfg.UIC,
		MapTiles: cfg.MapTiles, MapAttribution: cfg.MapAttribution,
		Cat:      cat,
		Sessions: sm,
		Log:      log,
		TLS:      cfg.TLS,
		logins:   newLimiter(5, 15*time.Minute),
		loginIPs: newLimiter(30, 15*time.Minute),
	}
	s.Indicators, s.Targets, s.Reports = sqldb.NewIndicatorService(db), sqldb.NewTargetService(db), sqldb.NewReportService(db)
	s.DHIS2 = sqldb.NewDHIS2Service(db)
	s.Hotline, s.Shelters, s.Reintegrations = sqldb.NewHotlineService(db), sqldb.NewShelterService(db), sqldb.NewReintegrationService(db)
	s.API = &api.API{
		Orgs: s.Orgs, Units: s.Units, Users: s.Users, Audit: s.Audit, Clients: s.Clients, Contacts: s.Contacts,
		Places: s.Places, Activities: s.Acts, Syncer: sqldb.NewSyncService(db), UIC: s.UIC, Cat: cat, Log: log,
		Indicators: s.Indicators, Targets: s.Targets, Reports: s.Reports, Map: sqldb.NewIndicatorService(db), DHIS2: s.DHIS2,
		Providers: s.Providers, Services: s.Services, Referrals: s.Referrals,
		Funds: s.Funds, Loans: s.Loans, Budgets: s.Budgets,
	}
	s.API.Hotline, s.API.Shelters, s.API.Reintegrations = s.Hotline, s.Shelters, s.Reintegrations
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()
	s.handler = s.build()
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes returns the route table (for the authorization test and the API
// document test).
func (s *Server) Routes() []Route { return s.routes }

// staticFS returns the embedded static folder.
func staticFS() fs.FS {
	sub, err := fs.Sub(assets, "static")
	if err != nil {
		panic(err)
	}
	return sub
}

// KeepRollups brings the monitoring rollups up to date every interval
// until ctx ends, so that a report seldom waits for the groups written to
// since the last one. It logs how many partitions it rebuilt, never what
// they hold.
func (s *Server) KeepRollups(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			start := time.Now()
			n, err := s.DB.RefreshRollups(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				s.Log.Error("rollups", "err", err)
			case n > 0:
				s.Log.Info("rollups", "rebuilt", n, "took", time.Since(start).Round(time.Millisecond))
			}
		}
	}
}

// Cleanup removes expired sessions every interval until ctx ends.
func (s *Server) Cleanup(ctx context.Context, every time.Duration) {
	store := s.Sessions.Store.(*sqldb.SessionStore)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := store.DeleteExpired(ctx); err != nil {
				s.Log.Error("session cleanup", "err", err)
			}
		}
	}
}

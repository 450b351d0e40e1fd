// Command caunoi runs Cầu Nối: the web server (serve, the default), and the
// tools an administrator needs: migrate, user add, demo, backup, version.
//
// The database is --db or CAUNOI_DB: "sqlite:FILE" (the default is
// data/caunoi.db under CAUNOI_DATA or the working folder) or
// "postgres://…". The address is --addr or CAUNOI_ADDR (127.0.0.1:8080).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"caunoi"
	"caunoi/internal/demo"
	"caunoi/internal/gen"
	"caunoi/internal/secure"
	"caunoi/internal/sqldb"
	"caunoi/internal/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "caunoi:", err)
		}
		os.Exit(1)
	}
}

const usage = `Usage: caunoi [command] [flags]

Commands:
  serve     run the web server (default); migrates the database first
  migrate   apply pending database migrations
  user add  create a user with a role on an organisation
  demo      load the demo data into an empty database
  backup    write a consistent copy of the database while it is in use
  rekey     re-encrypt identifying fields still sealed with an old key
  gen       fill an empty database with a generated monitoring data set (benchmarks)
  version   print the version

Run "caunoi COMMAND -h" for the flags of a command.
`

// run is the program, with its inputs and outputs passed in for tests.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, stdout, stderr)
	case "user":
		if len(args) == 0 || args[0] != "add" {
			return errors.New(`usage: caunoi user add -h`)
		}
		return userAdd(ctx, args[1:], stdin, stdout, stderr)
	case "demo":
		return demoCmd(ctx, args, stdout, stderr)
	case "backup":
		return backup(ctx, args, stdout, stderr)
	case "rekey":
		return rekey(ctx, args, stdout, stderr)
	case "gen":
		return genCmd(ctx, args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "caunoi", caunoi.Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// env returns the environment variable or a default.
func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// defaultDB is the SQLite file in the data folder.
func defaultDB() string {
	return "sqlite:" + filepath.Join(env("CAUNOI_DATA", "data"), "caunoi.db")
}

// dbFlags are the flags every command has: the database and its keys.
type dbFlags struct {
	url, keys string
	stdout    io.Writer
}

// newFlags makes a flag set with the --db and --keys flags.
func newFlags(name string, stdout, stderr io.Writer) (*flag.FlagSet, *dbFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	d := &dbFlags{stdout: stdout}
	fs.StringVar(&d.url, "db", env("CAUNOI_DB", defaultDB()), "database: sqlite:FILE or postgres://… (env CAUNOI_DB)")
	fs.StringVar(&d.keys, "keys", env("CAUNOI_KEYS_FILE", filepath.Join(env("CAUNOI_DATA", "data"), "keys")),
		"file of the keys that encrypt identifying fields, made on first start; CAUNOI_KEYS holds them instead (env CAUNOI_KEYS_FILE)")
	return fs, d
}

// open opens and migrates the database, loads the shipped provinces and
// the keys (making them on first start).
func open(ctx context.Context, d *dbFlags) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, d.url)
	if err != nil {
		return nil, err
	}
	keys, created, err := secure.LoadKeyring(d.keys, true)
	if err != nil {
		db.Close()
		return nil, err
	}
	if created {
		fmt.Fprintf(d.stdout, "Made new encryption keys in %s: back this file up apart from the database; without it no legal name, phone or identity number can be read.\n", d.keys)
	}
	db.Keys = keys
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := sqldb.SeedProvinces(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbf := newFlags("serve", stdout, stderr)
	addr := fs.String("addr", env("CAUNOI_ADDR", "127.0.0.1:8080"), "address to listen on (env CAUNOI_ADDR)")
	withDemo := fs.Bool("demo", false, "load the demo data first if the database is empty")
	certFile := fs.String("tls-cert", env("CAUNOI_TLS_CERT", ""), "TLS certificate file (env CAUNOI_TLS_CERT)")
	keyFile := fs.String("tls-key", env("CAUNOI_TLS_KEY", ""), "TLS key file (env CAUNOI_TLS_KEY)")
	uicSpec := fs.String("uic-formula", env("CAUNOI_UIC_FORMULA", caunoi.DefaultUICFormula), "formula of unique identifier codes, e.g. M2F2Y4S1 (env CAUNOI_UIC_FORMULA)")
	mapTiles := fs.String("map-tiles", env("CAUNOI_MAP_TILES", ""), "URL template of the map's tiles, e.g. https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png; empty draws the offline outline (env CAUNOI_MAP_TILES)")
	mapCredit := fs.String("map-attribution", env("CAUNOI_MAP_ATTRIBUTION", ""), "credit the map's tiles ask for, e.g. © OpenStreetMap contributors (env CAUNOI_MAP_ATTRIBUTION)")
	rollupSpec := fs.String("rollup-interval", env("CAUNOI_ROLLUP_INTERVAL", "1m"),
		"how often the monitoring rollups are brought up to date in the background, e.g. 1m or 30s; 0 leaves it to the reports (env CAUNOI_ROLLUP_INTERVAL)")
	behindTLS := fs.Bool("behind-tls-proxy", env("CAUNOI_BEHIND_TLS_PROXY", "") != "", "a proxy in front terminates TLS: mark cookies Secure (env CAUNOI_BEHIND_TLS_PROXY)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	uic, err := caunoi.ParseUICFormula(*uicSpec)
	if err != nil {
		return fmt.Errorf("--uic-formula: %w", describe(err))
	}
	rollupEvery, err := time.ParseDuration(*rollupSpec)
	if err != nil || rollupEvery < 0 {
		return fmt.Errorf("--rollup-interval: %q is not a duration such as 1m or 30s", *rollupSpec)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	db, err := open(ctx, dbf)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		sum, err := loadDemo(ctx, db)
		if err != nil {
			return err
		}
		printLogins(stdout, sum)
	}
	tls := *certFile != "" && *keyFile != ""
	srv, err := web.New(web.Config{DB: db, Log: log, TLS: tls || *behindTLS, UIC: uic, MapTiles: *mapTiles, MapAttribution: *mapCredit})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	scheme := "http"
	if tls {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "Cầu Nối %s is listening on %s://%s (database: %s)\n", caunoi.Version, scheme, ln.Addr(), db.Dialect)
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go srv.Cleanup(ctx, time.Hour)
	if rollupEvery > 0 {
		go srv.KeepRollups(ctx, rollupEvery)
	}
	errc := make(chan error, 1)
	go func() {
		if tls {
			errc <- hs.ServeTLS(ln, *certFile, *keyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return hs.Shutdown(shut)
	}
}

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbf := newFlags("migrate", stdout, stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := open(ctx, dbf)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.MigrationVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is at migration %d\n", db.Dialect, v)
	return nil
}

func userAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, dbf := newFlags("user add", stdout, stderr)
	username := fs.String("username", "", "username (lower-case letters, digits, dots)")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "role: "+rolesList())
	org := fs.String("org", "", "organisation: its id or exact name")
	lang := fs.String("lang", "vi", "language: vi or en")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input (else one is generated and printed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := open(ctx, dbf)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
	orgID, err := findOrg(ctx, db, *org)
	if err != nil {
		return err
	}
	password := ""
	if *pwStdin {
		b, err := io.ReadAll(io.LimitReader(stdin, 1024))
		if err != nil {
			return fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(string(b), "\r\n")
	} else {
		password = secure.RandomToken(12)
	}
	u := &caunoi.User{Username: *username, DisplayName: *name, Lang: *lang, Grants: []caunoi.Grant{{Role: caunoi.Role(*role), OrgID: orgID}}}
	if err := sqldb.NewUserService(db).CreateUser(ctx, u, password); err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "created user %s (%s on %s)\n", u.Username, *role, u.Grants[0].OrgName)
	if !*pwStdin {
		fmt.Fprintf(stdout, "password: %s\n", password)
	}
	return nil
}

func rolesList() string {
	var s []string
	for _, r := range caunoi.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

// findOrg finds an organisation by id or exact name.
func findOrg(ctx context.Context, db *sqldb.DB, ref string) (string, error) {
	if ref == "" {
		return "", errors.New("--org is required")
	}
	orgs := sqldb.NewOrgService(db)
	if o, err := orgs.FindOrgByID(ctx, ref); err == nil {
		return o.ID, nil
	}
	found, _, err := orgs.FindOrgs(ctx, caunoi.OrgFilter{Query: ref, Page: caunoi.Page{Limit: caunoi.MaxPageSize}})
	if err != nil {
		return "", err
	}
	for _, o := range found {
		if o.Name == ref {
			return o.ID, nil
		}
	}
	return "", fmt.Errorf("no organisation with id or name %q", ref)
}

// describe turns a domain error into a line an administrator can act on.
func describe(err error) error {
	e := caunoi.AsError(err)
	if e.Code == caunoi.EINTERNAL {
		return err
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field+": "+f.Key)
	}
	if len(fields) > 0 {
		return fmt.Errorf("%s (%s)", e.Key, strings.Join(fields, "; "))
	}
	return errors.New(e.Key)
}

func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbf := newFlags("demo", stdout, stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := open(ctx, dbf)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := loadDemo(ctx, db)
	if err != nil {
		return err
	}
	printLogins(stdout, sum)
	return nil
}

// loadDemo loads the demo data, or returns what is there already.
func loadDemo(ctx context.Context, db *sqldb.DB) (*demo.Summary, error) {
	sum, err := demo.Load(ctx, db)
	if errors.Is(err, demo.ErrAlreadyLoaded) && sum != nil {
		return sum, nil
	}
	return sum, err
}

func printLogins(w io.Writer, sum *demo.Summary) {
	fmt.Fprintf(w, "Demo data: %d organisations, %d clients, %d contacts, %d group activities.\n", sum.Orgs, sum.Clients, sum.Contacts, sum.Activities)
	if len(sum.Logins) == 0 {
		return
	}
	fmt.Fprintf(w, "Demo logins (password for all: %s):\n", sum.Password)
	for _, l := range sum.Logins {
		fmt.Fprintf(w, "  %-22s %-17s %s\n", l.Username, l.Role, l.Org)
	}
}

func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbf := newFlags("backup", stdout, stderr)
	out := fs.String("out", "", "file to write (default: caunoi-YYYYMMDD-HHMMSS.db or .dump in the data folder)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := sqldb.Open(ctx, dbf.url)
	if err != nil {
		return err
	}
	defer db.Close()
	dest := *out
	if dest == "" {
		ext := ".db"
		if db.Dialect == sqldb.Postgres {
			ext = ".dump"
		}
		dest = filepath.Join(env("CAUNOI_DATA", "data"), "caunoi-"+time.Now().Format("20060102-150405")+ext)
	}
	if err := db.Backup(ctx, dest); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", dest)
	return nil
}

// rekey completes a key rotation: after a new key line was appended to
// the keyring, it seals every identifying field again with it, so that the
// old keys can then be removed.
func rekey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbf := newFlags("rekey", stdout, stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := open(ctx, dbf)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Reencrypt(caunoi.NewContextWithActor(ctx, caunoi.SystemActor()), 500)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "re-encrypted the identifying fields of %d clients with key %s; older keys may now be removed from the keyring\n", n, db.Keys.CurrentID())
	return nil
}

// genCmd fills an empty database with a generated data set: --scale small
// (45,000 records) or national (34 provinces, 500 groups, 500,000 clients,
// 10,000,000 contacts and services), then builds the rollups.
func genCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbf := newFlags("gen", stdout, stderr)
	scale := fs.String("scale", "small", "small or national")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, ok := map[string]gen.Scale{"small": gen.Small, "national": gen.National}[*scale]
	if !ok {
		return fmt.Errorf("--scale: %q is neither small nor national", *scale)
	}
	db, err := open(ctx, dbf)
	if err != nil {
		return err
	}
	defer db.Close()
	sys := caunoi.NewContextWithActor(ctx, caunoi.SystemActor())
	if _, n, err := sqldb.NewOrgService(db).FindOrgs(sys, caunoi.OrgFilter{IncludeVoided: true, Page: caunoi.Page{Limit: 1}}); err != nil {
		return err
	} else if n > 0 {
		return errors.New("gen: the database already has organisations; give an empty one")
	}
	res, err := gen.Generate(ctx, db, s, func(f string, a ...any) { fmt.Fprintf(stdout, f+"\n", a...) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated %d provinces, %d groups, %d clients, %d contacts, %d services under %s\n",
		len(res.Provinces), len(res.Groups), s.Clients, s.Contacts, s.Services, res.National.Name)
	return nil
}

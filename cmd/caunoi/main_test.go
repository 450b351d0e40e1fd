package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"caunoi/internal/secure"
	"caunoi/internal/sqldb"
)

// TestServeDemo starts the real program on port 0 with the demo, as the
// README's first command does, and checks what a newcomer sees.
func TestServeDemo(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--db", "sqlite:" + filepath.Join(dir, "c.db"), "--keys", filepath.Join(dir, "keys")}, nil, pw, io.Discard)
		pw.Close()
	}()
	var out strings.Builder
	var base string
	urlRE := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if base == "" {
		t.Fatalf("no URL printed:\n%s", out.String())
	}
	for _, want := range []string{"caunoi-demo-2025", "admin", "cuc.canbo", "quangninh.canbo", "songbien.dongdang", "outreach_worker"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output does not name %q:\n%s", want, out.String())
		}
	}
	res, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		Status, Database string
		Migration        int
	}
	json.NewDecoder(res.Body).Decode(&h)
	res.Body.Close()
	if h.Status != "ok" || h.Database != "sqlite" || h.Migration < 1 {
		t.Errorf("healthz: %+v", h)
	}
	res, err = http.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), "Đăng nhập") {
		t.Error("the login page is not Vietnamese")
	}

	// A backup while serving opens as a database with the demo in it.
	var bout strings.Builder
	backupFile := filepath.Join(dir, "backup.db")
	if err := run(context.Background(), []string{"backup", "--db", "sqlite:" + filepath.Join(dir, "c.db"), "--out", backupFile}, nil, &bout, io.Discard); err != nil {
		t.Fatal(err)
	}
	db, err := sqldb.Open(context.Background(), "sqlite:"+backupFile)
	if err != nil {
		t.Fatal(err)
	}
	var orgs int
	if err := db.ReadDB().QueryRow("SELECT COUNT(*) FROM orgs").Scan(&orgs); err != nil || orgs < 10 {
		t.Errorf("backup holds %d organisations: %v", orgs, err)
	}
	db.Close()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve ended with %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestUserAdd(t *testing.T) {
	dir := t.TempDir()
	dbArg := "sqlite:" + filepath.Join(dir, "c.db")
	t.Setenv("CAUNOI_KEYS_FILE", filepath.Join(dir, "keys"))
	ctx := context.Background()
	if err := run(ctx, []string{"demo", "--db", dbArg}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err := run(ctx, []string{"user", "add", "--db", dbArg, "--username", "chicuc.moi", "--name", "Cán bộ mới", "--role", "province_officer",
		"--org", "Chi cục PCTNXH Hải Phòng"}, nil, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(out.String())
	if m == nil || len(m[1]) < 10 {
		t.Fatalf("no generated password printed: %s", out.String())
	}
	// The password from standard input, and a role that does not fit the
	// organisation, refused with the reason.
	err = run(ctx, []string{"user", "add", "--db", dbArg, "--username", "sai.vaitro", "--name", "X", "--role", "national_officer",
		"--org", "Chi cục PCTNXH Hải Phòng", "--password-stdin"}, strings.NewReader("mot-mat-khau-dai\n"), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "err.user.role_org_kind") {
		t.Errorf("a national officer on a province was not refused: %v", err)
	}
	if err := run(ctx, []string{"user", "add", "--db", dbArg, "--username", "x.y", "--name", "X", "--role", "admin", "--org", "Không có"}, nil, io.Discard, io.Discard); err == nil {
		t.Error("an unknown organisation was accepted")
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"version"}, nil, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "caunoi ") {
		t.Errorf("version: %q %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"fly"}, nil, io.Discard, io.Discard); err == nil {
		t.Error("an unknown command was accepted")
	}
}

// TestRekey rotates the keys the way an administrator does: append a new
// key line, run rekey, drop the old line; every phone still reads.
func TestRekey(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	dbArg := "sqlite:" + filepath.Join(dir, "c.db")
	t.Setenv("CAUNOI_KEYS_FILE", keys)
	ctx := context.Background()
	if err := run(ctx, []string{"demo", "--db", dbArg}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	phones := func() map[string]string {
		t.Helper()
		db, err := sqldb.Open(ctx, dbArg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if db.Keys, _, err = secure.LoadKeyring(keys, false); err != nil {
			t.Fatal(err)
		}
		rows, err := db.ReadDB().Query("SELECT id, phone_enc FROM clients WHERE phone_enc <> ''")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var id, enc string
			rows.Scan(&id, &enc)
			plain, err := db.Keys.Decrypt(enc, "clients/"+id+"/phone")
			if err != nil {
				t.Fatalf("client %s: %v", id, err)
			}
			out[id] = plain
		}
		return out
	}
	before := phones()
	if len(before) < 50 {
		t.Fatalf("only %d demo phones", len(before))
	}
	old, err := os.ReadFile(keys)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keys, append(old, []byte(secure.NewKeyLine()+"\n")...), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(ctx, []string{"rekey", "--db", dbArg}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "re-encrypted the identifying fields of") {
		t.Errorf("rekey said %q", out.String())
	}
	// Drop the old key line: only the new key and the index secret stay.
	var kept []string
	for _, line := range strings.Split(strings.TrimSpace(string(old)), "\n") {
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "index ") {
			kept = append(kept, line)
		}
	}
	after, _ := os.ReadFile(keys)
	lines := strings.Split(strings.TrimSpace(string(after)), "\n")
	kept = append(kept, lines[len(lines)-1])
	if err := os.WriteFile(keys, []byte(strings.Join(kept, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got := phones()
	if len(got) != len(before) {
		t.Fatalf("%d phones after rekey, %d before", len(got), len(before))
	}
	for id, p := range before {
		if got[id] != p {
			t.Errorf("client %s: phone changed", id)
		}
	}
	// A second run finds nothing left to do.
	out.Reset()
	if err := run(ctx, []string{"rekey", "--db", dbArg}, nil, &out, io.Discard); err != nil || !strings.Contains(out.String(), "of 0 clients") {
		t.Errorf("second rekey: %q %v", out.String(), err)
	}
}

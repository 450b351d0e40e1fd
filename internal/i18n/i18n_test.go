package i18n_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"caunoi"
	"caunoi/internal/i18n"
)

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	c := i18n.MustLoad()
	vi, en := c.Keys("vi"), c.Keys("en")
	if len(vi) < 100 {
		t.Fatalf("the Vietnamese catalogue has only %d keys", len(vi))
	}
	for k := range vi {
		if !en[k] {
			t.Errorf("%s is in vi but not in en", k)
		}
	}
	for k := range en {
		if !vi[k] {
			t.Errorf("%s is in en but not in vi", k)
		}
	}
}

// TestEveryUsedKeyIsTranslated scans the Go sources and templates for
// message keys and checks each is in both catalogues.
func TestEveryUsedKeyIsTranslated(t *testing.T) {
	c := i18n.MustLoad()
	root := filepath.Join("..", "..")
	goKey := regexp.MustCompile(`"((?:err|msg|nav|page|field)\.[a-z0-9_.]+)"`)
	tmplKey := regexp.MustCompile(`\.(?:T|N) "([a-z_]+\.[a-z0-9_.]+)"`)
	found := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git" || d.Name() == "e2e") {
			return filepath.SkipDir
		}
		var re *regexp.Regexp
		switch {
		case strings.HasSuffix(path, "_test.go"):
			return nil
		case strings.HasSuffix(path, ".go"):
			re = goKey
		case strings.HasSuffix(path, ".html"):
			re = tmplKey
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			found++
			for _, lang := range caunoi.Languages {
				if !c.Has(lang, m[1]) {
					t.Errorf("%s uses %q, missing in %s", path, m[1], lang)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 100 {
		t.Fatalf("found only %d keys: is the scan broken?", found)
	}
}

// TestEveryEnumIsTranslated checks the names of roles, kinds, populations
// and the other closed lists shown to users.
func TestEveryEnumIsTranslated(t *testing.T) {
	c := i18n.MustLoad()
	lists := map[string][]string{}
	for _, r := range caunoi.Roles {
		lists["role"] = append(lists["role"], string(r))
	}
	for _, k := range caunoi.OrgKinds {
		lists["org_kind"] = append(lists["org_kind"], string(k))
	}
	for _, k := range caunoi.GroupKinds {
		lists["group_kind"] = append(lists["group_kind"], string(k))
	}
	for _, m := range caunoi.Models {
		lists["model"] = append(lists["model"], string(m))
	}
	for _, p := range caunoi.Populations {
		lists["population"] = append(lists["population"], string(p))
	}
	lists["sex"] = caunoi.Sexes
	lists["residence"] = caunoi.Residences
	lists["client_status"] = caunoi.ClientStatuses
	lists["channel"] = caunoi.Channels
	lists["commodity"] = caunoi.Commodities
	lists["level"] = []string{caunoi.LevelProvince, caunoi.LevelCommune}
	lists["action"] = []string{caunoi.ActionCreate, caunoi.ActionUpdate, caunoi.ActionVoid, caunoi.ActionRead, caunoi.ActionImport,
		caunoi.ActionLogin, caunoi.ActionLogout, caunoi.ActionGrant, caunoi.ActionRevoke, caunoi.ActionReencrypt}
	for prefix, values := range lists {
		for _, v := range values {
			for _, lang := range caunoi.Languages {
				if !c.Has(lang, prefix+"."+v) {
					t.Errorf("%s.%s is missing in %s", prefix, v, lang)
				}
			}
		}
	}
}

// TestPluralsHaveBothForms: Vietnamese has the forms one and other since
// go-i18n v2.7.0; a message with plurals must give both in both languages.
func TestPluralsHaveBothForms(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("locales", "*.json"))
	if err != nil || len(files) < 2 {
		t.Fatalf("catalogue files: %v %v", files, err)
	}
	for _, file := range files {
		lang := file
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Fatal(err)
		}
		for k, v := range raw {
			if len(v) > 0 && v[0] == '{' {
				var forms map[string]string
				if err := json.Unmarshal(v, &forms); err != nil {
					t.Fatalf("%s %s: %v", lang, k, err)
				}
				if forms["one"] == "" || forms["other"] == "" {
					t.Errorf("%s %s: needs both one and other", lang, k)
				}
			}
		}
	}
	l := i18n.MustLoad().For("en")
	if got := l.N("import.bad_rows", 1); got != "1 bad row" {
		t.Errorf("en one: %q", got)
	}
	if got := l.N("import.bad_rows", 1234); got != "1,234 bad rows" {
		t.Errorf("en other: %q", got)
	}
	if got := i18n.MustLoad().For("vi").N("import.bad_rows", 1234); got != "1.234 dòng lỗi" {
		t.Errorf("vi: %q", got)
	}
}

func TestFormats(t *testing.T) {
	c := i18n.MustLoad()
	vi, en := c.For("vi"), c.For("en")
	for _, tc := range []struct{ got, want string }{
		{vi.Number(22532), "22.532"},
		{vi.Number(-1628), "-1.628"},
		{vi.Number(999), "999"},
		{en.Number(1056), "1,056"},
		{vi.Money(130_000_000), "130.000.000 ₫"},
		// 17:30 UTC is half past midnight the next day in Vietnam.
		{vi.Date(time.Date(2025, 6, 30, 17, 30, 0, 0, time.UTC)), "01/07/2025"},
		{vi.DateTime(time.Date(2025, 6, 30, 17, 30, 0, 0, time.UTC)), "01/07/2025 00:30"},
		{vi.DateUTC(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)), "01/07/2025"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestLangAndErrors(t *testing.T) {
	for in, want := range map[string]string{"": "vi", "en-US,en;q=0.9": "en", "fr": "vi", "vi-VN": "vi", "EN": "en"} {
		if got := i18n.Lang(in); got != want {
			t.Errorf("Lang(%q) = %q, want %q", in, got, want)
		}
	}
	c := i18n.MustLoad()
	err := caunoi.Invalid(caunoi.FieldError{Field: "password", Key: "err.user.password_short", Args: map[string]any{"Min": 10}})
	msg, fields := c.For("vi").Error(err)
	if msg != "Thông tin chưa đúng. Vui lòng sửa các mục dưới đây." || fields["password"] != "Mật khẩu phải có ít nhất 10 ký tự." {
		t.Errorf("vi: %q %v", msg, fields)
	}
	_, fields = c.For("en").Error(err)
	if fields["password"] != "The password needs at least 10 characters." {
		t.Errorf("en: %v", fields)
	}
	// An internal error never shows its text.
	msg, _ = c.For("vi").Error(os.ErrPermission)
	if strings.Contains(msg, "permission") || msg == "" {
		t.Errorf("internal error shown as %q", msg)
	}
}

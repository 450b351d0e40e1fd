package secure

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testKey(t testing.TB) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func mustRing(t testing.TB, text string) *Keyring {
	t.Helper()
	k, err := ParseKeyring(text)
	if err != nil {
		t.Fatalf("ParseKeyring: %v", err)
	}
	return k
}

func TestEncryptRoundTrip(t *testing.T) {
	k := mustRing(t, "# test\n\nk1 "+testKey(t)+"\nindex "+testKey(t)+"\n")
	for _, plain := range []string{"0912345678", "Nguyễn Thị Hoa", "079123456789", "x", strings.Repeat("dài ", 500)} {
		aad := "clients/0197a2c4/phone"
		c, err := k.Encrypt(plain, aad)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(c, "v1.k1.") {
			t.Errorf("ciphertext %q does not start with v1.k1.", c)
		}
		if len(plain) > 4 && strings.Contains(c, plain) { // "x" may turn up in base64 by chance
			t.Errorf("ciphertext %q contains the plaintext", c)
		}
		got, err := k.Decrypt(c, aad)
		if err != nil || got != plain {
			t.Errorf("Decrypt = %q, %v; want %q", got, err, plain)
		}
	}
	// Two sealings of one value differ (random nonces).
	a, _ := k.Encrypt("0912345678", "p")
	b, _ := k.Encrypt("0912345678", "p")
	if a == b {
		t.Error("two encryptions of one value are equal")
	}
	// Empty in, empty out, both ways.
	if c, err := k.Encrypt("", "p"); c != "" || err != nil {
		t.Errorf("Encrypt(\"\") = %q, %v", c, err)
	}
	if p, err := k.Decrypt("", "p"); p != "" || err != nil {
		t.Errorf("Decrypt(\"\") = %q, %v", p, err)
	}
}

func TestDecryptWrongAAD(t *testing.T) {
	k := mustRing(t, "k1 "+testKey(t)+"\nindex "+testKey(t))
	c, err := k.Encrypt("0912345678", "clients/A/phone")
	if err != nil {
		t.Fatal(err)
	}
	for _, aad := range []string{"clients/B/phone", "clients/A/id_number", ""} {
		if p, err := k.Decrypt(c, aad); !errors.Is(err, ErrDecrypt) {
			t.Errorf("Decrypt with aad %q = %q, %v; want ErrDecrypt", aad, p, err)
		}
	}
}

func TestDecryptTampered(t *testing.T) {
	k := mustRing(t, "k1 "+testKey(t)+"\nk2 "+testKey(t)+"\nindex "+testKey(t))
	c, err := k.Encrypt("0912345678", "a")
	if err != nil {
		t.Fatal(err)
	}
	prefix := "v1." + k.CurrentID() + "."
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(c, prefix))
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	for _, i := range []int{0, 12, len(raw) - 1} { // nonce, ciphertext, tag
		r := append([]byte(nil), raw...)
		r[i] ^= 1
		bad = append(bad, prefix+base64.RawURLEncoding.EncodeToString(r))
	}
	bad = append(bad,
		prefix+base64.RawURLEncoding.EncodeToString(raw[:len(raw)-1]), // truncated
		prefix+base64.RawURLEncoding.EncodeToString(raw[:10]),         // shorter than nonce and tag
		strings.Replace(c, ".k2.", ".k1.", 1),                         // relabelled to another key
		strings.Replace(c, "v1.", "v2.", 1),                           // unknown version
		c+"!",                                                         // not base64url
		"0912345678",                                                  // never encrypted
	)
	for _, b := range bad {
		if p, err := k.Decrypt(b, "a"); !errors.Is(err, ErrDecrypt) {
			t.Errorf("Decrypt(%q) = %q, %v; want ErrDecrypt", b, p, err)
		}
	}
}

func TestRotation(t *testing.T) {
	keyA, keyB, index := testKey(t), testKey(t), testKey(t)
	ringA := mustRing(t, "kA "+keyA+"\nindex "+index)
	old, err := ringA.Encrypt("079123456789", "clients/1/id_number")
	if err != nil {
		t.Fatal(err)
	}
	ringAB := mustRing(t, "kA "+keyA+"\nindex "+index+"\nkB "+keyB)
	if ringAB.CurrentID() != "kB" {
		t.Fatalf("CurrentID = %q, want kB (the last key line)", ringAB.CurrentID())
	}
	if p, err := ringAB.Decrypt(old, "clients/1/id_number"); err != nil || p != "079123456789" {
		t.Errorf("old value under the rotated ring: %q, %v", p, err)
	}
	fresh, err := ringAB.Encrypt("079123456789", "clients/1/id_number")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(fresh, "v1.kB.") {
		t.Errorf("new value %q is not sealed with kB", fresh)
	}
	if !ringAB.NeedsRotation(old) {
		t.Error("NeedsRotation(old) = false")
	}
	if ringAB.NeedsRotation(fresh) || ringAB.NeedsRotation("") {
		t.Error("NeedsRotation is true for a current value or for \"\"")
	}
	if !ringAB.NeedsRotation("garbage") {
		t.Error("NeedsRotation(garbage) = false; a rotation job would skip it")
	}
	ringB := mustRing(t, "kB "+keyB+"\nindex "+index)
	if _, err := ringB.Decrypt(old, "clients/1/id_number"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Decrypt without kA: %v, want ErrUnknownKey", err)
	}
	if p, err := ringB.Decrypt(fresh, "clients/1/id_number"); err != nil || p != "079123456789" {
		t.Errorf("Decrypt with kB alone: %q, %v", p, err)
	}
	// A key under another id is another key: HKDF does not use the id, but
	// the aad does, so a relabelled value does not open.
	ringA2 := mustRing(t, "kX "+keyA+"\nindex "+index)
	if _, err := ringA2.Decrypt(strings.Replace(old, ".kA.", ".kX.", 1), "clients/1/id_number"); !errors.Is(err, ErrDecrypt) {
		t.Errorf("relabelled value: %v, want ErrDecrypt", err)
	}
}

func TestBlindIndex(t *testing.T) {
	index := testKey(t)
	k := mustRing(t, "k1 "+testKey(t)+"\nindex "+index)
	phone := k.BlindIndex("phone", "+84 912 345 678")
	if len(phone) != 64 {
		t.Fatalf("BlindIndex = %q, want 64 hex digits", phone)
	}
	for _, s := range []string{"0912-345-678", "84912345678", "+84 (0) 912.345.678", "0084 912 345 678"} {
		if got := k.BlindIndex("phone", s); got != phone {
			t.Errorf("BlindIndex(phone, %q) differs from +84 912 345 678", s)
		}
	}
	if k.BlindIndex("phone", "0912345679") == phone {
		t.Error("a different phone has the same index")
	}
	if k.BlindIndex("id_number", "+84 912 345 678") == phone || k.BlindIndex("id_number", "0912345678") == phone {
		t.Error("the same value under phone and id_number has the same index")
	}
	if k.BlindIndex("id_number", "079 123-456 789") != k.BlindIndex("id_number", "079123456789") {
		t.Error("id numbers differing only in spaces and dashes have different indexes")
	}
	if k.BlindIndex("uic", "hotu1998f") != k.BlindIndex("uic", "HOTU1998F") {
		t.Error("a UIC in lower case has another index")
	}
	if k.BlindIndex("legal_name", "Nguyễn  Thị Hoa") != k.BlindIndex("legal_name", " nguyễn thị hoa") {
		t.Error("legal names differing in case and spaces have different indexes")
	}
	// The key ring's encryption key plays no part; the index secret does.
	same := mustRing(t, "k9 "+testKey(t)+"\nindex "+index)
	if same.BlindIndex("phone", "0912345678") != phone {
		t.Error("same index secret, another encryption key: the index changed")
	}
	other := mustRing(t, "k1 "+testKey(t)+"\nindex "+testKey(t))
	if other.BlindIndex("phone", "0912345678") == phone {
		t.Error("another index secret gives the same index")
	}
	if got := k.BlindIndex("phone", ""); got != "" {
		t.Errorf("BlindIndex(\"\") = %q", got)
	}
	if got := k.BlindIndex("phone", "không có"); got != "" {
		t.Errorf("BlindIndex of a phone without digits = %q", got)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"+84 912 345 678":    "0912345678",
		"0912-345-678":       "0912345678",
		"84912345678":        "0912345678",
		"+84 (0)912 345 678": "0912345678",
		"0084912345678":      "0912345678",
		"+84 24 3825 1234":   "02438251234",
		"(024) 3825 1234":    "02438251234",
		"1900 1234":          "19001234",
		"+1 202 555 0100":    "12025550100",
		"":                   "",
	} {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
		if again := NormalizePhone(want); again != want { // callers may normalise before BlindIndex does
			t.Errorf("NormalizePhone(%q) = %q: not idempotent", want, again)
		}
	}
	for in, want := range map[string]string{
		"079 123-456 789": "079123456789",
		"c1234567":        "C1234567",
		" b-12 34 ":       "B1234",
	} {
		if got := NormalizeIDNumber(in); got != want {
			t.Errorf("NormalizeIDNumber(%q) = %q, want %q", in, got, want)
		}
		if again := NormalizeIDNumber(want); again != want {
			t.Errorf("NormalizeIDNumber(%q) = %q: not idempotent", want, again)
		}
	}
}

func TestParseKeyringErrors(t *testing.T) {
	good, index := testKey(t), testKey(t)
	short := base64.StdEncoding.EncodeToString([]byte("sixteen byte key"))
	long := base64.StdEncoding.EncodeToString(make([]byte, 48))
	secretish := "AAAABBBBCCCCDDDD!!!!EEEEFFFFGGGGHHHHIIIIJJJJ="
	for _, c := range []struct {
		name, text, line, secret string
	}{
		{"bad base64", "k1 " + good + "\n\nk2 " + secretish + "\nindex " + index, "line 3", secretish},
		{"short key", "# c\nk1 " + short + "\nindex " + index, "line 2", short},
		{"long key", "k1 " + long + "\nindex " + index, "line 1", long},
		{"short index", "k1 " + good + "\nindex " + short, "line 2", short},
		{"duplicate id", "k1 " + good + "\nindex " + index + "\nk1 " + testKey(t), "line 3", good},
		{"second index", "k1 " + good + "\nindex " + index + "\nindex " + testKey(t), "line 3", index},
		{"one field", "index " + index + "\n" + good, "line 2", good},
		{"three fields", "k1 " + good + " extra\nindex " + index, "line 1", good},
		{"bad id", "k.1 " + good + "\nindex " + index, "line 1", good},
		{"long id", "k123456789abcdefg " + good + "\nindex " + index, "line 1", good},
		{"no index", "k1 " + good + "\n", "index", good},
		{"no key", "# nothing\nindex " + index, "no key", index},
		{"empty", "", "no key", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			k, err := ParseKeyring(c.text)
			if err == nil {
				t.Fatalf("ParseKeyring accepted %q: %v", c.text, k)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.line) {
				t.Errorf("error %q does not say %q", msg, c.line)
			}
			if c.secret != "" && (strings.Contains(msg, c.secret) || strings.Contains(msg, c.secret[:12])) {
				t.Errorf("error %q shows key material", msg)
			}
		})
	}
}

func TestKeyringDoesNotPrintKeys(t *testing.T) {
	key, index := testKey(t), testKey(t)
	k := mustRing(t, "k1 "+key+"\nindex "+index)
	for _, s := range []string{k.String(), k.GoString()} {
		if strings.Contains(s, key[:12]) || strings.Contains(s, index[:12]) || !strings.Contains(s, "k1") {
			t.Errorf("keyring prints as %q", s)
		}
	}
}

func TestNewKeyLine(t *testing.T) {
	a, b := NewKeyLine(), NewKeyLine()
	if a == b {
		t.Fatal("two new key lines are equal")
	}
	k := mustRing(t, a+"\n"+b+"\nindex "+testKey(t))
	id := strings.Fields(b)[0]
	if k.CurrentID() != id || !strings.HasPrefix(id, "k20") || len(id) > 16 {
		t.Errorf("CurrentID = %q, want %q of at most 16 characters", k.CurrentID(), id)
	}
}

func TestLoadKeyringCreate(t *testing.T) {
	t.Setenv(KeysEnv, "")
	path := filepath.Join(t.TempDir(), "secrets", "keys.txt")
	if _, _, err := LoadKeyring(path, false); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("LoadKeyring of a missing file without create: %v, want fs.ErrNotExist", err)
	}
	k1, created, err := LoadKeyring(path, true)
	if err != nil || !created {
		t.Fatalf("LoadKeyring create: created %v, %v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("key directory mode %v, want 0700", di.Mode().Perm())
	}
	c, err := k1.Encrypt("0912345678", "clients/1/phone")
	if err != nil {
		t.Fatal(err)
	}
	k2, created, err := LoadKeyring(path, true)
	if err != nil || created {
		t.Fatalf("second LoadKeyring: created %v, %v", created, err)
	}
	if k2.CurrentID() != k1.CurrentID() {
		t.Errorf("CurrentID %q, then %q", k1.CurrentID(), k2.CurrentID())
	}
	if p, err := k2.Decrypt(c, "clients/1/phone"); err != nil || p != "0912345678" {
		t.Errorf("reloaded ring decrypts %q, %v", p, err)
	}
	if k1.BlindIndex("phone", "0912345678") != k2.BlindIndex("phone", "0912345678") {
		t.Error("reloaded ring gives another blind index")
	}
}

func TestLoadKeyringEnvWins(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.txt")
	if err := os.WriteFile(path, []byte("kfile "+testKey(t)+"\nindex "+testKey(t)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(KeysEnv, "kold "+testKey(t)+";index "+testKey(t)+";kenv "+testKey(t))
	k, created, err := LoadKeyring(path, true)
	if err != nil || created {
		t.Fatalf("LoadKeyring: created %v, %v", created, err)
	}
	if k.CurrentID() != "kenv" {
		t.Errorf("CurrentID = %q, want kenv from %s", k.CurrentID(), KeysEnv)
	}
	// Env set and no file: nothing is created.
	missing := filepath.Join(t.TempDir(), "none", "keys.txt")
	if _, created, err := LoadKeyring(missing, true); err != nil || created {
		t.Errorf("LoadKeyring with env and no file: created %v, %v", created, err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a key file was created although %s is set: %v", KeysEnv, err)
	}
	// A bad env keyring is an error that names the variable, not a fallback.
	t.Setenv(KeysEnv, "kenv notbase64!;index "+testKey(t))
	if _, _, err := LoadKeyring(path, false); err == nil || !strings.Contains(err.Error(), KeysEnv) || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad %s: %v", KeysEnv, err)
	}
}

func BenchmarkEncrypt(b *testing.B) {
	k := mustRing(b, "k1 "+testKey(b)+"\nindex "+testKey(b))
	for b.Loop() {
		if _, err := k.Encrypt("0912345678", "clients/0197a2c4-7d8e-7000-8000-000000000000/phone"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecrypt(b *testing.B) {
	k := mustRing(b, "k1 "+testKey(b)+"\nindex "+testKey(b))
	aad := "clients/0197a2c4-7d8e-7000-8000-000000000000/phone"
	c, err := k.Encrypt("0912345678", aad)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := k.Decrypt(c, aad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	k := mustRing(b, "k1 "+testKey(b)+"\nindex "+testKey(b))
	for b.Loop() {
		if k.BlindIndex("phone", "+84 912 345 678") == "" {
			b.Fatal("empty index")
		}
	}
}

package secure

// Encryption of identifying fields at rest (DESIGN.md, principle 1).
//
// A client's legal name, phone and identity number are optional. When they
// are stored, they are sealed with AES-256-GCM under a key that lives outside
// the database (a key file or the CAUNOI_KEYS environment variable), and they
// are found only by exact match, through a keyed blind index: an HMAC of the
// normalised value that the database can compare without learning the value.
//
// Neither raw key is used directly: each is stretched with HKDF-SHA256 into a
// subkey for one use (field encryption, or the blind index of one purpose),
// so the digests of different purposes are unrelated and a key serves one
// job only.

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// KeysEnv is the environment variable that, when set and not empty, holds
// the keyring instead of the key file; its lines may be separated by ';'.
const KeysEnv = "CAUNOI_KEYS"

// Versions and HKDF info strings. Changing any of them makes every stored
// value unreadable or every index unfindable: add a new version instead.
const (
	fieldPrefix    = "v1."
	fieldInfo      = "caunoi field encryption v1"
	indexInfo      = "caunoi blind index v1 "
	keyLen         = 32
	maxKeyIDLen    = 16
	indexLineID    = "index"
	keyringHeader  = "# Cầu Nối field-encryption keys. Keep this file secret and backed up apart\n# from the database: without it, encrypted fields cannot be read.\n# One key a line, \"KEYID BASE64KEY\"; the last key encrypts, older ones only\n# decrypt. The \"index\" line is the blind-index secret: never change it\n# without re-indexing.\n"
	randomIDSuffix = 2 // bytes of randomness in a key id from NewKeyLine
)

// ErrUnknownKey is returned by Decrypt for a value sealed with a key that is
// not in the keyring.
var ErrUnknownKey = errors.New("field encrypted with a key not in the keyring")

// ErrDecrypt is returned by Decrypt for a value that is malformed, was
// tampered with, or belongs to another record or field (its aad differs).
var ErrDecrypt = errors.New("field cannot be decrypted")

// Keyring holds the keys that encrypt identifying fields and the secret of
// the blind index. It keeps only subkeys derived from them, never the raw
// key text. Make one with ParseKeyring or LoadKeyring; it is safe for
// concurrent use.
type Keyring struct {
	aeads   map[string]cipher.AEAD // key id → AES-256-GCM with random nonces
	ids     []string               // in the order of the text; the last is current
	current string
	index   []byte   // the blind-index secret
	purpose sync.Map // purpose → HMAC subkey ([]byte)
}

// ParseKeyring reads keys from text, one per line: "KEYID BASE64KEY", where
// the key is 32 bytes in standard base64 and KEYID has 1–16 characters of
// A–Z, a–z, 0–9, '_' and '-'. Blank lines and lines starting with '#' are
// ignored. Exactly one line "index BASE64KEY" holds the blind-index secret
// (32 bytes); it stays the same across rotations, because changing it means
// re-indexing every record. The LAST key line is the current key, used to
// encrypt; older keys only decrypt. Errors say which line is wrong and never
// contain key material.
func ParseKeyring(text string) (*Keyring, error) {
	k := &Keyring{aeads: map[string]cipher.AEAD{}}
	seen := map[string]int{}
	indexLine := 0
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			return nil, fmt.Errorf("keyring line %d: want \"KEYID BASE64KEY\"", n)
		}
		id, enc := f[0], f[1]
		if !validKeyID(id) {
			return nil, fmt.Errorf("keyring line %d: a key id has 1–%d characters A–Z a–z 0–9 _ -", n, maxKeyIDLen)
		}
		raw, err := decodeKey(enc)
		if err != nil {
			return nil, fmt.Errorf("keyring line %d: the key is not valid standard base64", n)
		}
		if len(raw) != keyLen {
			return nil, fmt.Errorf("keyring line %d: the key has %d bytes, want %d", n, len(raw), keyLen)
		}
		if id == indexLineID {
			if indexLine != 0 {
				return nil, fmt.Errorf("keyring line %d: a second index line (the first is line %d)", n, indexLine)
			}
			indexLine = n
			k.index = raw
			continue
		}
		if first, dup := seen[id]; dup {
			return nil, fmt.Errorf("keyring line %d: the key id is already used on line %d", n, first)
		}
		seen[id] = n
		sub, err := hkdf.Key(sha256.New, raw, nil, fieldInfo, keyLen)
		if err != nil {
			return nil, fmt.Errorf("keyring line %d: derive key: %w", n, err)
		}
		block, err := aes.NewCipher(sub)
		if err != nil {
			return nil, fmt.Errorf("keyring line %d: %w", n, err)
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("keyring line %d: %w", n, err)
		}
		k.aeads[id] = aead
		k.ids = append(k.ids, id)
		k.current = id
	}
	if len(k.ids) == 0 {
		return nil, errors.New("keyring: no key line (\"KEYID BASE64KEY\")")
	}
	if indexLine == 0 {
		return nil, errors.New("keyring: no \"index BASE64KEY\" line holding the blind-index secret")
	}
	return k, nil
}

func validKeyID(id string) bool {
	if id == "" || len(id) > maxKeyIDLen {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// decodeKey reads standard base64, padded or not.
func decodeKey(s string) ([]byte, error) {
	if strings.HasSuffix(s, "=") {
		return base64.StdEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// LoadKeyring reads the keyring from the environment variable CAUNOI_KEYS
// (the text of ParseKeyring, whose lines may also be separated by ';') when
// it is set and not empty, and otherwise from the file at path. When neither
// exists and create is true, it writes a new file at path with one fresh key
// and a fresh index secret (mode 0600, its directory made with mode 0700 if
// missing) and returns created true, so the caller can tell the
// administrator to back the file up. A missing file without create is an
// error that matches fs.ErrNotExist.
func LoadKeyring(path string, create bool) (k *Keyring, created bool, err error) {
	if env := os.Getenv(KeysEnv); strings.TrimSpace(env) != "" {
		k, err := ParseKeyring(strings.ReplaceAll(env, ";", "\n"))
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", KeysEnv, err)
		}
		return k, false, nil
	}
	if path == "" {
		return nil, false, fmt.Errorf("keyring: neither %s nor a key file is given", KeysEnv)
	}
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := ParseKeyring(string(b))
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return k, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) || !create {
		return nil, false, fmt.Errorf("keyring: %w", err)
	}
	text := keyringHeader + NewKeyLine() + "\n" + indexLineID + " " + newKey() + "\n"
	k, err = ParseKeyring(text)
	if err != nil {
		return nil, false, err // cannot happen: the text is made here
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, fmt.Errorf("keyring: %w", err)
	}
	// O_EXCL: never overwrite a key file that appeared meanwhile.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("keyring: %w", err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		os.Remove(path)
		return nil, false, fmt.Errorf("keyring: write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, false, fmt.Errorf("keyring: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, false, fmt.Errorf("keyring: write %s: %w", path, err)
	}
	return k, true, nil
}

// NewKeyLine returns a fresh "KEYID BASE64KEY" line for rotating keys:
// append it to the keyring and it becomes the current key. The id is the
// date (UTC) and a random suffix, such as "k20251123a41f".
func NewKeyLine() string {
	suffix := make([]byte, randomIDSuffix)
	if _, err := rand.Read(suffix); err != nil {
		panic(fmt.Sprintf("new key: %v", err)) // the system's randomness is gone: nothing is safe
	}
	return "k" + time.Now().UTC().Format("20060102") + hex.EncodeToString(suffix) + " " + newKey()
}

// newKey returns 32 random bytes in standard base64.
func newKey() string {
	b := make([]byte, keyLen)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("new key: %v", err))
	}
	return base64.StdEncoding.EncodeToString(b)
}

// CurrentID returns the id of the key that Encrypt uses.
func (k *Keyring) CurrentID() string { return k.current }

// String describes the keyring without any key material, so a keyring that
// ends up in a log line gives nothing away.
func (k *Keyring) String() string {
	return fmt.Sprintf("Keyring{current: %s, keys: %d}", k.current, len(k.ids))
}

// GoString is String, for %#v.
func (k *Keyring) GoString() string { return k.String() }

// fieldAAD binds a sealed value to the format version, the key id and the
// caller's aad. A key id holds no NUL, so the parts cannot run together.
func fieldAAD(id, aad string) []byte {
	return []byte(fieldPrefix + id + "\x00" + aad)
}

// Encrypt seals plaintext with the current key. aad binds the value to its
// place, such as "clients/<id>/phone": a value moved to another record or
// field no longer decrypts. The result is "v1.<keyid>.<base64url(nonce ||
// ciphertext)>"; an empty plaintext gives "" (nothing is stored).
func (k *Keyring) Encrypt(plaintext, aad string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	if k == nil || k.current == "" {
		return "", errors.New("encrypt: no keyring")
	}
	sealed := k.aeads[k.current].Seal(nil, nil, []byte(plaintext), fieldAAD(k.current, aad))
	return fieldPrefix + k.current + "." + base64.RawURLEncoding.EncodeToString(sealed), nil
}

// splitField returns the key id and the sealed bytes of a value made by
// Encrypt.
func splitField(value string) (id, payload string, ok bool) {
	rest, ok := strings.CutPrefix(value, fieldPrefix)
	if !ok {
		return "", "", false
	}
	id, payload, ok = strings.Cut(rest, ".")
	if !ok || !validKeyID(id) || id == indexLineID {
		return "", "", false
	}
	return id, payload, true
}

// Decrypt opens a value made by Encrypt with whichever key of the ring made
// it; "" gives "". A value sealed with a key not in the ring gives an error
// matching ErrUnknownKey; a malformed or tampered value, or one given
// another aad, gives an error matching ErrDecrypt.
func (k *Keyring) Decrypt(ciphertext, aad string) (string, error) {
	if ciphertext == "" {
		return "", nil
	}
	id, payload, ok := splitField(ciphertext)
	if !ok {
		return "", ErrDecrypt
	}
	aead, ok := k.aeads[id]
	if !ok {
		return "", fmt.Errorf("%w (key id %s)", ErrUnknownKey, id)
	}
	sealed, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || len(sealed) < aead.Overhead() {
		return "", ErrDecrypt
	}
	plain, err := aead.Open(nil, nil, sealed, fieldAAD(id, aad))
	if err != nil {
		return "", ErrDecrypt
	}
	return string(plain), nil
}

// NeedsRotation reports whether a stored value should be re-encrypted: it
// was made with a key other than the current one, or cannot be read as a
// value of Encrypt at all (so a rotation job meets it and reports it). ""
// needs nothing.
func (k *Keyring) NeedsRotation(ciphertext string) bool {
	if ciphertext == "" {
		return false
	}
	id, _, ok := splitField(ciphertext)
	return !ok || id != k.current
}

// BlindIndex returns the blind index of value for a purpose: the
// HMAC-SHA256, hex-encoded, of the normalised value under a subkey derived
// from the index secret for that purpose, so the digests of different
// purposes are unrelated. Store it next to the encrypted value and look a
// value up by computing its index. The value is normalised by purpose:
// "phone" with NormalizePhone, "id_number" and "uic" with NormalizeIDNumber,
// and any other purpose by Unicode NFC, lower case and single spaces. A
// value that normalises to "" gives "".
func (k *Keyring) BlindIndex(purpose, value string) string {
	v := normalizeFor(purpose, value)
	if v == "" {
		return ""
	}
	mac := hmac.New(sha256.New, k.purposeKey(purpose))
	mac.Write([]byte(v))
	return hex.EncodeToString(mac.Sum(nil))
}

func (k *Keyring) purposeKey(purpose string) []byte {
	if key, ok := k.purpose.Load(purpose); ok {
		return key.([]byte)
	}
	key, err := hkdf.Key(sha256.New, k.index, nil, indexInfo+purpose, keyLen)
	if err != nil {
		panic(fmt.Sprintf("blind index key: %v", err)) // only for lengths HKDF cannot give
	}
	actual, _ := k.purpose.LoadOrStore(purpose, key)
	return actual.([]byte)
}

func normalizeFor(purpose, value string) string {
	switch purpose {
	case "phone":
		return NormalizePhone(value)
	case "id_number", "uic":
		return NormalizeIDNumber(value)
	default:
		return strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(value))), " ")
	}
}

// NormalizePhone returns a phone number as digits only, with the Vietnamese
// country code turned into the leading 0 of a domestic number, so that
// "+84 912 345 678", "0912-345-678", "84912345678" and "+84 (0)912 345 678"
// are all "0912345678". Numbers of other countries keep their digits.
func NormalizePhone(s string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if strings.HasPrefix(d, "0084") {
		d = d[2:]
	}
	// "84" followed by at least 9 digits is the country code: no domestic
	// number starts with 8.
	if strings.HasPrefix(d, "84") && len(d) >= 11 {
		d = "0" + strings.TrimPrefix(d[2:], "0")
	}
	return d
}

// NormalizeIDNumber returns an identity or passport number in upper case
// with spaces and dashes removed, so "079 123-456 789" is "079123456789".
func NormalizeIDNumber(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, s))
}

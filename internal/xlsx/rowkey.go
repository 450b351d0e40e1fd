package xlsx

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strings"

	"caunoi"
)

// RowKey returns a stable key of a row's content within scope (a register
// and its owner, say "members:<org id>"), for idempotent re-imports: the
// same row imported again, from the same file or another, gets the same key.
//
// The key is the hex SHA-256 of the scope and the row's values sorted by
// Column.Key, each value folded with caunoi.Fold (no case, no diacritics)
// with its spaces trimmed and collapsed; empty values are left out, so a
// file without an optional column gives the key of one where it is empty.
// Row.Num is not part of it: a row that moved is the same row. Because of
// the folding, "Lan" and "Lân" give the same key when every other cell is
// the same too; callers that must tell such rows apart should keep both.
func RowKey(scope string, r Row) string {
	keys := make([]string, 0, len(r.Values))
	for k, v := range r.Values {
		if strings.TrimSpace(v) != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	h := sha256.New()
	var buf []byte
	field := func(s string) {
		// Length-prefixed, so that no two rows hash the same bytes.
		buf = binary.AppendUvarint(buf[:0], uint64(len(s)))
		buf = append(buf, s...)
		h.Write(buf)
	}
	field(scope)
	for _, k := range keys {
		field(k)
		field(strings.Join(strings.Fields(caunoi.Fold(r.Values[k])), " "))
	}
	return hex.EncodeToString(h.Sum(nil))
}

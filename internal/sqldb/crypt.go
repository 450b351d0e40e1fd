package sqldb

import (
	"caunoi"
	"caunoi/internal/secure"
)

// sealed is an identifying field as stored: the ciphertext and, for the
// fields that can be looked up, the keyed blind index.
type sealed struct{ enc, bidx string }

// seal encrypts an identifying field of a record, bound to its place
// (table, id, field), and computes its blind index when purpose is set.
func (db *DB) seal(table, id, field, purpose, value string) (sealed, error) {
	if value == "" {
		return sealed{}, nil
	}
	if db.Keys == nil {
		return sealed{}, caunoi.Errorf(caunoi.EINTERNAL, "err.keys.missing", nil)
	}
	enc, err := db.Keys.Encrypt(value, table+"/"+id+"/"+field)
	if err != nil {
		return sealed{}, err
	}
	s := sealed{enc: enc}
	if purpose != "" {
		s.bidx = db.Keys.BlindIndex(purpose, normalizeFor(purpose, value))
	}
	return s, nil
}

// unseal decrypts a field sealed by seal.
func (db *DB) unseal(table, id, field, enc string) (string, error) {
	if enc == "" {
		return "", nil
	}
	if db.Keys == nil {
		return "", caunoi.Errorf(caunoi.EINTERNAL, "err.keys.missing", nil)
	}
	return db.Keys.Decrypt(enc, table+"/"+id+"/"+field)
}

// blindIndex returns the lookup digest of a value typed by a user.
func (db *DB) blindIndex(purpose, value string) (string, error) {
	if db.Keys == nil {
		return "", caunoi.Errorf(caunoi.EINTERNAL, "err.keys.missing", nil)
	}
	return db.Keys.BlindIndex(purpose, normalizeFor(purpose, value)), nil
}

func normalizeFor(purpose, value string) string {
	switch purpose {
	case "phone":
		return secure.NormalizePhone(value)
	case "id_number":
		return secure.NormalizeIDNumber(value)
	default:
		return value
	}
}

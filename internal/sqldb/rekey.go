package sqldb

import (
	"context"
	"fmt"

	"caunoi"
)

// sealedFields are the encrypted columns of clients, by field name.
var sealedFields = []struct{ field, col string }{
	{"legal_name", "legal_name_enc"},
	{"phone", "phone_enc"},
	{"id_number", "id_number_enc"},
}

// Reencrypt seals again, with the current key, every identifying field
// still sealed with an older one, in batches of batch clients, each batch
// in its own transaction with one audit entry. After it, the old keys can
// be removed from the keyring. It returns the number of clients changed.
// Only the system actor (the command line) may run it.
func (db *DB) Reencrypt(ctx context.Context, batch int) (int, error) {
	a, err := caunoi.RequireActor(ctx)
	if err != nil {
		return 0, err
	}
	if !a.System {
		return 0, caunoi.Forbidden()
	}
	if db.Keys == nil {
		return 0, caunoi.Errorf(caunoi.EINTERNAL, "err.keys.missing", nil)
	}
	if batch <= 0 {
		batch = 500
	}
	total, after := 0, ""
	for {
		n, last, err := db.reencryptBatch(ctx, after, batch)
		total += n
		if err != nil || last == "" {
			return total, err
		}
		after = last
	}
}

// reencryptBatch re-seals the clients after id "after", at most limit of
// them, and returns how many changed and the last id read ("" at the end).
func (db *DB) reencryptBatch(ctx context.Context, after string, limit int) (int, string, error) {
	changed, last, end := 0, "", false
	err := db.inTx(ctx, true, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, legal_name_enc, phone_enc, id_number_enc FROM clients
			WHERE id > $1 AND (legal_name_enc <> '' OR phone_enc <> '' OR id_number_enc <> '') ORDER BY id LIMIT $2`, after, limit)
		if err != nil {
			return fmt.Errorf("reencrypt: %w", err)
		}
		type row struct{ id, enc [3]string }
		var todo []row
		read := 0
		for rows.Next() {
			var r row
			var id string
			if err := rows.Scan(&id, &r.enc[0], &r.enc[1], &r.enc[2]); err != nil {
				rows.Close()
				return fmt.Errorf("reencrypt: %w", err)
			}
			r.id[0], last = id, id
			read++
			for _, e := range r.enc {
				if e != "" && db.Keys.NeedsRotation(e) {
					todo = append(todo, r)
					break
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("reencrypt: %w", err)
		}
		end = read < limit
		for _, r := range todo {
			id := r.id[0]
			var next [3]string
			for i, f := range sealedFields {
				plain, err := db.unseal("clients", id, f.field, r.enc[i])
				if err != nil {
					return fmt.Errorf("reencrypt client %s: %w", id, err)
				}
				if next[i], err = db.Keys.Encrypt(plain, "clients/"+id+"/"+f.field); err != nil {
					return fmt.Errorf("reencrypt client %s: %w", id, err)
				}
			}
			// The blind indexes use their own, stable secret: unchanged.
			if _, err := tx.ExecContext(ctx, "UPDATE clients SET legal_name_enc = $1, phone_enc = $2, id_number_enc = $3 WHERE id = $4",
				next[0], next[1], next[2], id); err != nil {
				return fmt.Errorf("reencrypt client %s: %w", id, err)
			}
			changed++
		}
		if changed == 0 {
			return nil
		}
		return tx.audit(caunoi.ActionReencrypt, "client", "", "", nil, map[string]any{"clients": changed, "key": db.Keys.CurrentID()}, "")
	})
	if err != nil {
		return 0, "", err
	}
	if end {
		last = ""
	}
	return changed, last, nil
}

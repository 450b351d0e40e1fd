package sqldb_test

import (
	"testing"

	"caunoi"
	"caunoi/internal/sqldb"
	"caunoi/internal/sqldb/sqldbtest"
)

// A NUL character pasted into a text field is the user's to correct, on
// both databases (PostgreSQL cannot store it): the write is refused with a
// message, and nothing of it is stored.
func TestTextWithNULIsRefused(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		pe := f.As(caunoi.RolePeerEducator, "hpg")
		before := f.auditCount()

		k := f.newContact("hpg")
		k.Notes = "gặp ở quán\x00karaoke"
		e := wantCode(t, f.Contacts.CreateContact(pe, k), caunoi.EINVALID)
		if e.Key != "err.text.nul" {
			t.Errorf("key %q, want err.text.nul", e.Key)
		}
		c := f.newClient("hpg", "Hoa\x00")
		wantCode(t, f.Clients.CreateClient(pe, c), caunoi.EINVALID)

		if _, n, err := f.Contacts.FindContacts(pe, caunoi.ContactFilter{}); err != nil || n != 0 {
			t.Errorf("contacts stored: %d %v", n, err)
		}
		if _, n, err := f.Clients.FindClients(pe, caunoi.ClientFilter{}); err != nil || n != 0 {
			t.Errorf("clients stored: %d %v", n, err)
		}
		if got := f.auditCount(); got != before {
			t.Errorf("audit entries %d, want %d", got, before)
		}
	})
}

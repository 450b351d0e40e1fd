package caunoi

import (
	"github.com/google/uuid"
)

// NewID returns a new UUIDv7: time-ordered, so a phone can make ids offline
// that still index well.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// ValidID reports whether s is a UUID in canonical lower-case form of
// version 7. Clients that supply their own ids must use UUIDv7.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	u, err := uuid.Parse(s)
	if err != nil || u.String() != s {
		return false
	}
	return u.Version() == 7
}

// checkID validates an optional client-supplied id, or makes one.
func checkID(id *string, v *Validator) {
	if *id == "" {
		*id = NewID()
		return
	}
	v.Check(ValidID(*id), "id", "err.id.not_uuidv7", nil)
}

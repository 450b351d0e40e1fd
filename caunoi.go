// Package caunoi holds the domain of Cầu Nối ("the bridge"), the information
// system for community-based support models in Vietnam: the types, their
// validation, the service interfaces the storage layer implements, the error
// codes and the actor that travels in the context.
//
// It imports no other package of the project. Storage lives in
// internal/sqldb, pages in internal/web and the JSON API in internal/api.
package caunoi

import (
	"strings"
	"time"
	_ "time/tzdata" // the binary must know Asia/Ho_Chi_Minh on a bare machine
)

// Version is the program's version, set at build time with
// -ldflags "-X caunoi.Version=…".
var Version = "dev"

// Zone is the time zone every date shown to a user is in.
var Zone = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// DefaultPageSize is the number of rows a list returns when none is asked.
const DefaultPageSize = 50

// MaxPageSize is the most rows a list returns at once.
const MaxPageSize = 500

// Page bounds a list: Offset rows are skipped, at most Limit returned.
type Page struct {
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// Normalize returns the page with defaults applied and bounds enforced.
func (p Page) Normalize() Page {
	if p.Offset < 0 {
		p.Offset = 0
	}
	if p.Limit <= 0 {
		p.Limit = DefaultPageSize
	}
	if p.Limit > MaxPageSize {
		p.Limit = MaxPageSize
	}
	return p
}

// Voiding records why and when a record was voided. Records are never
// deleted: a voided record stays stored and is hidden from lists.
type Voiding struct {
	VoidedAt   *time.Time `json:"voided_at,omitempty"`
	VoidedBy   string     `json:"voided_by,omitempty"`
	VoidReason string     `json:"void_reason,omitempty"`
}

// Voided reports whether the record is voided.
func (v Voiding) Voided() bool { return v.VoidedAt != nil }

// ValidateVoidReason checks the reason given for voiding a record.
func ValidateVoidReason(reason string) error {
	r := strings.TrimSpace(reason)
	if r == "" {
		return Invalid(FieldError{Field: "reason", Key: "err.void.reason_required"})
	}
	if len([]rune(r)) > 500 {
		return Invalid(FieldError{Field: "reason", Key: "err.field.too_long", Args: map[string]any{"Max": 500}})
	}
	return nil
}

// Today returns today's date in Vietnam, at midnight UTC as dates are stored.
func Today() time.Time {
	n := time.Now().In(Zone)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// States of a referral (chuyển gửi): a promise to another provider,
// tracked until it is used, declined or lost.
const (
	ReferralReferred = "referred" // chuyển gửi, chờ kết quả
	ReferralReached  = "reached"  // đã đến, đã nhận dịch vụ (links the service record)
	ReferralDeclined = "declined" // khách hàng từ chối
	ReferralLost     = "lost"     // mất dấu, không biết kết quả
)

// ReferralStatuses lists the states of a referral.
var ReferralStatuses = []string{ReferralReferred, ReferralReached, ReferralDeclined, ReferralLost}

// referralTransitions is the state machine: from each state, the states
// it may move to. A lost referral may still turn out reached (the
// provider reports late); reached and declined are final.
var referralTransitions = map[string][]string{
	ReferralReferred: {ReferralReached, ReferralDeclined, ReferralLost},
	ReferralLost:     {ReferralReached},
}

// CanTransition reports whether a referral may move from one state to
// another.
func CanTransition(from, to string) bool { return slices.Contains(referralTransitions[from], to) }

// ReferralOpen reports whether a referral in the state still waits for an
// outcome.
func ReferralOpen(status string) bool { return status == ReferralReferred }

// DefaultReferralDays is how long a referral waits, by default, before it
// is overdue.
const DefaultReferralDays = 14

// MaxReferralDays bounds the wait a referral may be given.
const MaxReferralDays = 365

// Referral sends a client to a provider of the directory for a service.
// It is overdue when still referred after its due day.
type Referral struct {
	ID          string `json:"id"`
	OrgID       string `json:"org_id"`
	OrgPath     string `json:"-"`
	ClientID    string `json:"client_id"`
	ProviderID  string `json:"provider_id"`
	ServiceKind string `json:"service_kind"`
	ReferredOn  Date   `json:"referred_on"`
	DueOn       Date   `json:"due_on"`
	// ReferredBy is the user who made the referral.
	ReferredBy string `json:"referred_by"`
	// Code is printed on the slip; without the client's consent to share
	// it is, with the UIC, all that names the client there.
	Code   string `json:"code"`
	Reason string `json:"reason,omitempty"` // why the client is referred
	Status string `json:"status"`
	// ClosedOn is the day of the outcome; ServiceID the service received
	// when reached; Outcome a note on it.
	ClosedOn  *Date  `json:"closed_on,omitempty"`
	ServiceID string `json:"service_id,omitempty"`
	Outcome   string `json:"outcome,omitempty"`
	// Read only, for lists: the client's nickname and UIC (never an
	// identifying field) and the provider's name.
	ClientNickname string    `json:"client_nickname,omitempty"`
	ClientUIC      string    `json:"client_uic,omitempty"`
	ProviderName   string    `json:"provider_name,omitempty"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Voiding
}

// Overdue reports whether the referral still waits after its due day;
// today is the day in Vietnam, at midnight UTC.
func (r *Referral) Overdue(today time.Time) bool {
	return r.Status == ReferralReferred && !r.Voided() && time.Time(r.DueOn).Before(today)
}

// Validate checks a new referral's own fields; a zero due day becomes
// DefaultReferralDays after the referral.
func (r *Referral) Validate(now time.Time) error {
	var v Validator
	checkID(&r.ID, &v)
	r.Reason = strings.TrimSpace(r.Reason)
	v.Check(r.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(r.ClientID != "", "client_id", "err.field.required", nil)
	v.Check(r.ProviderID != "", "provider_id", "err.field.required", nil)
	v.Check(slices.Contains(ServiceKinds, r.ServiceKind), "service_kind", "err.field.choice", nil)
	on := time.Time(r.ReferredOn)
	checkDay(&v, "referred_on", on, now)
	if !on.IsZero() {
		if time.Time(r.DueOn).IsZero() {
			r.DueOn = Date(on.AddDate(0, 0, DefaultReferralDays))
		}
		due := time.Time(r.DueOn)
		v.Check(!due.Before(on) && !due.After(on.AddDate(0, 0, MaxReferralDays)), "due_on", "err.referral.due_on", map[string]any{"Max": MaxReferralDays})
	}
	v.Check(len([]rune(r.Reason)) <= 500, "reason", "err.field.too_long", map[string]any{"Max": 500})
	r.Status = ReferralReferred
	return v.Err()
}

// ReferralTransition moves a referral to another state. Version must be
// the one the user saw; ClosedOn is the day of the outcome. To reach a
// referral, name the service received (ServiceID, a service of the same
// client and kind) or record it at once (Service, whose client and kind
// are the referral's and whose provider is the referral's by default).
type ReferralTransition struct {
	Version   int      `json:"version"`
	Status    string   `json:"status"`
	ClosedOn  Date     `json:"closed_on"`
	Outcome   string   `json:"outcome,omitempty"`
	ServiceID string   `json:"service_id,omitempty"`
	Service   *Service `json:"service,omitempty"`
}

// ReferralFilter selects referrals.
type ReferralFilter struct {
	OrgID       string
	ClientID    string
	ProviderID  string
	ServiceKind string
	Status      string
	ReferredBy  string     // the referrals a worker made
	Overdue     bool       // only those still referred after their due day
	From, To    *time.Time // referred_on from From, before To
	Page
}

// ReferralSlip is what a printed referral slip shows. Without the
// client's consent to share (consent purpose referral_sharing) it names
// the client by the UIC and the referral's code only: Nickname,
// LegalName, Phone, BirthYear and Sex stay empty.
type ReferralSlip struct {
	Referral   *Referral `json:"referral"`
	Provider   *Provider `json:"provider"`
	OrgName    string    `json:"org_name"`
	ReferredBy string    `json:"referred_by_name"`
	Consented  bool      `json:"consented"`
	UIC        string    `json:"uic,omitempty"`
	Nickname   string    `json:"nickname,omitempty"`
	LegalName  string    `json:"legal_name,omitempty"`
	Phone      string    `json:"phone,omitempty"`
	BirthYear  int       `json:"birth_year,omitempty"`
	Sex        string    `json:"sex,omitempty"`
}

// ReferralService tracks referrals. Referrals are client-level records,
// scoped like clients: client.read on the referral's organisation to see
// them, service.write to make and close them.
type ReferralService interface {
	// FindReferrals lists referrals in the actor's client.read scope,
	// newest first; with Overdue, those still referred after their due
	// day (today in Vietnam, from the database's clock), the longest
	// overdue first.
	FindReferrals(ctx context.Context, f ReferralFilter) ([]*Referral, int, error)
	// FindReferralByID returns a referral in scope.
	FindReferralByID(ctx context.Context, id string) (*Referral, error)
	// CreateReferral refers a client in scope to a provider the referring
	// organisation shares, for a service the provider offers (else
	// EINVALID on service_kind). The organisation needs service.write. A
	// repeated id is applied once.
	CreateReferral(ctx context.Context, r *Referral) error
	// TransitionReferral moves a referral along the state machine
	// (CanTransition); a forbidden move is EINVALID on field "status", a
	// stale version ECONFLICT. Reaching a referral links, or records in
	// the same transaction, the service received.
	TransitionReferral(ctx context.Context, id string, t ReferralTransition) (*Referral, error)
	// VoidReferral voids a referral made by mistake, with a reason.
	VoidReferral(ctx context.Context, id string, version int, reason string) (*Referral, error)
	// ReferralSlip returns what the referral's printed slip shows, limited
	// by the client's consent to share. It reads the client's record and
	// writes that read to the audit trail.
	ReferralSlip(ctx context.Context, id string) (*ReferralSlip, error)
}

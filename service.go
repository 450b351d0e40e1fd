package caunoi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Kinds of service given to a client (GLOSSARY.md).
const (
	ServiceCounselling        = "counselling"         // tư vấn tâm lý - xã hội
	ServiceHIVTest            = "hiv_test"            // xét nghiệm HIV
	ServiceSTIExam            = "sti_exam"            // khám STIs
	ServiceART                = "art"                 // điều trị ARV
	ServiceMethadone          = "methadone"           // điều trị Methadone
	ServiceHepatitis          = "hepatitis"           // viêm gan B, C
	ServiceHealthInsurance    = "health_insurance"    // thẻ BHYT
	ServiceLegalAid           = "legal_aid"           // trợ giúp pháp lý
	ServiceIdentityPapers     = "identity_papers"     // giấy tờ tùy thân
	ServiceVocationalTraining = "vocational_training" // dạy nghề, học nghề
	ServiceJobPlacement       = "job_placement"       // giới thiệu việc làm
	ServiceMaterialSupport    = "material_support"    // gói dinh dưỡng, gạo, quà, tiền
	ServiceHousing            = "housing"             // nhà tình thương
)

// ServiceKinds lists the kinds of service.
var ServiceKinds = []string{ServiceCounselling, ServiceHIVTest, ServiceSTIExam, ServiceART, ServiceMethadone, ServiceHepatitis,
	ServiceHealthInsurance, ServiceLegalAid, ServiceIdentityPapers, ServiceVocationalTraining, ServiceJobPlacement,
	ServiceMaterialSupport, ServiceHousing}

// Results of an HIV test.
const (
	HIVNegative      = "negative"      // âm tính
	HIVReactive      = "reactive"      // có phản ứng (cần khẳng định)
	HIVPositive      = "positive"      // dương tính (đã khẳng định)
	HIVIndeterminate = "indeterminate" // không xác định
)

// HIVResults lists the results an HIV test may have.
var HIVResults = []string{HIVNegative, HIVReactive, HIVPositive, HIVIndeterminate}

// The outcomes of a job placement, known after a follow-up.
const (
	JobStable    = "stable"     // việc làm ổn định
	JobNotStable = "not_stable" // không ổn định, đã nghỉ
)

// Trades taught by vocational training.
var Trades = []string{"baking", "hairdressing", "beauty", "sewing", "cooking", "motorbike_repair", "electrical", "computing", "other"}

// JobTypes are the kinds of job a placement finds (seed 003: construction
// helpers, porters, garment, seafood processing, delivery).
var JobTypes = []string{"construction_helper", "porter", "garment", "seafood_processing", "delivery", "factory", "service_staff", "other"}

// ServiceRule says what a kind of service records besides its day: its
// details (sub-kinds), results, trade, quantity and amount in đồng.
type ServiceRule struct {
	Details        []string // the allowed details; none: a detail is not recorded
	DetailRequired bool
	Results        []string // the allowed results; none: a result is not recorded
	// ResultDetails, if set, are the only details that take a result
	// (hepatitis screening has a result, treatment has none).
	ResultDetails []string
	Trades        []string // the allowed trades or job types; none: not recorded
	Quantity      bool     // a quantity is recorded (packages, kg of rice)
	Amount        bool     // an amount in đồng may be recorded
	// AmountDetails are the details that need an amount above zero (cash).
	AmountDetails []string
}

// ServiceRules holds the rule of every kind of service.
var ServiceRules = map[string]ServiceRule{
	ServiceCounselling:        {},
	ServiceHIVTest:            {Details: []string{"facility", "community", "self_test"}, Results: HIVResults},
	ServiceSTIExam:            {Details: []string{"examination", "treatment"}},
	ServiceART:                {Details: []string{"start", "continuation"}, DetailRequired: true},
	ServiceMethadone:          {Details: []string{"enrolment", "continuation"}, DetailRequired: true},
	ServiceHepatitis:          {Details: []string{"hbv_screening", "hcv_screening", "hbv_treatment", "hcv_treatment"}, DetailRequired: true, Results: []string{"negative", "positive"}, ResultDetails: []string{"hbv_screening", "hcv_screening"}},
	ServiceHealthInsurance:    {Details: []string{"new", "renewed"}, DetailRequired: true},
	ServiceLegalAid:           {Details: []string{"advice", "documents", "representation"}},
	ServiceIdentityPapers:     {Details: []string{"id_card", "birth_certificate", "residence", "other"}},
	ServiceVocationalTraining: {Details: []string{"enrolled", "completed"}, DetailRequired: true, Trades: Trades},
	ServiceJobPlacement:       {Results: []string{JobStable, JobNotStable}, Trades: JobTypes},
	ServiceMaterialSupport:    {Details: []string{"nutrition_package", "rice", "gift", "cash"}, DetailRequired: true, Quantity: true, Amount: true, AmountDetails: []string{"cash"}},
	ServiceHousing:            {Details: []string{"built", "repaired"}, DetailRequired: true, Amount: true},
}

// MaxAmountVND bounds one amount of money given: 10 billion đồng.
const MaxAmountVND = 10_000_000_000

// Service is a service given to a client: a counselling session, an HIV
// test and its result, a health-insurance card, a job placement… on a
// day, by a worker, at a provider of the directory or by the group itself.
type Service struct {
	ID       string `json:"id"`
	OrgID    string `json:"org_id"`
	OrgPath  string `json:"-"`
	ClientID string `json:"client_id"`
	Kind     string `json:"kind"`
	// Detail is the sub-kind (ART start or continuation, a new or renewed
	// card, a nutrition package or cash…), from the kind's rule.
	Detail string `json:"detail,omitempty"`
	// Result is the result or outcome (an HIV test's result; a job
	// placement's outcome after a follow-up, "stable" or "not_stable").
	Result string `json:"result,omitempty"`
	// Trade is the trade learnt (vocational training) or the job type
	// (job placement).
	Trade     string `json:"trade,omitempty"`
	Quantity  int    `json:"quantity"`   // units given: packages, kg of rice; 0 where it does not apply
	AmountVND int64  `json:"amount_vnd"` // money given or spent, whole đồng; 0 where it does not apply
	GivenOn   Date   `json:"given_on"`
	// ProviderID is the provider that gave the service; empty when the
	// group gave it itself (counselling, material support).
	ProviderID string `json:"provider_id,omitempty"`
	WorkerID   string `json:"worker_id"`
	// ReferralID is the referral the service closed, if any (read only).
	ReferralID string `json:"referral_id,omitempty"`
	// Read only, for lists: the client's nickname and UIC (never an
	// identifying field) and the provider's name.
	ClientNickname string    `json:"client_nickname,omitempty"`
	ClientUIC      string    `json:"client_uic,omitempty"`
	ProviderName   string    `json:"provider_name,omitempty"`
	Notes          string    `json:"notes,omitempty"`
	Version        int       `json:"version"`
	CreatedBy      string    `json:"created_by,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Voiding
}

// Validate checks the service's own fields against the rule of its kind.
// The day must not be in the future; storage checks it against the
// client's birth year.
func (s *Service) Validate(now time.Time) error {
	var v Validator
	checkID(&s.ID, &v)
	s.Detail, s.Result, s.Trade = strings.TrimSpace(s.Detail), strings.TrimSpace(s.Result), strings.TrimSpace(s.Trade)
	s.Notes = strings.TrimSpace(s.Notes)
	v.Check(s.OrgID != "", "org_id", "err.field.required", nil)
	v.Check(s.ClientID != "", "client_id", "err.field.required", nil)
	checkDay(&v, "given_on", time.Time(s.GivenOn), now)
	rule, ok := ServiceRules[s.Kind]
	if !ok {
		v.Add("kind", "err.field.choice", nil)
		return v.Err()
	}
	switch {
	case s.Detail == "":
		v.Check(!rule.DetailRequired, "detail", "err.service.detail_required", nil)
	case len(rule.Details) == 0:
		v.Add("detail", "err.service.detail_not_allowed", nil)
	default:
		v.Check(slices.Contains(rule.Details, s.Detail), "detail", "err.field.choice", nil)
	}
	if s.Result != "" {
		switch {
		case len(rule.Results) == 0:
			v.Add("result", "err.service.result_not_allowed", nil)
		case len(rule.ResultDetails) > 0 && !slices.Contains(rule.ResultDetails, s.Detail):
			v.Add("result", "err.service.result_not_allowed", nil)
		case s.Kind == ServiceHIVTest && !slices.Contains(rule.Results, s.Result):
			v.Add("result", "err.service.hiv_result", nil)
		default:
			v.Check(slices.Contains(rule.Results, s.Result), "result", "err.field.choice", nil)
		}
	}
	switch {
	case len(rule.Trades) == 0:
		v.Check(s.Trade == "", "trade", "err.service.trade_not_allowed", nil)
	case s.Trade == "":
		v.Add("trade", "err.service.trade_required", nil)
	default:
		v.Check(slices.Contains(rule.Trades, s.Trade), "trade", "err.field.choice", nil)
	}
	if rule.Quantity {
		if s.Quantity == 0 {
			s.Quantity = 1
		}
		v.Check(s.Quantity >= 1 && s.Quantity <= 100000, "quantity", "err.service.quantity", nil)
	} else {
		v.Check(s.Quantity == 0, "quantity", "err.service.quantity_not_allowed", nil)
	}
	if rule.Amount {
		v.Check(s.AmountVND >= 0 && s.AmountVND <= MaxAmountVND, "amount_vnd", "err.service.amount", nil)
		v.Check(!slices.Contains(rule.AmountDetails, s.Detail) || s.AmountVND > 0, "amount_vnd", "err.service.amount_required", nil)
	} else {
		v.Check(s.AmountVND == 0, "amount_vnd", "err.service.amount_not_allowed", nil)
	}
	v.Check(len([]rune(s.Notes)) <= 2000, "notes", "err.field.too_long", map[string]any{"Max": 2000})
	return v.Err()
}

// ServiceFilter selects services.
type ServiceFilter struct {
	OrgID      string
	ClientID   string
	Kind       string
	ProviderID string
	WorkerID   string
	From, To   *time.Time // given_on from From, before To
	Page
}

// ServiceUpdate corrects a service, or records a job placement's outcome
// after the follow-up. The kind and the client do not change: void the
// record and record another. Version must be the one the user saw.
type ServiceUpdate struct {
	Version    int     `json:"version"`
	Detail     *string `json:"detail,omitempty"`
	Result     *string `json:"result,omitempty"`
	Trade      *string `json:"trade,omitempty"`
	Quantity   *int    `json:"quantity,omitempty"`
	AmountVND  *int64  `json:"amount_vnd,omitempty"`
	GivenOn    *Date   `json:"given_on,omitempty"`
	ProviderID *string `json:"provider_id,omitempty"`
	Notes      *string `json:"notes,omitempty"`
}

// Apply copies the set fields onto s.
func (u ServiceUpdate) Apply(s *Service) {
	if u.Detail != nil {
		s.Detail = *u.Detail
	}
	if u.Result != nil {
		s.Result = *u.Result
	}
	if u.Trade != nil {
		s.Trade = *u.Trade
	}
	if u.Quantity != nil {
		s.Quantity = *u.Quantity
	}
	if u.AmountVND != nil {
		s.AmountVND = *u.AmountVND
	}
	if u.GivenOn != nil {
		s.GivenOn = *u.GivenOn
	}
	if u.ProviderID != nil {
		s.ProviderID = *u.ProviderID
	}
	if u.Notes != nil {
		s.Notes = *u.Notes
	}
}

// ServiceService records the services given to clients. Services are
// client-level records, scoped like clients: they need client.read on the
// service's organisation to be seen (national officers and administrators
// never see them) and service.write to be recorded.
type ServiceService interface {
	// FindServices lists services in the actor's client.read scope,
	// newest first.
	FindServices(ctx context.Context, f ServiceFilter) ([]*Service, int, error)
	// FindServiceByID returns a service in scope.
	FindServiceByID(ctx context.Context, id string) (*Service, error)
	// CreateService records a service given to a client in scope, by an
	// organisation where the actor holds service.write; the provider, if
	// any, must be one the organisation sees. The day may be neither in
	// the future nor before the client's birth year. A repeated id is
	// applied once.
	CreateService(ctx context.Context, s *Service) error
	// UpdateService corrects a service; ECONFLICT on a stale version.
	UpdateService(ctx context.Context, id string, u ServiceUpdate) (*Service, error)
	// VoidService voids a service with a reason. A service that closed a
	// referral cannot be voided while the referral stands: ECONFLICT.
	VoidService(ctx context.Context, id string, version int, reason string) (*Service, error)
}

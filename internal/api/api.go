// Package api is the JSON API of Cầu Nối under /api/v1. Its handlers are
// listed, with their authorization rules, in the route table of package
// web; the actor is already in the request's context when they run, and
// storage scopes every query by it. Errors are answered as
// {"error": {"code": …, "message": …, "fields": {…}}} with the status of
// package httperr, in the language of the request.
package api

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"caunoi"
	"caunoi/internal/httperr"
	"caunoi/internal/i18n"
)

// MaxBody is the largest JSON body accepted.
const MaxBody = 1 << 20

// API holds the services the handlers call.
type API struct {
	Orgs       caunoi.OrgService
	Units      caunoi.AdminUnitService
	Users      caunoi.UserService
	Audit      caunoi.AuditService
	Clients    caunoi.ClientService
	Contacts   caunoi.ContactService
	Places     caunoi.PlaceService
	Activities caunoi.ActivityService
	// Monitoring.
	Indicators caunoi.IndicatorService
	Targets    caunoi.TargetService
	Reports    caunoi.ReportService
	Map        caunoi.MapService
	DHIS2      caunoi.DHIS2Service
	Providers  caunoi.ProviderService
	Services   caunoi.ServiceService
	Referrals  caunoi.ReferralService
	Syncer     caunoi.SyncService
	Funds      caunoi.FundService
	Loans      caunoi.LoanService
	Budgets    caunoi.BudgetService
	UIC        caunoi.UICFormula
	Cat        *i18n.Catalogue
	Log        *slog.Logger
	// Hotline cases, shelters and reintegration after rehabilitation.
	Hotline        caunoi.HotlineService
	Shelters       caunoi.ShelterService
	Reintegrations caunoi.ReintegrationService
}

// ErrorBody is the JSON body of every error answer.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong and, for invalid input, what to fix in
// each field.
type ErrorDetail struct {
	Code    caunoi.Code       `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Localizer returns the localizer of a request: ?lang=, then
// Accept-Language, then the actor's language, then Vietnamese.
func (a *API) Localizer(r *http.Request) *i18n.Localizer {
	var actorLang string
	if ac := caunoi.ActorFromContext(r.Context()); ac != nil {
		actorLang = ac.Lang
	}
	return a.Cat.For(i18n.Lang(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"), actorLang))
}

// WriteJSON writes v with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// WriteError answers an error as JSON, translated. Internal errors are
// logged here (without request data) and shown as a generic message.
func (a *API) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		return // the client went away
	}
	status := httperr.Status(err)
	if status == http.StatusInternalServerError && a.Log != nil {
		a.Log.Error("api", "route", r.Pattern, "err", err)
	}
	msg, fields := a.Localizer(r).Error(err)
	WriteJSON(w, status, ErrorBody{Error: ErrorDetail{Code: caunoi.AsError(err).Code, Message: msg, Fields: fields}})
}

// decode reads a JSON body into v: at most MaxBody bytes, no unknown
// fields, one value.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return caunoi.Errorf(caunoi.EINVALID, "err.json.content_type", nil)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return caunoi.Errorf(caunoi.ETOOLARGE, "err.body.too_large", map[string]any{"Max": "1 MiB"})
		}
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return caunoi.Errorf(caunoi.EINVALID, "err.json.malformed", nil)
	}
	return nil
}

// jsonError turns an error of encoding/json into the user's error: the
// field of the wrong type, the unknown field, or a malformed body.
func jsonError(err error) error {
	var ce *caunoi.Error
	if errors.As(err, &ce) {
		return ce
	}
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return caunoi.Invalid(caunoi.FieldError{Field: ute.Field, Key: "err.json.type"})
	}
	if strings.HasPrefix(err.Error(), "json: unknown field ") {
		return caunoi.Invalid(caunoi.FieldError{Field: strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), Key: "err.json.unknown_field"})
	}
	return caunoi.Errorf(caunoi.EINVALID, "err.json.malformed", nil)
}

// bodyDay reads the day of the body field name, sent as a string
// (yyyy-mm-dd, or dd/mm/yyyy), at midnight UTC as days are stored. It
// records a field error, naming the field, when the day is missing or
// cannot be read. A body does not use caunoi.Date for days: its errors
// cannot say which field was wrong.
func bodyDay(v *caunoi.Validator, name, s string) time.Time {
	if strings.TrimSpace(s) == "" {
		v.Add(name, "err.date.required", nil)
		return time.Time{}
	}
	d, ok := caunoi.ParseDate(s)
	if !ok {
		v.Add(name, "err.date.format", nil)
		return time.Time{}
	}
	return d
}

// page reads ?offset= and ?limit=.
func page(r *http.Request) (caunoi.Page, error) {
	var p caunoi.Page
	var v caunoi.Validator
	q := r.URL.Query()
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err == nil && n >= 0, "offset", "err.query.number", nil)
		p.Offset = n
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err == nil && n > 0 && n <= caunoi.MaxPageSize, "limit", "err.query.limit", map[string]any{"Max": caunoi.MaxPageSize})
		p.Limit = n
	}
	return p.Normalize(), v.Err()
}

// List is the JSON shape of every list answer.
type List[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

func list[T any](items []T, total int, p caunoi.Page) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, Total: total, Offset: p.Offset, Limit: p.Limit}
}

// VoidRequest is the body of every void call.
type VoidRequest struct {
	Version int    `json:"version"`
	Reason  string `json:"reason"`
}

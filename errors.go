package caunoi

import (
	"errors"
	"fmt"
)

// Code classifies an error for callers: the HTTP layer maps each code to a
// status in one place (internal/httperr).
type Code string

// Error codes.
const (
	EINVALID      Code = "invalid"      // the input is wrong; Fields say what to fix
	ENOTFOUND     Code = "not_found"    // no such record, or not in the actor's scope
	ECONFLICT     Code = "conflict"     // a stale version, or a duplicate
	EFORBIDDEN    Code = "forbidden"    // the actor may not do this
	EUNAUTHORIZED Code = "unauthorized" // no actor, or a bad login
	ETOOLARGE     Code = "too_large"    // a body or file over the limit
	ERATELIMIT    Code = "rate_limited" // too many attempts
	EINTERNAL     Code = "internal"     // a fault of the system, not of the user
)

// Error is the one error type of Cầu Nối. Key names a message in the
// catalogue (internal/i18n) and Args fill it; the domain never holds
// translated text. Err, if set, is the underlying cause and is never shown
// to a user.
type Error struct {
	Code   Code
	Key    string
	Args   map[string]any
	Fields []FieldError
	Err    error
}

// FieldError says what is wrong with one input field, as a catalogue key.
type FieldError struct {
	Field string         `json:"field"`
	Key   string         `json:"-"`
	Args  map[string]any `json:"-"`
}

// Error implements the error interface. The text is for logs and tests,
// not for users.
func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Key
	for _, f := range e.Fields {
		s += fmt.Sprintf(" [%s: %s]", f.Field, f.Key)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code, catalogue key and arguments.
func Errorf(code Code, key string, args map[string]any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Invalid returns an EINVALID error listing what is wrong with each field.
func Invalid(fields ...FieldError) *Error {
	return &Error{Code: EINVALID, Key: "err.invalid", Fields: fields}
}

// NotFound returns an ENOTFOUND error for a kind of record ("org", "user"…).
func NotFound(kind string) *Error {
	return &Error{Code: ENOTFOUND, Key: "err.not_found", Args: map[string]any{"Kind": kind}}
}

// Forbidden returns an EFORBIDDEN error.
func Forbidden() *Error { return &Error{Code: EFORBIDDEN, Key: "err.forbidden"} }

// Stale returns the ECONFLICT error for an update made against an old version.
func Stale() *Error { return &Error{Code: ECONFLICT, Key: "err.stale_version"} }

// ErrorCode returns the code of err: EINTERNAL for errors that are not
// *Error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns err as an *Error; errors of other types become an
// EINTERNAL error that wraps them.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: EINTERNAL, Key: "err.internal", Err: err}
}

// Validator collects field errors while checking a record.
type Validator struct{ fields []FieldError }

// Add records a problem with a field.
func (v *Validator) Add(field, key string, args map[string]any) {
	v.fields = append(v.fields, FieldError{Field: field, Key: key, Args: args})
}

// Check records the problem when ok is false.
func (v *Validator) Check(ok bool, field, key string, args map[string]any) {
	if !ok {
		v.Add(field, key, args)
	}
}

// Err returns an EINVALID error listing every problem, or nil.
func (v *Validator) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return Invalid(v.fields...)
}

// Package httperr maps the error codes of package caunoi to HTTP status
// codes. It is the one place where that mapping lives; pages and the JSON
// API both use it.
package httperr

import (
	"net/http"

	"caunoi"
)

var statuses = map[caunoi.Code]int{
	caunoi.EINVALID:      http.StatusUnprocessableEntity,
	caunoi.ENOTFOUND:     http.StatusNotFound,
	caunoi.ECONFLICT:     http.StatusConflict,
	caunoi.EFORBIDDEN:    http.StatusForbidden,
	caunoi.EUNAUTHORIZED: http.StatusUnauthorized,
	caunoi.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	caunoi.ERATELIMIT:    http.StatusTooManyRequests,
	caunoi.EINTERNAL:     http.StatusInternalServerError,
}

// Status returns the HTTP status for an error (200 for nil).
func Status(err error) int {
	if err == nil {
		return http.StatusOK
	}
	if s, ok := statuses[caunoi.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Codes returns every code with its status, for the API documentation.
func Codes() map[caunoi.Code]int {
	out := make(map[caunoi.Code]int, len(statuses))
	for k, v := range statuses {
		out[k] = v
	}
	return out
}

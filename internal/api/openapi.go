package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// openAPIDoc is the OpenAPI 3.0.3 document of the JSON API.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI answers GET /api/v1/openapi.json with the OpenAPI 3.0.3 document
// of the JSON API. It needs no sign-in.
func (a *API) OpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(openAPIDoc)
}

// httpMethods are the operation keys of an OpenAPI path item.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// OpenAPIPaths returns every path of the embedded OpenAPI document with
// its operations as sorted upper-case methods, so the document can be
// compared with the route table.
func OpenAPIPaths() (map[string][]string, error) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	out := make(map[string][]string, len(doc.Paths))
	for path, item := range doc.Paths {
		methods := []string{}
		for k := range item {
			if slices.Contains(httpMethods, k) {
				methods = append(methods, strings.ToUpper(k))
			}
		}
		slices.Sort(methods)
		out[path] = methods
	}
	return out, nil
}

package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strings"
)

// openAPIFiles hold the OpenAPI 3.0.3 document of the JSON API: the main
// file openapi.json, and one part per area of the application in
// openapi/*.json, each with its own tags, paths and components.
//
//go:embed openapi.json openapi
var openAPIFiles embed.FS

// openAPIDoc is the whole document, the parts merged into the main file.
var openAPIDoc = mustOpenAPI(openAPIFiles)

func mustOpenAPI(fsys fs.FS) []byte {
	b, err := mergeOpenAPI(fsys)
	if err != nil {
		panic(err)
	}
	return b
}

// mergeOpenAPI reads openapi.json and adds every part of openapi/ to it:
// tags are appended, paths and components joined. A path or component
// defined twice is an error.
func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	main, err := fs.ReadFile(fsys, "openapi.json")
	if err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(main, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	type part struct {
		Tags       []json.RawMessage                     `json:"tags"`
		Paths      map[string]json.RawMessage            `json:"paths"`
		Components map[string]map[string]json.RawMessage `json:"components"`
	}
	var all part
	if err := json.Unmarshal(main, &all); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		var p part
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		all.Tags = append(all.Tags, p.Tags...)
		for path, item := range p.Paths {
			if _, dup := all.Paths[path]; dup {
				return nil, fmt.Errorf("%s: path %s is defined twice", name, path)
			}
			all.Paths[path] = item
		}
		for kind, items := range p.Components {
			if all.Components[kind] == nil {
				all.Components[kind] = map[string]json.RawMessage{}
			}
			for k, v := range items {
				if _, dup := all.Components[kind][k]; dup {
					return nil, fmt.Errorf("%s: components.%s.%s is defined twice", name, kind, k)
				}
				all.Components[kind][k] = v
			}
		}
	}
	for k, v := range map[string]any{"tags": all.Tags, "paths": all.Paths, "components": all.Components} {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("openapi: %w", err)
		}
		doc[k] = b
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return out, nil
}

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

package api

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
)

func TestMergeOpenAPIJoinsPartsAndRefusesTwins(t *testing.T) {
	main := `{"openapi":"3.0.3","tags":[{"name":"a"}],"paths":{"/api/v1/a":{"get":{}}},"components":{"schemas":{"A":{"type":"string"}}}}`
	part := `{"tags":[{"name":"b"}],"paths":{"/api/v1/b":{"post":{}}},"components":{"schemas":{"B":{"type":"integer"}},"parameters":{"P":{"name":"p"}}}}`
	b, err := mergeOpenAPI(fstest.MapFS{"openapi.json": {Data: []byte(main)}, "openapi/b.json": {Data: []byte(part)}})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Tags       []struct{ Name string }               `json:"tags"`
		Paths      map[string]map[string]any             `json:"paths"`
		Components map[string]map[string]json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.0.3" || len(doc.Tags) != 2 || doc.Tags[1].Name != "b" {
		t.Errorf("header or tags lost: %s", b)
	}
	if doc.Paths["/api/v1/a"] == nil || doc.Paths["/api/v1/b"] == nil {
		t.Errorf("paths not joined: %v", doc.Paths)
	}
	if doc.Components["schemas"]["A"] == nil || doc.Components["schemas"]["B"] == nil || doc.Components["parameters"]["P"] == nil {
		t.Errorf("components not joined: %v", doc.Components)
	}

	twin := `{"paths":{"/api/v1/a":{"post":{}}}}`
	_, err = mergeOpenAPI(fstest.MapFS{"openapi.json": {Data: []byte(main)}, "openapi/twin.json": {Data: []byte(twin)}})
	if err == nil || !strings.Contains(err.Error(), "/api/v1/a is defined twice") {
		t.Errorf("a path defined twice: err = %v", err)
	}
	twin = `{"components":{"schemas":{"A":{}}}}`
	_, err = mergeOpenAPI(fstest.MapFS{"openapi.json": {Data: []byte(main)}, "openapi/twin.json": {Data: []byte(twin)}})
	if err == nil || !strings.Contains(err.Error(), "schemas.A is defined twice") {
		t.Errorf("a schema defined twice: err = %v", err)
	}
}

package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestGen fills an empty database at the small scale, builds its rollups,
// and refuses a database that has organisations.
func TestGen(t *testing.T) {
	dir := t.TempDir()
	args := []string{"gen", "--scale", "small", "--db", "sqlite:" + filepath.Join(dir, "c.db"), "--keys", filepath.Join(dir, "keys")}
	var out bytes.Buffer
	if err := run(context.Background(), args, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "generated 3 provinces, 12 groups, 3000 clients, 30000 contacts, 12000 services") ||
		!strings.Contains(out.String(), "partitions built in") {
		t.Fatalf("output: %s", out.String())
	}
	err := run(context.Background(), args, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "already has organisations") {
		t.Fatalf("a second gen: %v", err)
	}
	if err := run(context.Background(), []string{"gen", "--scale", "huge", "--db", "sqlite:" + filepath.Join(dir, "d.db"), "--keys", filepath.Join(dir, "keys")},
		nil, io.Discard, io.Discard); err == nil {
		t.Fatal("an unknown scale")
	}
}

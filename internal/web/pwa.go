package web

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"

	"caunoi/internal/i18n"
)

// The installable app of peer educators and outreach workers: a web
// manifest, a service worker that precaches the static files by content
// hash and the offline page, and serves pages network-first.

//go:embed pwa/sw.js
var swSource string

// assetHashes maps each file of the embedded static folder (such as
// "css/app.css") to the start of the SHA-256 of its content. Pages link
// files as /static/NAME?v=HASH, so a browser may keep them for a year: a
// new binary with other content links another URL.
var assetHashes = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	fsys := staticFS()
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		panic("web: hashing static files: " + err.Error())
	}
	return out
})

// assetURL returns the URL of a static file with its content hash, for
// templates: {{asset "css/app.css"}}.
func assetURL(name string) string {
	h, ok := assetHashes()[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + name + "?v=" + h
}

// offlinePages are the pages the service worker keeps for use without a
// network, once a signed-in user has opened them: the offline capture.
// No page with client records is kept.
var offlinePages = []string{"/field"}

// precached reports whether the service worker stores a static file when
// it is installed: the styles, scripts and images, but not the map, which
// needs its tiles online, nor licences and notes.
func precached(name string) bool {
	if strings.HasPrefix(name, "vendor/leaflet/") {
		return false
	}
	return slices.Contains([]string{".css", ".js", ".svg", ".png"}, path.Ext(name))
}

// serviceWorker is the text of /sw.js: the source with the list of files
// to precache and a version that changes whenever one of them does.
var serviceWorker = sync.OnceValue(func() []byte {
	hashes := assetHashes()
	names := make([]string, 0, len(hashes))
	for n := range hashes {
		if precached(n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	urls := []string{"/offline", "/manifest.webmanifest"}
	all := sha256.New()
	for _, n := range names {
		urls = append(urls, assetURL(n))
		all.Write([]byte(n + "=" + hashes[n] + "\n"))
	}
	all.Write([]byte(swSource))
	list, _ := json.Marshal(urls)
	pages, _ := json.Marshal(offlinePages)
	version := hex.EncodeToString(all.Sum(nil)[:6])
	src := strings.NewReplacer("__VERSION__", version, "__PRECACHE__", string(list), "__PAGES__", string(pages)).Replace(swSource)
	return []byte(src)
})

// serviceWorkerScript serves /sw.js. It lives at the root so that its
// scope is the whole site; browsers check it for a new version on every
// visit, so it is never cached.
func (s *Server) serviceWorkerScript(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Service-Worker-Allowed", "/")
	_, _ = w.Write(serviceWorker())
}

// manifest serves the web manifest that lets a phone install Cầu Nối as
// an app that opens on the offline capture.
func (s *Server) manifest(w http.ResponseWriter, r *http.Request) {
	l := s.Cat.For(i18n.Default)
	m := map[string]any{
		"name":             "Cầu Nối",
		"short_name":       "Cầu Nối",
		"description":      l.T("sync.manifest_description"),
		"lang":             i18n.Default,
		"start_url":        "/field",
		"scope":            "/",
		"display":          "standalone",
		"orientation":      "portrait",
		"background_color": "#fafaf7",
		"theme_color":      "#0f5c4d",
		"icons": []map[string]string{
			{"src": assetURL("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
			{"src": assetURL("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
			{"src": assetURL("icons/maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
		},
	}
	w.Header().Set("Content-Type", "application/manifest+json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_ = json.NewEncoder(w).Encode(m)
}

// offline is the page the service worker shows for a page it cannot fetch
// and did not keep.
// It names no user: the service worker keeps it for whoever is signed in
// next.
func (s *Server) offline(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "offline", &page{L: s.localizer(r), Title: "page.offline", Path: r.URL.Path})
}

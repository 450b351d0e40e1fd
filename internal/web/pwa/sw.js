// Cầu Nối's service worker, served as /sw.js with scope /. The server fills
// in VERSION, PRECACHE and PAGES when it starts (internal/web/pwa.go).
//
// - Static files are precached by content hash when the worker installs,
//   with the offline page, and served from that cache first.
// - Pages are fetched from the network first. Only the offline capture
//   (PAGES) is kept, once a signed-in user has opened it, so it opens
//   without a network; no page with client records is ever kept.
//   Without a network, any other page is the offline page.
// - The API is never cached: the capture keeps its data in IndexedDB.
// Signing out clears all of it (Clear-Site-Data, and the page itself).
'use strict';

const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const PAGES = __PAGES__;
const STATIC = `caunoi-static-${VERSION}`;
const PAGE_CACHE = 'caunoi-pages';
const OFFLINE = '/offline';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(STATIC);
    await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('caunoi-static-') && name !== STATIC) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    event.respondWith(page(req, url));
  } else if (url.pathname.startsWith('/static/')) {
    event.respondWith(asset(req, url));
  }
  // Anything else (the API) goes to the network as if there were no worker.
});

// page answers a navigation: the network first; without one, the kept copy
// of an offline page, or the offline page.
async function page(req, url) {
  const keep = PAGES.includes(url.pathname);
  try {
    const resp = await fetch(req);
    if (keep && resp.ok && resp.type === 'basic' && !resp.redirected) {
      const cache = await caches.open(PAGE_CACHE);
      await cache.put(url.pathname, resp.clone());
    }
    return resp;
  } catch (err) {
    if (keep) {
      const cache = await caches.open(PAGE_CACHE);
      const kept = await cache.match(url.pathname);
      if (kept) return kept;
    }
    const offline = await caches.match(OFFLINE, { cacheName: STATIC });
    if (offline) return offline;
    throw err;
  }
}

// asset answers a static file from the precache. A URL with a content hash
// must match it exactly (a page newer than this worker asks for newer
// files); one without (a module's import) takes this version's file.
async function asset(req, url) {
  const cache = await caches.open(STATIC);
  const exact = await cache.match(req);
  if (exact) return exact;
  if (!url.searchParams.has('v')) {
    const same = await cache.match(req, { ignoreSearch: true });
    if (same) return same;
  }
  try {
    return await fetch(req);
  } catch (err) {
    const any = await cache.match(req, { ignoreSearch: true });
    if (any) return any;
    throw err;
  }
}

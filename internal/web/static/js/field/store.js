// Cầu Nối — what the offline capture keeps on the phone, in IndexedDB
// (through the vendored idb library):
//
//   outbox   every record typed, under the UUIDv7 of its operation, until
//            the server has answered it; then kept a day to show it
//   drafts   the forms as they are being typed (never the facts of a UIC)
//   clients  the worker's own recent clients (id, group, nickname, UIC,
//            birth year, sex), at most as many as the server sends, for a
//            limited time (meta "cache": its owner and expiry)
//
// All of it is wiped when the user signs out.
import { openDB, deleteDB } from '../../vendor/idb/index.js';

const NAME = 'caunoi';
const KEEP_SENT_MS = 24 * 3600 * 1000;
let dbp;

export function db() {
  if (!dbp) {
    dbp = openDB(NAME, 1, {
      upgrade(d) {
        const outbox = d.createObjectStore('outbox', { keyPath: 'op_id' });
        outbox.createIndex('user_state', ['user_id', 'state']);
        d.createObjectStore('drafts', { keyPath: 'key' });
        d.createObjectStore('clients', { keyPath: 'id' });
        d.createObjectStore('meta', { keyPath: 'key' });
      },
      // Another page is wiping the database: let it.
      blocking(current, next, event) {
        event.target.close();
        dbp = undefined;
      },
    });
  }
  return dbp;
}

// uuidv7 makes an id as the server's caunoi.NewID does: 48 bits of
// milliseconds, version 7, variant 10, random bits.
export function uuidv7() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---------------------------------------------------------------- outbox

// addOp keeps a new operation until it is sent.
export async function addOp(op) {
  await (await db()).put('outbox', { ...op, state: 'pending', created_at: Date.now() });
}

// pendingOps returns the user's operations still to send, oldest first
// (UUIDv7 ids sort by time).
export async function pendingOps(user) {
  return (await db()).getAllFromIndex('outbox', 'user_state', [user, 'pending']);
}

// countPending counts every operation still to send, of any user.
export async function countPending() {
  const d = await db();
  let n = 0;
  for (const op of await d.getAll('outbox')) if (op.state === 'pending') n++;
  return n;
}

// setResult records the server's answer to an operation.
export async function setResult(opID, result) {
  const d = await db();
  const tx = d.transaction('outbox', 'readwrite');
  const op = await tx.store.get(opID);
  if (op) {
    if (result.status === 'accepted') op.state = 'sent';
    else if (result.status === 'rejected' || result.status === 'conflict') op.state = result.status;
    op.result = result;
    op.answered_at = Date.now();
    await tx.store.put(op);
  }
  await tx.done;
}

// outbox lists the operations to show: every one of the user's that is
// not sent, and those sent in the last day, newest first; the rest go.
export async function outbox(user) {
  const d = await db();
  const tx = d.transaction('outbox', 'readwrite');
  const out = [];
  for (const op of await tx.store.getAll()) {
    if (op.state === 'sent' && Date.now() - (op.answered_at || 0) > KEEP_SENT_MS) {
      await tx.store.delete(op.op_id);
    } else if (op.user_id === user) {
      out.push(op);
    }
  }
  await tx.done;
  return out.reverse();
}

// dismiss drops an answered operation from the list (a rejected one the
// user has read, and typed again).
export async function dismiss(opID) {
  const d = await db();
  const op = await d.get('outbox', opID);
  if (op && op.state !== 'pending') await d.delete('outbox', opID);
}

// otherUsersPending counts operations of other users still to send.
export async function otherUsersPending(user) {
  let n = 0;
  for (const op of await (await db()).getAll('outbox')) if (op.state === 'pending' && op.user_id !== user) n++;
  return n;
}

// ---------------------------------------------------------------- drafts

export async function getDraft(key) {
  return (await (await db()).get('drafts', key))?.values;
}

export async function putDraft(key, values) {
  await (await db()).put('drafts', { key, values });
}

export async function deleteDraft(key) {
  await (await db()).delete('drafts', key);
}

// ---------------------------------------------------------------- clients

// cacheInfo returns the cache's owner, expiry and time of fetching.
export async function cacheInfo() {
  return (await db()).get('meta', 'cache');
}

// cachedClients returns the user's cached clients, most recent first; a
// cache past its expiry, or of another user, is wiped instead.
export async function cachedClients(user) {
  const info = await cacheInfo();
  if (!info || info.user_id !== user || Date.now() > info.expires_at) {
    if (info) await wipeCache();
    return [];
  }
  const all = await (await db()).getAll('clients');
  return all.sort((a, b) => a.rank - b.rank);
}

// replaceCache stores the list the server sent, keeping the clients
// registered on the phone and not yet sent.
export async function replaceCache(user, items, expiresAt) {
  const d = await db();
  const tx = d.transaction(['clients', 'meta'], 'readwrite');
  const store = tx.objectStore('clients');
  const local = (await store.getAll()).filter((c) => c.local);
  await store.clear();
  const sent = new Set(items.map((c) => c.id));
  let rank = 0;
  for (const c of local) if (!sent.has(c.id)) await store.put({ ...c, rank: rank++ });
  for (const c of items) await store.put({ ...c, rank: rank++ });
  await tx.objectStore('meta').put({ key: 'cache', user_id: user, expires_at: expiresAt, fetched_at: Date.now() });
  await tx.done;
}

// addLocalClient puts a client registered offline at the top of the
// cache, so that contacts and meetings can name her before she is sent.
export async function addLocalClient(user, c, lifeMs) {
  const d = await db();
  const tx = d.transaction(['clients', 'meta'], 'readwrite');
  const info = await tx.objectStore('meta').get('cache');
  if (!info || info.user_id !== user) {
    await tx.objectStore('clients').clear();
    await tx.objectStore('meta').put({ key: 'cache', user_id: user, expires_at: Date.now() + lifeMs, fetched_at: 0 });
  }
  await tx.objectStore('clients').put({ ...c, local: true, rank: -Date.now() });
  await tx.done;
}

// ---------------------------------------------------------------- wiping

// wipeCache forgets the clients and the kept pages, not what waits to be
// sent: for a login page (a session that ended) and an expired cache.
export async function wipeCache() {
  const d = await db();
  const tx = d.transaction(['clients', 'meta'], 'readwrite');
  await tx.objectStore('clients').clear();
  await tx.objectStore('meta').delete('cache');
  await tx.done;
  if (self.caches) await caches.delete('caunoi-pages');
}

// wipeAll deletes everything the capture kept: at sign-out.
export async function wipeAll() {
  if (dbp) {
    (await dbp).close();
    dbp = undefined;
  }
  await deleteDB(NAME);
  if (self.caches) await caches.delete('caunoi-pages');
}

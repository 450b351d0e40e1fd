// Cầu Nối — sending the outbox: POST /api/v1/sync with the operations in
// the order they were typed, in batches. Each answer is final but "retry";
// a lost answer costs nothing, because the server answers a repeated
// operation id with its first answer. Sent when the phone comes back
// online, when asked, and after a failure again and again, waiting longer
// each time (with jitter), up to five minutes.
import { pendingOps, setResult } from './store.js';

const BATCH = 50;
const MAX_WAIT_S = 300;

// sendOnce sends the user's pending operations once. It resolves to
// { status, sent, refused }: status "ok" (all answered), "none" (nothing to
// send), "offline" (no network), "auth" (the session ended: sign in again;
// nothing is lost) or "error" (the server failed; try again later).
export async function sendOnce(user) {
  const run = async () => {
    let sent = 0;
    let refused = 0;
    const ops = await pendingOps(user);
    if (!ops.length) return { status: 'none', sent, refused };
    for (let i = 0; i < ops.length; i += BATCH) {
      const batch = ops.slice(i, i + BATCH);
      let resp;
      try {
        resp = await fetch('/api/v1/sync', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ ops: batch.map((o) => ({ op_id: o.op_id, kind: o.kind, data: o.data })) }),
        });
      } catch {
        return { status: 'offline', sent, refused };
      }
      if (resp.status === 401) return { status: 'auth', sent, refused };
      if (!resp.ok) return { status: 'error', sent, refused };
      let body;
      try {
        body = await resp.json();
      } catch {
        return { status: 'error', sent, refused };
      }
      let retry = false;
      for (const r of body.results || []) {
        const op = batch[r.index];
        if (!op || op.op_id !== r.op_id) continue;
        if (r.status === 'retry') {
          retry = true;
          continue;
        }
        await setResult(op.op_id, {
          status: r.status, record_id: r.record_id || '', replayed: !!r.replayed,
          message: r.error?.message || '', fields: r.error?.fields || {},
        });
        if (r.status === 'accepted') sent++;
        else refused++;
      }
      if (retry) return { status: 'error', sent, refused };
    }
    return { status: 'ok', sent, refused };
  };
  // One tab sends at a time; another waits, then finds less to send.
  if (navigator.locks) return navigator.locks.request('caunoi-sync', run);
  return run();
}

// Syncer sends when it should and tells onState what happened.
export class Syncer {
  constructor(user, onState) {
    this.user = user;
    this.onState = onState;
    this.failures = 0;
    this.timer = 0;
    this.busy = null;
    addEventListener('online', () => this.now());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && navigator.onLine) this.now();
    });
  }

  // now sends at once (a queued call joins the one running).
  now() {
    clearTimeout(this.timer);
    if (!this.busy) {
      this.busy = this.run().finally(() => { this.busy = null; });
    }
    return this.busy;
  }

  async run() {
    this.onState({ status: 'sending' });
    const res = await sendOnce(this.user);
    if (res.status === 'ok' || res.status === 'none') {
      this.failures = 0;
    } else if (res.status === 'offline' || res.status === 'error') {
      this.failures++;
      const base = Math.min(MAX_WAIT_S, 2 ** Math.min(this.failures, 9));
      res.wait = Math.max(1, Math.round(base * (0.5 + Math.random())));
      this.timer = setTimeout(() => this.now(), res.wait * 1000);
    }
    this.onState(res);
    return res;
  }
}

// Cầu Nối — the offline capture (GET /field). Records typed here go to the
// outbox in IndexedDB first, then to the server; the page works without a
// network once the service worker has kept it. Every text shown comes
// from the page (data-m-* attributes), translated by the server.
import {
  addOp, outbox, dismiss, otherUsersPending, getDraft, putDraft, deleteDraft,
  cachedClients, cacheInfo, replaceCache, addLocalClient, uuidv7,
} from './store.js';
import { Syncer } from './sync.js';
import { makeUIC, fold } from './uic.js';

const root = document.getElementById('field');
const user = root.dataset.user;
const formula = root.dataset.uicFormula;
const CACHE_LIFE_MS = 72 * 3600 * 1000;
const CACHE_STALE_MS = 3600 * 1000;
const CHOICES = 8;

// msg returns a message of the page, with {n} and {date} filled in.
function msg(name, vars = {}) {
  const key = 'm' + name.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase());
  let s = root.dataset[key] || name;
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
  return s;
}

const $ = (sel, el = root) => el.querySelector(sel);
const $$ = (sel, el = root) => [...el.querySelectorAll(sel)];
const pad = (n) => String(n).padStart(2, '0');
const today = () => { const d = new Date(); return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`; };
const nowHM = () => { const d = new Date(); return `${pad(d.getHours())}:${pad(d.getMinutes())}`; };
const showDate = (ms) => { const d = new Date(ms); return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`; };

const KIND_MSG = { 'contact.create': 'kind-contact', 'client.create': 'kind-client', 'activity.create': 'kind-activity', 'client.update': 'kind-update' };

let clients = [];

// ---------------------------------------------------------------- tabs

function showTab(name) {
  const panels = $$('.panel');
  if (!panels.some((p) => p.id === name)) name = panels[0]?.id;
  for (const p of panels) p.hidden = p.id !== name;
  for (const a of $$('.tabs a')) {
    if (a.dataset.tab === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---------------------------------------------------------------- status

function setNet() {
  const net = $('#net');
  net.textContent = navigator.onLine ? msg('online') : msg('offline');
  net.classList.toggle('off', !navigator.onLine);
}

async function render() {
  const items = await outbox(user);
  const pending = items.filter((o) => o.state === 'pending').length;
  $('#pending').textContent = pending ? msg('pending', { n: pending }) : msg('none-pending');
  root.dataset.pending = String(pending);
  const list = $('#outbox');
  list.replaceChildren(...items.map(outboxItem));
  const others = await otherUsersPending(user);
  if (others) $('#sync-msg').textContent = msg('other-user', { n: others });
}

function outboxItem(op) {
  const li = document.createElement('li');
  li.className = `op ${op.state}`;
  li.dataset.op = op.op_id;
  li.dataset.state = op.state;
  const head = document.createElement('span');
  head.textContent = `${msg(KIND_MSG[op.kind] || 'kind-contact')} · ${op.summary} · ${showDate(op.created_at)}`;
  const state = document.createElement('b');
  state.className = 'state';
  state.textContent = msg('state-' + op.state);
  li.append(state, ' ', head);
  if (op.result && op.state !== 'sent') {
    const why = document.createElement('small');
    why.className = 'block';
    const fields = Object.entries(op.result.fields || {}).map(([f, m]) => `${f}: ${m}`).join('; ');
    why.textContent = [op.result.message, fields].filter(Boolean).join(' — ');
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'link';
    btn.textContent = msg('dismiss');
    btn.addEventListener('click', async () => { await dismiss(op.op_id); render(); });
    li.append(why, btn);
  }
  return li;
}

function onSync(res) {
  root.dataset.sync = res.status;
  const out = $('#sync-msg');
  switch (res.status) {
    case 'sending': out.textContent = msg('sending'); return;
    case 'ok': out.textContent = msg('sent', { n: res.sent }); refreshCache(false); break;
    case 'none': out.textContent = ''; break;
    case 'auth': {
      out.textContent = msg('login') + ' ';
      const a = document.createElement('a');
      a.href = '/login?next=/field';
      a.textContent = msg('login-link');
      out.append(a);
      break;
    }
    default: out.textContent = msg('retry', { n: res.wait || 0 });
  }
  render();
}

// ---------------------------------------------------------------- clients

async function refreshCache(force) {
  if (!navigator.onLine) return;
  const info = await cacheInfo();
  if (!force && info && info.user_id === user && Date.now() - info.fetched_at < CACHE_STALE_MS) return;
  try {
    const resp = await fetch('/api/v1/sync/clients', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!resp.ok) return;
    const body = await resp.json();
    await replaceCache(user, body.items || [], Date.parse(body.expires_at) || Date.now() + CACHE_LIFE_MS);
  } catch {
    return; // offline after all: keep what there is
  }
  await loadClients();
}

async function loadClients() {
  clients = await cachedClients(user);
  const info = await cacheInfo();
  $('#cache-msg').textContent = clients.length && info
    ? msg('cache', { n: clients.length, date: showDate(info.expires_at) })
    : msg('cache-none');
  if (root.dataset.ready) $('#cache-msg').textContent += ' ' + msg('ready');
  for (const name of ['contact', 'meeting', 'lookup']) fillChoices(name);
}

function matches(c, q) {
  if (!q) return true;
  const f = fold(q);
  return fold(c.nickname).includes(f) || (c.uic || '').toLowerCase() === q.trim().toLowerCase();
}

function label(c) {
  return [c.nickname, c.uic || c.birth_year || ''].filter(Boolean).join(' · ');
}

function orgOf(form) {
  return form.elements.org_id?.value || '';
}

function fillChoices(name) {
  const box = $(`[data-choices="${name}"]`);
  if (!box) return;
  const q = $(`[data-find="${name}"]`)?.value || '';
  if (name === 'lookup') {
    const found = clients.filter((c) => matches(c, q));
    box.replaceChildren(...(found.length ? found : [null]).map((c) => {
      const li = document.createElement('li');
      if (!c) {
        li.textContent = msg('no-match');
        return li;
      }
      li.textContent = label(c) + (c.local ? ` (${msg('new-client')})` : '');
      return li;
    }));
    return;
  }
  const form = box.closest('form');
  const org = orgOf(form);
  const inGroup = clients.filter((c) => !org || c.org_id === org);
  const pool = inGroup.length ? inGroup : clients;
  if (name === 'contact') {
    const chosen = form.querySelector('input[name=client_id]:checked')?.value || box.dataset.chosen || '';
    delete box.dataset.chosen;
    const shown = pool.filter((c) => c.id === chosen || matches(c, q)).slice(0, CHOICES);
    if (chosen && !shown.some((c) => c.id === chosen)) {
      const c = clients.find((x) => x.id === chosen);
      if (c) shown.unshift(c);
    }
    const anon = box.querySelector('input[value=""]').closest('label');
    box.replaceChildren(anon, ...shown.map((c) => choice('radio', 'client_id', c, c.id === chosen)));
    return;
  }
  // meeting: attendance, ticked names kept while searching
  const ticked = new Set(JSON.parse(box.dataset.ticked || '[]'));
  const shown = pool.filter((c) => ticked.has(c.id) || matches(c, q));
  box.replaceChildren(...(shown.length ? shown.map((c) => choice('checkbox', 'attendees', c, ticked.has(c.id), true))
    : [Object.assign(document.createElement('p'), { className: 'small muted', textContent: msg('attendees-none') })]));
}

function choice(type, name, c, checked, check = false) {
  const l = document.createElement('label');
  if (check) l.className = 'check';
  const i = document.createElement('input');
  i.type = type;
  i.name = name;
  i.value = c.id;
  i.checked = checked;
  const s = document.createElement('span');
  s.textContent = label(c);
  l.append(i, ' ', s);
  return l;
}

// ---------------------------------------------------------------- forms

function resetDefaults(form) {
  for (const el of $$('[data-today]', form)) {
    el.value = today();
    el.max = today();
  }
  for (const el of $$('[data-now]', form)) el.value = nowHM();
}

function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.hasAttribute('data-nodraft') || el.type === 'submit') continue;
    if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) continue;
    (out[el.name] ||= []).push(el.value);
  }
  return out;
}

function restore(form, values) {
  for (const el of form.elements) {
    if (!el.name || el.hasAttribute('data-nodraft') || !(el.name in values)) continue;
    const v = values[el.name];
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = v.includes(el.value);
    else el.value = v[0] ?? '';
  }
  const box = $('[data-choices="meeting"]', form);
  if (box && values.attendees) box.dataset.ticked = JSON.stringify(values.attendees);
  const who = $('[data-choices="contact"]', form);
  if (who && values.client_id?.[0]) who.dataset.chosen = values.client_id[0];
}

const one = (v, name) => (v[name] || [])[0] || '';
const num = (s) => (s === '' ? 0 : Number(s));

// build turns a form into an operation: { kind, data, summary } or an
// error message.
function build(form) {
  const v = formValues(form);
  const kind = form.dataset.kind;
  const id = uuidv7();
  if (kind === 'contact.create') {
    const data = { id, org_id: one(v, 'org_id'), at: `${one(v, 'date')}T${one(v, 'time')}:00+07:00`, channel: one(v, 'channel') || 'in_person' };
    const client = one(v, 'client_id');
    if (client) data.client_id = client;
    else {
      data.anon_sex = one(v, 'anon_sex');
      data.anon_population = one(v, 'anon_population');
      if (!data.anon_sex || !data.anon_population) return { error: msg('who-required') };
    }
    if (one(v, 'place_id')) data.place_id = one(v, 'place_id');
    if (one(v, 'place').trim()) data.place = one(v, 'place').trim();
    if (v.topics) data.topics = v.topics;
    const comm = {};
    for (const [k, vals] of Object.entries(v)) {
      if (k.startsWith('qty_') && num(vals[0])) comm[k.slice(4)] = num(vals[0]);
    }
    if (Object.keys(comm).length) data.commodities = comm;
    if (one(v, 'notes').trim()) data.notes = one(v, 'notes').trim();
    const who = client ? clients.find((c) => c.id === client)?.nickname || '' : msg('anonymous');
    return { kind, data, summary: who };
  }
  if (kind === 'activity.create') {
    const box = $('[data-choices="meeting"]', form);
    const attendees = JSON.parse(box.dataset.ticked || '[]');
    const data = { id, org_id: one(v, 'org_id'), kind: one(v, 'kind'), held_on: one(v, 'held_on'), title: one(v, 'title').trim(),
      attendees, anon_female: num(one(v, 'anon_female')), anon_male: num(one(v, 'anon_male')), anon_other: num(one(v, 'anon_other')) };
    if (v.topics) data.topics = v.topics;
    if (one(v, 'place').trim()) data.place = one(v, 'place').trim();
    if (one(v, 'notes').trim()) data.notes = one(v, 'notes').trim();
    if (!attendees.length && !(data.anon_female + data.anon_male + data.anon_other)) return { error: msg('attendees-none') };
    return { kind, data, summary: data.title };
  }
  if (kind === 'client.create') {
    const data = { id, org_id: one(v, 'org_id'), nickname: one(v, 'nickname').trim(), sex: one(v, 'sex'),
      populations: v.populations || [], residence: one(v, 'residence') || 'local' };
    if (one(v, 'birth_year')) data.birth_year = num(one(v, 'birth_year'));
    const uic = one(v, 'uic').trim().toUpperCase();
    if (uic) data.uic = uic;
    if (!data.populations.length) return { error: msg('populations') };
    return { kind, data, summary: data.nickname };
  }
  return { error: kind };
}

async function save(form) {
  const err = $('[data-error]', form);
  err.hidden = true;
  if (!form.reportValidity()) return;
  const op = build(form);
  if (op.error) {
    err.textContent = op.error;
    err.hidden = false;
    return;
  }
  await addOp({ op_id: uuidv7(), user_id: user, kind: op.kind, data: op.data, summary: op.summary });
  if (op.kind === 'client.create') {
    const d = op.data;
    await addLocalClient(user, { id: d.id, org_id: d.org_id, nickname: d.nickname, uic: d.uic || '', birth_year: d.birth_year || 0, sex: d.sex }, CACHE_LIFE_MS);
    await loadClients();
  }
  await deleteDraft(form.id);
  const keep = {};
  for (const name of ['org_id', 'channel', 'place_id', 'kind']) if (form.elements[name]) keep[name] = formValues(form)[name];
  form.reset();
  for (const el of $$('[data-uic-out]', form)) delete el.dataset.manual;
  const box = $('[data-choices="meeting"]', form);
  if (box) box.dataset.ticked = '[]';
  restore(form, Object.fromEntries(Object.entries(keep).filter(([, v]) => v)));
  resetDefaults(form);
  for (const name of ['contact', 'meeting']) fillChoices(name);
  $('#sync-msg').textContent = msg('saved');
  await render();
  if (navigator.onLine) syncer.now();
}

function updateUIC(form) {
  const out = $('[data-uic-out]', form);
  if (!out || out.dataset.manual) return;
  const facts = {};
  for (const el of $$('[data-uic-fact]', form)) facts[el.name] = el.value;
  facts.birth_year = form.elements.birth_year?.value;
  facts.sex = form.querySelector('input[name=sex]:checked')?.value;
  const anyName = $$('[data-uic-fact]', form).some((el) => el.value.trim());
  const { uic } = makeUIC(formula, facts);
  out.value = uic || '';
  out.placeholder = anyName && !uic ? msg('uic-missing') : '';
}

let draftTimer = 0;
function wire(form) {
  form.addEventListener('submit', (ev) => { ev.preventDefault(); save(form); });
  form.addEventListener('input', (ev) => {
    const t = ev.target;
    if (t.matches('[data-find]')) { fillChoices(t.dataset.find); return; }
    if (t.matches('[data-uic-out]')) t.dataset.manual = t.value ? '1' : '';
    if (t.matches('[data-uic-fact], [name=birth_year], [name=sex]')) updateUIC(form);
    if (t.name === 'attendees') {
      const box = t.closest('[data-choices]');
      const ticked = new Set(JSON.parse(box.dataset.ticked || '[]'));
      if (t.checked) ticked.add(t.value); else ticked.delete(t.value);
      box.dataset.ticked = JSON.stringify([...ticked]);
    }
    if (t.name === 'org_id') { filterPlaces(form); fillChoices(form.id); }
    clearTimeout(draftTimer);
    draftTimer = setTimeout(() => {
      const values = formValues(form);
      const box = $('[data-choices="meeting"]', form);
      if (box) values.attendees = JSON.parse(box.dataset.ticked || '[]');
      putDraft(form.id, values);
    }, 300);
  });
  form.addEventListener('change', (ev) => {
    if (ev.target.name === 'sex' && form.id === 'client') updateUIC(form);
  });
}

function filterPlaces(form) {
  const sel = form.elements.place_id;
  if (!sel || !sel.options) return;
  const org = orgOf(form);
  for (const o of sel.options) if (o.dataset.org) o.hidden = org && o.dataset.org !== org;
  if (sel.selectedOptions[0]?.hidden) sel.value = '';
}

// ---------------------------------------------------------------- start

const syncer = new Syncer(user, onSync);

async function start() {
  setNet();
  addEventListener('online', () => { setNet(); refreshCache(false); });
  addEventListener('offline', setNet);
  addEventListener('hashchange', () => showTab(location.hash.slice(1)));
  showTab(location.hash.slice(1));
  for (const form of $$('form.panel')) {
    resetDefaults(form);
    const draft = await getDraft(form.id);
    if (draft) restore(form, draft);
    filterPlaces(form);
    wire(form);
  }
  const lookup = $('[data-find="lookup"]');
  if (lookup) lookup.addEventListener('input', () => fillChoices('lookup'));
  $('#sync-now').addEventListener('click', () => syncer.now());
  $('#cache-refresh').addEventListener('click', () => refreshCache(true));
  await loadClients();
  await render();
  root.dataset.started = '1';
  await refreshCache(false);
  if (navigator.onLine) syncer.now();
  keepForOffline();
}

// keepForOffline waits for the service worker, and keeps this page for use
// without a network if the worker did not (it was not yet in charge when
// the page loaded).
async function keepForOffline() {
  if (!('serviceWorker' in navigator) || !self.caches) return;
  try {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      const resp = await fetch(location.pathname, { credentials: 'same-origin' });
      if (resp.ok && !resp.redirected) await (await caches.open('caunoi-pages')).put(location.pathname, resp);
    }
    root.dataset.ready = '1';
    await loadClients();
  } catch {
    // No worker (blocked, or a private window): the page works online.
  }
}

start().catch(() => {
  // No IndexedDB (a private window, a full disk): nothing can be kept on
  // the phone, so say so rather than lose what is typed.
  root.dataset.broken = '1';
  $('#sync-msg').textContent = msg('no-storage');
  for (const b of $$('form.panel button.primary')) b.disabled = true;
});

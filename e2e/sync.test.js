// Browser tests of the offline capture (/field): a peer educator at night
// in a karaoke bar with no signal (seeds 001, 002). The page is installed
// by its service worker, records go to IndexedDB, survive a reload without
// a network, and reach the server exactly once when the network is back.
// These contexts allow service workers; the other suites block them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  resultsDir, TEST_TIMEOUT, startSuite, newContext, watch, pathOf, login, checkLayout,
} from './harness.js';

startSuite();

const WORKER = 'songbien.dongdang';

// The problems watch() collects, but for the requests that fail because
// the test itself cut the network.
function real(problems) {
  return problems.filter((p) => !/net::ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR_NETWORK_CHANGED/.test(p));
}

// pendingCount reads the number of records waiting on the phone.
async function pendingCount(page) {
  return Number(await page.locator('#field').getAttribute('data-pending'));
}

async function waitPending(page, n) {
  await page.waitForFunction((want) => document.getElementById('field')?.dataset.pending === String(want), n);
}

test('offline at 360 px: a new client and three contacts survive a reload and are synced once', { timeout: 3 * TEST_TIMEOUT }, async () => {
  const ctx = await newContext({ serviceWorkers: 'allow' });
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await login(page, WORKER);
    const res = await page.goto('/field');
    assert.equal(res.status(), 200);
    // The service worker is in charge and has kept the page.
    await page.locator('#field[data-ready="1"]').waitFor();
    await checkLayout(page, '/field');
    assert.ok(await page.locator('[data-choices=contact] input[name=client_id]:not([value=""])').count() > 0,
      'her recent clients are on the phone');

    const me = await (await ctx.request.get('/api/v1/me')).json();
    const contactsOf = async (q) => (await (await ctx.request.get(`/api/v1/contacts?worker_id=${me.user_id}&limit=500${q || ''}`)).json());
    const before = (await contactsOf()).total;
    const tag = `E2E-${Date.now().toString(36)}`;
    const nick = `Lan ${tag}`;

    // No signal.
    await ctx.setOffline(true);
    await page.locator('#net.off').waitFor();

    // A new client, her UIC made on the phone as the server makes it.
    await page.locator('.tabs a[data-tab=client]').click();
    const cf = page.locator('form#client');
    await cf.locator('input[name=nickname]').fill(nick);
    await cf.locator('input[name=birth_year]').fill('1998');
    await cf.locator('input[name=sex][value=female]').check();
    await cf.locator('input[name=populations][value=sex_work]').check();
    await cf.locator('input[name=mother_name]').fill('Nguyễn Thị Hoa');
    await cf.locator('input[name=father_name]').fill('Trần Văn Tuấn');
    assert.equal(await cf.locator('input[name=uic]').inputValue(), 'HOTU1998F');
    await checkLayout(page, '/field#client');
    await cf.locator('button.primary').click();
    await waitPending(page, 1);

    // Three contacts: with the client just registered, with one of her
    // cached clients, and with an anonymous woman.
    await page.locator('.tabs a[data-tab=contact]').click();
    const kf = page.locator('form#contact');
    await kf.locator('[data-find=contact]').fill(nick);
    await kf.locator('[data-choices=contact] label', { hasText: nick }).locator('input').check();
    await kf.locator('input[name=qty_condom]').fill('12');
    await kf.locator('input[name=topics][value=hiv_sti]').check();
    await kf.locator('input[name=place]').fill(`${tag}-1`);
    await checkLayout(page, '/field#contact');
    await kf.locator('button.primary').click();
    await waitPending(page, 2);

    await kf.locator('[data-find=contact]').fill('');
    const cached = kf.locator('[data-choices=contact] input[name=client_id]:not([value=""])').first();
    const cachedID = await cached.getAttribute('value');
    await cached.check();
    await kf.locator('input[name=qty_lubricant]').fill('3');
    await kf.locator('input[name=place]').fill(`${tag}-2`);
    await kf.locator('button.primary').click();
    await waitPending(page, 3);

    await kf.locator('[data-choices=contact] input[name=client_id][value=""]').check();
    await kf.locator('input[name=anon_sex][value=female]').check();
    await kf.locator('select[name=anon_population]').selectOption('venue_worker');
    await kf.locator('input[name=qty_condom]').fill('5');
    await kf.locator('input[name=place]').fill(`${tag}-3`);
    await kf.locator('button.primary').click();
    await waitPending(page, 4);
    assert.equal(await page.locator('#outbox li[data-state=pending]').count(), 4, 'the outbox shows four records waiting');
    await page.screenshot({ path: path.join(resultsDir, 'field-offline.png'), fullPage: true });

    // Still no signal: the page reloads from the service worker, with
    // everything still waiting on the phone.
    const reload = await page.reload();
    assert.ok(reload.fromServiceWorker(), 'the reload came from the service worker');
    await page.locator('#field[data-started="1"]').waitFor();
    assert.equal(await pendingCount(page), 4, 'after the reload, four records still wait');
    assert.equal((await contactsOf()).total, before, 'nothing reached the server while offline');
    await checkLayout(page, '/field, reloaded offline');

    // Signal again: the online event sends them, once.
    await ctx.setOffline(false);
    await waitPending(page, 0);
    assert.equal(await page.locator('#outbox li[data-state=sent]').count(), 4, 'the four records are marked sent');
    const after = await contactsOf();
    assert.equal(after.total, before + 3, 'three contacts reached the server');
    const mine = after.items.filter((k) => (k.place || '').startsWith(tag));
    assert.deepEqual(mine.map((k) => k.place).sort(), [`${tag}-1`, `${tag}-2`, `${tag}-3`], 'each contact once');
    const clients = await (await ctx.request.get(`/api/v1/clients?q=${encodeURIComponent(nick)}`)).json();
    assert.equal(clients.total, 1, 'the new client is stored once');
    assert.equal(clients.items[0].uic, 'HOTU1998F');
    const byPlace = Object.fromEntries(mine.map((k) => [k.place, k]));
    assert.equal(byPlace[`${tag}-1`].client_id, clients.items[0].id, 'the first contact names the client registered offline');
    assert.equal(byPlace[`${tag}-1`].commodities.condom, 12);
    assert.equal(byPlace[`${tag}-2`].client_id, cachedID);
    assert.equal(byPlace[`${tag}-3`].anon_population, 'venue_worker');

    // Sending again sends nothing more.
    await page.locator('#sync-now').click();
    await page.waitForFunction(() => ['none', 'ok'].includes(document.getElementById('field').dataset.sync));
    assert.equal((await contactsOf()).total, before + 3, 'a second send stores nothing');

    // They are in the lists.
    await page.goto('/contacts?mine=1');
    for (const n of [1, 2, 3]) {
      await page.locator('main ul.list li', { hasText: `${tag}-${n}` }).waitFor();
    }
    assert.equal(await page.locator('main ul.list li', { hasText: tag }).count(), 3);
    await page.goto(`/clients?q=${encodeURIComponent(nick)}`);
    await page.locator('main ul.list a', { hasText: nick }).waitFor();
    await checkLayout(page, '/clients after the sync');
    assert.deepEqual(real(problems), [], 'no console errors, CSP violations or failed requests');
  } finally {
    await ctx.close();
  }
});

test('the UIC the phone makes is the one the server makes', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    await login(page, WORKER);
    await page.goto('/field');
    await page.locator('#field[data-started="1"]').waitFor();
    const cases = [
      { mother_name: 'Nguyễn Thị Hoa', father_name: 'Trần Văn Tuấn', birth_year: 1998, sex: 'female' },
      { mother_name: 'Đào', father_name: 'Lê Văn Đức', birth_year: 1985, sex: 'male' },
      { mother_name: 'Ðào', father_name: 'Ánh', birth_year: 2001, sex: 'other' },
      { mother_name: 'Y', father_name: "H'Hen Niê", birth_year: 1990, sex: 'female' },
      { mother_name: 'A\u0301nh', father_name: 'Tua\u0302\u0301n 2', birth_year: 1975, sex: 'male' },
    ];
    for (const facts of cases) {
      const phone = await page.evaluate(async (f) => {
        const { makeUIC } = await import('/static/js/field/uic.js');
        return makeUIC(document.getElementById('field').dataset.uicFormula, f).uic;
      }, facts);
      const server = await (await ctx.request.post('/api/v1/uic', { data: facts })).json();
      assert.equal(phone, server.uic, `facts ${JSON.stringify(facts)}`);
    }
  } finally {
    await ctx.close();
  }
});

test('signing out wipes what the phone kept', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext({ serviceWorkers: 'allow' });
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await login(page, WORKER);
    await page.goto('/field');
    await page.locator('#field[data-ready="1"]').waitFor();
    const kept = () => page.evaluate(async () => {
      const dbs = (await indexedDB.databases()).map((d) => d.name);
      let clients = 0;
      if (dbs.includes('caunoi')) {
        clients = await new Promise((resolve) => {
          const req = indexedDB.open('caunoi');
          req.onsuccess = () => {
            const db = req.result;
            const r = db.transaction('clients').objectStore('clients').count();
            r.onsuccess = () => { db.close(); resolve(r.result); };
          };
          req.onerror = () => resolve(-1);
        });
      }
      return { clients, pages: await caches.has('caunoi-pages') };
    });
    const before = await kept();
    assert.ok(before.clients > 0 && before.pages, `the phone keeps clients and the page: ${JSON.stringify(before)}`);
    const [post] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && pathOf(r.url()) === '/logout'),
      page.waitForURL('**/login'),
      page.locator('form.logout button').click(),
    ]);
    assert.match((await post.allHeaders())['clear-site-data'] || '', /"storage"/, 'the logout answer tells the browser to wipe storage');
    const after = await kept();
    assert.deepEqual(after, { clients: 0, pages: false }, 'nothing is left of the clients or the kept page');
    assert.deepEqual(real(problems), []);
  } finally {
    await ctx.close();
  }
});

// The main pages of each role, with service workers allowed this time: the
// worker installs everywhere and nothing complains.
for (const user of ['admin', 'cuc.canbo', 'quangninh.canbo', 'songbien.truongnhom', 'songbien.dongdang', 'songbien.congtacvien']) {
  test(`${user}: the main pages render without console errors, with the service worker`, { timeout: TEST_TIMEOUT }, async () => {
    const ctx = await newContext({ serviceWorkers: 'allow' });
    try {
      const page = await ctx.newPage();
      const problems = watch(page);
      await login(page, user);
      await page.evaluate(() => navigator.serviceWorker.ready);
      const hrefs = await page.locator('nav.menu a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const href of hrefs) {
        const r = await page.goto(href);
        assert.equal(r.status(), 200, `${href} answers 200`);
        await page.waitForLoadState('networkidle');
        await checkLayout(page, href);
      }
      assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
    } finally {
      await ctx.close();
    }
  });
}

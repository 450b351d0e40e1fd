// Browser tests for Cầu Nối: the real server with the demo data, a real
// Chromium, and the screen of a cheap Android phone (360×740).
//
//   cd e2e && npm install && npm test
//
// Environment:
//   CHROMIUM    the browser to drive (default /usr/bin/chromium); no tool
//               downloads a browser of its own.
//   CAUNOI_BIN  a built caunoi binary; without it the tests build one with
//               `go build ./cmd/caunoi` from the repository root.
//
// Screenshots of each role's home page land in e2e/test-results/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const repoRoot = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(import.meta.dirname, 'test-results');

const PASSWORD = 'caunoi-demo-2025';
const VIEWPORT = { width: 360, height: 740 };

// Bounded waits: nothing here may hang the run.
const BUILD_TIMEOUT = 240_000;
const START_TIMEOUT = 60_000;
const ACTION_TIMEOUT = 10_000;
const NAV_TIMEOUT = 15_000;
const TEST_TIMEOUT = 60_000;

// The whole menu, in order, as Vietnamese labels and links.
const MENU = {
  'Trang chủ': '/',
  'Khách hàng': '/clients',
  'Tiếp cận': '/contacts',
  'Hoạt động nhóm': '/activities',
  'Địa bàn': '/places',
  'Tổ chức': '/orgs',
  'Người dùng': '/users',
  'Đơn vị hành chính': '/admin-units',
  'Nhật ký': '/audit',
  'Tài khoản': '/account',
};

// The menu each demo role must see, in order.
const ROLES = [
  { user: 'admin', role: 'admin',
    nav: ['Trang chủ', 'Tổ chức', 'Người dùng', 'Đơn vị hành chính', 'Nhật ký', 'Tài khoản'] },
  { user: 'cuc.canbo', role: 'national_officer',
    nav: ['Trang chủ', 'Tổ chức', 'Đơn vị hành chính', 'Tài khoản'] },
  { user: 'quangninh.canbo', role: 'province_officer',
    nav: ['Trang chủ', 'Khách hàng', 'Tiếp cận', 'Hoạt động nhóm', 'Địa bàn', 'Tổ chức', 'Người dùng', 'Đơn vị hành chính', 'Tài khoản'] },
  { user: 'songbien.truongnhom', role: 'group_leader',
    nav: ['Trang chủ', 'Khách hàng', 'Tiếp cận', 'Hoạt động nhóm', 'Địa bàn', 'Tổ chức', 'Người dùng', 'Đơn vị hành chính', 'Tài khoản'] },
  { user: 'songbien.dongdang', role: 'peer_educator',
    nav: ['Trang chủ', 'Khách hàng', 'Tiếp cận', 'Hoạt động nhóm', 'Địa bàn', 'Tổ chức', 'Đơn vị hành chính', 'Tài khoản'] },
  { user: 'songbien.congtacvien', role: 'outreach_worker',
    nav: ['Trang chủ', 'Khách hàng', 'Tiếp cận', 'Hoạt động nhóm', 'Địa bàn', 'Tổ chức', 'Đơn vị hành chính', 'Tài khoản'] },
];

const MSG = {
  notFound: 'Không tìm thấy',
  forbidden: 'Bạn không có quyền làm việc này.',
  loginFailed: 'Tên đăng nhập hoặc mật khẩu không đúng.',
  saved: 'Đã lưu.',
  stale: 'Bản ghi vừa được người khác sửa',
};

let workDir;
let server; // { proc, url, log() }
let browser;

// ---------------------------------------------------------------- setup

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'caunoi-e2e-'));
  await mkdir(resultsDir, { recursive: true });

  let bin = process.env.CAUNOI_BIN && path.resolve(process.env.CAUNOI_BIN);
  if (!bin) {
    bin = path.join(workDir, 'caunoi');
    await promisify(execFile)('go', ['build', '-o', bin, './cmd/caunoi'], {
      cwd: repoRoot, timeout: BUILD_TIMEOUT, killSignal: 'SIGKILL', maxBuffer: 16 << 20,
    });
  }
  server = await startServer(bin, path.join(workDir, 'caunoi.db'));

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}, { timeout: BUILD_TIMEOUT + START_TIMEOUT + 60_000 });

after(async () => {
  await browser?.close().catch(() => {});
  await stopServer(server?.proc);
  if (workDir) await rm(workDir, { recursive: true, force: true });
}, { timeout: 30_000 });

// startServer runs `caunoi serve --demo` on a free port of 127.0.0.1 and
// resolves when it prints the address it listens on.
function startServer(bin, dbFile) {
  const proc = spawn(bin, ['serve', '--demo', '--addr', '127.0.0.1:0', '--db', `sqlite:${dbFile}`], {
    cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A crashed test run must not leave the server behind.
  const reap = () => proc.kill('SIGKILL');
  process.once('exit', reap);
  proc.once('exit', () => process.removeListener('exit', reap));

  let out = '';
  let err = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (s) => { err = (err + s).slice(-1_000_000); });
  proc.stdout.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(new Error(`${why}\n--- stdout ---\n${out}\n--- stderr ---\n${err.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`server did not listen within ${START_TIMEOUT} ms`), START_TIMEOUT);
    proc.once('error', (e) => fail(`cannot start ${bin}: ${e.message}`));
    proc.once('exit', (code, sig) => fail(`server exited early (code ${code}, signal ${sig})`));
    proc.stdout.on('data', (s) => {
      out += s;
      const m = out.match(/is listening on (https?:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        proc.removeAllListeners('exit');
        proc.once('exit', () => process.removeListener('exit', reap));
        resolve({ proc, url: m[1].replace(/\/$/, ''), log: () => err });
      }
    });
  });
}

async function stopServer(proc) {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(t);
}

// ---------------------------------------------------------------- helpers

// newContext opens a fresh, cookie-less phone-sized browser context. The
// browser asks for English on purpose: Cầu Nối must be Vietnamese by
// default whatever the phone's language.
async function newContext() {
  const ctx = await browser.newContext({
    baseURL: server.url,
    viewport: VIEWPORT,
    screen: VIEWPORT,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
    serviceWorkers: 'block',
  });
  ctx.setDefaultTimeout(ACTION_TIMEOUT);
  ctx.setDefaultNavigationTimeout(NAV_TIMEOUT);
  // Report CSP violations even where Chromium would not print them.
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || location.pathname}:${e.lineNumber}`);
    });
  });
  return ctx;
}

// watch collects what went wrong on a page: console errors (CSP violations
// among them), uncaught exceptions and failed sub-requests.
function watch(page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error on ${pathOf(page.url())}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error on ${pathOf(page.url())}: ${e.message}`));
  page.on('requestfailed', (r) => {
    // The tests leave pages quickly; the icon still loading is then aborted.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.method()} ${pathOf(r.url())}: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.request().isNavigationRequest()) {
      problems.push(`sub-request ${r.request().method()} ${pathOf(r.url())} answered ${r.status()}`);
    }
  });
  return problems;
}

function pathOf(url) {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

// login signs in through the form and answers the response to the POST;
// the page has then loaded wherever the answer led.
async function login(page, user, password = PASSWORD) {
  await page.goto('/login');
  await page.locator('input[name=username]').fill(user);
  await page.locator('input[name=password]').fill(password);
  const [post] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && pathOf(r.url()) === '/login'),
    clickAndWait(page, page.locator('button.primary')),
  ]);
  return post;
}

// clickAndWait clicks something that navigates and answers the final
// response, after any redirects, once the new document has loaded.
async function clickAndWait(page, locator) {
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() &&
      !(r.status() >= 300 && r.status() < 400)),
    page.waitForEvent('load'), // the new document's, not the old one's
    locator.click(),
  ]);
  return resp;
}

// checkLayout asserts the page is Vietnamese and fits a 360 px screen.
async function checkLayout(page, what) {
  const lang = await page.locator('html').getAttribute('lang');
  assert.equal(lang, 'vi', `${what}: <html lang> is ${lang}`);
  const { scrollWidth, culprits } = await page.evaluate((limit) => {
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      if (el.classList.length) s += `.${[...el.classList].join('.')}`;
      return s;
    };
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      // A box too wide, or text sticking out of its box (a long word).
      const spills = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 &&
        getComputedStyle(el).overflowX === 'visible' && r.left + el.scrollWidth > limit;
      if (r.right > limit || r.left < -1 || spills) {
        // Nothing that lives inside a horizontal scroller.
        let inside = false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const ox = getComputedStyle(p).overflowX;
          if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') { inside = true; break; }
        }
        if (!inside) wide.push(el);
      }
    }
    return {
      scrollWidth: document.documentElement.scrollWidth,
      // The innermost offenders say best what to fix.
      culprits: wide.filter((el) => !wide.some((w) => w !== el && el.contains(w))).slice(0, 5).map((el) => `${describe(el)} (right ${Math.round(el.getBoundingClientRect().left + el.scrollWidth)}px): ${el.textContent.trim().slice(0, 60)}`),
    };
  }, VIEWPORT.width + 1);
  assert.ok(scrollWidth <= VIEWPORT.width + 1,
    `${what}: page is ${scrollWidth}px wide at ${VIEWPORT.width}px; too wide: ${culprits.join(' | ') || '?'}`);
}

async function navLabels(page) {
  return (await page.locator('nav.menu a').allTextContents()).map((s) => s.trim());
}

// ---------------------------------------------------------------- tests

for (const r of ROLES) {
  test(`${r.role} (${r.user}): home, menu and every menu page on a 360 px phone`, { timeout: TEST_TIMEOUT }, async () => {
    const ctx = await newContext();
    try {
      const page = await ctx.newPage();
      const problems = watch(page);

      const resp = await login(page, r.user);
      assert.equal(resp.status(), 303, 'a good login redirects');
      assert.equal(pathOf(page.url()), '/', 'a good login lands on the home page');
      await assert.doesNotReject(
        page.getByRole('heading', { level: 1, name: /^Xin chào, / }).waitFor(),
        'home page greets the user');
      await checkLayout(page, 'home');
      await page.screenshot({ path: path.join(resultsDir, `home-${r.role}.png`), fullPage: true });

      assert.deepEqual(await navLabels(page), r.nav, 'menu entries');
      assert.deepEqual(
        await page.locator('nav.menu a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
        r.nav.map((l) => MENU[l]), 'menu links');

      // What the menu leaves out, the role may not open either.
      for (const [label, href] of Object.entries(MENU)) {
        if (r.nav.includes(label)) continue;
        const res = await ctx.request.get(href, { maxRedirects: 0, timeout: NAV_TIMEOUT });
        assert.equal(res.status(), 403, `${href} (${label}), left out of the menu, answers 403`);
      }

      const hrefs = await page.locator('nav.menu a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const [i, href] of hrefs.entries()) {
        const link = page.locator('nav.menu a').nth(i);
        const res = await clickAndWait(page, link);
        assert.equal(res.status(), 200, `${href} answers 200`);
        assert.equal(pathOf(page.url()), href, `menu link ${href} opens ${href}`);
        assert.equal(await page.locator('nav.menu a[aria-current=page]').getAttribute('href'), href,
          `${href} is marked current in the menu`);
        assert.deepEqual(await navLabels(page), r.nav, `menu entries on ${href}`);
        await checkLayout(page, href);
      }
      assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
    } finally {
      await ctx.close();
    }
  });
}

// Pages one tap beyond the menu: from every menu page, the first link of
// each kind in the page body (a record, a form, the next page of a list).
for (const user of ['admin', 'quangninh.canbo']) {
  test(`${user}: pages one tap beyond the menu fit a 360 px phone`, { timeout: TEST_TIMEOUT }, async (t) => {
    const ctx = await newContext();
    try {
      const page = await ctx.newPage();
      const problems = watch(page);
      await login(page, user);
      const menu = await page.locator('nav.menu a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      const shape = (href) => href
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')
        .replace(/=[^&]*/g, '=');
      const shapes = new Set(menu.map(shape));
      const targets = [];
      for (const href of menu) {
        await page.goto(href);
        // Only links a user can see and tap.
        const links = await page.locator('main a[href^="/"]').evaluateAll((as) => as
          .filter((a) => a.getBoundingClientRect().width > 0 && a.textContent.trim() !== '')
          .map((a) => a.getAttribute('href')));
        for (const l of links) {
          // Exports are downloads, not pages.
          if (/\/export\b/.test(l)) continue;
          if (shapes.has(shape(l))) continue;
          shapes.add(shape(l));
          targets.push({ from: href, href: l });
        }
      }
      assert.ok(targets.length >= 5, `found pages beyond the menu: ${targets.map((t) => t.href).join(' ')}`);
      t.diagnostic(`visited ${targets.map((x) => shape(x.href)).join(' ')}`);
      for (const { from, href } of targets) {
        const res = await page.goto(href);
        assert.equal(res.status(), 200, `${href} (linked from ${from}) answers 200`);
        await checkLayout(page, `${href} (linked from ${from})`);
      }
      assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
    } finally {
      await ctx.close();
    }
  });
}

// Every link on a user's page leads somewhere the officer may go: no empty
// or forbidden link (the audit link is shown only with audit.read).
test('a province officer\'s user page links only where she may go', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    await login(page, 'quangninh.canbo');
    await page.goto('/users');
    const userHref = await page.locator('main ul.list a[href^="/users/"]').first().getAttribute('href');
    await page.goto(userHref);
    const links = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => ({
      href: a.getAttribute('href'), text: a.textContent.trim(),
    })));
    const empty = links.filter((l) => l.text === '').map((l) => l.href);
    assert.deepEqual(empty, [], `empty links on ${userHref}`);
    for (const l of links) {
      const res = await ctx.request.get(l.href, { maxRedirects: 0, timeout: NAV_TIMEOUT });
      assert.equal(res.status(), 200, `${l.href} ("${l.text}") on ${userHref}`);
    }
  } finally {
    await ctx.close();
  }
});

test('scope: a province officer opens her clients, not another province\'s', { timeout: TEST_TIMEOUT }, async () => {
  // A client of Sóng Biển, a group in Khánh Hòa.
  const other = await newContext();
  let foreign, foreignName;
  try {
    const page = await other.newPage();
    await login(page, 'songbien.truongnhom');
    await page.goto('/clients');
    const a = page.locator('main ul.list a[href^="/clients/"]').first();
    foreign = await a.getAttribute('href');
    foreignName = (await a.textContent()).trim();
    assert.match(foreign ?? '', /^\/clients\/[\w-]+$/, 'the Sóng Biển group leader sees a client');
  } finally {
    await other.close();
  }

  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await login(page, 'quangninh.canbo');
    const res = await page.goto('/clients');
    assert.equal(res.status(), 200);
    const links = await page.locator('main ul.list a[href^="/clients/"]').evaluateAll(
      (as) => as.map((a) => ({ href: a.getAttribute('href'), name: a.textContent.trim() })));
    assert.ok(links.length > 0, 'Quảng Ninh has clients');
    assert.ok(!links.some((l) => l.href === foreign), 'a Khánh Hòa client is not listed in Quảng Ninh');

    for (const { href, name } of links) {
      const r = await page.goto(href);
      assert.equal(r.status(), 200, `${href} (${name}) answers 200`);
      assert.equal((await page.locator('h1').first().textContent()).trim().startsWith(name), true,
        `${href} shows ${name}`);
      await checkLayout(page, href);
    }
    assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');

    const r = await page.goto(foreign);
    assert.equal(r.status(), 404, `${foreign} (Khánh Hòa) answers 404 to a Quảng Ninh officer`);
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: MSG.notFound }).waitFor(),
      'the not-found message is shown');
    assert.ok(!(await page.locator('main').textContent()).includes(foreignName),
      'the 404 page does not name the client');
    await checkLayout(page, `${foreign} (404)`);
  } finally {
    await ctx.close();
  }
});

test('a national officer may not open /clients', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    await login(page, 'cuc.canbo');
    const r = await page.goto('/clients');
    assert.equal(r.status(), 403);
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: MSG.forbidden }).waitFor(),
      'the forbidden message is shown');
    await checkLayout(page, '/clients (403)');
  } finally {
    await ctx.close();
  }
});

test('login: a wrong password is refused; the language switch works both ways', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    const resp = await login(page, 'admin', 'not-the-password');
    assert.equal(resp.status(), 401);
    assert.equal(pathOf(page.url()), '/login');
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: MSG.loginFailed }).waitFor(),
      'the failed-login message is shown');
    assert.equal(await page.locator('input[name=username]').inputValue(), 'admin', 'the username is kept');
    await checkLayout(page, '/login (401)');

    await page.goto('/login');
    const toEnglish = page.locator('form[action="/lang"] button');
    assert.equal((await toEnglish.textContent()).trim(), 'English');
    let r = await clickAndWait(page, toEnglish);
    assert.equal(r.status(), 200);
    assert.equal(pathOf(page.url()), '/login', 'the switch comes back to the same page');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal((await page.locator('button.primary').textContent()).trim(), 'Sign in');

    const toVietnamese = page.locator('form[action="/lang"] button');
    assert.equal((await toVietnamese.textContent()).trim(), 'Tiếng Việt');
    r = await clickAndWait(page, toVietnamese);
    assert.equal(r.status(), 200);
    assert.equal(pathOf(page.url()), '/login');
    await checkLayout(page, '/login after switching back');
    assert.equal((await page.locator('form[action="/lang"] button').textContent()).trim(), 'English');
    assert.notEqual((await page.locator('h1').textContent()).trim(), 'Sign in');
  } finally {
    await ctx.close();
  }
});

test('admin creates a group, then a stale second tab cannot overwrite it', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await login(page, 'admin');
    await page.goto('/orgs');
    await clickAndWait(page, page.getByRole('link', { name: 'Chi cục PCTNXH Hà Nội', exact: true }));
    await page.getByRole('heading', { level: 1, name: 'Chi cục PCTNXH Hà Nội' }).waitFor();

    let r = await clickAndWait(page, page.getByRole('link', { name: 'Thêm đơn vị trực thuộc' }));
    assert.equal(r.status(), 200);
    await checkLayout(page, '/orgs/new');
    const name = `Nhóm thử E2E ${Date.now().toString(36)}`;
    await page.locator('form.form select[name=kind]').selectOption('group');
    await page.locator('form.form input[name=name]').fill(name);
    await page.locator('form.form select[name=group_kind]').selectOption('peer_group');
    r = await clickAndWait(page, page.locator('form.form button.primary'));
    assert.equal(r.status(), 200, 'after the redirect, the new organisation page answers 200');
    assert.match(pathOf(page.url()), /^\/orgs\/[\w-]+$/, 'lands on the new organisation page');
    await page.getByRole('status').filter({ hasText: MSG.saved }).waitFor();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await checkLayout(page, 'new organisation page');
    const orgPath = pathOf(page.url());

    // Two tabs open the same edit form; the first saves, the second is stale.
    const first = page;
    const second = await ctx.newPage();
    const problems2 = watch(second);
    await first.goto(`${orgPath}/edit`);
    await second.goto(`${orgPath}/edit`);
    await checkLayout(second, `${orgPath}/edit`);

    await first.locator('form.form input[name=name]').fill(`${name} (tab 1)`);
    r = await clickAndWait(first, first.locator('form.form button.primary'));
    assert.equal(r.status(), 200);
    assert.equal(pathOf(first.url()), orgPath);
    await first.getByRole('status').filter({ hasText: MSG.saved }).waitFor();
    await first.getByRole('heading', { level: 1, name: `${name} (tab 1)` }).waitFor();

    await second.locator('form.form input[name=name]').fill(`${name} (tab 2)`);
    r = await clickAndWait(second, second.locator('form.form button.primary'));
    assert.equal(r.status(), 409, 'a stale save answers 409 Conflict');
    await second.getByRole('alert').filter({ hasText: MSG.stale }).waitFor();
    assert.equal(await second.locator('form.form input[name=name]').inputValue(), `${name} (tab 2)`,
      'the form keeps what the user typed');
    await checkLayout(second, 'stale edit form');

    // The first save stands.
    await first.reload();
    await first.getByRole('heading', { level: 1, name: `${name} (tab 1)` }).waitFor();
    assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests (tab 1)');
    assert.deepEqual(problems2.filter((p) => !/status of 409/.test(p)), [],
      'no console errors, CSP violations or failed requests (tab 2)');
  } finally {
    await ctx.close();
  }
});

test('the server logged no errors or panics', () => {
  const bad = server.log().split('\n').filter((l) => /level=ERROR|panic/i.test(l));
  assert.deepEqual(bad, []);
});

// A peer educator on the street records a contact on a 360 px phone: the
// form opens with now, her group and "in person"; she taps a recent
// client, types a number of condoms and a topic, and saves. The contact is
// in the list afterwards, and the form is ready for the next one.
test('a peer educator records a contact on a 360 px phone', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await login(page, 'songbien.dongdang');
    await page.goto('/contacts');
    const before = await page.locator('main').textContent();
    const res = await clickAndWait(page, page.locator('a[href="/contacts/new"]').first());
    assert.equal(res.status(), 200);
    await checkLayout(page, '/contacts/new');
    // Sensible defaults: now, in person.
    assert.ok(await page.locator('input[name=date]').inputValue(), 'the date is filled in');
    assert.ok(await page.locator('input[name=time]').inputValue(), 'the time is filled in');
    assert.ok(await page.locator('form.capture input[type=radio][name=channel][value=in_person]').isChecked(), 'in person by default');
    // The first recent client, one tap.
    const first = page.locator('.choices input[name=client_id]:not([value=""])').first();
    const clientID = await first.getAttribute('value');
    await first.check();
    await page.locator('input[name=qty_condom]').fill('12');
    await page.locator('input[name=topics][value=hiv_sti]').check();
    const saved = await clickAndWait(page, page.locator('form.capture button.primary'));
    assert.equal(saved.status(), 200);
    assert.match(pathOf(page.url()), /^\/contacts\/new/);
    assert.match(await page.locator('.flash').textContent(), /Đã ghi lượt tiếp cận/);
    await checkLayout(page, '/contacts/new after saving');
    // The contact is in the list, once, with its condoms.
    await page.goto('/contacts?mine=1');
    const list = page.locator(`main li:has(a[href="/clients/${clientID}"])`).first();
    await list.waitFor();
    assert.match(await list.textContent(), /Bao cao su: 12/);
    assert.notEqual(await page.locator('main').textContent(), before);
    assert.deepEqual(problems, []);
  } finally {
    await ctx.close();
  }
});

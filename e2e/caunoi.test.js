// Browser tests for Cầu Nối: the real server with the demo data, a real
// Chromium, and the screen of a cheap Android phone (360×740).
//
//   cd e2e && npm install && npm test
//
// harness.js says which environment variables it reads. Screenshots of
// each role's home page land in e2e/test-results/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  resultsDir, NAV_TIMEOUT, TEST_TIMEOUT, server, startSuite, newContext, watch, pathOf, login,
  clickAndWait, checkLayout, navLabels,
} from './harness.js';

startSuite();

// The whole menu, in order, as Vietnamese labels and links.
const MENU = {
  'Trang chủ': '/',
  'Ghi ngoại tuyến': '/field',
  'Khách hàng': '/clients',
  'Tiếp cận': '/contacts',
  'Hoạt động nhóm': '/activities',
  'Địa bàn': '/places',
  'Dịch vụ': '/services',
  'Chuyển gửi': '/referrals',
  'Cơ sở dịch vụ': '/providers',
  'Quỹ tín dụng': '/funds',
  'Kinh phí': '/budgets',
  'Đường dây nóng': '/cases',
  'Nơi tạm lánh': '/shelters',
  'Tái hòa nhập': '/reintegration',
  'Tổng quan': '/dashboard',
  'Báo cáo': '/reports',
  'Bản đồ': '/map',
  'Tổ chức': '/orgs',
  'Người dùng': '/users',
  'Đơn vị hành chính': '/admin-units',
  'Nhật ký': '/audit',
  'Tài khoản': '/account',
};

// The menu each demo role must see, in order.
const ROLES = [
  { user: 'admin', role: 'admin',
    nav: ['Trang chủ', 'Tổng quan', 'Báo cáo', 'Bản đồ', 'Tổ chức', 'Người dùng', 'Đơn vị hành chính', 'Nhật ký', 'Tài khoản'] },
  { user: 'cuc.canbo', role: 'national_officer',
    nav: ['Trang chủ', 'Cơ sở dịch vụ', 'Quỹ tín dụng', 'Kinh phí', 'Nơi tạm lánh', 'Tổng quan', 'Báo cáo', 'Bản đồ', 'Tổ chức', 'Đơn vị hành chính', 'Tài khoản'] },
  { user: 'quangninh.canbo', role: 'province_officer',
    nav: ['Trang chủ', 'Khách hàng', 'Tiếp cận', 'Hoạt động nhóm', 'Địa bàn', 'Dịch vụ', 'Chuyển gửi', 'Cơ sở dịch vụ', 'Quỹ tín dụng', 'Kinh phí', 'Đường dây nóng', 'Nơi tạm lánh', 'Tái hòa nhập', 'Tổng quan', 'Báo cáo', 'Bản đồ', 'Tổ chức', 'Người dùng', 'Đơn vị hành chính', 'Tài khoản'] },
  { user: 'songbien.truongnhom', role: 'group_leader',
    nav: ['Trang chủ', 'Ghi ngoại tuyến', 'Khách hàng', 'Tiếp cận', 'Hoạt động nhóm', 'Địa bàn', 'Dịch vụ', 'Chuyển gửi', 'Cơ sở dịch vụ', 'Quỹ tín dụng', 'Kinh phí', 'Đường dây nóng', 'Nơi tạm lánh', 'Tái hòa nhập', 'Tổng quan', 'Báo cáo', 'Bản đồ', 'Tổ chức', 'Người dùng', 'Đơn vị hành chính', 'Tài khoản'] },
  { user: 'songbien.dongdang', role: 'peer_educator',
    nav: ['Trang chủ', 'Ghi ngoại tuyến', 'Khách hàng', 'Tiếp cận', 'Hoạt động nhóm', 'Địa bàn', 'Dịch vụ', 'Chuyển gửi', 'Cơ sở dịch vụ', 'Quỹ tín dụng', 'Đường dây nóng', 'Nơi tạm lánh', 'Tái hòa nhập', 'Tổ chức', 'Đơn vị hành chính', 'Tài khoản'] },
  { user: 'songbien.congtacvien', role: 'outreach_worker',
    nav: ['Trang chủ', 'Ghi ngoại tuyến', 'Khách hàng', 'Tiếp cận', 'Hoạt động nhóm', 'Địa bàn', 'Dịch vụ', 'Chuyển gửi', 'Cơ sở dịch vụ', 'Quỹ tín dụng', 'Nơi tạm lánh', 'Tái hòa nhập', 'Tổ chức', 'Đơn vị hành chính', 'Tài khoản'] },
];

const MSG = {
  notFound: 'Không tìm thấy',
  forbidden: 'Bạn không có quyền làm việc này.',
  loginFailed: 'Tên đăng nhập hoặc mật khẩu không đúng.',
  saved: 'Đã lưu.',
  stale: 'Bản ghi vừa được người khác sửa',
};

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

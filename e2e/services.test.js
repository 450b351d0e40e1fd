// Browser tests of services and referrals on a 360 px phone: a group
// leader refers a client from the client's page, prints the slip, marks
// the referral reached with the service received; the overdue list shows
// a referral past its due day.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  resultsDir, TEST_TIMEOUT, server, startSuite, newContext, watch, pathOf, login, clickAndWait, checkLayout,
} from './harness.js';

startSuite();

// dayBefore returns dd/mm/yyyy, n days before the dd/mm/yyyy day given.
function dayBefore(ddmmyyyy, n) {
  const [d, m, y] = ddmmyyyy.split('/').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d - n));
  const two = (x) => String(x).padStart(2, '0');
  return `${two(t.getUTCDate())}/${two(t.getUTCMonth() + 1)}/${t.getUTCFullYear()}`;
}

// openClient opens the first client of the list that has a UIC.
async function openClient(page) {
  await page.goto('/clients');
  const links = page.locator('main ul.list li a[href^="/clients/"]');
  const n = await links.count();
  assert.ok(n > 0, 'the group has clients');
  for (let i = 0; i < n; i++) {
    const li = page.locator('main ul.list li').nth(i);
    if (/[A-Z]{4}\d{4}[FMO]/.test(await li.textContent())) {
      return clickAndWait(page, li.locator('a[href^="/clients/"]').first());
    }
  }
  return clickAndWait(page, links.first());
}

test('a group leader refers a client, prints the slip and marks it reached with the service', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await login(page, 'songbien.truongnhom');
    const opened = await openClient(page);
    assert.equal(opened.status(), 200);
    const clientPath = pathOf(page.url());
    await checkLayout(page, 'the client page');
    const uic = (await page.locator('dl.facts dd').first().textContent()).trim();

    // From the client's page: refer, for an HIV test.
    let res = await clickAndWait(page, page.locator('#services ~ p.actions a', { hasText: 'Chuyển gửi' }).first());
    assert.equal(res.status(), 200);
    assert.match(pathOf(page.url()), /^\/referrals\/new\?client_id=/);
    await checkLayout(page, 'the referral form: the service');
    res = await clickAndWait(page, page.locator('main .choices a', { hasText: 'Xét nghiệm HIV' }));
    assert.equal(res.status(), 200);
    await checkLayout(page, 'the referral form: the provider');
    const provider = page.locator('input[name=provider_id]:checked');
    assert.equal(await provider.count(), 1, 'a provider offering the test is chosen');
    await page.locator('textarea[name=reason]').fill('Xét nghiệm HIV định kỳ, miễn phí');
    res = await clickAndWait(page, page.locator('main form button.primary'));
    assert.equal(res.status(), 200);
    assert.match(pathOf(page.url()), /^\/referrals\/[0-9a-f-]{36}$/);
    assert.match(await page.locator('.flash').textContent(), /Đã ghi chuyển gửi/);
    const referralPath = pathOf(page.url());
    const code = (await page.locator('h1').textContent()).match(/CG-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}/)[0];
    await checkLayout(page, 'the referral');

    // The slip, printable in Vietnamese: the code and the UIC; print CSS
    // keeps the slip alone.
    res = await clickAndWait(page, page.locator('a', { hasText: 'In phiếu chuyển gửi' }));
    assert.equal(res.status(), 200);
    assert.equal(pathOf(page.url()), `${referralPath}/slip`);
    await checkLayout(page, 'the slip');
    const slip = page.locator('article.slip');
    assert.match(await slip.textContent(), /PHIẾU CHUYỂN GỬI|Phiếu chuyển gửi/i);
    assert.match(await slip.textContent(), new RegExp(code));
    if (/^[A-Z0-9]{6,}$/.test(uic)) assert.match(await slip.textContent(), new RegExp(uic));
    assert.equal(await page.locator('button[data-print]').count(), 1, 'a print button');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.top').isVisible(), false, 'the header is not printed');
    assert.equal(await page.locator('nav.menu').isVisible(), false, 'the menu is not printed');
    assert.equal(await page.locator('button[data-print]').isVisible(), false, 'the print button is not printed');
    assert.equal(await slip.isVisible(), true, 'the slip is printed');
    const pdf = await page.pdf({ format: 'A5' });
    assert.ok(pdf.length > 1000, 'the slip prints to a PDF');
    await page.emulateMedia({ media: 'screen' });
    await page.screenshot({ path: path.join(resultsDir, 'referral-slip.png'), fullPage: true });

    // Back on the referral: reached, with the test's result.
    res = await clickAndWait(page, page.locator('a', { hasText: 'Về chuyển gửi' }));
    const reached = page.locator('form#reached');
    await reached.locator('select[name=detail]').selectOption('community');
    await reached.locator('select[name=result]').selectOption('negative');
    res = await clickAndWait(page, reached.locator('button.primary'));
    assert.equal(res.status(), 200);
    assert.equal(pathOf(page.url()), referralPath);
    assert.match(await page.locator('.flash').textContent(), /khách hàng đã đến và nhận dịch vụ/);
    assert.match(await page.locator('dl.facts').textContent(), /Đã đến, đã nhận dịch vụ/);
    await checkLayout(page, 'the referral, reached');
    // The service received, with its result, on the client's page.
    res = await clickAndWait(page, page.locator('a', { hasText: 'Xem dịch vụ đã nhận' }));
    assert.match(await page.locator('dl.facts').textContent(), /Âm tính/);
    await page.goto(clientPath);
    const refLine = page.locator(`#services ~ ul.list li:has-text("${code}")`);
    assert.match(await refLine.textContent(), /Đã đến, đã nhận dịch vụ/);
    assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
  } finally {
    await ctx.close();
  }
});

test('the overdue list shows a referral past its due day', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await login(page, 'songbien.truongnhom');
    await openClient(page);
    // A referral made three weeks ago, due a week ago, still waiting.
    await clickAndWait(page, page.locator('#services ~ p.actions a', { hasText: 'Chuyển gửi' }).first());
    await clickAndWait(page, page.locator('main .choices a', { hasText: 'Khám, điều trị STIs' }));
    const today = await page.locator('input[name=referred_on]').inputValue();
    await page.locator('input[name=referred_on]').fill(dayBefore(today, 21));
    await page.locator('input[name=due_on]').fill(dayBefore(today, 7));
    let res = await clickAndWait(page, page.locator('main form button.primary'));
    assert.equal(res.status(), 200);
    const code = (await page.locator('h1').textContent()).match(/CG-[0-9A-F-]{14}/)[0];
    assert.match(await page.locator('p.overdue').textContent(), /Quá hạn từ/);

    // The overdue list, mine only: it is there, marked overdue.
    await page.goto('/referrals');
    res = await clickAndWait(page, page.locator('main p.actions a', { hasText: 'Quá hạn' }));
    assert.equal(res.status(), 200);
    assert.match(await page.locator('h1').textContent(), /Chuyển gửi quá hạn/);
    await page.locator('input[name=mine]').check();
    res = await clickAndWait(page, page.locator('form.filters button'));
    assert.match(pathOf(page.url()), /overdue=1/);
    assert.match(pathOf(page.url()), /mine=1/);
    const line = page.locator(`main ul.list li:has-text("${code}")`);
    assert.equal(await line.count(), 1, `the overdue list shows ${code}`);
    assert.match(await line.textContent(), /Quá hạn/);
    // Every line of the list is overdue, and none reached.
    for (const text of await page.locator('main ul.list li').allTextContents()) {
      assert.match(text, /Quá hạn/);
      assert.doesNotMatch(text, /Đã đến/);
    }
    await checkLayout(page, 'the overdue list');
    await page.screenshot({ path: path.join(resultsDir, 'referrals-overdue.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
  } finally {
    await ctx.close();
  }
});

test('services: the server logged no errors or panics', () => {
  const bad = server.log().split('\n').filter((l) => /level=ERROR|panic/i.test(l));
  assert.deepEqual(bad, []);
});

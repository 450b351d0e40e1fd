// Browser tests of the hotline on a 360 px phone: a peer educator takes a
// call from intake to referral to follow-up to closing; a call without an
// issue is refused with what to fix; the shelter and reintegration pages
// (occupancy chart, ecomap) fit the screen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  resultsDir, TEST_TIMEOUT, server, startSuite, newContext, watch, pathOf, login, clickAndWait, checkLayout,
} from './harness.js';

startSuite();

// firstClient returns the nickname of the first client of the list.
async function firstClient(page) {
  await page.goto('/clients');
  const link = page.locator('main ul.list li a[href^="/clients/"]').first();
  return (await link.textContent()).trim();
}

test('a peer educator takes a call from intake to referral, follow-up and closing', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await login(page, 'songbien.dongdang');
    const nickname = await firstClient(page);

    // The duty view, from the menu.
    await page.goto('/');
    let res = await clickAndWait(page, page.locator('nav.menu a', { hasText: 'Đường dây nóng' }));
    assert.equal(res.status(), 200);
    assert.equal(pathOf(page.url()), '/cases');
    assert.match(await page.locator('main').textContent(), /Trực đường dây nóng/);
    assert.match(await page.locator('main h3').first().textContent(), /Theo dõi quá hạn: [1-9]/, 'the demo has an overdue follow-up');
    await checkLayout(page, 'the duty view');

    // Intake: find the caller among the clients, then the call itself.
    res = await clickAndWait(page, page.locator('a', { hasText: 'Ghi cuộc gọi mới' }));
    assert.equal(pathOf(page.url()), '/cases/new');
    await checkLayout(page, 'the intake form');
    await page.locator('form.case-search input[name=q]').fill(nickname);
    res = await clickAndWait(page, page.locator('form.case-search button'));
    assert.match(pathOf(page.url()), /^\/cases\/new\?q=/);
    const form = page.locator('form.case-form');
    await form.locator('input[name=client_id]:not([value=""])').first().check();
    await form.locator('input[name=channel][value=zalo]').check();
    await form.locator('input[name=issues][value=gbv]').check();
    await form.locator('input[name=violence_types][value=psychological_abuse]').check();
    await form.locator('input[name=violence_types][value=physical_assault]').check();
    await form.locator('input[name=violence_contexts][value=domestic_violence]').check();
    await form.locator('input[name=risk][value=high]').check();
    await form.locator('input[name=actions][value=counselling]').check();
    await form.locator('input[name=actions][value=safety_planning]').check();
    await form.locator('textarea[name=summary]').fill('Chồng đánh tối qua, đuổi ra khỏi nhà');
    await form.locator('textarea[name=safety_plan]').fill('Tối nay ngủ nhà chị gái; gọi 113 nếu chồng tìm đến');
    await checkLayout(page, 'the intake form, filled');
    res = await clickAndWait(page, form.locator('button.primary'));
    assert.equal(res.status(), 200);
    assert.match(pathOf(page.url()), /^\/cases\/[0-9a-f-]{36}$/);
    const casePath = pathOf(page.url());
    assert.match(await page.locator('.flash').textContent(), /Đã ghi ca/);
    const code = (await page.locator('h1').textContent()).trim();
    assert.match(code, /^DN-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
    // Classified as GBVIMS does: physical assault comes before psychological abuse.
    assert.match(await page.locator('dl.facts').textContent(), /Hành hung thân thể/);
    assert.match(await page.locator('main').textContent(), /Chồng đánh tối qua/);
    await checkLayout(page, 'the new case');

    // Referral to legal aid, through the referral service.
    await page.locator('details#refer summary').click();
    const refer = page.locator('details#refer form');
    await refer.locator('select[name=target]').selectOption({ label: 'Trợ giúp pháp lý' });
    await refer.locator('textarea[name=reason]').fill('Tư vấn ly hôn, giữ quyền nuôi con');
    await checkLayout(page, 'the referral form');
    res = await clickAndWait(page, refer.locator('button.primary'));
    assert.equal(res.status(), 200);
    assert.equal(pathOf(page.url()), casePath);
    assert.match(await page.locator('.flash').textContent(), /Đã chuyển gửi/);
    const referral = page.locator('h2:has-text("Chuyển gửi") + ul.list li').first();
    assert.match(await referral.textContent(), /Trợ giúp pháp lý/);
    assert.match(await referral.textContent(), /CG-[0-9A-F]{4}-/);

    // Follow-up: reached on the phone, the risk lowered, no next one.
    await page.locator('details#follow-up summary').click();
    const follow = page.locator('details#follow-up form');
    await follow.locator('textarea[name=note]').fill('Chị đã về nhà mẹ đẻ, an toàn');
    await follow.locator('select[name=risk]').selectOption('medium');
    res = await clickAndWait(page, follow.locator('button.primary'));
    assert.equal(res.status(), 200);
    assert.match(await page.locator('.flash').textContent(), /Đã ghi lần theo dõi/);
    assert.match(await page.locator('main').textContent(), /Đã theo dõi/);
    assert.match(await page.locator('main p span.risk').textContent(), /Trung bình/);
    await checkLayout(page, 'after the follow-up');

    // Closing: no more follow-up or referral forms.
    await page.locator('details#close summary').click();
    const close = page.locator('details#close form');
    await close.locator('select[name=outcome]').selectOption('referred');
    res = await clickAndWait(page, close.locator('button.primary'));
    assert.equal(res.status(), 200);
    assert.match(await page.locator('.flash').textContent(), /Đã đóng ca/);
    assert.match(await page.locator('main p .tag').textContent(), /Đã đóng/);
    assert.equal(await page.locator('details#follow-up').count(), 0, 'a closed case takes no follow-up');
    assert.equal(await page.locator('details#refer').count(), 0, 'nor a referral');
    await checkLayout(page, 'the closed case');
    await page.screenshot({ path: path.join(resultsDir, 'hotline-case.png'), fullPage: true });

    // The duty view no longer lists it among the open cases.
    await page.goto('/cases');
    const open = page.locator('h3:has-text("Ca đang mở") + ul.list');
    assert.equal(await open.locator(`li:has-text("${code}")`).count(), 0, 'the closed case is not open');
    assert.equal(await page.locator(`h2:has-text("Tất cả") ~ ul.list li:has-text("${code}")`).count(), 1, 'it is in the list of cases');
    assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
  } finally {
    await ctx.close();
  }
});

test('a call without an issue is refused with what to fix, and nothing is stored', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await login(page, 'songbien.dongdang');
    await page.goto('/cases');
    const before = (await page.locator('nav.pager span').textContent()).trim();
    await page.goto('/cases/new');
    await page.locator('form.case-form textarea[name=summary]').fill('Gọi hỏi rồi tắt máy');
    const res = await clickAndWait(page, page.locator('form.case-form button.primary'));
    assert.equal(res.status(), 422);
    assert.match(await page.locator('.error').textContent(), /Hãy chọn ít nhất một vấn đề của cuộc gọi/);
    assert.equal(await page.locator('form.case-form textarea[name=summary]').inputValue(), 'Gọi hỏi rồi tắt máy', 'what was typed is kept');
    await checkLayout(page, 'the refused intake');
    await page.goto('/cases');
    assert.equal((await page.locator('nav.pager span').textContent()).trim(), before, 'no case was stored');
    // The refused form's own 422 is the only error the browser may report.
    assert.deepEqual(problems.filter((p) => !/status of 422/.test(p)), [], 'no console errors, CSP violations or failed requests');
  } finally {
    await ctx.close();
  }
});

test('a shelter with its occupancy chart and a returnee\'s ecomap fit a 360 px phone', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await login(page, 'songbien.truongnhom');
    let res = await clickAndWait(page, page.locator('nav.menu a', { hasText: 'Nơi tạm lánh' }));
    assert.equal(res.status(), 200);
    await checkLayout(page, 'the shelters');
    res = await clickAndWait(page, page.locator('main ul.list li a').first());
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('figure.occupancy-chart svg rect.bar-used').count() > 0, true, 'the occupancy chart is drawn');
    await page.locator('a.button', { hasText: '365 ngày' }).click();
    await page.waitForURL(/days=365/);
    await checkLayout(page, 'a shelter, a year of occupancy');
    await page.screenshot({ path: path.join(resultsDir, 'shelter.png'), fullPage: true });

    res = await clickAndWait(page, page.locator('nav.menu a', { hasText: 'Tái hòa nhập' }));
    assert.equal(res.status(), 200);
    res = await clickAndWait(page, page.locator('main ul.list li a').first());
    assert.equal(res.status(), 200);
    assert.ok(await page.locator('figure.ecomap svg line').count() > 0, 'the ecomap is drawn');
    await checkLayout(page, 'a returnee\'s ecomap');
    await page.screenshot({ path: path.join(resultsDir, 'ecomap.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
  } finally {
    await ctx.close();
  }
});

test('hotline: the server logged no errors or panics', () => {
  const bad = server.log().split('\n').filter((l) => /level=ERROR|panic/i.test(l));
  assert.deepEqual(bad, []);
});

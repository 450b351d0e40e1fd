// Browser tests of money on a 360 px phone: a club member's loan from An
// Giang's revolving fund is applied for by the club's outreach worker,
// appraised by the club chair, approved by the province officer (another
// user), paid out by the chair and repaid; its statement prints. Then the
// fund's statement and a budget against its norms.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  resultsDir, TEST_TIMEOUT, startSuite, newContext, watch, pathOf, login, clickAndWait, checkLayout,
} from './harness.js';

startSuite();

const FUND = 'Quỹ tín dụng quay vòng mạng lưới CLB Hướng Thiện';

// as opens a phone-sized context signed in as user and runs fn with its
// page; the page must show no console error, CSP violation or failed
// request, but for the refusals the test asks for: fn calls refused(path)
// before it sends a form that must come back 422, which Chromium reports
// on the console.
async function as(user, fn) {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    const expected = [];
    await login(page, user);
    await fn(page, (p) => expected.push(`console error on ${p}: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)`));
    assert.deepEqual(problems.filter((x) => !expected.includes(x)), [], `${user}: no console errors, CSP violations or failed requests`);
  } finally {
    await ctx.close();
  }
}

// submit clicks the visible primary button of the form and answers the
// final response.
async function submit(page, form) {
  return clickAndWait(page, form.locator('button.primary:not(.fw-default)').last());
}

// printable checks that a statement prints alone: no header, menu or
// button on paper, the article there, and a PDF made of it.
async function printable(page, what) {
  assert.equal(await page.locator('button[data-print]').count(), 1, `${what}: a print button`);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false, `${what}: the header is not printed`);
  assert.equal(await page.locator('nav.menu').isVisible(), false, `${what}: the menu is not printed`);
  assert.equal(await page.locator('button[data-print]').isVisible(), false, `${what}: the print button is not printed`);
  assert.equal(await page.locator('article.statement').isVisible(), true, `${what}: the statement is printed`);
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000, `${what} prints to a PDF`);
  await page.emulateMedia({ media: 'screen' });
}

test('a member\'s loan: applied, appraised, approved by another user, disbursed, repaid; the statement prints', { timeout: 3 * TEST_TIMEOUT }, async () => {
  let loanPath;
  let member;

  // The club's outreach worker records the application, from the funds.
  await as('mybinh.congtacvien', async (page) => {
    let res = await clickAndWait(page, page.locator('nav.menu a', { hasText: 'Quỹ tín dụng' }));
    assert.equal(res.status(), 200);
    await checkLayout(page, 'the funds');
    assert.match(await page.locator('main ul.list').textContent(), /Quỹ tín dụng quay vòng/);
    res = await clickAndWait(page, page.locator('main a', { hasText: 'Ghi đơn vay' }));
    assert.equal(res.status(), 200);
    assert.equal(pathOf(page.url()), '/loans/new');
    await checkLayout(page, 'the application form');
    const form = page.locator('main form[action="/loans"]');
    await form.locator('select[name=fund_id]').selectOption({ label: FUND });
    const first = form.locator('input[name=client_id]').first();
    member = (await form.locator('label.check').first().textContent()).trim().split(/\s+/)[0];
    await first.check();
    await form.locator('input[name=amount]').fill('2.400.000');
    await form.locator('input[name=purpose]').fill('Mua xe đạp chở hàng');
    await form.locator('select[name=method]').selectOption('declining');
    await form.locator('input[name=rate]').fill('6');
    await form.locator('input[name=term_months]').fill('6');
    res = await submit(page, form);
    assert.equal(res.status(), 200);
    loanPath = pathOf(page.url());
    assert.match(loanPath, /^\/loans\/[0-9a-f-]{36}$/);
    assert.match(await page.locator('.flash').textContent(), /Đã ghi đơn vay/);
    assert.match(await page.locator('dl.facts').first().textContent(), /Đã nộp đơn/);
    assert.equal(await page.locator('form[action$="/appraisal"]').count(), 0, 'the worker may not appraise');
    await checkLayout(page, 'the application');
  });

  // The club chair appraises.
  await as('mybinh.chunhiem', async (page) => {
    await page.goto(loanPath);
    const form = page.locator('form[action$="/appraisal"]');
    await form.locator('textarea[name=notes]').fill('Sinh hoạt đều, có khách giao hàng ổn định; anh trưởng ban bảo lãnh.');
    const res = await submit(page, form);
    assert.equal(res.status(), 200);
    assert.match(await page.locator('.flash').textContent(), /Đã ghi kết quả thẩm định/);
    assert.equal(await page.locator('form[action$="/decision"]').count(), 0, 'the chair may not approve');
    await checkLayout(page, 'the appraised application');
  });

  // The province officer, who neither recorded nor appraised it, approves.
  await as('angiang.canbo', async (page) => {
    await page.goto(loanPath);
    const form = page.locator('form[action$="/decision"]');
    assert.equal(await form.locator('input[name=decision][value=approve]').isChecked(), true);
    const res = await submit(page, form);
    assert.equal(res.status(), 200);
    assert.match(await page.locator('.flash').textContent(), /Đã ghi quyết định/);
    assert.match(await page.locator('ol.steps').textContent(), /Phê duyệt ngày .* Nguyễn Văn Lợi/);
    await checkLayout(page, 'the approved loan');
  });

  // The chair pays it out: the schedule is set.
  await as('mybinh.chunhiem', async (page) => {
    await page.goto(loanPath);
    const res = await submit(page, page.locator('form[action$="/disbursement"]'));
    assert.equal(res.status(), 200);
    assert.match(await page.locator('.flash').textContent(), /Đã giải ngân/);
    assert.equal(await page.locator('table.ledger tbody tr').count(), 7, 'six installments and their total');
    await checkLayout(page, 'the disbursed loan');
  });

  // The worker records repayments: more than owed is refused, saying
  // how much is owed; a first repayment goes to interest, then principal.
  await as('mybinh.congtacvien', async (page, refused) => {
    await page.goto(loanPath);
    refused(`${loanPath}/repayments`);
    let form = page.locator('form[action$="/repayments"]');
    await form.locator('input[name=amount]').fill('99.000.000');
    let res = await submit(page, form);
    assert.equal(res.status(), 422);
    assert.match(await page.locator('.error').textContent(), /chỉ còn .* đồng/);
    await checkLayout(page, 'a refused repayment');
    form = page.locator('form[action$="/repayments"]');
    await form.locator('input[name=amount]').fill('412.000');
    res = await submit(page, form);
    assert.equal(res.status(), 200);
    assert.match(await page.locator('.flash').textContent(), /Đã ghi khoản trả nợ/);
    // 2.400.000 at 6% a year: 12.000 of interest the first month.
    const repaid = page.locator('h2:has-text("Các lần trả nợ") + .table-wrap');
    assert.match(await repaid.textContent(), /412\.000 ₫.*12\.000 ₫.*400\.000 ₫/s);
    await checkLayout(page, 'the repaid loan');

    // The statement, in Vietnamese, prints alone.
    res = await clickAndWait(page, page.locator('main a', { hasText: 'Sao kê khoản vay' }));
    assert.equal(res.status(), 200);
    assert.equal(pathOf(page.url()), `${loanPath}/statement`);
    await checkLayout(page, 'the loan statement');
    const st = await page.locator('article.statement').textContent();
    assert.match(st, /SAO KÊ KHOẢN VAY/);
    assert.match(st, new RegExp(member));
    assert.match(st, /2\.400\.000 ₫/);
    assert.match(st, /Người vay/);
    await printable(page, 'the loan statement');
    await page.screenshot({ path: path.join(resultsDir, 'loan-statement.png'), fullPage: true });
  });
});

test('the province officer: the fund\'s arrears and statement; Quảng Ninh: a budget against its norms', { timeout: 2 * TEST_TIMEOUT }, async () => {
  await as('angiang.canbo', async (page) => {
    await page.goto('/funds');
    let res = await clickAndWait(page, page.locator('main ul.list a', { hasText: FUND }));
    assert.equal(res.status(), 200);
    await checkLayout(page, 'the fund');
    assert.match(await page.locator('main').textContent(), /Sổ quỹ khớp đến từng đồng/);
    assert.match(await page.locator('main').textContent(), /PAR30/);
    res = await clickAndWait(page, page.locator('main a', { hasText: 'Nợ quá hạn' }));
    assert.equal(res.status(), 200);
    await checkLayout(page, 'the arrears');
    assert.ok(await page.locator('main ul.list li a[href^="/loans/"]').count() > 0, 'the club has loans in arrears');
    await page.goBack();
    res = await clickAndWait(page, page.locator('main a', { hasText: 'Sao kê quỹ' }));
    assert.equal(res.status(), 200);
    await checkLayout(page, 'the fund statement');
    assert.match(await page.locator('article.statement').textContent(), /SAO KÊ QUỸ TÍN DỤNG QUAY VÒNG/);
    await printable(page, 'the fund statement');
  });

  await as('quangninh.canbo', async (page, refused) => {
    let res = await clickAndWait(page, page.locator('nav.menu a', { hasText: 'Kinh phí' }));
    assert.equal(res.status(), 200);
    await checkLayout(page, 'the plans');
    res = await clickAndWait(page, page.locator('main ul.list a', { hasText: 'Kế hoạch mô hình 1' }));
    assert.equal(res.status(), 200);
    await checkLayout(page, 'the plan against actual');
    assert.match(await page.locator('.money-cards').textContent(), /Chi phí mỗi người/);
    // Spending past a line needs a reason.
    const form = page.locator('form[action$="/expenditures"]');
    refused(await form.getAttribute('action'));
    await form.locator('input[name=amount]').fill('900.000.000');
    await form.locator('input[name=description]').fill('Chi thử');
    res = await submit(page, form);
    assert.equal(res.status(), 422);
    assert.match(await page.locator('.error').textContent(), /ghi lý do chi vượt/);
    await checkLayout(page, 'a refused expenditure');
    await page.screenshot({ path: path.join(resultsDir, 'budget.png'), fullPage: true });
  });
});
